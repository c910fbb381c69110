//! The command palette (Ctrl+K or ⌘K): one box to jump to a page, start an action or open a
//! person or organisation by name, or one of the records opened last. It offers only what the
//! caller's grants allow. Arrow keys
//! move through the choices, Enter opens one, Esc closes; the focus stays in the box while it is
//! open and goes back where it was when it closes.

use crate::api::auth::Me;
use crate::api::parties::{self, PartyKind};
use crate::components::debounce::Debouncer;
use crate::components::nav::{self, Need, NAV};
use crate::components::recent;
use crate::components::session::use_session;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;
use leptos_router::hooks::use_navigate;
use std::time::Duration;

/// Records offered for a search.
const RECORDS: u32 = 6;
/// Fewest characters worth a record search.
const MIN_CHARS: usize = 2;

/// One choice of the palette.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// What it is: "Page", "Action", "Person", "Organisation".
    pub kind: &'static str,
    pub label: String,
    pub href: String,
}

/// Actions the palette offers, with the grant each needs.
const ACTIONS: &[(&str, &str, Need)] = &[
    (
        "New account",
        "/accounts/new",
        Need::Grant("account", "create"),
    ),
    ("New person", "/people/new", Need::Grant("party", "create")),
    (
        "New organisation",
        "/organizations/new",
        Need::Grant("party", "create"),
    ),
    (
        "New opportunity",
        "/opportunities/new",
        Need::Grant("opportunity", "create"),
    ),
];

/// Does `label` contain every word of `text` (ASCII case ignored)?
fn matches(label: &str, text: &str) -> bool {
    let label = label.to_ascii_lowercase();
    text.split_whitespace()
        .all(|word| label.contains(&word.to_ascii_lowercase()))
}

/// The pages and actions `me` may open whose label matches `text` (all of them for no text).
pub fn fixed_choices(me: &Me, text: &str) -> Vec<Choice> {
    let pages = NAV
        .iter()
        .flat_map(|group| nav::visible(group, me))
        .map(|p| Choice {
            kind: "Page",
            label: p.label.to_owned(),
            href: p.href.to_owned(),
        });
    let actions = ACTIONS
        .iter()
        .filter(|(_, _, need)| need.met_by(me))
        .map(|(label, href, _)| Choice {
            kind: "Action",
            label: (*label).to_owned(),
            href: (*href).to_owned(),
        });
    pages
        .chain(actions)
        .filter(|c| matches(&c.label, text))
        .collect()
}

