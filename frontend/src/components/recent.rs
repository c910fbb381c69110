//! The records a user opened last (people, organisations, accounts, deals, leads, quotes), kept
//! in this browser's `localStorage` per user: home lists them and the command palette offers
//! them before anything is typed.

use crate::components::session::use_session;
use leptos::prelude::{window, WithUntracked};

/// Records kept.
pub const KEPT: usize = 8;

/// One record opened.
#[derive(Clone, Debug, PartialEq)]
pub struct Recent {
    /// What it is, e.g. "Person", "Opportunity".
    pub kind: String,
    /// Its name.
    pub label: String,
    /// Its page.
    pub href: String,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The storage key of the signed-in user's list (none before `me` is known).
fn key() -> Option<String> {
    use_session()
        .me
        .with_untracked(|me| me.as_ref().map(|me| format!("crm.recent.{}", me.user.id)))
}

/// `list` with `record` first, without an older entry for the same page, at most [`KEPT`] long.
pub fn remember(mut list: Vec<Recent>, record: Recent) -> Vec<Recent> {
    list.retain(|r| r.href != record.href);
    list.insert(0, record);
    list.truncate(KEPT);
    list
}

/// The stored form: a line per record, its kind, label and page separated by tabs (a tab or line
/// break in a name becomes a space).
fn to_text(list: &[Recent]) -> String {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    list.iter()
        .map(|r| {
            format!(
                "{}\t{}\t{}",
                clean(&r.kind),
                clean(&r.label),
                clean(&r.href)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads [`to_text`]'s form; a malformed line is skipped.
fn from_text(text: &str) -> Vec<Recent> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.split('\t');
            let (kind, label, href) = (parts.next()?, parts.next()?, parts.next()?);
            href.starts_with('/').then(|| Recent {
                kind: kind.to_owned(),
                label: label.to_owned(),
                href: href.to_owned(),
            })
        })
        .collect()
}

/// The signed-in user's recent records, latest first.
pub fn list() -> Vec<Recent> {
    key()
        .and_then(|key| storage()?.get_item(&key).ok().flatten())
        .map(|text| from_text(&text))
        .unwrap_or_default()
}

/// Notes that the signed-in user opened a record.
pub fn visited(kind: &str, label: &str, href: &str) {
    let (Some(key), Some(storage)) = (key(), storage()) else {
        return;
    };
    let record = Recent {
        kind: kind.to_owned(),
        label: label.to_owned(),
        href: href.to_owned(),
    };
    // A full or refused storage only loses the list.
    let _ = storage.set_item(&key, &to_text(&remember(list(), record)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(href: &str) -> Recent {
        Recent {
            kind: "Person".into(),
            label: href.into(),
            href: href.into(),
        }
    }

    #[test]
    fn the_latest_comes_first_once_and_the_list_is_bounded() {
        let mut list = Vec::new();
        for i in 0..10 {
            list = remember(list, r(&format!("/parties/{i}")));
        }
        assert_eq!(list.len(), KEPT);
        assert_eq!(list[0].href, "/parties/9");
        let list = remember(list, r("/parties/5"));
        assert_eq!(list.len(), KEPT);
        assert_eq!(list[0].href, "/parties/5");
        assert_eq!(list.iter().filter(|x| x.href == "/parties/5").count(), 1);
    }

    #[test]
    fn the_list_reads_back_as_written() {
        let list = vec![
            Recent {
                kind: "Organisation".into(),
                label: "Acme\tCorp\nLtd".into(),
                href: "/parties/T3JnOjE=".into(),
            },
            r("/leads/7"),
        ];
        let back = from_text(&to_text(&list));
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].label, "Acme Corp Ltd");
        assert_eq!(back[1], list[1]);
        assert!(from_text("garbage\nA\tB\tnot-a-path").is_empty());
    }
}
