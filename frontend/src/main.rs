//! Browser single-page app of the CRM: a GraphQL client rendered with Leptos
//! (client-side only). `trunk build` compiles this crate to WebAssembly.

mod api;
mod app;
mod components;
mod format;
mod pages;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
