//! The `node(id:)` entry point over every domain's objects (global ids: `kit::ids`).

use crate::auth::RequestCtx;
use crate::domain::accounts::graphql::Account;
use crate::domain::activities::graphql::Activity;
use crate::domain::billing::graphql::{Contract, Invoice, Order, Payment};
use crate::domain::documents::graphql::{Enquiry, PriceList, Product, Quote};
use crate::domain::leads::graphql::{AssignmentRule, ContactList, Lead, WebForm};
use crate::domain::opportunities::graphql::Opportunity;
use crate::domain::parties::graphql::{Organization, Person};
use crate::domain::users::graphql::User;
use crate::error::AppResult;
use crate::kit::ids::parse_global_id;
use crate::state::AppState;
use async_graphql::{Context, Interface, Object, ID};

/// Anything fetchable by global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
#[allow(clippy::large_enum_variant)] // built once per `node` call; boxing buys nothing
pub enum Node {
    Account(Account),
    User(User),
    Person(Person),
    Organization(Organization),
    Opportunity(Opportunity),
    Activity(Activity),
    Lead(Lead),
    ContactList(ContactList),
    WebForm(WebForm),
    AssignmentRule(AssignmentRule),
    Product(Product),
    PriceList(PriceList),
    Quote(Quote),
    Enquiry(Enquiry),
    Order(Order),
    Invoice(Invoice),
    Payment(Payment),
    Contract(Contract),
}

/// The `node` query.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global id; `null` when it does not exist or is not visible to you.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Node>> {
        let state = crate::kit::resolve::state(ctx)?;
        let req = crate::kit::resolve::caller(ctx)?;
        req.actor()?;
        let Some((ty, uuid)) = parse_global_id(&id) else {
            return Ok(None);
        };
        load(state, req, &ty, uuid).await
    }
}

/// The grant object of a node type (`Person` and `Organization` are both `party`), for the types
/// whose records a role reaches.
pub fn object_of(type_name: &str) -> Option<&'static str> {
    Some(match type_name {
        "Account" => "account",
        "Person" | "Organization" => "party",
        "Opportunity" => "opportunity",
        "Activity" => "activity",
        "Lead" => "lead",
        "ContactList" => "contact_list",
        "WebForm" => "web_form",
        "AssignmentRule" => "assignment_rule",
        "Product" => "product",
        "PriceList" => "price_list",
        "Quote" => "quote",
        "Enquiry" => "enquiry",
        "Order" => "order",
        "Invoice" => "invoice",
        "Payment" => "payment",
        "Contract" => "contract",
        "User" => "user",
        _ => return None,
    })
}

/// Reads the record `(ty, uuid)` through its domain's read path, as `req` may see it.
pub async fn load(
    state: &AppState,
    req: &RequestCtx,
    ty: &str,
    uuid: uuid::Uuid,
) -> AppResult<Option<Node>> {
    Ok(match ty {
        "Account" => crate::domain::accounts::service::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::Account(Account(m))),
        "Person" | "Organization" => crate::domain::parties::service::get(&state.db, req, uuid)
            .await?
            .filter(|m| (m.kind == "PERSON") == (ty == "Person"))
            .map(|m| {
                if ty == "Person" {
                    Node::Person(Person(m))
                } else {
                    Node::Organization(Organization(m))
                }
            }),
        "Opportunity" => crate::domain::opportunities::service::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::Opportunity(Opportunity(m))),
        "Activity" => crate::domain::activities::service::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::Activity(Activity(m))),
        "Lead" => crate::domain::leads::service::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::Lead(Lead(m))),
        "ContactList" => crate::domain::leads::lists::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::ContactList(ContactList(m))),
        "WebForm" => crate::domain::leads::forms::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::WebForm(WebForm(m))),
        "AssignmentRule" => crate::domain::leads::assignment::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::AssignmentRule(AssignmentRule(m))),
        "Product" => crate::domain::documents::products::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::Product(Product(m))),
        "PriceList" => crate::domain::documents::prices::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::PriceList(PriceList(m))),
        "Quote" => crate::domain::documents::quotes::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::Quote(Quote(m))),
        "Enquiry" => crate::domain::documents::enquiries::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::Enquiry(Enquiry(m))),
        "Order" => crate::domain::billing::orders::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::Order(Order(m))),
        "Invoice" => crate::domain::billing::invoices::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::Invoice(Invoice(m))),
        "Payment" => crate::domain::billing::payments::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::Payment(Payment(m))),
        "Contract" => crate::domain::billing::contracts::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::Contract(Contract(m))),
        "User" => crate::domain::users::service::get(&state.db, req, uuid)
            .await?
            .map(|m| Node::User(User(m))),
        _ => None,
    })
}
