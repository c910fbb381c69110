//! Browser single-page app of the CRM: a GraphQL client rendered with Leptos
//! (client-side only). `scripts/build-spa.sh` compiles this crate to WebAssembly and
//! splits it into a main module and one chunk per group of lazily loaded pages.

mod api;
mod app;
mod components;
mod format;
mod page;
mod pages;

/// Mounts the app once the module is instantiated.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
    components::timing::mark_before_paint("crm:app-mounted");
}
