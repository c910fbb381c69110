//! The person and organisation forms' text as typed, and how it becomes a
//! create or update input. Pure: no signals, no requests.

use crate::api::parties::{
    ContactMechanismInput, ContactPurpose, CreatePartyInput, CustomerType, MechanismKind, Party,
    PartyKind, PartyRole, PaymentPreference, UpdatePartyInput,
};

/// What the form holds. Text fields of the other kind stay empty and unused.
#[derive(Clone, Debug, PartialEq)]
pub struct PartyDraft {
    /// Person or organisation.
    pub kind: PartyKind,
    /// Person: fore name.
    pub fore_name: String,
    /// Person: middle initial.
    pub middle_initial: String,
    /// Person: surname.
    pub surname: String,
    /// Organisation: name.
    pub name: String,
    /// Code; blank on create lets the server generate one.
    pub code: String,
    /// Area.
    pub area: String,
    /// Organisation: industry.
    pub industry: String,
    /// Organisation: web site.
    pub website: String,
    /// Owner's user id; empty for none.
    pub owner_id: String,
    /// Roles ticked, in schema order.
    pub roles: Vec<PartyRole>,
    /// Keys of the roles administrators added that are ticked, sorted.
    pub other_roles: Vec<String>,
    /// Customer type chosen (used while CUSTOMER is ticked).
    pub customer_type: Option<CustomerType>,
    /// Person: payment preference (used for B2C customers).
    pub payment_preference: Option<PaymentPreference>,
    /// Preferred currency, an ISO 4217 code.
    pub preferred_currency: String,
    /// First e-mail, on create.
    pub email: String,
    /// First phone, on create.
    pub phone: String,
}

/// `Some(trimmed)` unless blank.
fn non_blank(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// `Some(trimmed new value)` when it differs from the saved one (an empty
/// string clears the field), `None` when unchanged.
fn changed(draft: &str, saved: Option<&str>) -> Option<String> {
    let draft = draft.trim();
    (draft != saved.unwrap_or_default()).then(|| draft.to_owned())
}

fn text(value: Option<&String>) -> String {
    value.cloned().unwrap_or_default()
}

/// The customer type a new customer of `kind` starts with.
pub fn default_customer_type(kind: PartyKind) -> CustomerType {
    match kind {
        PartyKind::Person => CustomerType::B2c,
        PartyKind::Organization => CustomerType::B2b,
    }
}

/// `roles` in schema order, each once.
fn in_schema_order(roles: &[PartyRole]) -> Vec<PartyRole> {
    PartyRole::ALL
        .iter()
        .copied()
        .filter(|r| roles.contains(r))
        .collect()
}

/// `roles` with `role` ticked or unticked, in schema order.
pub fn toggle_role(roles: &[PartyRole], role: PartyRole, on: bool) -> Vec<PartyRole> {
    PartyRole::ALL
        .iter()
        .copied()
        .filter(|r| if *r == role { on } else { roles.contains(r) })
        .collect()
}

/// `keys` with `key` ticked or unticked, sorted.
pub fn toggle_key(keys: &[String], key: &str, on: bool) -> Vec<String> {
    let mut out: Vec<String> = keys.iter().filter(|k| *k != key).cloned().collect();
    if on {
        out.push(key.to_owned());
    }
    out.sort();
    out
}

/// Where the messages about a create's contact mechanisms go, given the form
/// fields they were made from, in order: `contactMechanisms.1` (and the paths
/// under it) → `phone` when the second one is the phone.
pub fn mechanism_fields(fields: &[&'static str]) -> Vec<(String, &'static str)> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| (format!("contactMechanisms.{i}"), *f))
        .collect()
}

