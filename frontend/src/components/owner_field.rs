//! The owner picker of the record forms.

use crate::api::auth::User;
use crate::api::{users, FieldErrors};
use crate::components::field::FieldError;
use crate::components::load::load_once;
use leptos::prelude::*;

/// Owner picker fed by the `users` query. The current owner stays selectable
/// even when the list does not include them.
#[component]
pub fn OwnerField(
    /// Selected user id; empty for no owner.
    value: RwSignal<String>,
    /// The saved record's owner, always offered.
    #[prop(into)]
    current: Signal<Option<User>>,
    /// Current validation messages.
    errors: RwSignal<FieldErrors>,
    /// Read-only when the user may not change it.
    disabled: Signal<bool>,
) -> impl IntoView {
    let picker = load_once(users::assignable());
    let options = move || {
        // Without the list (e.g. not allowed) only the current owner is offered.
        let mut list: Vec<User> = picker.get().and_then(Result::ok).unwrap_or_default();
        if let Some(owner) = current.get() {
            if !list.iter().any(|u| u.id == owner.id) {
                list.insert(0, owner);
            }
        }
        list.into_iter()
            .map(|user| {
                let id = user.id.clone();
                view! {
                    <option value=user.id prop:selected=move || value.with(|v| *v == id)>
                        {user.display_name}
                    </option>
                }
            })
            .collect_view()
    };
    let invalid = move || errors.with(|e| e.get("ownerId").is_some());
    view! {
        <div class="field" class:has-error=invalid>
            <label for="field-ownerId">"Owner"</label>
            <select
                id="field-ownerId"
                name="ownerId"
                disabled=move || disabled.get()
                aria-invalid=move || invalid().then_some("true")
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>
                    "Default (you)"
                </option>
                {options}
            </select>
            <FieldError name="ownerId" errors />
        </div>
    }
}
