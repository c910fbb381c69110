//! Party search by name, code and area: FTS5 on SQLite, trigram indexes on PostgreSQL, behind one
//! function. Results are ranked and limited to the caller's row scope.

use entity::parties::parties;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend, FromQueryResult, Iterable};

use super::policy::PartyObject;
use crate::error::{AppError, AppResult};
use crate::policy::Action;

/// Most hits returned.
pub const MAX_HITS: u64 = 50;
/// Best name matches ranked before the row scope applies (SQLite).
const SQLITE_WINDOW: u64 = 500;
/// Matches on any column looked at, in index order, before the row scope applies (SQLite).
const SQLITE_ANY_WINDOW: u64 = 5_000;
/// Candidates per kind of match ranked on PostgreSQL.
const PG_WINDOW: u64 = 500;

/// Splits search text into words (at most 8), each a list of lower-case alphanumeric tokens: a code
/// such as `A-000123` is one word of two tokens.
pub fn words(text: &str) -> Vec<Vec<String>> {
    text.split_whitespace()
        .map(|w| {
            w.split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty())
        .take(8)
        .collect()
}

/// All tokens of the text, in order.
pub fn tokens(text: &str) -> Vec<String> {
    words(text).into_iter().flatten().collect()
}

/// The FTS5 query: every word a phrase whose last token is a prefix, all words required. Keeping a
/// code's tokens together as one phrase stops `A` in `A-000123` from matching every party.
pub fn fts_query(words: &[Vec<String>]) -> String {
    words
        .iter()
        .map(|w| format!("\"{}\"*", w.join(" ")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn select_parties() -> SelectStatement {
    let mut q = Query::select();
    for c in parties::Column::iter() {
        q.column((parties::Entity, c));
    }
    q.from(parties::Entity);
    q
}

/// The best matches for `text` among active parties the caller may read, with a rank (higher is
/// better).
pub async fn search(
    db: &impl ConnectionTrait,
    ctx: &crate::auth::RequestCtx,
    text: &str,
    first: u64,
) -> AppResult<Vec<(parties::Model, f64)>> {
    if text.chars().count() > 200 {
        return Err(AppError::bad_input(
            "text",
            "must be at most 200 characters",
        ));
    }
    if !(1..=MAX_HITS).contains(&first) {
        return Err(AppError::bad_input(
            "first",
            format!("must be between 1 and {MAX_HITS}"),
        ));
    }
    let scope = crate::kit::aggregate::scope::<PartyObject>(ctx, Action::Read)?;
    let toks = tokens(text);
    if toks.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let base = || {
        let mut q = select_parties();
        q.cond_where(scope.clone())
            .and_where(Expr::col((parties::Entity, parties::Column::ArchivedAt)).is_null())
            .limit(first);
        q
    };
    // SQLite: the FTS window is the outer loop (`CROSS JOIN` fixes the join order), so a scoped
    // caller's condition on `owner_id` never makes the planner scan the caller's rows instead.
    let fts_driven = |window: SelectStatement, alias: &str| {
        let mut q = Query::select();
        for c in parties::Column::iter() {
            q.column((parties::Entity, c));
        }
        q.from_subquery(window, Alias::new(alias))
            .cross_join(parties::Entity)
            .and_where(Expr::cust(format!("parties.rowid = {alias}.r")))
            .cond_where(scope.clone())
            .and_where(Expr::col((parties::Entity, parties::Column::ArchivedAt)).is_null())
            .limit(first);
        q
    };
    if backend == DatabaseBackend::Sqlite {
        let m = fts_query(&words(text));
        // 1. Name matches, ranked by bm25 among the best-ranked window (names are few per word,
        //    so ranking stays cheap).
        let window = Query::select()
            .expr_as(Expr::cust("rowid"), Alias::new("r"))
            .expr_as(Expr::cust("rank"), Alias::new("fts_rank"))
            .from(Alias::new("party_search"))
            .and_where(Expr::cust_with_values(
                "party_search MATCH ?",
                [format!("{{sort_name}} : ({m})")],
            ))
            .order_by_expr(Expr::cust("rank"), sea_orm::Order::Asc)
            .limit(SQLITE_WINDOW)
            .to_owned();
        let mut q = fts_driven(window, "s");
        q.expr_as(Expr::cust("-s.fts_rank"), Alias::new("rank"))
            .order_by_expr(Expr::cust("s.fts_rank"), sea_orm::Order::Asc);
        let mut hits = collect(db, &q).await?;
        if hits.len() as u64 >= first {
            return Ok(hits);
        }
        // 2. Then matches on any column (codes, areas), in index order: an area shared by tens of
        //    thousands of parties is not ranked in full, the first visible ones are taken. The FTS
        //    side always drives (a window subquery), never a scan of the caller's own rows.
        let any = Query::select()
            .expr_as(Expr::cust("rowid"), Alias::new("r"))
            .from(Alias::new("party_search"))
            .and_where(Expr::cust_with_values("party_search MATCH ?", [m]))
            .limit(SQLITE_ANY_WINDOW)
            .to_owned();
        let mut q = fts_driven(any, "a");
        q.expr_as(Expr::val(0.0), Alias::new("rank"))
            .limit(first + hits.len() as u64);
        let seen: std::collections::HashSet<uuid::Uuid> = hits.iter().map(|(p, _)| p.id).collect();
        for (p, rank) in collect(db, &q).await? {
            if hits.len() as u64 >= first {
                break;
            }
            if !seen.contains(&p.id) {
                hits.push((p, rank));
            }
        }
        return Ok(hits);
    }
    // PostgreSQL placeholders are `$n`: `?` is an operator there.
    // Whole words (a code keeps its hyphen), each matched as a substring through trigram indexes.
    // Candidates first: up to a window of name matches and a window of any matches (stopping early
    // when a word is common), then only those are ranked by similarity.
    let full = text.trim().to_lowercase();
    let patterns: Vec<String> = text
        .split_whitespace()
        .take(8)
        .map(|w| format!("%{}%", crate::kit::filters::like_escape(&w.to_lowercase())))
        .collect();
    let candidates = |name_only: bool| {
        let mut c = Query::select();
        c.column((parties::Entity, parties::Column::Id))
            .from(parties::Entity)
            .cond_where(scope.clone())
            .and_where(Expr::col((parties::Entity, parties::Column::ArchivedAt)).is_null())
            .limit(PG_WINDOW);
        for p in &patterns {
            c.and_where(if name_only {
                Expr::cust_with_values("parties.sort_name LIKE $1", [p.clone()])
            } else {
                Expr::cust_with_values(
                    "(parties.sort_name LIKE $1 OR lower(parties.code) LIKE $1 OR lower(parties.area) LIKE $1)",
                    [p.clone()],
                )
            });
        }
        c
    };
    let ids = candidates(true)
        .union(sea_orm::sea_query::UnionType::Distinct, candidates(false))
        .to_owned();
    let mut q = base();
    q.and_where(Expr::col((parties::Entity, parties::Column::Id)).in_subquery(ids));
    let rank = "GREATEST(similarity(parties.sort_name, $1), similarity(lower(parties.code), $1), similarity(lower(coalesce(parties.area, '')), $1))";
    q.expr_as(
        Expr::cust_with_values(rank, [full.clone()]),
        Alias::new("rank"),
    )
    .order_by_expr(Expr::cust_with_values(rank, [full]), sea_orm::Order::Desc)
    .order_by(
        (parties::Entity, parties::Column::SortName),
        sea_orm::Order::Asc,
    );
    collect(db, &q).await
}

/// Runs a search statement: party rows with their `rank`.
async fn collect(
    db: &impl ConnectionTrait,
    q: &SelectStatement,
) -> AppResult<Vec<(parties::Model, f64)>> {
    let rows = db.query_all(q).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let m = parties::Model::from_query_result(&r, "")?;
        let rank: f64 = r
            .try_get::<f64>("", "rank")
            .or_else(|_| r.try_get::<f32>("", "rank").map(f64::from))
            .unwrap_or(0.0);
        out.push((m, rank));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_fts_query() {
        assert_eq!(
            tokens("  Acme-Corp, A-000012 "),
            vec!["acme", "corp", "a", "000012"]
        );
        assert_eq!(
            fts_query(&words("ac\"me A-000012")),
            "\"ac me\"* \"a 000012\"*"
        );
        assert!(tokens("  -- ").is_empty());
    }
}
