//! The list's views: the saved views of the list (the caller's and their team's), saving the
//! current one under a name, removing one's own, and the columns shown.
//!
//! A view is the list's address query (search, order, filters, hidden columns), so choosing one
//! is following its address: Back returns to the view before, and a view's address can be
//! bookmarked or sent like any other. A list opened without a query of its own starts from the
//! view an administrator set for the caller's role; administrators set it from here.

use super::lazy::lazy_part;
use super::query::{column_key, Query};
use crate::api::views::{self, SavedView};
use crate::components::load::reload;
use crate::components::table::Column;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

/// What the views bar needs of its list.
pub struct ViewsProps {
    /// The list's key (its DOM-id stem).
    pub list: &'static str,
    /// The list's address, without the query.
    pub path: String,
    /// The current view's address query.
    pub address: Signal<String>,
    /// The list's columns.
    pub columns: &'static [Column],
    /// What the list shows.
    pub state: RwSignal<Query>,
}

lazy_part!(
    /// The views bar, from the chunk it shares with the bulk bar.
    pub fn views_bar(props: ViewsProps), chunk = list_tools, load = load_views_bar, view = views_bar_view
);

/// Closes the `<details>` menu an event was heard on, unless the focus goes to `to` inside it.
fn close_menu(ev: &web_sys::Event, to: Option<web_sys::Node>) {
    let menu = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    if let Some(menu) = menu {
        if !to.is_some_and(|to| menu.contains(Some(&to))) {
            let _ = menu.remove_attribute("open");
        }
    }
}

