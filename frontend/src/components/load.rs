//! Loading what a page needs once, when it opens.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// Runs `load` now and keeps its answer: `None` until it comes. Lighter than
/// a resource for data that does not depend on other signals.
pub fn load_once<T: Send + Sync + 'static>(
    load: impl Future<Output = T> + 'static,
) -> ReadSignal<Option<T>> {
    let (answer, set) = signal(None);
    spawn_local(async move {
        let value = load.await;
        // The page may be gone by now.
        set.try_set(Some(value));
    });
    answer
}
