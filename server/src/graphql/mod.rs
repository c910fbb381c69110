//! The GraphQL schema: one root per operation type, composed per domain (the table of contents),
//! with depth and complexity limits, the `node` entry point, and the per-request data every
//! resolver finds. It sits above every domain; the domains build on `crate::kit`, never on this.

pub mod limits;
pub mod relay;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{MergedObject, MergedSubscription, Schema, SchemaBuilder};

use crate::auth::RequestCtx;
use crate::domain::accounts::graphql::{AccountMutation, AccountQuery, AccountSubscription};
use crate::domain::activities::graphql::{ActivityMutation, ActivityQuery, ActivitySubscription};
use crate::domain::audit::AuditQuery;
use crate::domain::billing::graphql::{
    BillingMutation, BillingQuery, ContractMutation, ContractQuery,
};
use crate::domain::custom_fields::graphql::{
    CustomFieldMutation, CustomFieldQuery, CustomValueLoader, DefinitionsCell,
};
use crate::domain::documents::graphql::{
    DocumentMutation, DocumentQuery, EnquiryMutation, EnquiryQuery,
};
use crate::domain::forecasts::graphql::{ForecastMutation, ForecastQuery};
use crate::domain::leads::graphql::{LeadMutation, LeadQuery};
use crate::domain::leads::loaders::{
    ContactListLoader, FormNameLoader, LeadLoader, ListsOfLoader, MemberCountLoader, RuleLoader,
    SubmissionCountLoader,
};
use crate::domain::opportunities::graphql::{
    OpportunityMutation, OpportunityQuery, OpportunitySubscription,
};
use crate::domain::opportunities::loaders::{
    AccountLoader, CatalogCell, OpportunityContactsLoader,
};
use crate::domain::parties::lifecycle_ops::{PartyLifecycleMutation, PartyLifecycleQuery};
use crate::domain::parties::loaders::{
    ExternalIdsLoader, MechanismsLoader, PartyLoader, PartyRolesLoader, TaxIdsLoader,
};
use crate::domain::parties::operations::{PartyMutation, PartyQuery};
use crate::domain::picklists::graphql::{PicklistCell, PicklistMutation, PicklistQuery};
use crate::domain::roles::graphql::{RoleMutation, RoleQuery};
use crate::domain::timeline::graphql::TimelineQuery;
use crate::domain::users::graphql::{AuthMutation, UserMutation, UserQuery};
use crate::domain::users::loaders::{InvitationLoader, RoleLoader, UserLoader};
use crate::domain::users::team_admin::TeamMutation;
use crate::domain::users::teams::TeamQuery;
use crate::domain::views::{ViewMutation, ViewQuery};
use crate::kit::paging::{Loaded, RequestCache};
use crate::state::AppState;

/// Deepest selection accepted.
pub const MAX_DEPTH: usize = 12;
/// Largest query complexity accepted (one per field; lists count their page size).
pub const MAX_COMPLEXITY: usize = 5_000;

/// Every query.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    UserQuery,
    RoleQuery,
    TeamQuery,
    AccountQuery,
    PartyQuery,
    PartyLifecycleQuery,
    OpportunityQuery,
    ActivityQuery,
    TimelineQuery,
    AuditQuery,
    LeadQuery,
    ForecastQuery,
    DocumentQuery,
    EnquiryQuery,
    BillingQuery,
    ContractQuery,
    ViewQuery,
    CustomFieldQuery,
    PicklistQuery,
    relay::NodeQuery,
);

/// Every mutation.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    AuthMutation,
    UserMutation,
    RoleMutation,
    TeamMutation,
    AccountMutation,
    PartyMutation,
    PartyLifecycleMutation,
    OpportunityMutation,
    ActivityMutation,
    LeadMutation,
    ForecastMutation,
    DocumentMutation,
    EnquiryMutation,
    BillingMutation,
    ContractMutation,
    ViewMutation,
    CustomFieldMutation,
    PicklistMutation,
);

/// Every subscription.
#[derive(MergedSubscription, Default)]
pub struct SubscriptionRoot(
    AccountSubscription,
    OpportunitySubscription,
    ActivitySubscription,
);

/// The CRM's schema.
pub type CrmSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Deepest selection accepted in a query of introspection fields only (the standard introspection
/// query of GraphiQL, graphql-js, graphql-core and codegen tools nests `ofType` about 14 deep).
pub const MAX_INTROSPECTION_DEPTH: usize = 24;

/// The schema without runtime data: enough to print the SDL.
pub fn schema_builder() -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(32)
    .limit_directives(20)
    .extension(limits::RequestLimits)
}

/// The schema with the application state attached, as signed-in callers see it.
pub fn build_schema(state: &AppState) -> CrmSchema {
    schema_builder().data(state.clone()).finish()
}

/// The schemas a request runs on: the same types, with what differs by caller.
#[derive(Clone)]
pub struct Schemas {
    /// Signed-in callers: introspection, and "did you mean …?" in validation errors.
    pub signed_in: CrmSchema,
    /// Anonymous callers: no suggestions, and introspection only where configured
    /// (`CRM_GRAPHIQL`).
    pub anonymous: CrmSchema,
    /// A query of introspection fields only, which nests deeper than any other query: a deeper
    /// depth limit, and nothing but introspection resolves.
    pub introspection: CrmSchema,
    /// Anonymous callers may introspect (`CRM_GRAPHIQL`).
    pub anonymous_introspection: bool,
}