/// The views bar of a list.
fn views_bar_view(props: ViewsProps) -> AnyView {
    let ViewsProps {
        list,
        path,
        address,
        columns,
        state,
    } = props;
    let changed = RwSignal::new(0_u32);
    let saved = reload(move || {
        changed.track();
        views::list(list)
    });
    let all = move || {
        saved.with(|s| {
            s.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|(views, _)| views.clone())
                .unwrap_or_default()
        })
    };
    // The role's default view, once, when the list was opened without a query of its own.
    let opened_bare = address.get_untracked().is_empty();
    let applied = StoredValue::new(false);
    {
        let (navigate, path) = (use_navigate(), path.clone());
        Effect::new(move |_| {
            let default = saved.with(|s| {
                s.as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .map(|(_, d)| d.clone())
            });
            let Some(default) = default else {
                return;
            };
            if applied.get_value() {
                return;
            }
            applied.set_value(true);
            if let Some(q) = default.filter(|q| opened_bare && !q.is_empty()) {
                if address.get_untracked().is_empty() {
                    let options = leptos_router::NavigateOptions {
                        replace: true,
                        ..Default::default()
                    };
                    navigate(&format!("{path}?{q}"), options);
                }
            }
        });
    }
    let current = move || {
        let here = address.get();
        all().into_iter().find(|v| v.query == here)
    };
    let navigate = use_navigate();
    let on_choose = {
        let path = path.clone();
        move |ev| {
            let query: String = event_target_value(&ev);
            let to = if query.is_empty() {
                path.clone()
            } else {
                format!("{path}?{query}")
            };
            navigate(&to, Default::default());
        }
    };
    let option = move |v: SavedView| {
        let chosen = {
            let q = v.query.clone();
            move || address.with(|a| *a == q)
        };
        let text = if v.mine {
            v.name.clone()
        } else {
            format!("{} (team, {})", v.name, v.owner)
        };
        view! { <option value=v.query prop:selected=chosen>{text}</option> }
    };

    let naming = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let message = RwSignal::new(String::new());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (n, q, s) = (
            name.get_untracked(),
            address.get_untracked(),
            shared.get_untracked(),
        );
        spawn_local(async move {
            match views::save(list, &n, &q, s).await {
                Ok(v) => {
                    message.set(format!("Saved the view \u{201c}{}\u{201d}.", v.name));
                    naming.set(false);
                    changed.update(|c| *c += 1);
                }
                Err(e) => message.set(
                    e.with_code("BAD_USER_INPUT")
                        .and_then(|g| g.field_errors().get("name"))
                        .map_or_else(|| e.to_string(), |m| format!("Name {m}")),
                ),
            }
        });
    };
    let remove = move |_| {
        let Some(v) = current().filter(|v| v.mine) else {
            return;
        };
        spawn_local(async move {
            match views::remove(&v.id).await {
                Ok(()) => {
                    message.set(format!("Removed the view \u{201c}{}\u{201d}.", v.name));
                    changed.update(|c| *c += 1);
                }
                Err(e) => message.set(e.to_string()),
            }
        });
    };
    // Administrators make the list's current view the one a role opens it with.
    let role_default = crate::components::session::use_session()
        .me
        .with_untracked(|me| me.as_ref().is_some_and(|me| me.can("role", "update")))
        .then(|| {
            let roles = crate::components::load::load_once(crate::api::roles::roles());
            let role = RwSignal::new(String::new());
            let set = move |_| {
                let (r, q) = (role.get_untracked(), address.get_untracked());
                let name = roles.with_untracked(|l| {
                    l.as_ref()
                        .and_then(|l| l.as_ref().ok())
                        .and_then(|l| l.iter().find(|x| x.id == r).map(|x| x.name.clone()))
                        .unwrap_or_default()
                });
                if r.is_empty() {
                    message.set("Choose a role first.".into());
                    return;
                }
                spawn_local(async move {
                    match views::set_role_default(&r, list, &q).await {
                        Ok(Some(_)) => message.set(format!("{name}: the list now opens with this view.")),
                        Ok(None) => message.set(format!("{name}: the list now opens as it comes.")),
                        Err(e) => message.set(e.to_string()),
                    }
                });
            };
            view! {
                <label class="inline-field">
                    "Role default"
                    <select id=format!("{list}-default-role") on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="">"Choose a role…"</option>
                        {move || roles.get().and_then(Result::ok).unwrap_or_default().into_iter()
                            .map(|r| view! { <option value=r.id>{r.name}</option> })
                            .collect_view()}
                    </select>
                </label>
                <button type="button" class="btn btn-small" id=format!("{list}-set-default") on:click=set>
                    "Make default"
                </button>
            }
        });
    let columns_menu = columns
        .iter()
        .skip(1)
        .map(|c| {
            let key = column_key(c.label);
            let shown = {
                let key = key.clone();
                move || state.with(|q| !q.hidden.contains(&key))
            };
            view! {
                <label class="checkbox">
                    <input type="checkbox" class="column-toggle" data-column=key.clone() prop:checked=shown
                        on:change=move |_| state.update(|q| q.toggle_column(&key)) />
                    {c.label}
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="views-bar" id=format!("{list}-views")>
            <label class="inline-field">
                "View"
                <select id=format!("{list}-view") on:change=on_choose>
                    <option value="" prop:selected=move || address.with(String::is_empty)>"Default"</option>
                    {move || all().into_iter().map(option).collect_view()}
                    {move || (current().is_none() && !address.with(String::is_empty))
                        .then(|| view! { <option value=address.get() selected>"This view (not saved)"</option> })}
                </select>
            </label>
            <button type="button" class="btn btn-small" id=format!("{list}-save-view")
                aria-expanded=move || naming.get().to_string()
                on:click=move |_| { name.set(current().filter(|v| v.mine).map(|v| v.name).unwrap_or_default()); naming.update(|n| *n = !*n) }>
                "Save view…"
            </button>
            {move || current().filter(|v| v.mine).map(|_| view! {
                <button type="button" class="btn btn-small btn-link" id=format!("{list}-remove-view") on:click=remove>"Remove view"</button>
            })}
            {role_default}
            <details class="columns-menu" id=format!("{list}-columns")
                on:focusout=move |ev: leptos::ev::FocusEvent| {
                    // Closes when the focus goes elsewhere (a click outside, Tab away).
                    let to = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                    close_menu(&ev, to);
                }
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        close_menu(&ev, None);
                    }
                }>
                <summary class="btn btn-small">"Columns"</summary>
                <div class="columns-list">{columns_menu}</div>
            </details>
            {move || naming.get().then(|| view! {
                <form class="save-view" on:submit=save>
                    <label class="inline-field">
                        "Name"
                        <input id=format!("{list}-view-name") type="text" maxlength="60" required
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    </label>
                    <label class="checkbox">
                        <input type="checkbox" id=format!("{list}-view-shared") prop:checked=move || shared.get()
                            on:change=move |ev| shared.set(event_target_checked(&ev)) />
                        "Share with my team"
                    </label>
                    <button type="submit" class="btn btn-primary btn-small">"Save"</button>
                    <button type="button" class="btn btn-small" on:click=move |_| naming.set(false)>"Cancel"</button>
                </form>
            })}
            <p class="views-message" role="status" id=format!("{list}-views-message")>{move || message.get()}</p>
        </div>
    }
    .into_any()
}
