//! The billing addresses: one route for all of them, whose page shows the order list, or fetches
//! the order page, the invoice list and page, or the ageing as parts.

use super::ageing::AgeingPage;
use super::contract_form::{contract_form_part, ContractFormPart};
use super::contracts::{contract_view, ContractsPage};
use super::invoice::{invoice_part, InvoicePart};
use super::invoices::InvoicesPage;
use super::order::{order_part, OrderPart};
use super::orders::OrdersPage;
use super::payment::{payment_part, PaymentPart};
use super::payments::{payments_part, PaymentsPart};
use super::revenue::RevenuePage;
use super::statement::{statement_part, StatementPart};
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::hooks::{use_location, use_params_map};
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/orders`, `/orders/:id`, `/invoices`, `/invoices/:id`, `/ageing`
    BillingRoute, chunk = billing, load = load_billing, page = BillingPage
);
lazy_route!(
    /// `/revenue`
    RevenueRoute, chunk = revenue, load = load_revenue, page = RevenuePage
);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Orders,
    Order,
    Invoices,
    Invoice,
    Ageing,
    Contracts,
    Contract,
    Payments,
    Payment,
    Statement,
    ContractForm,
}

#[component]
fn BillingPage() -> impl IntoView {
    let location = use_location();
    let params = use_params_map();
    let shown = Memo::new(move |_| {
        let one = params.with(|p| p.get("id").is_some());
        location.pathname.with(|p| {
            if p.starts_with("/ageing") {
                Shown::Ageing
            } else if p.starts_with("/statement") {
                Shown::Statement
            } else if p.starts_with("/payments") {
                if one {
                    Shown::Payment
                } else {
                    Shown::Payments
                }
            } else if p.starts_with("/contracts") {
                if p == "/contracts/new" || p.ends_with("/edit") {
                    Shown::ContractForm
                } else if one {
                    Shown::Contract
                } else {
                    Shown::Contracts
                }
            } else if p.starts_with("/invoices") {
                if one {
                    Shown::Invoice
                } else {
                    Shown::Invoices
                }
            } else if one {
                Shown::Order
            } else {
                Shown::Orders
            }
        })
    });
    move || match shown.get() {
        Shown::Orders => view! { <OrdersPage /> }.into_any(),
        Shown::Order => order_part(OrderPart),
        Shown::Invoices => view! { <InvoicesPage /> }.into_any(),
        Shown::Invoice => invoice_part(InvoicePart),
        Shown::Ageing => view! { <AgeingPage /> }.into_any(),
        Shown::Contracts => view! { <ContractsPage /> }.into_any(),
        Shown::Contract => contract_view(),
        Shown::Payments => payments_part(PaymentsPart),
        Shown::Payment => payment_part(PaymentPart),
        Shown::Statement => statement_part(StatementPart),
        Shown::ContractForm => contract_form_part(ContractFormPart),
    }
}

/// `/orders`, `/orders/:id`, `/invoices`, `/invoices/:id`, `/ageing`, `/contracts`, `/contracts/:id`
/// (`new` for a new one), `/contracts/:id/edit`,
/// `/payments`, `/payments/:id`, `/statement/:id` (a customer's), `/revenue`.
#[component(transparent)]
pub fn BillingRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("orders") view={Lazy::<BillingRoute>::new()} />
        <Route path=path!("orders/:id") view={Lazy::<BillingRoute>::new()} />
        <Route path=path!("invoices") view={Lazy::<BillingRoute>::new()} />
        <Route path=path!("invoices/:id") view={Lazy::<BillingRoute>::new()} />
        <Route path=path!("ageing") view={Lazy::<BillingRoute>::new()} />
        <Route path=path!("contracts") view={Lazy::<BillingRoute>::new()} />
        <Route path=path!("contracts/:id") view={Lazy::<BillingRoute>::new()} />
        <Route path=path!("contracts/:id/edit") view={Lazy::<BillingRoute>::new()} />
        <Route path=path!("payments") view={Lazy::<BillingRoute>::new()} />
        <Route path=path!("payments/:id") view={Lazy::<BillingRoute>::new()} />
        <Route path=path!("statement/:id") view={Lazy::<BillingRoute>::new()} />
        <Route path=path!("revenue") view={Lazy::<RevenueRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
