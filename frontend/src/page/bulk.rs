//! Changing many rows of a list at once: tick rows (or every row shown), then give them to
//! another owner or archive them, all or none. The bar shows only the actions the caller's grants
//! allow, and a list without any offers no checkboxes.

use super::lazy::lazy_part;
use crate::api::users;
use crate::api::ApiError;
use crate::components::load::load_once;
use crate::format;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// Runs a bulk action: the ticked rows' ids and the chosen user (empty when the action needs
/// none); answers how many records it changed.
pub type BulkRun =
    Rc<dyn Fn(Vec<String>, String) -> Pin<Box<dyn Future<Output = Result<usize, ApiError>>>>>;

/// A [`BulkRun`] from an async closure.
pub fn bulk_run<F>(run: impl Fn(Vec<String>, String) -> F + 'static) -> BulkRun
where
    F: Future<Output = Result<usize, ApiError>> + 'static,
{
    Rc::new(move |ids, user| Box::pin(run(ids, user)))
}

/// One action of the bulk bar.
#[derive(Clone)]
pub struct BulkAction {
    /// DOM id of its button, e.g. `bulk-assign`.
    pub id: &'static str,
    /// Text of its button, e.g. "Assign".
    pub label: &'static str,
    /// The object and action the grant names, e.g. `("account", "update")`.
    pub grant: (&'static str, &'static str),
    /// Gives the rows to the user picked in the bar.
    pub to_user: bool,
    /// What happened to them, e.g. "reassigned".
    pub done: &'static str,
    /// Asked before it runs (destructive acts), e.g. "Archive the selected accounts?".
    pub confirm: Option<&'static str>,
    /// The request.
    pub run: BulkRun,
}

/// What the bulk bar needs of its list.
pub struct BulkProps {
    /// The list's key (its DOM-id stem).
    pub list: &'static str,
    /// What one and several rows are called.
    pub words: (&'static str, &'static str),
    /// The actions the caller may run.
    pub actions: Vec<BulkAction>,
    /// The ticked rows' ids.
    pub selected: RwSignal<Vec<String>>,
    /// Runs after an action changed records (the list loads again).
    pub changed: Callback<()>,
}

lazy_part!(
    /// The bulk bar, from the chunk it shares with the views bar.
    pub fn bulk_bar(props: BulkProps), chunk = list_tools, load = load_bulk_bar, view = bulk_bar_view
);

/// The bar over a list with ticked rows: how many, the allowed actions, "Clear".
fn bulk_bar_view(props: BulkProps) -> AnyView {
    let BulkProps {
        list,
        words: (singular, plural),
        actions,
        selected,
        changed,
    } = props;
    let user = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let message = RwSignal::new(String::new());
    let picker = actions
        .iter()
        .any(|a| a.to_user)
        .then(|| {
            let people = load_once(users::assignable());
            view! {
                <label class="inline-field">
                    "Owner"
                    <select id=format!("{list}-bulk-owner") on:change=move |ev| user.set(event_target_value(&ev))>
                        <option value="">"Choose…"</option>
                        {move || people.get().and_then(Result::ok).unwrap_or_default().into_iter()
                            .map(|u| view! { <option value=u.id>{u.display_name}</option> })
                            .collect_view()}
                    </select>
                </label>
            }
        });
    let buttons = actions
        .into_iter()
        .map(|a| {
            let run = StoredValue::new_local(a.run.clone());
            let (to_user, done, confirm) = (a.to_user, a.done, a.confirm);
            let on_click = move |_| {
                let ids = selected.get_untracked();
                let who = user.get_untracked();
                if to_user && who.is_empty() {
                    message.set("Choose the owner first.".into());
                    return;
                }
                if let Some(question) = confirm {
                    if !window().confirm_with_message(question).unwrap_or(false) {
                        return;
                    }
                }
                busy.set(true);
                let answer = run.with_value(|r| r(ids, who));
                spawn_local(async move {
                    match answer.await {
                        Ok(n) => {
                            message.set(format!(
                                "{} {done}.",
                                format::count(n as i64, singular, plural)
                            ));
                            selected.set(Vec::new());
                            changed.run(());
                        }
                        Err(e) => message.set(format!("Nothing changed: {e}")),
                    }
                    busy.set(false);
                });
            };
            view! {
                <button type="button" class="btn btn-small" id=a.id disabled=move || busy.get()
                    on:click=on_click>{a.label}</button>
            }
        })
        .collect_view();
    let count = move || selected.with(|s| format!("{} selected", s.len()));
    view! {
        <div class="bulk-bar" id=format!("{list}-bulk") role="region" aria-label="Change the selected rows"
            hidden=move || selected.with(Vec::is_empty)>
            <span class="bulk-count" id=format!("{list}-selected")>{count}</span>
            {picker}
            {buttons}
            <button type="button" class="btn btn-small btn-link" on:click=move |_| selected.set(Vec::new())>"Clear"</button>
        </div>
        <p class="bulk-message" role="status" id=format!("{list}-bulk-message")>{move || message.get()}</p>
    }
    .into_any()
}
