//! What a list page shows — search, filters, order, page — as one value, so
//! that a change of filter and the reset of paging that goes with it fetch
//! once. Pure: no signals, no requests.

use crate::api::paging::Direction;

/// What the list shows: the search, the filters' values, the order and the
/// page. One value, so that a change of filter and the reset of paging that
/// goes with it fetch once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// Free text searched for; empty for none.
    pub search: String,
    /// Each filter's name and value (`"true"` for a ticked checkbox, `""` for none).
    filters: Vec<(&'static str, String)>,
    /// Sort key and direction.
    pub sort: Option<(&'static str, Direction)>,
    /// The `after` cursors that led to the current page; empty on page 1.
    cursors: Vec<String>,
}

impl Query {
    /// The first page, sorted by `sort`, with every filter of `filters` empty.
    pub fn new(sort: Option<(&'static str, Direction)>, filters: &[&'static str]) -> Self {
        Self {
            sort,
            filters: filters.iter().map(|f| (*f, String::new())).collect(),
            ..Self::default()
        }
    }

    /// The value of the filter `name` (`""` when unset).
    pub fn filter(&self, name: &str) -> &str {
        self.filters
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether the checkbox filter `name` is ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.filter(name) == "true"
    }

    /// The sort key, or `default` when unsorted.
    pub fn sort_key(&self, default: &'static str) -> &'static str {
        self.sort.map_or(default, |(key, _)| key)
    }

    /// The sort direction (ascending when unsorted).
    pub fn direction(&self) -> Direction {
        self.sort.map_or(Direction::Asc, |(_, d)| d)
    }

    /// Cursor of the last row of the page before this one.
    pub fn after(&self) -> Option<String> {
        self.cursors.last().cloned()
    }

    /// 1-based number of the page.
    pub fn page(&self) -> usize {
        self.cursors.len() + 1
    }

    /// Filter `name` set to `value`, from the first page.
    pub fn set_filter(&mut self, name: &str, value: String) {
        if let Some((_, v)) = self.filters.iter_mut().find(|(n, _)| *n == name) {
            *v = value;
        }
        self.cursors.clear();
    }

    /// Searching for `text`, from the first page; nothing changes when it is the same text.
    pub fn search_for(&mut self, text: String) {
        if self.search != text {
            self.search = text;
            self.cursors.clear();
        }
    }

    /// Sorting by `key`: a new column sorts ascending, the same column flips.
    pub fn sort_by(&mut self, key: &'static str) {
        let direction = match self.sort {
            Some((k, d)) if k == key => d.flipped(),
            _ => Direction::Asc,
        };
        self.sort = Some((key, direction));
        self.cursors.clear();
    }

    pub(super) fn next(&mut self, cursor: String) {
        self.cursors.push(cursor);
    }

    pub(super) fn previous(&mut self) {
        self.cursors.pop();
    }

    pub(super) fn first_page(&mut self) {
        self.cursors.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_flips_the_same_column_and_resets_paging() {
        let mut q = Query::new(Some(("NAME", Direction::Asc)), &[]);
        q.next("c1".into());
        q.sort_by("NAME");
        assert_eq!(q.sort, Some(("NAME", Direction::Desc)));
        assert_eq!(q.page(), 1);
        q.sort_by("CODE");
        assert_eq!(q.sort, Some(("CODE", Direction::Asc)));
    }

    #[test]
    fn the_last_cursor_is_the_after_of_the_current_page() {
        let mut q = Query::new(None, &[]);
        assert_eq!(q.after(), None);
        q.next("c1".into());
        q.next("c2".into());
        assert_eq!(q.after().as_deref(), Some("c2"));
        assert_eq!(q.page(), 3);
        q.previous();
        assert_eq!(q.after().as_deref(), Some("c1"));
    }

    #[test]
    fn a_filter_or_a_new_search_starts_from_the_first_page() {
        let mut q = Query::new(None, &["archived", "type"]);
        q.next("c1".into());
        q.set_filter("type", "B2C".into());
        assert_eq!((q.filter("type"), q.page()), ("B2C", 1));
        q.set_filter("archived", "true".into());
        assert!(q.checked("archived"));
        q.next("c1".into());
        q.search_for(String::new());
        assert_eq!(q.page(), 2, "the same search keeps the page");
        q.search_for("acme".into());
        assert_eq!((q.search.as_str(), q.page()), ("acme", 1));
        assert_eq!(q.filter("unknown"), "");
    }
}
