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
    /// Columns the user hid, by their key (see [`column_key`]).
    pub hidden: Vec<String>,
}

/// A column's key in the address: its label in lower case, spaces as `-`.
pub fn column_key(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
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

    /// Hides the column `key`, or shows it again.
    pub fn toggle_column(&mut self, key: &str) {
        match self.hidden.iter().position(|k| k == key) {
            Some(i) => {
                self.hidden.remove(i);
            }
            None => self.hidden.push(key.to_owned()),
        }
    }

    /// What `self` shows that `default` does not, as an address query (without `?`):
    /// `q` (search), `sort` (`KEY` or `KEY.desc`), each set filter by its name, `hide`
    /// (hidden columns). The page is not part of it.
    pub fn to_address(&self, default: &Query) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.search.is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        if self.sort != default.sort {
            if let Some((key, direction)) = self.sort {
                let suffix = if direction == Direction::Desc {
                    ".desc"
                } else {
                    ""
                };
                pairs.push(("sort", format!("{key}{suffix}")));
            }
        }
        for (name, value) in &self.filters {
            if !value.is_empty() {
                pairs.push((name, value.clone()));
            }
        }
        if !self.hidden.is_empty() {
            pairs.push(("hide", self.hidden.join(",")));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::api::encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// `default` with what an address query says (`get` reads a decoded value by name); a sort
    /// key not among `sorts` and unknown names are ignored.
    pub fn from_address(
        default: &Query,
        get: impl Fn(&str) -> Option<String>,
        sorts: &[&'static str],
    ) -> Query {
        let mut q = default.clone();
        q.cursors.clear();
        q.search = get("q").unwrap_or_default();
        if let Some(sort) = get("sort") {
            let (key, direction) = match sort.strip_suffix(".desc") {
                Some(key) => (key.to_owned(), Direction::Desc),
                None => (sort, Direction::Asc),
            };
            if let Some(key) = sorts.iter().find(|k| **k == key) {
                q.sort = Some((key, direction));
            }
        }
        for (name, value) in &mut q.filters {
            *value = get(name).unwrap_or_default();
        }
        q.hidden = get("hide")
            .map(|h| {
                h.split(',')
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        q
    }

    /// Whether both show the same rows and columns (the page aside).
    pub fn same_view(&self, other: &Query) -> bool {
        self.search == other.search
            && self.sort == other.sort
            && self.filters == other.filters
            && self.hidden == other.hidden
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

    #[test]
    fn a_view_goes_to_the_address_and_back() {
        let default = Query::new(Some(("NAME", Direction::Asc)), &["archived", "type"]);
        assert_eq!(default.to_address(&default), "");
        let mut q = default.clone();
        q.search_for("acme & co".into());
        q.sort_by("CODE");
        q.sort_by("CODE");
        q.set_filter("archived", "true".into());
        q.toggle_column("annual-revenue");
        q.toggle_column("owner");
        q.toggle_column("annual-revenue");
        q.next("c1".into());
        let address = q.to_address(&default);
        assert_eq!(
            address,
            "q=acme%20%26%20co&sort=CODE.desc&archived=true&hide=owner"
        );
        let pairs = [
            ("q", "acme & co"),
            ("sort", "CODE.desc"),
            ("archived", "true"),
            ("hide", "owner"),
            ("other", "x"),
        ];
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        let back = Query::from_address(&default, get, &["NAME", "CODE"]);
        assert!(back.same_view(&q));
        assert_eq!(back.page(), 1);
        // A sort key the list does not have keeps the default order.
        let odd = Query::from_address(
            &default,
            |k| (k == "sort").then(|| "DROP".into()),
            &["NAME"],
        );
        assert_eq!(odd.sort, default.sort);
        assert_eq!(column_key("Annual revenue"), "annual-revenue");
    }
}
