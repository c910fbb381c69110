//! `/deletion-requests`: parties awaiting a manager's decision on deletion,
//! oldest request first, each approved or rejected from its row.

use crate::api::paging::Connection;
use crate::api::parties::{self, Decision, Party};
use crate::api::ApiError;
use crate::components::pager::Pager;
use crate::components::session::set_title;
use crate::components::status::{Status, StatusMessages};
use crate::format;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// `/deletion-requests`.
#[component]
pub fn DeletionRequests() -> impl IntoView {
    set_title("Deletion requests");
    // The `after` cursors that led to the current page; empty on page 1.
    let cursors = RwSignal::new(Vec::<String>::new());
    // Bumped after a decision to load the page again.
    let generation = RwSignal::new(0_u32);
    let data = RwSignal::new(None::<Result<Connection<Party>, ApiError>>);
    Effect::new(move |_| {
        let after = cursors.with(|c| c.last().cloned());
        generation.track();
        spawn_local(async move {
            let page = parties::deletion_requests(after.as_deref()).await;
            data.try_set(Some(page));
        });
    });
    let status = Status::new(None);

    let decide = move |decision: Decision, party: Party| {
        if !status.start() {
            return;
        }
        spawn_local(async move {
            match parties::decide(decision, &party.id, party.version).await {
                Ok(_) => {
                    status.succeed(&format!("{}: {}", decision.notice(), party.display_name));
                    // The page may now be empty: start again from the first.
                    cursors.set(Vec::new());
                    generation.update(|g| *g += 1);
                }
                Err(e) => status.fail(e, &[]),
            }
        });
    };

    let rows = move || {
        data.with(|d| match d.as_ref().map(|r| r.as_ref()) {
            None => view! {
                <tr class="table-message">
                    <td colspan="6">"Loading deletion requests…"</td>
                </tr>
            }
            .into_any(),
            Some(Err(_)) => ().into_any(),
            Some(Ok(page)) if page.nodes.is_empty() => view! {
                <tr class="table-message" id="deletion-requests-empty">
                    <td colspan="6">"No pending deletion requests"</td>
                </tr>
            }
            .into_any(),
            Some(Ok(page)) => page
                .nodes
                .iter()
                .map(|party| {
                    let approve = party.clone();
                    let reject = party.clone();
                    view! {
                        <tr class="deletion-request-row" data-id=party.id.clone()>
                            <td data-label="Name" class="name">
                                <a href=party.profile_href()>{party.display_name.clone()}</a>
                            </td>
                            <td data-label="Code" class="code">{party.code.clone()}</td>
                            <td data-label="Kind">{party.kind.label()}</td>
                            <td data-label="Reason" class="reason">
                                {format::or_empty(party.deletion_reason.as_deref())}
                            </td>
                            <td data-label="Requested">
                                <time datetime=party.updated_at.clone()>
                                    {format::date_time(&party.updated_at)}
                                </time>
                            </td>
                            <td class="actions">
                                <button
                                    type="button"
                                    class="btn btn-small approve-row"
                                    disabled=status.busy
                                    on:click=move |_| decide(Decision::Approve, approve.clone())
                                >
                                    "Approve"
                                </button>
                                " "
                                <button
                                    type="button"
                                    class="btn btn-small reject-row"
                                    disabled=status.busy
                                    on:click=move |_| decide(Decision::Reject, reject.clone())
                                >
                                    "Reject"
                                </button>
                            </td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any(),
        })
    };

    view! {
        <div class="page-header">
            <h1>"Deletion requests"</h1>
            <p class="muted" id="deletion-requests-total">
                {move || data.with(|d| match d {
                    Some(Ok(p)) => format::count(p.total_count, "request", "requests"),
                    _ => String::new(),
                })}
            </p>
        </div>
        {move || status.notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="form-notice">{n}</p> })}
        <StatusMessages status />
        {move || data.with(|d| match d {
            Some(Err(e)) => Some(view! { <div class="alert alert-error" role="alert">{e.to_string()}</div> }),
            _ => None,
        })}
        <div class="table-wrap">
            <table class="data-table" id="deletion-requests-table">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"Reason"</th>
                        <th scope="col">"Requested"</th>
                        <th scope="col"><span class="visually-hidden">"Decision"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager
            page=Signal::derive(move || cursors.with(Vec::len) + 1)
            has_previous=Signal::derive(move || cursors.with(|c| !c.is_empty()))
            has_next=Signal::derive(move || {
                data.with(|d| matches!(d, Some(Ok(p)) if p.page_info.has_next_page))
            })
            on_previous=Callback::new(move |()| cursors.update(|c| { c.pop(); }))
            on_next=Callback::new(move |()| {
                let next = data.with(|d| match d {
                    Some(Ok(p)) => p.page_info.next_cursor().map(str::to_owned),
                    _ => None,
                });
                if let Some(after) = next {
                    cursors.update(|c| c.push(after));
                }
            })
        />
    }
}
