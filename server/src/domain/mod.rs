//! Domains, one folder each: `graphql.rs` (thin resolvers), `service.rs` (validate → authorize →
//! one transaction), `policy.rs` (row rule and sensitive fields), pure rule files.

/// A closed vocabulary stored as upper-case names, exposed as a GraphQL enum with the same names.
macro_rules! stored_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* #[graphql(name = $s)] $variant),+ }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            /// Parses a stored name.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

pub mod accounts;
pub mod activities;
pub mod audit;
pub mod billing;
pub mod custom_fields;
pub mod documents;
pub mod forecasts;
pub mod leads;
pub mod money;
pub mod opportunities;
pub mod parties;
pub mod picklists;
pub mod roles;
pub mod timeline;
pub mod users;
pub mod validation;
pub mod views;

/// Sensitive fields of every object: unreadable and unwritable unless a role's field grant allows
/// it. `me.fieldPermissions` reports the caller's grants for exactly these.
pub fn sensitive_fields() -> Vec<crate::policy::Field> {
    use crate::kit::aggregate::Aggregate;
    [
        <accounts::policy::AccountObject as Aggregate>::SENSITIVE,
        <parties::policy::PartyObject as Aggregate>::SENSITIVE,
        <opportunities::policy::OpportunityObject as Aggregate>::SENSITIVE,
        <activities::policy::ActivityObject as Aggregate>::SENSITIVE,
        <documents::policy::QuoteObject as Aggregate>::SENSITIVE,
        documents::policy::CATALOGUE_SENSITIVE,
        <billing::policy::ContractObject as Aggregate>::SENSITIVE,
    ]
    .concat()
}
