//! The app's pages as the navigation shows them: grouped (daily work first, then Sales,
//! Billing, Marketing, Reports, Settings), each with the grant that opens it. The same table
//! guards direct addresses: the shell shows [`NotAllowed`] instead of a page the caller's grants
//! do not open, before the page loads anything.

use crate::api::auth::Me;
use crate::components::session::set_title;
use leptos::prelude::*;

/// What opening a page needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Every signed-in user.
    Nothing,
    /// The grant `(object, action)`.
    Grant(&'static str, &'static str),
}

impl Need {
    /// Does `me` have what this needs?
    pub fn met_by(self, me: &Me) -> bool {
        match self {
            Need::Nothing => true,
            Need::Grant(object, action) => me.can(object, action),
        }
    }
}

/// One page: its address (also the prefix of its sub-pages), its label and its need.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub href: &'static str,
    pub label: &'static str,
    pub need: Need,
}

/// A group of the navigation; `label` is `None` for the pages shown on their own.
#[derive(Clone, Copy, Debug)]
pub struct Group {
    pub id: &'static str,
    pub label: Option<&'static str>,
    pub pages: &'static [Page],
}

const fn page(href: &'static str, label: &'static str, need: Need) -> Page {
    Page { href, label, need }
}

const fn read(object: &'static str) -> Need {
    Need::Grant(object, "read")
}

/// The navigation, in order.
pub const NAV: &[Group] = &[
    Group {
        id: "daily",
        label: None,
        pages: &[
            page("/home", "Home", Need::Nothing),
            page("/tasks", "Tasks", read("activity")),
            page("/calendar", "Calendar", read("activity")),
        ],
    },
    Group {
        id: "sales",
        label: Some("Sales"),
        pages: &[
            page("/contacts", "Contacts", Need::Nothing),
            page("/accounts", "Accounts", read("account")),
            page("/customers", "Customers", Need::Nothing),
            page("/leads", "Leads", read("lead")),
            page("/pipeline", "Pipeline", read("opportunity")),
            page("/enquiries", "Enquiries", read("enquiry")),
            page("/quotes", "Quotes", read("quote")),
            page("/products", "Products", read("product")),
            page("/price-lists", "Price lists", read("price_list")),
        ],
    },
    Group {
        id: "billing",
        label: Some("Billing"),
        pages: &[
            page("/orders", "Orders", read("order")),
            page("/contracts", "Contracts", read("contract")),
            page("/invoices", "Invoices", read("invoice")),
            page("/payments", "Payments", read("payment")),
            page("/ageing", "Ageing", read("invoice")),
        ],
    },
    Group {
        id: "marketing",
        label: Some("Marketing"),
        pages: &[
            page("/lists", "Lists", read("contact_list")),
            page("/web-forms", "Web forms", read("web_form")),
        ],
    },
    Group {
        id: "reports",
        label: Some("Reports"),
        pages: &[
            page("/forecast", "Forecast", read("forecast")),
            page("/reports", "Pipeline reports", read("opportunity")),
            page("/revenue", "Revenue", read("invoice")),
        ],
    },
    Group {
        id: "settings",
        label: Some("Settings"),
        pages: &[
            page("/settings/users", "Users", Need::Grant("user", "update")),
            page("/settings/teams", "Teams", Need::Grant("team", "update")),
            page("/settings/roles", "Roles & permissions", read("role")),
            page(
                "/settings/custom-fields",
                "Custom fields",
                Need::Grant("custom_field", "update"),
            ),
            page(
                "/settings/picklists",
                "Pick-lists",
                Need::Grant("picklist", "update"),
            ),
            page(
                "/settings/lead-mapping",
                "Lead mapping",
                read("lead_mapping"),
            ),
            page(
                "/settings/assignment-rules",
                "Assignment rules",
                read("assignment_rule"),
            ),
            page(
                "/deletion-requests",
                "Deletion requests",
                Need::Grant("party", "approve_deletion"),
            ),
            page("/audit", "Audit trail", read("audit")),
        ],
    },
];

/// Is `path` the page `href` or one of its sub-pages?
fn under(path: &str, href: &str) -> bool {
    path.strip_prefix(href)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// What opening `path` needs: the need of the navigation page it falls under, or nothing for a
/// page the navigation does not list (record pages guard themselves through the API).
pub fn need_of(path: &str) -> Need {
    NAV.iter()
        .flat_map(|g| g.pages)
        .find(|p| under(path, p.href))
        .map_or(Need::Nothing, |p| p.need)
}

/// The pages of `group` that `me` may open.
pub fn visible(group: &Group, me: &Me) -> Vec<Page> {
    group
        .pages
        .iter()
        .filter(|p| p.need.met_by(me))
        .copied()
        .collect()
}

/// Shown in place of a page the caller's grants do not open.
#[component]
pub fn NotAllowed() -> impl IntoView {
    set_title("Not allowed");
    view! {
        <div class="card narrow" id="not-allowed" role="alert">
            <h1>"Not allowed"</h1>
            <p>
                "Your role does not give access to this page. "
                "If you need it, ask an administrator to change your role."
            </p>
            <a class="btn btn-primary" href="/home">"Go home"</a>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sub_page_needs_what_its_page_needs() {
        assert_eq!(need_of("/audit"), read("audit"));
        assert_eq!(need_of("/orders/0b1c"), read("order"));
        assert_eq!(need_of("/settings/lead-mapping"), read("lead_mapping"));
        // A prefix of a word is not a sub-page.
        assert_eq!(need_of("/auditors"), Need::Nothing);
        assert_eq!(need_of("/parties/1"), Need::Nothing);
    }

    #[test]
    fn every_page_is_listed_once() {
        let mut hrefs: Vec<_> = NAV.iter().flat_map(|g| g.pages).map(|p| p.href).collect();
        let n = hrefs.len();
        hrefs.sort_unstable();
        hrefs.dedup();
        assert_eq!(hrefs.len(), n);
    }
}
