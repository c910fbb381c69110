//! Browser single-page app of the CRM: a GraphQL client rendered with Leptos
//! (client-side only). `scripts/build-spa.sh` compiles this crate to WebAssembly and
//! splits it into a main module and one chunk per group of lazily loaded pages.

mod api;
mod app;
mod components;
mod format;
mod page;
mod pages;

/// Keeps all read-only data (strings, queries, tables) in the main module, on purpose.
///
/// `wasm-split-cli` (scripts/build-spa.sh) cuts the linker's `.rodata` segment into one run
/// per module, each started at the segment's alignment; when the runs come to more than the
/// segment as linked, it leaves all of it in the main module instead (it warns "Overlong
/// segment"). Without this block which way it goes hangs on a few bytes of padding: by one
/// build it moved about 44 KB gzipped between the first load and the pages, and data cut
/// per page costs each page group 1–5 KB more than it saves (each of its many shared chunks
/// gzipped on its own). Aligning one block of the segment to 4 KiB makes every run start
/// on a 4 KiB boundary, so the runs never fit and the data always stays whole in the main
/// module. The block is 4 KiB of zeros, kept by the linker (`#[used]`), read by nobody;
/// wasm-opt drops zero runs from the data, so it costs no download.
#[cfg(target_arch = "wasm32")]
#[used]
static READ_ONLY_DATA_IN_MAIN: Aligned = Aligned([0; 4096]);

/// A 4 KiB block aligned to 4 KiB.
#[cfg(target_arch = "wasm32")]
#[repr(C, align(4096))]
struct Aligned([u8; 4096]);

/// Mounts the app once the module is instantiated.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
    components::timing::mark_before_paint("crm:app-mounted");
}
