//! Typed filter inputs shared by every list, and their translation to SQL conditions.

use async_graphql::InputObject;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::Condition;

use crate::error::{AppError, AppResult};

/// Longest string accepted in a filter.
pub const MAX_FILTER_TEXT: usize = 200;
/// Most values accepted in an `in` list.
pub const MAX_IN_VALUES: usize = 100;

/// Conditions on a text field; all given conditions must hold. Matching by `contains` and
/// `startsWith` ignores case.
#[derive(InputObject, Debug, Clone, Default)]
pub struct StringFilter {
    /// Exactly this value.
    pub eq: Option<String>,
    /// Contains this text (case-insensitive).
    pub contains: Option<String>,
    /// Starts with this text (case-insensitive).
    pub starts_with: Option<String>,
    /// One of these values.
    #[graphql(name = "in")]
    pub in_: Option<Vec<String>>,
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `LOWER(expr) LIKE '%text%'`, escaped.
pub fn icontains(expr: Expr, text: &str) -> Expr {
    Expr::from(Func::lower(expr))
        .like(LikeExpr::new(format!("%{}%", like_escape(&text.to_lowercase()))).escape('\\'))
}

/// `LOWER(expr) LIKE 'text%'`, escaped.
pub fn istarts_with(expr: Expr, text: &str) -> Expr {
    Expr::from(Func::lower(expr))
        .like(LikeExpr::new(format!("{}%", like_escape(&text.to_lowercase()))).escape('\\'))
}

/// Checks a filter string's length, naming its path.
pub fn check_len(path: &str, s: &str) -> AppResult<()> {
    if s.chars().count() > MAX_FILTER_TEXT {
        Err(AppError::bad_input(
            path,
            format!("must be at most {MAX_FILTER_TEXT} characters"),
        ))
    } else {
        Ok(())
    }
}

impl StringFilter {
    /// The condition on `expr`; `path` names the filter field in errors (`filter.name`).
    pub fn condition(&self, expr: Expr, path: &str) -> AppResult<Condition> {
        let mut c = Condition::all();
        if let Some(v) = &self.eq {
            check_len(&format!("{path}.eq"), v)?;
            c = c.add(expr.clone().eq(v.as_str()));
        }
        if let Some(v) = &self.contains {
            check_len(&format!("{path}.contains"), v)?;
            c = c.add(icontains(expr.clone(), v));
        }
        if let Some(v) = &self.starts_with {
            check_len(&format!("{path}.startsWith"), v)?;
            c = c.add(istarts_with(expr.clone(), v));
        }
        if let Some(vs) = &self.in_ {
            if vs.len() > MAX_IN_VALUES {
                return Err(AppError::bad_input(
                    format!("{path}.in"),
                    format!("must list at most {MAX_IN_VALUES} values"),
                ));
            }
            for v in vs {
                check_len(&format!("{path}.in"), v)?;
            }
            c = c.add(expr.is_in(vs.iter().map(String::as_str)));
        }
        Ok(c)
    }
}