impl PartyDraft {
    /// An empty form for a new party of `kind`, with the role it usually has.
    pub fn new(kind: PartyKind) -> Self {
        let role = match kind {
            PartyKind::Person => PartyRole::Contact,
            PartyKind::Organization => PartyRole::Account,
        };
        Self {
            kind,
            fore_name: String::new(),
            middle_initial: String::new(),
            surname: String::new(),
            name: String::new(),
            code: String::new(),
            area: String::new(),
            industry: String::new(),
            website: String::new(),
            owner_id: String::new(),
            roles: vec![role],
            other_roles: Vec::new(),
            customer_type: None,
            payment_preference: None,
            preferred_currency: String::new(),
            email: String::new(),
            phone: String::new(),
        }
    }

    /// The form filled with a saved party.
    pub fn from_party(party: &Party) -> Self {
        Self {
            kind: party.kind,
            fore_name: text(party.fore_name.as_ref()),
            middle_initial: text(party.middle_initial.as_ref()),
            surname: text(party.surname.as_ref()),
            name: text(party.name.as_ref()),
            code: party.code.clone(),
            area: text(party.area.as_ref()),
            industry: text(party.industry.as_ref()),
            website: text(party.website.as_ref()),
            owner_id: party
                .owner
                .as_ref()
                .map(|o| o.id.clone())
                .unwrap_or_default(),
            roles: in_schema_order(&party.roles),
            other_roles: {
                let mut keys: Vec<String> =
                    party.other_roles.iter().map(|(k, _)| k.clone()).collect();
                keys.sort();
                keys
            },
            customer_type: party.customer_type,
            payment_preference: party.payment_preference,
            preferred_currency: text(party.preferred_currency.as_ref()),
            email: String::new(),
            phone: String::new(),
        }
    }

    /// Every role ticked by its `PARTY_ROLE` key (`account`, `vendor`).
    fn role_keys(&self) -> Vec<String> {
        self.roles
            .iter()
            .map(|r| r.as_str().to_ascii_lowercase())
            .chain(self.other_roles.iter().cloned())
            .collect()
    }

    /// CUSTOMER is ticked.
    pub fn is_customer(&self) -> bool {
        self.roles.contains(&PartyRole::Customer)
    }

    /// The customer type that goes with the form: only for customers.
    fn effective_customer_type(&self) -> Option<CustomerType> {
        self.is_customer().then(|| {
            self.customer_type
                .unwrap_or(default_customer_type(self.kind))
        })
    }

    /// The payment preference applies: a person who is a B2C customer.
    pub fn takes_payment_preference(&self) -> bool {
        self.kind == PartyKind::Person && self.effective_customer_type() == Some(CustomerType::B2c)
    }

    /// Input for `createPerson` / `createOrganization`, and the form field each
    /// contact mechanism came from (for placing validation messages).
    pub fn create_input(&self) -> (CreatePartyInput, Vec<&'static str>) {
        let mut mechanisms = Vec::new();
        let mut fields = Vec::new();
        for (field, kind, value) in [
            ("email", MechanismKind::Email, &self.email),
            ("phone", MechanismKind::Phone, &self.phone),
        ] {
            if let Some(value) = non_blank(value) {
                mechanisms.push(ContactMechanismInput {
                    kind,
                    value: Some(value),
                    purposes: vec![ContactPurpose::Primary],
                    ..ContactMechanismInput::default()
                });
                fields.push(field);
            }
        }
        let person = self.kind == PartyKind::Person;
        let organization = !person;
        let input = CreatePartyInput {
            // Required fields are sent even when blank, for the server to report.
            fore_name: person.then(|| self.fore_name.trim().to_owned()),
            middle_initial: non_blank(&self.middle_initial).filter(|_| person),
            surname: person.then(|| self.surname.trim().to_owned()),
            name: organization.then(|| self.name.trim().to_owned()),
            code: non_blank(&self.code),
            area: non_blank(&self.area),
            industry: non_blank(&self.industry).filter(|_| organization),
            website: non_blank(&self.website).filter(|_| organization),
            owner_id: non_blank(&self.owner_id),
            roles: self.roles.clone(),
            role_keys: (!self.other_roles.is_empty()).then(|| self.role_keys()),
            customer_type: self.effective_customer_type(),
            payment_preference: self
                .payment_preference
                .filter(|_| self.takes_payment_preference()),
            preferred_currency: non_blank(&self.preferred_currency),
            contact_mechanisms: mechanisms,
        };
        (input, fields)
    }