/// The element that has the focus, to give it back on closing.
fn focused_element() -> Option<web_sys::HtmlElement> {
    document()
        .active_element()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Whether the palette is open: provided by the shell, which mounts the palette (its code is
/// fetched on first use) while it is.
#[derive(Clone, Copy)]
pub struct PaletteOpen(pub RwSignal<bool>);

/// The palette, mounted while open.
#[component]
pub fn CommandPalette() -> impl IntoView {
    let Some(PaletteOpen(open)) = use_context::<PaletteOpen>() else {
        return ().into_any();
    };
    let session = use_session();
    let navigate = use_navigate();
    let text = RwSignal::new(String::new());
    let records = RwSignal::new(Vec::<Choice>::new());
    let active = RwSignal::new(0_usize);
    let generation = StoredValue::new(0_u32);
    let debouncer = Debouncer::new(Duration::from_millis(200));
    // The focus goes back where it was when the palette closes without going anywhere.
    let return_focus = StoredValue::new_local(focused_element());
    let close = move || {
        if let Some(el) = return_focus.try_update_value(Option::take).flatten() {
            let _ = el.focus();
        }
        open.set(false);
    };
    let input = NodeRef::<leptos::html::Input>::new();

    let choices = Memo::new(move |_| {
        let text = text.get();
        let fixed = session.me.with(|me| {
            me.as_ref()
                .map(|me| fixed_choices(me, &text))
                .unwrap_or_default()
        });
        if text.trim().is_empty() {
            // Before anything is typed: the records opened last, then every page and action.
            let mut list: Vec<Choice> = recent::list()
                .into_iter()
                .map(|r| Choice {
                    kind: "Recent",
                    label: r.label,
                    href: r.href,
                })
                .collect();
            list.extend(fixed);
            list
        } else {
            let mut list = fixed;
            list.extend(records.get());
            list
        }
    });

    // The box takes the focus once it is on the page.
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });

    let search = move |value: String| {
        text.set(value.clone());
        active.set(0);
        let ticket = generation.try_update_value(|g| {
            *g += 1;
            *g
        });
        if value.trim().chars().count() < MIN_CHARS
            || !session
                .me
                .with_untracked(|me| me.as_ref().is_some_and(|me| me.can("party", "read")))
        {
            debouncer.cancel();
            records.set(Vec::new());
            return;
        }
        debouncer.schedule(move || {
            spawn_local(async move {
                let found = parties::search(value.trim(), RECORDS)
                    .await
                    .unwrap_or_default();
                if generation.try_get_value() != ticket {
                    return;
                }
                records.try_set(
                    found
                        .into_iter()
                        .map(|p| Choice {
                            kind: match p.kind {
                                PartyKind::Person => "Person",
                                PartyKind::Organization => "Organisation",
                            },
                            label: p.display_name,
                            href: format!("/parties/{}", p.id),
                        })
                        .collect(),
                );
            });
        });
    };

    let go = move |choice: Choice| {
        open.set(false);
        navigate(&choice.href, Default::default());
    };
    let go_key = go.clone();
    let on_keydown = move |ev: KeyboardEvent| {
        let len = choices.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if len > 0 => {
                ev.prevent_default();
                active.update(|i| *i = (*i + 1) % len);
            }
            "ArrowUp" if len > 0 => {
                ev.prevent_default();
                active.update(|i| *i = (*i + len - 1) % len);
            }
            "Enter" => {
                ev.prevent_default();
                let chosen = choices.with_untracked(|c| c.get(active.get_untracked()).cloned());
                if let Some(choice) = chosen {
                    go_key(choice);
                }
            }
            "Escape" => {
                ev.prevent_default();
                close();
            }
            // The box is the dialog's one tab stop: the focus stays in it.
            "Tab" => ev.prevent_default(),
            _ => {}
        }
    };

    {
        {
            let go = go.clone();
            let list = move || {
                let go = go.clone();
                choices
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, choice)| {
                        let go = go.clone();
                        let chosen = choice.clone();
                        view! {
                            <li
                                role="option"
                                class="palette-item"
                                id=format!("palette-item-{i}")
                                class:active=move || active.get() == i
                                aria-selected=move || (active.get() == i).to_string()
                                on:mousedown=move |ev| ev.prevent_default()
                                on:click=move |_| go(chosen.clone())
                            >
                                <span class="palette-label">{choice.label}</span>
                                <span class="palette-kind">{choice.kind}</span>
                            </li>
                        }
                    })
                    .collect_view()
            };
            view! {
                <div class="palette-backdrop" on:click=move |_| close()></div>
                <div
                    class="palette card"
                    id="palette"
                    role="dialog"
                    aria-modal="true"
                    aria-label="Go to a page, an action or a record"
                >
                    <input
                        id="palette-input"
                        type="text"
                        role="combobox"
                        aria-expanded="true"
                        aria-controls="palette-list"
                        aria-activedescendant=move || format!("palette-item-{}", active.get())
                        aria-label="Go to"
                        placeholder="Go to a page, an action or a person…"
                        autocomplete="off"
                        node_ref=input
                        prop:value=move || text.get()
                        on:input=move |ev| search(event_target_value(&ev))
                        on:keydown=on_keydown.clone()
                    />
                    <ul id="palette-list" role="listbox" aria-label="Choices">
                        {list}
                    </ul>
                    {move || {
                        choices
                            .with(Vec::is_empty)
                            .then(|| view! { <p class="muted palette-empty">"Nothing matches."</p> })
                    }}
                </div>
            }
        }
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::auth::{Permission, Role, User};

    fn me(grants: &[(&str, &str)]) -> Me {
        Me {
            user: User::default(),
            role: Role::default(),
            permissions: grants
                .iter()
                .map(|(object, action)| Permission {
                    object: (*object).into(),
                    actions: vec![(*action).into()],
                })
                .collect(),
            field_permissions: Vec::new(),
        }
    }

    #[test]
    fn only_what_the_grants_allow_is_offered() {
        let reader = me(&[("opportunity", "read")]);
        let labels: Vec<_> = fixed_choices(&reader, "")
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert!(labels.contains(&"Pipeline".to_owned()));
        assert!(!labels.contains(&"New opportunity".to_owned()));
        assert!(!labels.contains(&"Audit trail".to_owned()));
        let writer = me(&[("opportunity", "read"), ("opportunity", "create")]);
        let found = fixed_choices(&writer, "new OPP");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].href, "/opportunities/new");
    }
}
