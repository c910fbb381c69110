//! Parts of a page whose code is fetched when they are first shown.
//!
//! [`lazy_part!`] puts a view function into its own WebAssembly chunk, as
//! `lazy_route!` does for a whole page: a big page (the party profile, the
//! lead page, the opportunity form, the board) shows its main content from
//! its own chunk and fetches its panels and dialogs in parallel. While a
//! part loads, its place is empty; if its chunk cannot be fetched, the part
//! shows the chunk error with "Reload" and the rest of the page keeps working.

use crate::components::lazy::ChunkError;
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::task::spawn_local;
use leptos::wasm_split::SplitLoaderError;
use std::future::Future;

/// Declares `$vis fn $name($arg: $ty) -> AnyView` that fetches the chunk
/// `$chunk` (once; then from the cache) and shows `$view($arg)` from it.
/// `$load` names the function that crosses into the chunk; it must be unique
/// in the crate. `$ty` must be a concrete type (a struct of the part's props).
///
/// ```ignore
/// lazy_part!(
///     /// The timeline beside a record.
///     pub fn record_side(props: SideProps), chunk = record_side, load = load_record_side, view = side
/// );
/// ```
macro_rules! lazy_part {
    ($(#[$attr:meta])* $vis:vis fn $name:ident($arg:ident: $ty:ty), chunk = $chunk:ident, load = $load:ident, view = $view:path) => {
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $load($arg: $ty) -> ::core::result::Result<
            ::leptos::prelude::AnyView,
            ::leptos::wasm_split::SplitLoaderError,
        > {
            ::core::result::Result::Ok($view($arg))
        }

        $(#[$attr])*
        $vis fn $name($arg: $ty) -> ::leptos::prelude::AnyView {
            $crate::page::lazy::when_loaded($load($arg))
        }
    };
}
pub(crate) use lazy_part;

/// Nothing until `part` is loaded, then the part, or [`ChunkError`] when its
/// chunk could not be fetched.
pub fn when_loaded(
    part: impl Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
) -> AnyView {
    let ready = RwSignal::new(false);
    let stash = StoredValue::new_local(None::<Result<AnyView, SplitLoaderError>>);
    // The part is built under the page's owner, so it finds the page's context
    // (session, router) and goes away with the page; untracked, so what it
    // reads while it is built does not redraw the place it is shown in.
    let part = ScopedFuture::new_untracked(part);
    spawn_local(async move {
        let loaded = part.await;
        // The page may be gone by now.
        if stash.try_set_value(Some(loaded)).is_none() {
            ready.try_set(true);
        }
    });
    (move || {
        if !ready.get() {
            return None;
        }
        // Shown once: `ready` changes only once.
        stash
            .try_update_value(Option::take)
            .flatten()
            .map(|part| match part {
                Ok(view) => view,
                Err(_) => view! { <ChunkError /> }.into_any(),
            })
    })
    .into_any()
}
