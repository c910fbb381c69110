//! Aggregates: the record types whose rows belong to a user, declared once each, and the one read
//! path that applies their row scope.
//!
//! A domain declares an aggregate in its `policy.rs` as an [`Aggregate`]: its table, its object
//! name in grants, the column holding its owner and its sensitive fields. Every query on an
//! aggregate's table then starts here: [`visible`] adds the caller's row scope for an action;
//! [`unscoped`] is the only other door and names why scope does not apply (a background job, a
//! version check inside a write already authorized, a uniqueness check). The
//! `aggregate_tables_are_read_through_the_kit` test fails when a domain queries one of these tables
//! any other way, so a new read path cannot skip the scope by accident.

use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Select};

use crate::auth::{Actor, RequestCtx};
use crate::error::AppResult;
use crate::policy::{self, Action, Field, Scope};

/// A record type under row scope.
pub trait Aggregate: 'static {
    /// The table its queries start from.
    type Entity: EntityTrait;
    /// The owner column: on [`Aggregate::Entity`], or on the table [`Aggregate::rows`] joins.
    type Owner: ColumnTrait;
    /// The object's name in grants and in the change log (`account`, `opportunity`, …).
    const OBJECT: &'static str;
    /// Fields readable or writable only under a field grant.
    const SENSITIVE: &'static [Field] = &[];
    /// Which column holds the owning user.
    fn owner_column() -> Self::Owner;
    /// The aggregate's rows before scope: its table, joined to the owner's table when the owner
    /// lives there.
    fn rows() -> Select<Self::Entity> {
        Self::Entity::find()
    }
    /// The rows an `own` scope reaches besides those the caller owns (a dealer's user: their
    /// organisation's orders); none by default.
    fn own_also(actor: &Actor) -> Option<Condition> {
        let _ = actor;
        None
    }
}

/// The SQL condition limiting `A`'s rows to those the caller may `action` (`FORBIDDEN` without a
/// grant), for queries that join or aggregate on their own (counts over joins, search).
pub fn scope<A: Aggregate>(ctx: &RequestCtx, action: Action) -> AppResult<Condition> {
    let (actor, scope) = policy::authorize(ctx, A::OBJECT, action)?;
    let owned = policy::scope_condition(actor, scope, A::owner_column());
    Ok(match (scope, A::own_also(actor)) {
        (Scope::Own, Some(also)) => Condition::any().add(owned).add(also),
        _ => owned,
    })
}

/// `A`'s rows the caller may `action`: the start of every read of an aggregate.
pub fn visible<A: Aggregate>(ctx: &RequestCtx, action: Action) -> AppResult<Select<A::Entity>> {
    Ok(A::rows().filter(scope::<A>(ctx, action)?))
}

/// `A`'s rows without row scope, for the reads scope does not govern; `why` says which, for the
/// reader of the call site (it is not checked).
pub fn unscoped<A: Aggregate>(why: &'static str) -> Select<A::Entity> {
    let _ = why;
    A::rows()
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    /// The tables of aggregates, as entity modules name them in queries.
    const AGGREGATE_TABLES: &[&str] = &[
        "parties::Entity::find",
        "opportunities::Entity::find",
        "leads::Entity::find",
        "activities::Entity::find",
        "contact_lists::Entity::find",
        "users::Entity::find",
        "quotes::Entity::find",
        "orders::Entity::find",
        "invoices::Entity::find",
        "payments::Entity::find",
        "contracts::Entity::find",
        "enquiries::Entity::find",
    ];

    fn sources(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                sources(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "rs")
                // An aggregate's declaration (`Aggregate::rows`) is where its queries start.
                && path.file_name().is_some_and(|n| n != "policy.rs")
            {
                out.push(path);
            }
        }
        Ok(())
    }

    /// Every query on an aggregate's table in the domains, the schema roots and the transport starts
    /// from `visible` or `unscoped` (outside the declarations in `policy.rs`): a
    /// `parties::Entity::find()` written by hand would skip the scope.
    #[test]
    fn aggregate_tables_are_read_through_the_kit() -> std::io::Result<()> {
        // The crate being tested (set by `cargo test`), not the one this was compiled in.
        let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf());
        let root = crate_dir.join("src");
        let mut files = Vec::new();
        for floor in ["domain", "graphql", "http"] {
            sources(&root.join(floor), &mut files)?;
        }
        assert!(files.len() > 50, "the domain sources were not found");
        let mut found = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file)?;
            let name = file
                .strip_prefix(&root)
                .unwrap_or(&file)
                .display()
                .to_string();
            for (n, line) in text.lines().enumerate() {
                if AGGREGATE_TABLES.iter().any(|t| line.contains(t)) {
                    found.push(format!("{}:{}: {}", name, n + 1, line.trim()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "queries on aggregate tables that bypass kit::aggregate::{{visible, unscoped}}:\n{}",
            found.join("\n")
        );
        Ok(())
    }
}
