//! The form's text as typed, and how it becomes a create or update input.
//! Pure: no signals, no requests.

use crate::api::accounts::{Account, CreateAccountInput, Money, UpdateAccountInput};

/// What the account form holds, one string per input.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountDraft {
    /// Name.
    pub name: String,
    /// Code; blank on create lets the server generate one.
    pub code: String,
    /// Area.
    pub area: String,
    /// Industry.
    pub industry: String,
    /// Web site.
    pub website: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Annual revenue amount as typed; blank for none.
    pub revenue_amount: String,
    /// Annual revenue currency code.
    pub revenue_currency: String,
    /// Owner's user id; empty for no owner.
    pub owner_id: String,
}

fn text(value: Option<&String>) -> String {
    value.cloned().unwrap_or_default()
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

impl AccountDraft {
    /// The form filled with a saved account.
    pub fn from_account(account: &Account) -> Self {
        let revenue = account.annual_revenue.as_ref();
        Self {
            name: account.name.clone(),
            code: account.code.clone(),
            area: text(account.area.as_ref()),
            industry: text(account.industry.as_ref()),
            website: text(account.website.as_ref()),
            email: text(account.email.as_ref()),
            phone: text(account.phone.as_ref()),
            revenue_amount: revenue.map(|m| m.amount.clone()).unwrap_or_default(),
            revenue_currency: revenue.map(|m| m.currency.clone()).unwrap_or_default(),
            owner_id: account
                .owner
                .as_ref()
                .map(|o| o.id.clone())
                .unwrap_or_default(),
        }
    }

    /// The annual revenue typed, or `None` when the amount is blank. A blank
    /// currency is sent as is, for the server to report.
    fn revenue(&self) -> Option<Money> {
        non_blank(&self.revenue_amount).map(|amount| Money {
            amount: crate::format::amount_typed(&amount),
            currency: self.revenue_currency.trim().to_ascii_uppercase(),
        })
    }

    /// Input for `createAccount`: blank optional fields are left out. The
    /// revenue is sent only when `with_revenue` (the user may write it).
    pub fn create_input(&self, with_revenue: bool) -> CreateAccountInput {
        CreateAccountInput {
            name: self.name.trim().to_owned(),
            code: non_blank(&self.code),
            area: non_blank(&self.area),
            industry: non_blank(&self.industry),
            website: non_blank(&self.website),
            email: non_blank(&self.email),
            phone: non_blank(&self.phone),
            annual_revenue: if with_revenue { self.revenue() } else { None },
            owner_id: non_blank(&self.owner_id),
        }
    }

    /// Input for `updateAccount` carrying only what changed since `saved`, with
    /// the version the edit started from.
    pub fn update_input(&self, saved: &Account, with_revenue: bool) -> UpdateAccountInput {
        let saved_draft = AccountDraft::from_account(saved);
        let revenue = self.revenue();
        let revenue_changed = with_revenue && revenue != saved_draft.revenue();
        let owner = non_blank(&self.owner_id);
        UpdateAccountInput {
            id: saved.id.clone(),
            version: saved.version,
            name: changed(&self.name, Some(&saved.name)),
            code: changed(&self.code, Some(&saved.code)),
            area: changed(&self.area, saved.area.as_deref()),
            industry: changed(&self.industry, saved.industry.as_deref()),
            website: changed(&self.website, saved.website.as_deref()),
            email: changed(&self.email, saved.email.as_deref()),
            phone: changed(&self.phone, saved.phone.as_deref()),
            annual_revenue: revenue_changed.then_some(revenue),
            owner_id: (owner != non_blank(&saved_draft.owner_id)).then_some(owner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::auth::User;

    fn saved() -> Account {
        Account {
            id: "A1".into(),
            code: "ACC-1".into(),
            name: "Acme".into(),
            area: Some("North".into()),
            annual_revenue: Some(Money {
                amount: "1000.00".into(),
                currency: "EUR".into(),
            }),
            owner: Some(User {
                id: "U1".into(),
                ..User::default()
            }),
            version: 4,
            ..Account::default()
        }
    }

    #[test]
    fn create_leaves_out_blank_fields() {
        let draft = AccountDraft {
            name: "  Acme ".into(),
            phone: "   ".into(),
            revenue_amount: "12.50".into(),
            revenue_currency: "usd".into(),
            ..AccountDraft::default()
        };
        let input = draft.create_input(true);
        assert_eq!(input.name, "Acme");
        assert_eq!(input.code, None);
        assert_eq!(input.phone, None);
        assert_eq!(input.owner_id, None);
        assert_eq!(
            input.annual_revenue,
            Some(Money {
                amount: "12.50".into(),
                currency: "USD".into()
            })
        );
        assert_eq!(draft.create_input(false).annual_revenue, None);
    }

    #[test]
    fn an_untouched_form_sends_nothing() {
        let account = saved();
        let input = AccountDraft::from_account(&account).update_input(&account, true);
        assert!(input.is_noop());
        assert_eq!(input.version, 4);
    }

    #[test]
    fn update_sends_changes_and_clears() {
        let account = saved();
        let mut draft = AccountDraft::from_account(&account);
        draft.name = "Acme Ltd".into();
        draft.area = String::new();
        draft.industry = "Retail".into();
        draft.owner_id = String::new();
        draft.revenue_amount = String::new();
        let input = draft.update_input(&account, true);
        assert_eq!(input.name.as_deref(), Some("Acme Ltd"));
        assert_eq!(input.area.as_deref(), Some(""));
        assert_eq!(input.industry.as_deref(), Some("Retail"));
        assert_eq!(input.code, None);
        assert_eq!(input.owner_id, Some(None));
        assert_eq!(input.annual_revenue, Some(None));
        // Without write access the revenue is never sent.
        assert_eq!(draft.update_input(&account, false).annual_revenue, None);
    }
}
