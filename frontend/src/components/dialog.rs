//! The keyboard habits of a modal dialog: the focus moves into it when it opens, Tab and
//! Shift+Tab go round inside it, Esc closes it, and on closing the focus goes back to where it was
//! (the button that opened it).

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// What can take the focus inside a dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
                         select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/// The elements of `#id` that take the focus, in order.
fn focusable(id: &str) -> Vec<web_sys::HtmlElement> {
    let Some(list) = document()
        .get_element_by_id(id)
        .and_then(|dialog| dialog.query_selector_all(FOCUSABLE).ok())
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// Sets up the dialog `#id` (call it in the dialog's component) and gives its close: `on_close`
/// after the focus is given back. Put the returned key handler on the dialog's `on:keydown`.
pub fn modal(
    id: &'static str,
    on_close: Callback<()>,
) -> (Callback<()>, impl Fn(KeyboardEvent) + Clone) {
    let back = StoredValue::new_local(
        document()
            .active_element()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()),
    );
    request_animation_frame(move || {
        if let Some(first) = focusable(id).first() {
            let _ = first.focus();
        }
    });
    let close = Callback::new(move |()| {
        back.try_with_value(|el| {
            if let Some(el) = el {
                let _ = el.focus();
            }
        });
        on_close.run(());
    });
    let keys = move |ev: KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            ev.stop_propagation();
            close.run(());
        }
        "Tab" => {
            let items = focusable(id);
            let (Some(first), Some(last)) = (items.first(), items.last()) else {
                return;
            };
            let active = document().active_element();
            let at = |el: &web_sys::HtmlElement| {
                active
                    .as_ref()
                    .is_some_and(|a| a.is_same_node(Some(el.as_ref())))
            };
            if ev.shift_key() && at(first) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && at(last) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    };
    (close, keys)
}
