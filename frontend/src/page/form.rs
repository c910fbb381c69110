//! The record form every domain's edit page is: breadcrumb, a header with the
//! record's name, code, badges and actions, the notices, the version conflict
//! with "Reload", labelled fields with their validation messages, and the
//! save button with its busy state.
//!
//! A domain keeps its draft (the text as typed, and how it becomes a create
//! or update input: `pages/<domain>/draft.rs`), declares one signal per input
//! with [`draft_signals!`], lists its [`Field`]s, and hands a [`FormSpec`] with
//! its [`Save`] (and, for a saved record, its reload) to [`record_form`], which
//! renders it, runs the save and puts each message where it belongs.

use crate::api::{ApiError, FieldErrors};
use crate::components::session::use_session;
use crate::components::status::Status;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use std::future::Future;
use std::pin::Pin;

pub use super::field::{code_hint, Field};
use super::field::{field_view, Value};
use super::merge::{merge, Merged};

/// Declares `$name`, one `RwSignal` per field of the draft `$draft` (fields of
/// the same names and types), with `new(&draft)`, `get()` (the draft as typed,
/// untracked) and `fill(draft)`.
///
/// ```ignore
/// draft_signals! {
///     /// One signal per input of the form.
///     struct DraftSignals for AccountDraft { name: String, code: String }
/// }
/// ```
macro_rules! draft_signals {
    ($(#[$attr:meta])* struct $name:ident for $draft:ident { $($field:ident: $ty:ty),* $(,)? }) => {
        $(#[$attr])*
        #[derive(Clone, Copy)]
        struct $name {
            $($field: ::leptos::prelude::RwSignal<$ty>,)*
        }

        impl $name {
            fn new(draft: &$draft) -> Self {
                Self { $($field: ::leptos::prelude::RwSignal::new(draft.$field.clone()),)* }
            }

            fn get(&self) -> $draft {
                use ::leptos::prelude::GetUntracked;
                $draft { $($field: self.$field.get_untracked(),)* }
            }

            #[allow(dead_code)]
            fn fill(&self, draft: $draft) {
                use ::leptos::prelude::Set;
                $(self.$field.set(draft.$field);)*
            }
        }
    };
}
pub(crate) use draft_signals;

/// Whether the inputs are read-only: the user may not save, or a request is under way.
pub fn read_only(status: Status, can_save: bool) -> Signal<bool> {
    Signal::derive(move || !can_save || status.busy.get())
}

/// How a save ended well.
pub enum Saved {
    /// Go to this address, with the notice "Saved" there.
    Go(String),
    /// Stay, showing this notice (the domain has shown the saved record).
    Stay(&'static str),
}

/// How a save failed.
pub enum Failed {
    /// The server said no. Messages about input paths starting with the first
    /// of a pair go next to the field named by the second.
    Api(ApiError, Vec<(String, &'static str)>),
    /// The form's own checks found these.
    Invalid(FieldErrors),
}

impl From<ApiError> for Failed {
    fn from(e: ApiError) -> Self {
        Failed::Api(e, Vec::new())
    }
}

/// A request of the form: save, reload, or another action of its header.
pub type Run<T> = Box<dyn Fn() -> Pin<Box<dyn Future<Output = T>>>>;

/// The save: reads the draft, sends it, and says how it went.
pub type Save = Run<Result<Saved, Failed>>;

/// A [`Run`] from an async closure.
pub fn run<T, F>(f: impl Fn() -> F + 'static) -> Run<T>
where
    F: Future<Output = T> + 'static,
{
    Box::new(move || Box::pin(f()))
}

/// What a domain says about its form.
pub struct FormSpec {
    /// The list it belongs to: address and name, for the breadcrumb.
    pub crumb: (&'static str, &'static str),
    /// The record's name, or "New …".
    pub heading: Signal<String>,
    /// After the name in the heading: code, badges.
    pub badges: Option<AnyView>,
    /// Header actions (links, buttons).
    pub actions: Option<AnyView>,
    /// What the record is called in the conflict notice, e.g. "account".
    pub noun: &'static str,
    /// The state of the last request.
    pub status: Status,
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// The user may save (the save button is shown, the fields are editable).
    pub can_save: bool,
    /// Where "Cancel" (or "Back" when the user may not save) leads.
    pub cancel: Signal<String>,
    /// Buttons at the far end of the form's actions (archive…).
    pub more: Option<AnyView>,
    /// Between the notices and the form (workflow buttons, dialogs).
    pub before: Option<AnyView>,
    /// Beside the form (history, timeline); the form then takes the main column.
    pub side: Option<AnyView>,
    /// Runs the save.
    pub save: Save,
    /// Reads the record again after a conflict, dropping unsaved edits.
    pub reload: Option<Run<Result<(), ApiError>>>,
}

/// `fields` drawn with their messages from `errors`, read-only while `read_only`:
/// for a form that is not a record form (e.g. the board's filters).
pub fn fields_view(
    fields: Vec<Field>,
    errors: RwSignal<FieldErrors>,
    read_only: Signal<bool>,
) -> AnyView {
    fields
        .into_iter()
        .map(|f| field_view(f, errors, read_only))
        .collect_view()
        .into_any()
}

/// Runs the request `make` makes as the form's one request under way, then
/// hands its answer to `done`; nothing when a request is already under way.
pub fn start<T: 'static, F: Future<Output = T> + 'static>(
    status: Status,
    make: impl FnOnce() -> F,
    done: impl FnOnce(T) + 'static,
) {
    if !status.start() {
        return;
    }
    let answer = make();
    spawn_local(async move { done(answer.await) });
}

/// Shows where `failure` belongs: next to the fields in `shown`, the rest at the top.
pub fn show_failure(status: Status, failure: Failed, shown: &[&'static str]) {
    match failure {
        Failed::Api(e, renames) => status.fail_renamed(e, shown, |path| {
            renames
                .iter()
                .find(|(from, _)| {
                    path.strip_prefix(from.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
                })
                .map(|(_, to)| *to)
        }),
        Failed::Invalid(fields) => {
            status.busy.set(false);
            status.fields.set(fields);
        }
    }
}

/// A value both the user and someone else changed, differently.
#[derive(Clone)]
struct Clash {
    value: Value,
    mine: String,
    theirs: String,
}

/// The values of `values` now.
fn snapshot(values: &[Value]) -> Vec<String> {
    values.iter().map(|v| v.value.get_untracked()).collect()
}

/// After a reload put their values in the form: puts back what only the user changed and
/// answers the clashes (each left at the user's value until they choose).
fn merge_in(values: &[Value], base: &[String], mine: &[String]) -> (bool, Vec<Clash>) {
    let mut kept = false;
    let mut clashes = Vec::new();
    for ((v, base), mine) in values.iter().zip(base).zip(mine) {
        let theirs = v.value.get_untracked();
        match merge(base, mine, &theirs) {
            Merged::Theirs => {}
            Merged::Mine => {
                v.value.set(mine.clone());
                kept = true;
            }
            Merged::Clash => {
                v.value.set(mine.clone());
                clashes.push(Clash {
                    value: *v,
                    mine: mine.clone(),
                    theirs,
                });
            }
        }
    }
    (kept, clashes)
}

/// The clashes of a merge, each with "Keep mine" and "Take theirs".
fn clashes_view(clashes: RwSignal<Vec<Clash>>) -> impl IntoView {
    move || {
        let list = clashes.get();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let settle = move |take_theirs: bool| {
                        clashes.update(|all| {
                            if let Some(c) = all.get(i) {
                                let value = if take_theirs { &c.theirs } else { &c.mine };
                                c.value.value.set(value.clone());
                            }
                            all.remove(i);
                        })
                    };
                    view! {
                        <li class="clash" data-label=c.value.label>
                            <span class="clash-label">{c.value.label}</span>
                            " — yours: " <strong class="clash-mine">{c.value.read(&c.mine)}</strong>
                            ", theirs: " <strong class="clash-theirs">{c.value.read(&c.theirs)}</strong>
                            <button type="button" class="btn btn-small keep-mine" on:click=move |_| settle(false)>"Keep mine"</button>
                            <button type="button" class="btn btn-small take-theirs" on:click=move |_| settle(true)>"Take theirs"</button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="alert alert-warning" role="region" aria-label="Changes to choose between" id="form-clashes">
                    <p>"You and someone else changed these differently. Choose for each, then save:"</p>
                    <ul class="clashes">{items}</ul>
                </div>
            }
        })
    }
}

/// The form `spec` describes.
pub fn record_form(spec: FormSpec) -> AnyView {
    let FormSpec {
        crumb,
        heading,
        badges,
        actions,
        noun,
        status,
        fields,
        can_save,
        cancel,
        more,
        before,
        side,
        save,
        reload,
    } = spec;
    let session = use_session();
    let navigate = use_navigate();
    let errors = status.fields;
    let read_only = read_only(status, can_save);
    let shown: Vec<&'static str> = fields.iter().flat_map(Field::names).collect();
    // The values as loaded or last saved: what a conflict's merge compares with.
    let values: Vec<Value> = fields.iter().flat_map(Field::values).collect();
    let base = StoredValue::new(snapshot(&values));
    let values = StoredValue::new(values);
    let rebase = move || base.set_value(values.with_value(|v| snapshot(v)));
    let clashes = RwSignal::new(Vec::<Clash>::new());
    let shown = StoredValue::new(shown);
    let save = StoredValue::new_local(save);
    let reload = reload.map(StoredValue::new_local);
    // Edits not saved yet: leaving the page asks first (the shell's guard); leaving resets it.
    let dirty = session.unsaved;
    dirty.set(false);
    on_cleanup(move || dirty.set(false));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !can_save {
            return;
        }
        let navigate = navigate.clone();
        start(
            status,
            || save.with_value(|save| save()),
            move |outcome| match outcome {
                Ok(Saved::Go(href)) => {
                    status.busy.set(false);
                    dirty.set(false);
                    session.flash.set(Some("Saved".to_owned()));
                    navigate(&href, Default::default());
                }
                Ok(Saved::Stay(notice)) => {
                    dirty.set(false);
                    rebase();
                    clashes.set(Vec::new());
                    status.succeed(notice)
                }
                Err(failure) => show_failure(status, failure, &shown.get_value()),
            },
        );
    };
    let conflict = move || {
        // "Reload": their version, dropping the edits.
        let drop_mine = reload.map(|reload| {
            move |_| {
                start(
                    status,
                    || reload.with_value(|reload| reload()),
                    move |answer| match answer {
                        Ok(()) => {
                            dirty.set(false);
                            rebase();
                            clashes.set(Vec::new());
                            status.busy.set(false)
                        }
                        Err(e) => status.fail(e, &[]),
                    },
                )
            }
        });
        // "Merge": their version with the edits put back, clashes to choose.
        let merge_mine = reload.map(|reload| {
            move |_| {
                let mine = values.with_value(|v| snapshot(v));
                start(
                    status,
                    || reload.with_value(|reload| reload()),
                    move |answer| match answer {
                        Ok(()) => {
                            let theirs = values.with_value(|v| snapshot(v));
                            let (kept, found) = base.with_value(|base| {
                                values.with_value(|v| merge_in(v, base, &mine))
                            });
                            base.set_value(theirs);
                            dirty.set(kept || !found.is_empty());
                            let notice = if found.is_empty() {
                                "Their changes are in the form, and yours are kept: save to keep both."
                            } else {
                                "Their changes are in the form, and yours are kept where they did not change the same field."
                            };
                            clashes.set(found);
                            status.succeed(notice);
                        }
                        Err(e) => status.fail(e, &[]),
                    },
                )
            }
        });
        status.conflict.get().then(|| {
            view! {
                <div class="alert alert-warning" role="alert" id="form-conflict">
                    <p>"Someone else changed this " {noun} " since you opened it. Merge their changes with yours, or reload theirs and drop yours."</p>
                    {merge_mine.map(|on_click| view! { <button type="button" id="merge" class="btn btn-primary" on:click=on_click>"Merge"</button> })}
                    {drop_mine.map(|on_click| view! { <button type="button" id="reload" class="btn" on:click=on_click>"Reload"</button> })}
                </div>
            }
        })
    };
    let class = if side.is_some() {
        "card record-form profile-main"
    } else {
        "card record-form"
    };
    let form = view! {
        <form
            class=class
            on:submit=on_submit
            on:input=move |_| dirty.set(can_save)
            on:change=move |_| dirty.set(can_save)
            novalidate
        >
            <div class="form-grid">
                {fields_view(fields, errors, read_only)}
            </div>
            <div class="form-actions">
                {can_save.then(|| view! {
                    <button type="submit" id="save" class="btn btn-primary" disabled=move || status.busy.get()>
                        {move || if status.busy.get() { "Saving…" } else { "Save" }}
                    </button>
                })}
                <a class="btn" href=cancel>{if can_save { "Cancel" } else { "Back" }}</a>
                <span class="spacer"></span>
                {more}
            </div>
        </form>
    };
    let body = match side {
        Some(side) => view! { <div class="profile-grid">{form} {side}</div> }.into_any(),
        None => form.into_any(),
    };
    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href=crumb.0>{crumb.1}</a>
            <span aria-hidden="true">" / "</span>
            <span aria-current="page">{heading}</span>
        </nav>
        <div class="page-header">
            <h1>{heading} {badges}</h1>
            {actions}
        </div>
        {move || status.notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="form-notice">{n}</p> })}
        {move || status.general.get().map(|m| view! { <p class="alert alert-error" role="alert" id="form-error">{m}</p> })}
        {conflict}
        {clashes_view(clashes)}
        {before}
        {body}
    }
    .into_any()
}
