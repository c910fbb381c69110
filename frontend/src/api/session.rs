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
    let location = window().location();
    let here = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    let _ = location.assign(&login_address(&here));
}

/// The sign-in page, asked to come back to `here` (a path and query of the app) afterwards.
pub fn login_address(here: &str) -> String {
    match here {
        "" | "/" | "/home" | "/login" => "/login".to_owned(),
        _ => format!("/login?next={}", crate::api::encode(here)),
    }
}

/// Where to go after signing in: `next` when it is a path of this app, else home. An address
/// of another site (`//evil.example`, `https://…`) is never followed.
pub fn after_sign_in(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") =>
        {
            path.to_owned()
        }
        _ => "/home".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_comes_back_to_the_page_asked_for() {
        assert_eq!(
            login_address("/pipeline?owner=me"),
            "/login?next=%2Fpipeline%3Fowner%3Dme"
        );
        assert_eq!(login_address("/home"), "/login");
        assert_eq!(
            after_sign_in(Some("/pipeline?owner=me")),
            "/pipeline?owner=me"
        );
        assert_eq!(after_sign_in(None), "/home");
        assert_eq!(after_sign_in(Some("//evil.example/x")), "/home");
        assert_eq!(after_sign_in(Some("/\\evil.example")), "/home");
        assert_eq!(after_sign_in(Some("https://evil.example")), "/home");
    }
}
