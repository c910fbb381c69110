//! `/audit` (admins): the audit trail filtered by user, object type and
//! time, with "Load more" and a CSV export.

use crate::api::activities::{self, AuditEntry};
use crate::api::users;
use crate::components::download::download;
use crate::components::load::load_once;
use crate::components::session::set_title;
use crate::format;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// `/audit`.
#[component]
pub fn AuditPage() -> impl IntoView {
    set_title("Audit trail");
    let people = load_once(users::assignable());
    let actor = RwSignal::new(String::new());
    let object_type = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let filter = move || {
        activities::audit_filter(
            &actor.get_untracked(),
            &object_type.get_untracked(),
            &from.get_untracked(),
            &to.get_untracked(),
        )
    };
    let load = move |after: Option<String>| {
        let f = filter();
        spawn_local(async move {
            match activities::audit_log(f, after.as_deref()).await {
                Ok(page) => {
                    next.set(page.page_info.next_cursor().map(str::to_owned));
                    if after.is_some() {
                        rows.update(|r| r.extend(page.nodes));
                    } else {
                        rows.set(page.nodes);
                    }
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    load(None);
    let export = move |_| {
        let f = filter();
        spawn_local(async move {
            match activities::export_audit_log(f).await {
                Ok(csv) => {
                    download("audit.csv", &csv);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let table = move || {
        rows.get()
            .into_iter()
            .map(|e| {
                view! {
                    <tr class="audit-row">
                        <td>{format::date_time(&e.at)}</td>
                        <td>{e.actor.map(|a| a.email).unwrap_or_default()}</td>
                        <td>{e.object_type}</td>
                        <td class="record-code">{e.object_id}</td>
                        <td>{e.action}</td>
                        <td>{e.changes.join("; ")}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="page-header"><h1>"Audit trail"</h1></div>
        <form class="toolbar" id="audit-filter" on:submit=move |ev| {
            ev.prevent_default();
            load(None);
        }>
            <label>"User "
                <select id="audit-actor" on:change=move |ev| actor.set(event_target_value(&ev))>
                    <option value="">"Anyone"</option>
                    {move || people.get().and_then(Result::ok).unwrap_or_default().into_iter()
                        .map(|u| view! { <option value=u.id>{u.email}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>"Object " <input id="audit-object" placeholder="party, opportunity…" bind:value=object_type /></label>
            <label>"From " <input type="date" id="audit-from" bind:value=from /></label>
            <label>"To " <input type="date" id="audit-to" bind:value=to /></label>
            <button type="submit" class="btn btn-primary">"Filter"</button>
            <button type="button" class="btn" id="audit-export" on:click=export>"Export CSV"</button>
        </form>
        {move || error.get().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
        <table class="data-table" id="audit">
            <thead><tr><th>"Time"</th><th>"User"</th><th>"Object"</th><th>"Id"</th><th>"Action"</th><th>"Changes"</th></tr></thead>
            <tbody>{table}</tbody>
        </table>
        {move || next.with(Option::is_some).then(|| view! {
            <button type="button" class="btn" id="audit-more" on:click=move |_| load(next.get_untracked())>"Load more"</button>
        })}
    }
}
