//! Running something after a pause in typing.

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use std::time::Duration;

/// One pending delayed call at a time: scheduling a new one cancels the last.
/// The pending call is cancelled when the owning component goes away.
#[derive(Clone, Copy)]
pub struct Debouncer {
    pending: StoredValue<Option<TimeoutHandle>>,
    delay: Duration,
}

impl Debouncer {
    /// A debouncer that waits `delay`.
    pub fn new(delay: Duration) -> Self {
        let debouncer = Self {
            pending: StoredValue::new(None),
            delay,
        };
        on_cleanup(move || debouncer.cancel());
        debouncer
    }

    /// Runs `f` after the delay, unless something else is scheduled first.
    pub fn schedule(&self, f: impl FnOnce() + 'static) {
        self.cancel();
        let handle = set_timeout_with_handle(f, self.delay).ok();
        self.pending.try_set_value(handle);
    }

    /// Drops the pending call, if any.
    pub fn cancel(&self) {
        if let Some(handle) = self.pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }
}