impl Schemas {
    pub fn new(state: &AppState) -> Self {
        let mut anonymous = schema_builder().data(state.clone()).disable_suggestions();
        if !state.config.graphiql {
            anonymous = anonymous.disable_introspection();
        }
        Self {
            signed_in: build_schema(state),
            anonymous: anonymous.finish(),
            introspection: schema_builder()
                .data(state.clone())
                .limit_depth(MAX_INTROSPECTION_DEPTH)
                .introspection_only()
                .finish(),
            anonymous_introspection: state.config.graphiql,
        }
    }

    /// The schema for `request` from a caller signed in or not.
    pub fn pick(&self, signed_in: bool, request: &async_graphql::Request) -> &CrmSchema {
        if (signed_in || self.anonymous_introspection) && introspection_only(&request.query) {
            &self.introspection
        } else if signed_in {
            &self.signed_in
        } else {
            &self.anonymous
        }
    }
}

/// Whether every operation of `query` asks for introspection fields only (`__schema`, `__type`,
/// `__typename`), through fragments too. Documents that cannot be parsed are not.
pub fn introspection_only(query: &str) -> bool {
    use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
    fn only(doc: &ExecutableDocument, set: &SelectionSet, nesting: usize) -> bool {
        nesting < 8
            && set.items.iter().all(|item| match &item.node {
                Selection::Field(f) => f.node.name.node.starts_with("__"),
                Selection::InlineFragment(f) => only(doc, &f.node.selection_set.node, nesting + 1),
                Selection::FragmentSpread(s) => doc
                    .fragments
                    .get(&s.node.fragment_name.node)
                    .is_some_and(|f| only(doc, &f.node.selection_set.node, nesting + 1)),
            })
    }
    // Cheap first: most requests never name an introspection field.
    if !query.contains("__schema") && !query.contains("__type") {
        return false;
    }
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    doc.operations.iter().all(|(_, op)| {
        op.node.ty == async_graphql::parser::types::OperationType::Query
            && only(&doc, &op.node.selection_set.node, 0)
    })
}

/// The data of one HTTP request: its context and its DataLoaders (one per relation, never shared
/// between requests, so batches never mix callers).
pub fn request_data(state: &AppState, ctx: RequestCtx) -> async_graphql::Data {
    data_with(state, ctx, true)
}

/// The data of one WebSocket connection: like [`request_data`], but nothing is cached across the
/// connection's events.
pub fn subscription_data(state: &AppState, ctx: RequestCtx) -> async_graphql::Data {
    data_with(state, ctx, false)
}

fn data_with(state: &AppState, ctx: RequestCtx, keep: bool) -> async_graphql::Data {
    // Cached per request: a list primes a loader with the keys of its page in one batch (see
    // [`prime`]), and every row's relation is then answered from the cache.
    fn new<T: Loader<uuid::Uuid>>(loader: T, keep: bool) -> Loaded<T> {
        DataLoader::with_cache(loader, tokio::spawn, RequestCache { keep })
    }
    let mut data = async_graphql::Data::default();
    data.insert(new(
        UserLoader {
            db: state.db.clone(),
            ctx: ctx.clone(),
        },
        keep,
    ));
    data.insert(new(
        RoleLoader {
            db: state.db.clone(),
        },
        keep,
    ));
    data.insert(new(
        InvitationLoader {
            db: state.db.clone(),
        },
        keep,
    ));
    data.insert(new(
        PartyLoader {
            db: state.db.clone(),
            ctx: ctx.clone(),
        },
        keep,
    ));
    data.insert(new(
        PartyRolesLoader {
            db: state.db.clone(),
        },
        keep,
    ));
    data.insert(new(
        MechanismsLoader {
            db: state.db.clone(),
        },
        keep,
    ));
    data.insert(new(
        TaxIdsLoader {
            db: state.db.clone(),
        },
        keep,
    ));
    data.insert(new(
        ExternalIdsLoader {
            db: state.db.clone(),
        },
        keep,
    ));
    data.insert(new(
        AccountLoader {
            db: state.db.clone(),
            ctx: ctx.clone(),
        },
        keep,
    ));
    data.insert(new(
        OpportunityContactsLoader {
            db: state.db.clone(),
        },
        keep,
    ));
    data.insert(new(
        LeadLoader {
            db: state.db.clone(),
            ctx: ctx.clone(),
        },
        keep,
    ));
    data.insert(new(
        ListsOfLoader {
            db: state.db.clone(),
            ctx: ctx.clone(),
        },
        keep,
    ));
    data.insert(new(
        MemberCountLoader {
            db: state.db.clone(),
            ctx: ctx.clone(),
        },
        keep,
    ));
    data.insert(new(
        ContactListLoader {
            db: state.db.clone(),
            ctx: ctx.clone(),
        },
        keep,
    ));
    data.insert(new(
        RuleLoader {
            db: state.db.clone(),
        },
        keep,
    ));
    data.insert(new(
        FormNameLoader {
            db: state.db.clone(),
        },
        keep,
    ));
    data.insert(new(
        SubmissionCountLoader {
            db: state.db.clone(),
        },
        keep,
    ));
    data.insert(new(
        CustomValueLoader {
            db: state.db.clone(),
        },
        keep,
    ));
    data.insert(if keep {
        DefinitionsCell::default()
    } else {
        DefinitionsCell::refreshed_every(std::time::Duration::from_secs(1))
    });
    data.insert(if keep {
        PicklistCell::default()
    } else {
        PicklistCell::refreshed_every(std::time::Duration::from_secs(1))
    });
    data.insert(if keep {
        CatalogCell::default()
    } else {
        CatalogCell::refreshed_every(std::time::Duration::from_secs(1))
    });
    data.insert(ctx);
    data
}
