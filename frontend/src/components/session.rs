//! The state every page shares with the shell: who is signed in, a one-shot
//! notice for the next page, and the tab title. Pages import it from here, not
//! from the router, so a page module never depends on the app that routes to it.

use crate::api::auth::Me;
use leptos::prelude::*;

/// App-wide state, provided once by the app root.
#[derive(Clone, Copy, Debug)]
pub struct Session {
    /// The signed-in user, once loaded (by `login` or by the shell's `me` query).
    pub me: RwSignal<Option<Me>>,
    /// A one-shot notice for the next page, e.g. "Saved" after creating an account.
    pub flash: RwSignal<Option<String>>,
    /// What the server told the user on signing in (their account was locked meanwhile), shown
    /// over every page until dismissed.
    pub sign_in_notice: RwSignal<Option<String>>,
    /// The page has edits not saved yet: following a link or closing the tab asks first.
    pub unsaved: RwSignal<bool>,
}

impl Session {
    /// A session with nobody signed in.
    pub fn new() -> Self {
        Self {
            me: RwSignal::new(None),
            flash: RwSignal::new(None),
            sign_in_notice: RwSignal::new(None),
            unsaved: RwSignal::new(false),
        }
    }

    /// Takes the pending notice, if any.
    pub fn take_flash(&self) -> Option<String> {
        self.flash.try_update(Option::take).flatten()
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

/// The session provided by the app root.
pub fn use_session() -> Session {
    // Outside the app (never in practice) a detached session is harmless: nobody is signed in.
    use_context::<Session>().unwrap_or_default()
}

/// May the signed-in user do `action` on `object`? (Pages render once `me` is known.)
pub fn can(object: &str, action: &str) -> bool {
    use_session()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.can(object, action)))
}

/// Sets the browser tab title.
pub fn set_title(page: &str) {
    document().set_title(&format!("{page} · CRM"));
}
