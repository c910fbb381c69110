//! Checks on every request's document before it is validated or run, on every transport (POST,
//! GET, WebSocket):
//!
//! - **Strings**: no string argument (written in the document or passed as a variable, at any
//!   depth of an input object or list) may hold a control character other than tab, line feed and
//!   carriage return. Such a request is refused with `BAD_USER_INPUT` naming the argument, so a NUL
//!   byte never reaches a database (PostgreSQL refuses it in text) or a log.
//! - **Cost**: what a request may ask for is bounded by its cost, in which page sizes multiply:
//!   a field costs one, plus its selection times its page size (`first` or `last`; 25 when a
//!   connection is asked for without either), so `1,000 × parties(first: 100)` costs about 300,000
//!   and is refused before anything runs, while every screen of the app costs a few thousand.

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::{Pos, ServerError, ServerResult, Value as ConstValue, Variables};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use crate::error::AppError;
use crate::kit::paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// The highest cost a request may have.
pub const MAX_COST: u64 = 20_000;

/// The extension that applies both checks.
pub struct RequestLimits;

impl ExtensionFactory for RequestLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestLimits)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for RequestLimits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        check_strings(&doc, variables)?;
        let cost = cost(&doc, variables);
        if cost > MAX_COST {
            return Err(refusal(
                AppError::bad_input(
                    "query",
                    format!(
                        "this request asks for too much at once (cost {cost}, at most {MAX_COST}: \
                         each field counts once, times the page size of the lists around it); \
                         ask for smaller pages or split it into several requests"
                    ),
                ),
                Pos::default(),
            ));
        }
        Ok(doc)
    }
}

fn refusal(e: AppError, pos: Pos) -> ServerError {
    async_graphql::Error::from(e).into_server_error(pos)
}

/// The first control character of `s` that is not tab, line feed or carriage return.
pub fn control_character(s: &str) -> Option<char> {
    s.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

fn check_strings(doc: &ExecutableDocument, variables: &Variables) -> ServerResult<()> {
    let mut found = None;
    let mut visit = |path: &str, value: ConstValue, pos: Pos| {
        if found.is_none() {
            found = bad_const(path, &value).map(|(field, c)| (field, c, pos));
        }
    };
    for (_, op) in doc.operations.iter() {
        for (name, value) in op.node.directives.iter().flat_map(|d| &d.node.arguments) {
            visit(&name.node, substituted(&value.node, variables), value.pos);
        }
        arguments_in(&op.node.selection_set.node, variables, &mut visit);
    }
    for fragment in doc.fragments.values() {
        arguments_in(&fragment.node.selection_set.node, variables, &mut visit);
    }
    match found {
        None => Ok(()),
        Some((field, c, pos)) => Err(refusal(
            AppError::bad_input(
                field,
                format!(
                    "must not contain control characters (found U+{:04X})",
                    u32::from(c)
                ),
            ),
            pos,
        )),
    }
}

/// An argument's value with its variables substituted (a missing one as `null`: validation
/// reports it afterwards).
fn substituted(value: &async_graphql_value::Value, variables: &Variables) -> ConstValue {
    value
        .clone()
        .into_const_with(|name| Ok::<_, ()>(variables.get(&name).cloned().unwrap_or_default()))
        .unwrap_or_default()
}

/// Calls `visit` with every argument (of fields and their directives) in `set`, nested sets
/// included, with its variables substituted.
fn arguments_in(
    set: &SelectionSet,
    variables: &Variables,
    visit: &mut impl FnMut(&str, ConstValue, Pos),
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let arguments = field
                    .node
                    .arguments
                    .iter()
                    .chain(field.node.directives.iter().flat_map(|d| &d.node.arguments));
                for (name, value) in arguments {
                    visit(&name.node, substituted(&value.node, variables), value.pos);
                }
                arguments_in(&field.node.selection_set.node, variables, visit);
            }
            Selection::InlineFragment(fragment) => {
                arguments_in(&fragment.node.selection_set.node, variables, visit)
            }
            Selection::FragmentSpread(_) => {}
        }
    }
}

/// The input path (`filter.search`, `ids.2`) and character of the first string in `value` that
/// holds a control character.
fn bad_const(path: &str, value: &ConstValue) -> Option<(String, char)> {
    match value {
        ConstValue::String(s) => control_character(s).map(|c| (path.to_owned(), c)),
        ConstValue::List(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| bad_const(&format!("{path}.{i}"), v)),
        ConstValue::Object(fields) => fields
            .iter()
            .find_map(|(k, v)| bad_const(&format!("{path}.{k}"), v)),
        _ => None,
    }
}

/// The cost of the costliest operation of `doc`.
pub fn cost(doc: &ExecutableDocument, variables: &Variables) -> u64 {
    let counter = Cost {
        doc,
        variables,
        fragments: Default::default(),
    };
    doc.operations
        .iter()
        .map(|(_, op)| counter.of_set(&op.node.selection_set.node, None))
        .max()
        .unwrap_or(0)
}

/// A fragment spread under a pending page size.
type FragmentUse<'a> = (&'a str, Option<u64>);

struct Cost<'a> {
    doc: &'a ExecutableDocument,
    variables: &'a Variables,
    /// Each fragment's cost, counted once however often it is spread (`None` while it is being
    /// counted: meeting it again then is a cycle).
    fragments: RefCell<HashMap<FragmentUse<'a>, Option<u64>>>,
}

