//! The bearer token, kept in `localStorage` under [`TOKEN_KEY`] so a reload
//! keeps the user signed in.

use leptos::prelude::window;

/// `localStorage` key of the bearer token.
pub const TOKEN_KEY: &str = "crm.token";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The stored token, if the user is signed in.
pub fn token() -> Option<String> {
    storage()?
        .get_item(TOKEN_KEY)
        .ok()
        .flatten()
        .filter(|t| !t.is_empty())
}

/// Stores the token returned by `login`.
pub fn set_token(token: &str) {
    if let Some(storage) = storage() {
        // Private browsing may refuse storage; the session then lasts until reload.
        let _ = storage.set_item(TOKEN_KEY, token);
    }
}

/// Forgets the token.
pub fn clear_token() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(TOKEN_KEY);
    }
}

/// Ends a session the server no longer accepts: clears the token and loads
/// `/login` afresh, which also drops every piece of state of the old session.
pub fn expire() {
    clear_token();
    let _ = window().location().assign("/login");
}
