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
    /// The kind of a relationship, read "from → to". Relationship types are a pick-list
    /// (`RELATIONSHIP_TYPE`); this names the four installed first, and `OTHER` for the others.
    RelationshipKind {
        /// A person is a contact of an organisation.
        ContactOf => "CONTACT_OF",
        /// A person works for an organisation.
        EmployeeOf => "EMPLOYEE_OF",
        /// A party is a partner of another.
        PartnerOf => "PARTNER_OF",
        /// An organisation is the parent of another.
        ParentOrganization => "PARENT_ORGANIZATION",
        /// A type an administrator added, or one installed later (supplier of, agent of, …):
        /// see `relationshipType`.
        Other => "OTHER",
    }
);

impl RelationshipKind {
    /// The kind of a stored type key (`contact_of` → `CONTACT_OF`; added types are `OTHER`).
    pub fn of_key(key: &str) -> Self {
        match Self::parse(&key.to_ascii_uppercase()) {
            Some(k) => k,
            None => RelationshipKind::Other,
        }
    }

    /// The type key of this kind; `None` for `OTHER`.
    pub fn key(self) -> Option<String> {
        (self != RelationshipKind::Other).then(|| self.as_str().to_ascii_lowercase())
    }
}

/// The keys of the relationship types the code knows by name, and which parties each may link.
pub mod relationship_type {
    use super::PartyKind;

    /// A person is a contact of an organisation.
    pub const CONTACT_OF: &str = "contact_of";
    /// A person works for an organisation.
    pub const EMPLOYEE_OF: &str = "employee_of";
    /// An organisation is the parent of another.
    pub const PARENT_ORGANIZATION: &str = "parent_organization";

    /// Which kinds of party may stand at each end of a type: `(from, to)`; `None` means either
    /// (every type an administrator adds).
    pub fn ends(key: &str) -> (Option<PartyKind>, Option<PartyKind>) {
        match key {
            CONTACT_OF | EMPLOYEE_OF => (Some(PartyKind::Person), Some(PartyKind::Organization)),
            PARENT_ORGANIZATION => (Some(PartyKind::Organization), Some(PartyKind::Organization)),
            _ => (None, None),
        }
    }

    /// How a type labelled `label` reads from one of its ends: "Contact of" from the `from`
    /// party, "Has contact" from the `to` party; a type an administrator added reads "Supplier
    /// of" outwards and "Supplier of (reverse)" inwards (as the profile shows them).
    pub fn reading(key: &str, label: &str, outgoing: bool) -> String {
        let known = match (key, outgoing) {
            (CONTACT_OF, false) => "Has contact",
            (EMPLOYEE_OF, false) => "Employer of",
            (PARENT_ORGANIZATION, false) => "Subsidiary of",
            ("partner_of", false) => "Partner of",
            _ => "",
        };
        match (known, outgoing) {
            ("", true) => label.to_owned(),
            ("", false) => format!("{label} (reverse)"),
            (k, _) => k.to_owned(),
        }
    }

    /// What a type with checked ends links, for its error message.
    pub fn ends_rule(key: &str) -> &'static str {
        match key {
            CONTACT_OF | EMPLOYEE_OF => "links a person (from) to an organisation (to)",
            _ => "links two organisations",
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
            relationship_type::ends(relationship_type::CONTACT_OF),
            (Some(PartyKind::Person), Some(PartyKind::Organization))
        );
        assert_eq!(relationship_type::ends("supplier_of"), (None, None));
        assert_eq!(
            RelationshipKind::of_key("contact_of"),
            RelationshipKind::ContactOf
        );
        assert_eq!(
            RelationshipKind::of_key("supplier_of"),
            RelationshipKind::Other
        );
        assert_eq!(
            RelationshipKind::ParentOrganization.key().as_deref(),
            Some("parent_organization")
        );
        assert_eq!(RelationshipKind::Other.key(), None);
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
