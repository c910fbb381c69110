//! Named moments on the browser's Performance timeline (`performance.mark`), measured from
//! the navigation's start: the browser tests read them, and DevTools shows them.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = mark)]
    fn performance_mark(name: &str);
}

/// Marks `name` before the browser next paints, i.e. once what the current update renders
/// is in the document.
pub fn mark_before_paint(name: &'static str) {
    leptos::prelude::request_animation_frame(move || performance_mark(name));
}
