//! The closed vocabularies of the customer master, stored as their upper-case names.

use async_graphql::Enum;

stored_enum!(
    /// A person or an organisation.
    PartyKind { Person => "PERSON", Organization => "ORGANIZATION" }
);

stored_enum!(
    /// A role a party holds; several at once.
    PartyRole {
        Account => "ACCOUNT",
        Contact => "CONTACT",
        Customer => "CUSTOMER",
        Lead => "LEAD",
        Partner => "PARTNER",
        Competitor => "COMPETITOR",
        Supplier => "SUPPLIER",
    }
);

stored_enum!(
    /// Where a party is in its life: deletion needs a request and a manager's approval.
    PartyStatus {
        Active => "ACTIVE",
        /// Someone asked for deletion; a manager decides.
        DeletionRequested => "DELETION_REQUESTED",
        /// Hidden from lists; can be restored.
        Archived => "ARCHIVED",
        /// Merged into another party.
        Merged => "MERGED",
        /// Personal data erased.
        Erased => "ERASED",
    }
);

stored_enum!(
    /// Business or consumer customer.
    CustomerType { B2b => "B2B", B2c => "B2C" }
);

stored_enum!(
    /// How a consumer prefers to pay.
    PaymentPreference {
        Card => "CARD",
        CashOnDelivery => "CASH_ON_DELIVERY",
        Instalments => "INSTALMENTS",
        Invoice => "INVOICE",
    }
);

stored_enum!(
    /// The kind of a contact mechanism.
    ContactMechanismKind { Email => "EMAIL", Phone => "PHONE", PostalAddress => "POSTAL_ADDRESS", Web => "WEB" }
);

stored_enum!(
    /// What a contact mechanism is for.
    ContactPurpose { Primary => "PRIMARY", Billing => "BILLING", Shipping => "SHIPPING", Work => "WORK", Home => "HOME" }
);

stored_enum!(
    /// The kind of a relationship, read "from → to".
    RelationshipKind {
        /// A person is a contact of an organisation.
        ContactOf => "CONTACT_OF",
        /// A person works for an organisation.
        EmployeeOf => "EMPLOYEE_OF",
        /// A party is a partner of another.
        PartnerOf => "PARTNER_OF",
        /// An organisation is the parent of another.
        ParentOrganization => "PARENT_ORGANIZATION",
    }
);

impl RelationshipKind {
    /// Which kinds of party may stand at each end: `(from, to)`; `None` means either.
    pub fn ends(self) -> (Option<PartyKind>, Option<PartyKind>) {
        match self {
            RelationshipKind::ContactOf | RelationshipKind::EmployeeOf => {
                (Some(PartyKind::Person), Some(PartyKind::Organization))
            }
            RelationshipKind::ParentOrganization => {
                (Some(PartyKind::Organization), Some(PartyKind::Organization))
            }
            RelationshipKind::PartnerOf => (None, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in PartyRole::ALL {
            assert_eq!(PartyRole::parse(r.as_str()), Some(*r));
        }
        assert_eq!(PartyRole::parse("account"), None);
        assert_eq!(
            RelationshipKind::ContactOf.ends(),
            (Some(PartyKind::Person), Some(PartyKind::Organization))
        );
    }
}

stored_enum!(
    /// The kind of a tax id.
    TaxIdKind {
        /// Value-added tax number (the EU's and many others; the country prefix may be given).
        Vat => "VAT",
        /// Goods and services tax number (India, Canada, Australia, New Zealand, …).
        Gst => "GST",
        /// United States Employer Identification Number.
        Ein => "EIN",
        /// Australian Business Number.
        Abn => "ABN",
        /// Any other tax or registration number.
        Other => "OTHER",
    }
);
