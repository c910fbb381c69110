//! Relay global ids and the `node(id:)` entry point.
//!
//! A global id is `base64url("<Type>:<uuid>")`, opaque to clients.

use async_graphql::{Context, Interface, Object, ID};
use base64::Engine;
use uuid::Uuid;

use crate::auth::RequestCtx;
use crate::domain::accounts::graphql::Account;
use crate::domain::activities::graphql::Activity;
use crate::domain::leads::graphql::{AssignmentRule, ContactList, Lead, WebForm};
use crate::domain::opportunities::graphql::Opportunity;
use crate::domain::parties::graphql::{Organization, Person};
use crate::domain::users::graphql::User;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Encodes a global id.
pub fn to_global_id(type_name: &str, id: Uuid) -> ID {
    ID(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}")))
}

/// Decodes a global id into its type name and uuid; `None` when it is not one of ours.
pub fn parse_global_id(id: &str) -> Option<(String, Uuid)> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id.trim_end_matches('='))
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (ty, uuid) = text.split_once(':')?;
    Some((ty.to_string(), Uuid::parse_str(uuid).ok()?))
}

/// Decodes a global id that must name a `type_name`, or fails with `BAD_USER_INPUT` on `field`.
pub fn expect_global_id(id: &ID, type_name: &str, field: &str) -> AppResult<Uuid> {
    match parse_global_id(id) {
        Some((ty, uuid)) if ty == type_name => Ok(uuid),
        _ => Err(AppError::bad_input(
            field,
            format!("is not a valid {type_name} id"),
        )),
    }
}

/// Decodes an optional `ownerId`-style user id (`BAD_USER_INPUT` on `field` when it is not one).
pub fn optional_user_id(id: Option<ID>, field: &str) -> AppResult<Option<Uuid>> {
    id.map(|i| expect_global_id(&i, "User", field)).transpose()
}

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
}

/// The `node` query.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global id; `null` when it does not exist or is not visible to you.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Node>> {
        let state = ctx.data::<AppState>()?;
        let req = ctx.data::<RequestCtx>()?;
        req.actor()?;
        let Some((ty, uuid)) = parse_global_id(&id) else {
            return Ok(None);
        };
        Ok(match ty.as_str() {
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
            "User" => crate::domain::users::service::get(&state.db, req, uuid)
                .await?
                .map(|m| Node::User(User(m))),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_round_trip_and_reject_garbage() {
        let u = Uuid::new_v4();
        let id = to_global_id("Account", u);
        assert_eq!(parse_global_id(&id), Some(("Account".to_string(), u)));
        assert_eq!(parse_global_id("not base64!"), None);
        assert_eq!(
            parse_global_id(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("Account:nope")
            ),
            None
        );
    }
}