impl<'a> Cost<'a> {
    /// The cost of `set`; `pending` is a page size asked for on a field above that is not a
    /// connection itself (`pipelineBoard(first: 20) { columns { cards { edges … } } }`): the next
    /// connection down takes it.
    fn of_set(&self, set: &'a SelectionSet, pending: Option<u64>) -> u64 {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(field) => {
                    let asked = self.asked(&field.node);
                    let children = &field.node.selection_set.node;
                    if is_connection(children) {
                        let page = asked.or(pending).unwrap_or(DEFAULT_PAGE_SIZE);
                        let inner = self.of_set(children, None);
                        1u64.saturating_add(inner.saturating_mul(page))
                    } else {
                        1u64.saturating_add(self.of_set(children, asked.or(pending)))
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.of_set(&fragment.node.selection_set.node, pending)
                }
                Selection::FragmentSpread(spread) => {
                    self.of_fragment(spread.node.fragment_name.node.as_str(), pending)
                }
            })
            .fold(0u64, u64::saturating_add)
    }

    fn of_fragment(&self, name: &'a str, pending: Option<u64>) -> u64 {
        match self.fragments.borrow().get(&(name, pending)) {
            Some(Some(cost)) => return *cost,
            // A cycle: validation refuses it; here it must only not loop.
            Some(None) => return MAX_COST + 1,
            None => {}
        }
        let Some((name, fragment)) = self.doc.fragments.get_key_value(name) else {
            return 0;
        };
        let key = (name.as_str(), pending);
        self.fragments.borrow_mut().insert(key, None);
        let cost = self.of_set(&fragment.node.selection_set.node, pending);
        self.fragments.borrow_mut().insert(key, Some(cost));
        cost
    }

    /// The page size a field asks for (`first` or `last`), within the page-size limits.
    fn asked(&self, field: &Field) -> Option<u64> {
        field
            .arguments
            .iter()
            .filter(|(name, _)| matches!(name.node.as_str(), "first" | "last"))
            .filter_map(
                |(_, value)| match substituted(&value.node, self.variables) {
                    ConstValue::Number(n) => n.as_u64(),
                    _ => None,
                },
            )
            .max()
            .map(|asked| asked.clamp(1, MAX_PAGE_SIZE))
    }
}

/// Whether a field's selection is a connection's (it selects `edges` or `nodes`).
fn is_connection(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| {
        matches!(&item.node, Selection::Field(f) if matches!(f.node.name.node.as_str(), "edges" | "nodes"))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cost_of(query: &str) -> u64 {
        let doc = async_graphql::parser::parse_query(query).unwrap();
        cost(&doc, &Variables::default())
    }

    #[test]
    fn page_sizes_multiply() {
        assert_eq!(cost_of("{ a b }"), 2);
        // 1 + 10 × (1 + 1 × (1 + 1))
        assert_eq!(
            cost_of("{ parties(first: 10) { edges { node { id } } } }"),
            31
        );
        // Without `first` a connection counts its default page.
        assert_eq!(
            cost_of("{ parties { edges { node { id } } } }"),
            1 + DEFAULT_PAGE_SIZE * 3
        );
        // A page size asked for above a connection is the connection's.
        assert_eq!(
            cost_of("{ pipelineBoard(first: 100) { columns { count cards { edges { node { id name } } } } } }"),
            1 + (1 + (1 + (1 + 100 * (1 + (1 + 2)))))
        );
        // Nested lists multiply.
        assert_eq!(
            cost_of("{ a(first: 10) { edges { node { b(first: 10) { nodes { id } } } } } }"),
            1 + 10 * (1 + (1 + (1 + 10 * 2)))
        );
    }

    #[test]
    fn aliases_and_fragments_count_each_time() {
        let aliased: String = (0..1000)
            .map(|i| format!("p{i}: parties(first: 100, filter: {{search: \"a\"}}) {{ edges {{ node {{ id }} }} }} "))
            .collect();
        assert!(cost_of(&format!("{{ {aliased} }}")) > MAX_COST);
        let q = "query { ...F ...F } fragment F on Query { parties(first: 100) { nodes { id } } }";
        assert_eq!(cost_of(q), 2 * (1 + 100 * 2));
        // A cycle of fragments does not loop.
        let cyclic =
            "query { ...A } fragment A on Query { a { ...B } } fragment B on Query { b { ...A } }";
        assert!(cost_of(cyclic) > MAX_COST);
        // Fragments spread twice in each other, 40 deep, are counted in linear time (and cost
        // what they would unfolded: 2^40 fields).
        let mut bomb = String::from("query { ...F0 } ");
        for i in 0..40 {
            bomb.push_str(&format!(
                "fragment F{i} on Query {{ ...F{n} ...F{n} }} ",
                n = i + 1
            ));
        }
        bomb.push_str("fragment F40 on Query { id }");
        assert_eq!(cost_of(&bomb), 1 << 40);
    }

    #[test]
    fn control_characters_but_not_line_breaks() {
        assert_eq!(control_character("a\0b"), Some('\0'));
        assert_eq!(control_character("a\u{1b}[0m"), Some('\u{1b}'));
        assert_eq!(control_character("a\u{85}"), Some('\u{85}'));
        assert_eq!(control_character("line\nline\r\n\tend"), None);
        assert_eq!(control_character("Zoë — 東京"), None);
    }
}
