//! Browser single-page app of the CRM: a GraphQL client rendered with Leptos
//! (client-side only). `scripts/build-spa.sh` compiles this crate to WebAssembly and
//! splits it into a main module and one chunk per group of lazily loaded pages.

mod api;
mod app;
mod components;
mod format;
mod page;
mod pages;

/// Room for `wasm-split-cli` (scripts/build-spa.sh) to cut the read-only data per module.
///
/// The splitter cuts the linker's `.rodata` segment into one run per module (main, each page
/// group, each shared chunk), each started at the segment's alignment; when the runs come to
/// more than the segment as linked, it leaves all of it in the main module instead (it warns
/// "Overlong segment"), and every page's strings, queries and vtables land in the first load.
/// This block, kept by the linker (`#[used]`) and read by nobody, belongs to no module, so the
/// runs always have its 32 KiB to spare for their padding (16 bytes at most for each of a few
/// hundred modules) and the data is cut per module. Each page group's chunks travel as one
/// bundle (scripts/bundle-split.py), so a group's share of the data costs it little.
#[cfg(target_arch = "wasm32")]
#[used]
static READ_ONLY_DATA_SLACK: [u8; 32768] = [0; 32768];

/// Mounts the app once the module is instantiated.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
    components::timing::mark_before_paint("crm:app-mounted");
}