    /// Input for `updatePerson` / `updateOrganization` carrying only what
    /// changed since `saved`, with the version the edit started from.
    pub fn update_input(&self, saved: &Party) -> UpdatePartyInput {
        let before = PartyDraft::from_party(saved);
        let person = self.kind == PartyKind::Person;
        let organization = !person;
        let customer_type = self.effective_customer_type();
        let payment = self
            .payment_preference
            .filter(|_| self.takes_payment_preference());
        let owner = non_blank(&self.owner_id);
        UpdatePartyInput {
            id: saved.id.clone(),
            version: saved.version,
            fore_name: changed(&self.fore_name, saved.fore_name.as_deref()).filter(|_| person),
            middle_initial: changed(&self.middle_initial, saved.middle_initial.as_deref())
                .filter(|_| person),
            surname: changed(&self.surname, saved.surname.as_deref()).filter(|_| person),
            name: changed(&self.name, saved.name.as_deref()).filter(|_| organization),
            code: changed(&self.code, Some(&saved.code)),
            area: changed(&self.area, saved.area.as_deref()),
            industry: changed(&self.industry, saved.industry.as_deref()).filter(|_| organization),
            website: changed(&self.website, saved.website.as_deref()).filter(|_| organization),
            owner_id: (owner != non_blank(&before.owner_id)).then_some(owner),
            // Added roles changed: every role by key; else the known ones, when changed.
            roles: (self.roles != before.roles && self.other_roles == before.other_roles)
                .then(|| self.roles.clone()),
            role_keys: (self.other_roles != before.other_roles).then(|| self.role_keys()),
            customer_type: customer_type.filter(|t| saved.customer_type != Some(*t)),
            payment_preference: (self.takes_payment_preference()
                && payment != saved.payment_preference)
                .then_some(payment),
            preferred_currency: changed(
                &self.preferred_currency,
                saved.preferred_currency.as_deref(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::auth::User;

    fn saved_person() -> Party {
        Party {
            id: "P1".into(),
            code: "C-1".into(),
            kind: PartyKind::Person,
            display_name: "Ada Lovelace".into(),
            fore_name: Some("Ada".into()),
            surname: Some("Lovelace".into()),
            area: Some("North".into()),
            owner: Some(User {
                id: "U1".into(),
                ..User::default()
            }),
            roles: vec![PartyRole::Contact],
            version: 3,
            ..Party::default()
        }
    }

    #[test]
    fn new_forms_start_with_the_usual_role() {
        assert_eq!(
            PartyDraft::new(PartyKind::Person).roles,
            [PartyRole::Contact]
        );
        assert_eq!(
            PartyDraft::new(PartyKind::Organization).roles,
            [PartyRole::Account]
        );
    }

    #[test]
    fn roles_stay_in_schema_order() {
        let roles = toggle_role(&[PartyRole::Customer], PartyRole::Account, true);
        assert_eq!(roles, [PartyRole::Account, PartyRole::Customer]);
        assert_eq!(
            toggle_role(&roles, PartyRole::Customer, false),
            [PartyRole::Account]
        );
    }

    #[test]
    fn create_a_b2c_customer_with_contact_details() {
        let mut draft = PartyDraft::new(PartyKind::Person);
        draft.fore_name = " Ada ".into();
        draft.surname = "Lovelace".into();
        draft.roles = toggle_role(&draft.roles, PartyRole::Customer, true);
        draft.payment_preference = Some(PaymentPreference::Card);
        draft.phone = "+44 20 7946 0000".into();
        let (input, fields) = draft.create_input();
        assert_eq!(input.fore_name.as_deref(), Some("Ada"));
        assert_eq!(input.name, None);
        assert_eq!(input.code, None);
        assert_eq!(input.customer_type, Some(CustomerType::B2c));
        assert_eq!(input.payment_preference, Some(PaymentPreference::Card));
        assert_eq!(input.contact_mechanisms.len(), 1);
        assert_eq!(input.contact_mechanisms[0].kind, MechanismKind::Phone);
        assert_eq!(fields, ["phone"]);
        assert_eq!(
            mechanism_fields(&fields),
            [("contactMechanisms.0".to_owned(), "phone")]
        );
    }

    #[test]
    fn b2b_customers_and_non_customers_send_no_payment_preference() {
        let mut draft = PartyDraft::new(PartyKind::Organization);
        draft.name = "Acme".into();
        draft.payment_preference = Some(PaymentPreference::Card);
        let (input, _) = draft.create_input();
        assert_eq!(input.customer_type, None);
        assert_eq!(input.payment_preference, None);
        draft.roles = toggle_role(&draft.roles, PartyRole::Customer, true);
        let (input, _) = draft.create_input();
        assert_eq!(input.customer_type, Some(CustomerType::B2b));
        assert_eq!(input.payment_preference, None);
        assert_eq!(input.fore_name, None);
    }

    #[test]
    fn an_untouched_form_sends_nothing() {
        let party = saved_person();
        let input = PartyDraft::from_party(&party).update_input(&party);
        assert!(input.is_noop(), "{input:?}");
        assert_eq!(input.version, 3);
    }

    #[test]
    fn update_sends_only_changes() {
        let party = saved_person();
        let mut draft = PartyDraft::from_party(&party);
        draft.surname = "King".into();
        draft.area = String::new();
        draft.owner_id = String::new();
        draft.roles = toggle_role(&draft.roles, PartyRole::Customer, true);
        draft.customer_type = Some(CustomerType::B2c);
        draft.payment_preference = Some(PaymentPreference::Invoice);
        let input = draft.update_input(&party);
        assert_eq!(input.surname.as_deref(), Some("King"));
        assert_eq!(input.fore_name, None);
        assert_eq!(input.area.as_deref(), Some(""));
        assert_eq!(input.owner_id, Some(None));
        assert_eq!(
            input.roles,
            Some(vec![PartyRole::Contact, PartyRole::Customer])
        );
        assert_eq!(input.customer_type, Some(CustomerType::B2c));
        assert_eq!(
            input.payment_preference,
            Some(Some(PaymentPreference::Invoice))
        );
        assert_eq!(input.name, None);
        assert_eq!(input.role_keys, None);
    }

    #[test]
    fn added_roles_are_sent_by_key_with_every_other_role() {
        let mut party = saved_person();
        party.other_roles = vec![("agent".into(), "Agent".into())];
        let mut draft = PartyDraft::from_party(&party);
        assert_eq!(draft.other_roles, ["agent"]);
        assert!(draft.update_input(&party).is_noop());
        draft.other_roles = toggle_key(&draft.other_roles, "vendor", true);
        let input = draft.update_input(&party);
        assert_eq!(input.roles, None);
        assert_eq!(
            input.role_keys,
            Some(vec!["contact".into(), "agent".into(), "vendor".into()])
        );
        draft.other_roles = toggle_key(&draft.other_roles, "agent", false);
        assert_eq!(draft.other_roles, ["vendor"]);
        let mut new = PartyDraft::new(PartyKind::Organization);
        new.name = "Northwind".into();
        assert_eq!(new.create_input().0.role_keys, None);
        new.other_roles = vec!["vendor".into()];
        assert_eq!(
            new.create_input().0.role_keys,
            Some(vec!["account".into(), "vendor".into()])
        );
    }
}
