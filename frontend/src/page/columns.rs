//! Custom fields as list columns: each custom field of a list's object marked "shown in lists"
//! that the caller may read is a column of the list, sortable by the sort key `custom.<key>`,
//! placed among the list's own columns.
//!
//! The list layer takes columns that live as long as the app (their labels and sort keys are
//! `&'static str`, kept in addresses and saved views), so each set of columns is made once, on
//! first use, and kept: a handful per session, whatever the number of visits.

use crate::api::custom_fields::ListColumn;
use crate::components::table::{Cell, Column};
use std::cell::RefCell;

/// The sort key prefix of a custom field's column.
pub const CUSTOM_SORT: &str = "custom.";

/// A made set of columns: the list's own (by address), where the custom ones go, and those.
type Made = ((usize, usize, Vec<ListColumn>), &'static [Column]);

thread_local! {
    static MADE: RefCell<Vec<Made>> = const { RefCell::new(Vec::new()) };
}

/// `base` with a column for each of `custom` before `base[at]`.
pub fn with_custom(base: &'static [Column], at: usize, custom: &[ListColumn]) -> &'static [Column] {
    if custom.is_empty() {
        return base;
    }
    let key = (base.as_ptr() as usize, at, custom.to_vec());
    MADE.with(|made| {
        if let Some((_, columns)) = made.borrow().iter().find(|(k, _)| *k == key) {
            return *columns;
        }
        let keep = |text: String| -> &'static str { Box::leak(text.into_boxed_str()) };
        let at = at.min(base.len());
        let mut all = base[..at].to_vec();
        all.extend(custom.iter().map(|c| {
            let column = Column::sorted(
                keep(c.label.clone()),
                keep(format!("{CUSTOM_SORT}{}", c.key)),
            );
            if c.numeric {
                column.class("num")
            } else {
                column
            }
        }));
        all.extend_from_slice(&base[at..]);
        let all: &'static [Column] = Box::leak(all.into_boxed_slice());
        made.borrow_mut().push((key, all));
        all
    })
}

/// The custom field a list's sort key names (`custom.seats` → `seats`).
pub fn custom_key(sort: &str) -> Option<&str> {
    sort.strip_prefix(CUSTOM_SORT)
}

/// A record's cells of the `custom` columns, from its (key, shown value) pairs.
pub fn custom_cells(values: &[(String, String)], custom: &[ListColumn]) -> Vec<Cell> {
    custom
        .iter()
        .map(|c| {
            Cell::or_empty(
                values
                    .iter()
                    .find(|(key, _)| *key == c.key)
                    .map(|(_, shown)| shown.as_str())
                    .filter(|shown| !shown.is_empty()),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &[Column] = &[
        Column::sorted("Name", "NAME"),
        Column::new("Owner"),
        Column::sorted("Updated", "UPDATED_AT"),
    ];

    #[test]
    fn custom_columns_sit_among_the_list_s_own_and_are_made_once() {
        let custom = vec![
            ListColumn {
                key: "seats".into(),
                label: "Seats".into(),
                numeric: true,
            },
            ListColumn {
                key: "segment".into(),
                label: "Segment".into(),
                numeric: false,
            },
        ];
        let columns = with_custom(BASE, 2, &custom);
        let labels: Vec<&str> = columns.iter().map(|c| c.label).collect();
        assert_eq!(labels, ["Name", "Owner", "Seats", "Segment", "Updated"]);
        assert_eq!(columns[2].sort, Some("custom.seats"));
        assert_eq!((columns[2].class, columns[3].class), ("num", ""));
        assert!(std::ptr::eq(columns, with_custom(BASE, 2, &custom)));
        assert_eq!(with_custom(BASE, 2, &[]), BASE);
        assert_eq!(with_custom(BASE, 9, &custom[..1]).len(), 4);
        assert_eq!(custom_key("custom.seats"), Some("seats"));
        assert_eq!(custom_key("NAME"), None);
        let cells = custom_cells(&[("segment".into(), "Enterprise".into())], &custom);
        assert_eq!(
            cells,
            [Cell::or_empty(None), Cell::Text("Enterprise".into())]
        );
    }
}
