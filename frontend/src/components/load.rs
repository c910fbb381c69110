//! Loading what a page needs: once when it opens, or again when what it
//! depends on changes.

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

/// Runs `load` now, and again whenever a signal it reads (before its first
/// `await`) changes; the answer is `None` until the first one comes, and an
/// answer overtaken by a newer request is dropped. Lighter in the bundle than
/// a resource.
pub fn reload<T, F>(load: impl Fn() -> F + 'static) -> RwSignal<Option<T>>
where
    T: Send + Sync + 'static,
    F: Future<Output = T> + 'static,
{
    let data = RwSignal::new(None);
    let asked = StoredValue::new(0_u32);
    Effect::new(move |_| {
        let answer = load();
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        spawn_local(async move {
            let value = answer.await;
            if asked.try_get_value() == Some(this) {
                data.try_set(Some(value));
            }
        });
    });
    data
}
