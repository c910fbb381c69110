//! Pages whose code is fetched on first visit.
//!
//! [`lazy_route!`] declares a route whose page is compiled into its own WebAssembly
//! chunk (`wasm-split-cli` cuts the module at the function it generates; see
//! `scripts/build-spa.sh`). A chunk that cannot be fetched — the network dropped, or
//! a newer version was deployed since the tab opened — shows [`ChunkError`] with a
//! reload button in place of the page instead of stopping the app; the failure is
//! not remembered, so visiting the page again tries again.

use crate::components::session::set_title;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

/// Declares a unit struct `$route` implementing [`leptos_router::LazyRoute`] whose
/// view is the component `$page` (in scope, without props), placed in the chunk
/// `$chunk`. Routes naming the same chunk share it. `$load` names the function that
/// crosses into the chunk; it must be unique in the crate.
///
/// ```ignore
/// lazy_route!(
///     /// `/web-forms`
///     WebFormsRoute, chunk = web_forms, load = load_web_forms, page = WebFormsPage
/// );
/// // <Route path=path!("web-forms") view={Lazy::<WebFormsRoute>::new()} />
/// ```
macro_rules! lazy_route {
    ($(#[$attr:meta])* $route:ident, chunk = $chunk:ident, load = $load:ident, page = $page:ident) => {
        $(#[$attr])*
        #[derive(Debug)]
        pub struct $route;

        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $load() -> ::core::result::Result<
            ::leptos::prelude::AnyView,
            ::leptos::wasm_split::SplitLoaderError,
        > {
            use ::leptos::prelude::IntoAny;
            ::core::result::Result::Ok(::leptos::prelude::view! { <$page /> }.into_any())
        }

        impl ::leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_: Self) -> ::leptos::prelude::AnyView {
                $crate::components::lazy::page_or_error($load().await)
            }
        }
    };
}
pub(crate) use lazy_route;

/// The loaded page, or [`ChunkError`] when its chunk could not be fetched.
pub fn page_or_error(page: Result<AnyView, SplitLoaderError>) -> AnyView {
    match page {
        Ok(view) => view,
        Err(_) => view! { <ChunkError /> }.into_any(),
    }
}

/// Shown in place of a page whose code could not be fetched.
#[component]
pub fn ChunkError() -> impl IntoView {
    set_title("Not loaded");
    let reload = |_| {
        // A reload fetches the current index.html and the chunks it names.
        let _ = window().location().reload();
    };
    view! {
        <div class="card narrow" id="chunk-error" role="alert">
            <h1>"This page could not be loaded"</h1>
            <p>
                "The connection may have dropped, or a new version of the CRM was installed "
                "since this tab was opened. Reload to continue."
            </p>
            <button type="button" class="btn btn-primary" id="chunk-reload" on:click=reload>
                "Reload"
            </button>
        </div>
    }
}
