//! `/deletion-requests`: parties awaiting a manager's decision on deletion,
//! oldest request first, each approved or rejected from its row.

use crate::api::parties::{self, Decision, Party};
use crate::components::status::{Notice, Status, StatusMessages};
use crate::components::table::{Cell, Column, Row};
use crate::format;
use crate::page::list::{list_page, rows_from, Found, ListSpec};
use leptos::prelude::*;
use leptos::task::spawn_local;

const COLUMNS: &[Column] = &[
    Column::new("Name").class("name"),
    Column::new("Code").class("code"),
    Column::new("Kind"),
    Column::new("Reason").class("reason"),
    Column::new("Requested"),
    Column::new("Decision"),
];

fn row(p: &Party) -> Row {
    // The action's value: the decision, the version and the id.
    let value = |decision: &str| format!("{decision} {} {} {}", p.version, p.id, p.display_name);
    Row {
        class: "deletion-request-row",
        id: p.id.clone(),
        cells: vec![
            Cell::Link(p.profile_href(), p.display_name.clone()),
            Cell::Text(p.code.clone()),
            Cell::Text(p.kind.label().to_owned()),
            Cell::Text(format::or_empty(p.deletion_reason.as_deref())),
            Cell::DateTime(p.updated_at.clone()),
            Cell::Actions(vec![
                ("Approve", "approve-row", value("approve")),
                ("Reject", "reject-row", value("reject")),
            ]),
        ],
        href: None,
    }
}

/// `/deletion-requests`.
#[component]
pub fn DeletionRequests() -> impl IntoView {
    let status = Status::new(None);
    // Bumped after a decision to load the first page again: the page may now be empty.
    let decided = RwSignal::new(0_u32);
    let decide = Callback::new(move |value: String| {
        let mut parts = value.splitn(4, ' ');
        let decision = match parts.next() {
            Some("approve") => Decision::Approve,
            _ => Decision::Reject,
        };
        let version = parts
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or_default();
        let (id, name) = (
            parts.next().unwrap_or_default().to_owned(),
            parts.next().unwrap_or_default().to_owned(),
        );
        if !status.start() {
            return;
        }
        spawn_local(async move {
            match parties::decide(decision, &id, version).await {
                Ok(_) => {
                    status.succeed(&format!("{}: {name}", decision.notice()));
                    decided.update(|d| *d += 1);
                }
                Err(e) => status.fail(e, &[]),
            }
        });
    });
    let load = rows_from(|q| {
        let after = q.after();
        async move {
            let page = parties::deletion_requests(after.as_deref()).await?;
            Ok(Found::new(&page, row))
        }
    });
    let notices = view! {
        <Notice status />
        <StatusMessages status />
    };
    list_page(
        ListSpec::new(
            "Deletion requests",
            "deletion-requests",
            ("request", "requests"),
            COLUMNS,
            load,
        )
        .above(notices.into_any())
        .empty("No pending deletion requests")
        .refresh(decided)
        .on_action(decide),
    )
}
