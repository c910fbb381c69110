//! Finding a party by name, code or area while typing: the header's global
//! search, and the party picker of the relationship form.

use crate::api::parties::{self, Party};
use crate::api::ApiError;
use crate::components::debounce::Debouncer;
use crate::format;
use leptos::ev::{FocusEvent, KeyboardEvent};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// Fewest characters worth a search.
const MIN_CHARS: usize = 2;
/// Hits shown.
const HITS: u32 = 10;
/// Quiet time after the last keystroke before the search runs.
const DELAY: Duration = Duration::from_millis(250);

/// What the dropdown shows.
#[derive(Clone, Debug, PartialEq)]
enum Results {
    /// Nothing asked yet, or too little typed.
    Closed,
    /// The answer to the search for the text in the first field.
    Hits(String, Vec<Party>),
    /// The last search failed.
    Failed(String),
}

/// The next highlighted row when moving by `step` through `len` rows (wrapping).
fn step_active(active: Option<usize>, len: usize, step: isize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let next = match active {
        None if step > 0 => 0,
        None => len - 1,
        Some(i) => (i as isize + step).rem_euclid(len as isize) as usize,
    };
    Some(next)
}

/// A search box with a dropdown of matching parties (`.search-hit`, each a
/// link to the party's profile). Arrow keys move through the hits, Enter opens
/// the highlighted (or first) one, Escape closes the dropdown.
///
/// With `on_pick` a chosen hit is handed over instead of opened.
#[component]
pub fn PartySearch(
    /// `id` of the input; the dropdown is `{input_id}-results`.
    input_id: &'static str,
    /// Accessible label (also the placeholder).
    label: &'static str,
    /// Called with the chosen party instead of opening its profile.
    #[prop(optional)]
    on_pick: Option<Callback<Party>>,
    /// A party never offered (e.g. the one whose profile is shown).
    #[prop(optional, into)]
    exclude: Option<String>,
    /// Extra class of the wrapper.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let navigate = use_navigate();
    let text = RwSignal::new(String::new());
    let results = RwSignal::new(Results::Closed);
    let active = RwSignal::new(None::<usize>);
    // Answers that come back after a newer search started are dropped.
    let generation = StoredValue::new(0_u32);
    // Enter was pressed before the answer for the current text came back.
    let open_first = StoredValue::new(false);
    let debouncer = Debouncer::new(DELAY);
    let exclude = StoredValue::new(exclude);
    let list_id = format!("{input_id}-results");

    let close = move || {
        debouncer.cancel();
        generation.update_value(|g| *g += 1);
        open_first.set_value(false);
        results.set(Results::Closed);
        active.set(None);
    };
    let hits = move || -> Vec<Party> {
        results.with_untracked(|r| match r {
            Results::Hits(_, hits) => hits.clone(),
            _ => Vec::new(),
        })
    };
    let choose = move |party: Party| {
        close();
        text.set(String::new());
        match on_pick {
            Some(pick) => pick.run(party),
            None => navigate(&party.profile_href(), Default::default()),
        }
    };

    let run_search = {
        let choose = choose.clone();
        move |query: String| {
            generation.update_value(|g| *g += 1);
            let asked = generation.get_value();
            let choose = choose.clone();
            spawn_local(async move {
                let answer = parties::search(&query, HITS).await;
                if generation.try_get_value() != Some(asked) {
                    return;
                }
                let excluded = exclude.get_value();
                match answer {
                    Ok(found) => {
                        let found: Vec<Party> = found
                            .into_iter()
                            .filter(|p| excluded.as_deref() != Some(p.id.as_str()))
                            .collect();
                        if open_first.get_value() {
                            if let Some(first) = found.first() {
                                choose(first.clone());
                                return;
                            }
                            open_first.set_value(false);
                        }
                        active.set(None);
                        results.set(Results::Hits(query, found));
                    }
                    Err(ApiError::Unauthenticated) => {}
                    Err(e) => {
                        open_first.set_value(false);
                        results.set(Results::Failed(e.to_string()));
                    }
                }
            });
        }
    };

    let on_input = {
        let run_search = run_search.clone();
        move |ev| {
            let typed = event_target_value(&ev);
            text.set(typed.clone());
            // A highlight belongs to the hits of the text before this keystroke.
            active.set(None);
            let query = typed.trim().to_owned();
            if query.chars().count() < MIN_CHARS {
                close();
            } else {
                let run_search = run_search.clone();
                debouncer.schedule(move || run_search(query));
            }
        }
    };

    let on_keydown = {
        let choose = choose.clone();
        move |ev: KeyboardEvent| match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                let step = if ev.key() == "ArrowDown" { 1 } else { -1 };
                active.update(|a| *a = step_active(*a, hits().len(), step));
            }
            "Enter" => {
                ev.prevent_default();
                let query = text.get_untracked().trim().to_owned();
                let current =
                    results.with_untracked(|r| matches!(r, Results::Hits(q, _) if *q == query));
                let pick = active.get_untracked().or(current.then_some(0));
                if let Some(index) = pick {
                    if let Some(party) = hits().into_iter().nth(index) {
                        choose(party);
                    }
                } else if query.chars().count() >= MIN_CHARS {
                    // Not answered yet: ask now and open the first hit when it comes.
                    debouncer.cancel();
                    open_first.set_value(true);
                    run_search(query);
                }
            }
            "Escape" if results.with_untracked(|r| *r != Results::Closed) => {
                ev.prevent_default();
                close();
            }
            _ => {}
        }
    };

    // Focus leaving the whole widget closes the dropdown; moving between the
    // input and a hit does not.
    let on_focusout = move |ev: FocusEvent| {
        let wrapper = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let next = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = matches!((&wrapper, &next), (Some(w), Some(n)) if w.contains(Some(n)));
        if !inside {
            close();
        }
    };

    let option_id = move |i: usize| format!("{input_id}-hit-{i}");
    let expanded = move || results.with(|r| *r != Results::Closed);
    let list_id_for_input = list_id.clone();

    let dropdown = move || {
        let choose = choose.clone();
        results.with(|r| match r {
            Results::Closed => ().into_any(),
            Results::Failed(message) => view! {
                <ul class="search-results" id=list_id.clone() role="listbox">
                    <li class="search-empty" role="alert">{message.clone()}</li>
                </ul>
            }
            .into_any(),
            Results::Hits(_, hits) if hits.is_empty() => view! {
                <ul class="search-results" id=list_id.clone() role="listbox">
                    <li class="search-empty">"No matches"</li>
                </ul>
            }
            .into_any(),
            Results::Hits(_, hits) => {
                let rows = hits
                    .iter()
                    .enumerate()
                    .map(|(i, party)| {
                        let choose = choose.clone();
                        let chosen = party.clone();
                        let on_click = move |ev: leptos::ev::MouseEvent| {
                            // Plain clicks are handled here; modified ones open a tab.
                            if !(ev.ctrl_key() || ev.meta_key() || ev.shift_key()) {
                                ev.prevent_default();
                                choose(chosen.clone());
                            }
                        };
                        let meta = [
                            party.code.clone(),
                            party.kind.label().to_owned(),
                            format::or_empty(party.area.as_deref()),
                        ]
                        .join(" · ");
                        view! {
                            <li role="presentation">
                                <a
                                    class="search-hit"
                                    id=option_id(i)
                                    role="option"
                                    href=party.profile_href()
                                    data-id=party.id.clone()
                                    tabindex="-1"
                                    aria-selected=move || (active.get() == Some(i)).to_string()
                                    class:active=move || active.get() == Some(i)
                                    on:click=on_click
                                >
                                    <span class="hit-name">{party.display_name.clone()}</span>
                                    <span class="hit-meta">{meta}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <ul class="search-results" id=list_id.clone() role="listbox" aria-label=label>
                        {rows}
                    </ul>
                }
                .into_any()
            }
        })
    };

    view! {
        <div class=format!("party-search {class}") on:focusout=on_focusout>
            <label for=input_id class="visually-hidden">
                {label}
            </label>
            <input
                id=input_id
                type="search"
                placeholder=label
                autocomplete="off"
                spellcheck="false"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=list_id_for_input
                aria-expanded=move || expanded().to_string()
                aria-activedescendant=move || active.get().map(option_id)
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
            />
            {dropdown}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_keys_wrap_around() {
        assert_eq!(step_active(None, 3, 1), Some(0));
        assert_eq!(step_active(None, 3, -1), Some(2));
        assert_eq!(step_active(Some(2), 3, 1), Some(0));
        assert_eq!(step_active(Some(0), 3, -1), Some(2));
        assert_eq!(step_active(Some(1), 3, 1), Some(2));
        assert_eq!(step_active(None, 0, 1), None);
    }
}
