//! The profile's related parties: list, load more, add, end.

use super::contact_mechanisms::validity_text;
use crate::api::paging::Connection;
use crate::api::parties::{self, AddRelationshipInput, Party, Relationship};
use crate::api::FieldErrors;
use crate::components::field::FieldError;
use crate::components::party_search::PartySearch;
use crate::components::status::Status;
use crate::format;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Input fields of the add form that have a place for their message.
const ADD_FIELDS: &[&str] = &[
    "toId",
    "relationshipType",
    "roleLabel",
    "validFrom",
    "comment",
];

/// How a relationship of type `key` (labelled `label`, read from → to) reads from the profile's
/// party: "Contact of" when it is the `from` end, "Has contact" when it is the `to` end. Types an
/// administrator added read "Supplier of" outwards and "Supplier of (reverse)" inwards.
pub fn relation_label(key: &str, label: &str, outgoing: bool) -> String {
    let known = match (key, outgoing) {
        ("contact_of", false) => "Has contact",
        ("employee_of", false) => "Employer of",
        ("parent_organization", false) => "Subsidiary of",
        ("partner_of", false) => "Partner of",
        _ => "",
    };
    match (known, outgoing) {
        ("", true) => label.to_owned(),
        ("", false) => format!("{label} (reverse)"),
        (k, _) => k.to_owned(),
    }
}

/// The choices of the add form for the live `types` `(key, label)`: each read from this party
/// outwards and (but for the symmetric partner link) inwards. Value: `key` or `key:IN`.
fn choices(types: &[(String, String)]) -> Vec<(String, String)> {
    let mut list = Vec::new();
    for (key, label) in types {
        list.push((key.clone(), relation_label(key, label, true)));
        if key != "partner_of" {
            list.push((format!("{key}:IN"), relation_label(key, label, false)));
        }
    }
    list
}

/// Parses a choice value: the type key, and whether this party is the `from` end.
fn parse_choice(value: &str) -> Option<(String, bool)> {
    let (key, outgoing) = match value.strip_suffix(":IN") {
        Some(key) => (key, false),
        None => (value, true),
    };
    (!key.is_empty()).then(|| (key.to_owned(), outgoing))
}

/// `#relationships`: one `.relationship` row each, "Load more", and the add form.
#[component]
pub fn Relationships(
    /// The party's id.
    party_id: String,
    /// The first page.
    first_page: Connection<Relationship>,
    /// The user may add and end relationships.
    editable: bool,
    /// Called after a change (the timeline has grown).
    on_change: Callback<()>,
) -> impl IntoView {
    let total = RwSignal::new(first_page.total_count);
    let next = RwSignal::new(first_page.page_info.next_cursor().map(str::to_owned));
    let rows = RwSignal::new(first_page.nodes);
    let status = Status::new(None);
    let party_id = StoredValue::new(party_id);

    let load_more = move |_| {
        let Some(after) = next.get_untracked() else {
            return;
        };
        if !status.start() {
            return;
        }
        spawn_local(async move {
            match parties::relationships(&party_id.get_value(), Some(&after)).await {
                Ok(page) => {
                    total.set(page.total_count);
                    next.set(page.page_info.next_cursor().map(str::to_owned));
                    rows.update(|r| r.extend(page.nodes));
                    status.busy.set(false);
                }
                Err(e) => status.fail(e, &[]),
            }
        });
    };

    // A relationship comes back from the API as its `from` party sees it: a row shown already
    // takes its end date only (ending changes nothing else), a new one is turned by the form.
    let replace = move |changed: Relationship| {
        rows.update(|r| match r.iter_mut().find(|x| x.id == changed.id) {
            Some(row) => row.valid_to = changed.valid_to,
            None => {
                r.insert(0, changed);
                total.update(|t| *t += 1);
            }
        });
        on_change.run(());
    };

    let end = move |id: String| {
        if !status.start() {
            return;
        }
        spawn_local(async move {
            match parties::end_relationship(&id).await {
                Ok(ended) => {
                    status.busy.set(false);
                    replace(ended);
                }
                Err(e) => status.fail(e, &[]),
            }
        });
    };

    let list = move || {
        rows.with(|list| {
            if list.is_empty() {
                return view! { <p class="empty">"No related parties yet."</p> }.into_any();
            }
            list.iter()
                .map(|rel| {
                    let other = match &rel.other {
                        Some(p) => view! {
                            <a class="rel-other" href=p.profile_href()>{p.display_name.clone()}</a>
                            <span class="rel-other-code">{p.code.clone()}</span>
                        }
                        .into_any(),
                        None => view! { <span class="rel-other muted">"Not visible to you"</span> }.into_any(),
                    };
                    let id = rel.id.clone();
                    let end_button = (editable && rel.valid_to.is_none()).then(|| {
                        view! {
                            <button
                                type="button"
                                class="btn btn-small rel-end"
                                disabled=move || status.busy.get()
                                on:click=move |_| end(id.clone())
                            >
                                "End"
                            </button>
                        }
                    });
                    view! {
                        <li
                            class="relationship"
                            class:ended=rel.valid_to.is_some()
                            data-id=rel.id.clone()
                            data-kind=rel.type_key.clone()
                        >
                            <span class="rel-kind">{relation_label(&rel.type_key, &rel.type_label, rel.is_outgoing())}</span>
                            {other}
                            <span class="rel-role">{format::or_empty(rel.role_label.as_deref())}</span>
                            {rel.comment.clone().map(|c| view! { <span class="rel-comment muted">{c}</span> })}
                            <span class="rel-dates">
                                {validity_text(rel.valid_from.as_deref(), rel.valid_to.as_deref())}
                            </span>
                            {end_button}
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        })
    };

    view! {
        <section class="card profile-section" id="relationships" aria-labelledby="rel-heading">
            <h2 id="rel-heading">
                "Related parties" <span class="count">{move || total.get()}</span>
            </h2>
            {move || status.general.get().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
            <ul class="rows">{list}</ul>
            <Show when=move || next.with(Option::is_some)>
                <button type="button" class="btn" id="relationships-more" disabled=move || status.busy.get() on:click=load_more>
                    "Load more"
                </button>
            </Show>
            {editable
                .then(|| {
                    let on_added = Callback::new(replace);
                    view! { <AddRelationship party_id=party_id.get_value() status on_added /> }
                })}
        </section>
    }
}

/// The "Add relationship" form.
#[component]
fn AddRelationship(
    party_id: String,
    status: Status,
    on_added: Callback<Relationship>,
) -> impl IntoView {
    let other = RwSignal::new(None::<Party>);
    let choice = RwSignal::new("contact_of".to_owned());
    let role_label = RwSignal::new(String::new());
    let valid_from = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let errors = status.fields;
    let party_id = StoredValue::new(party_id);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(other_party) = other.get_untracked() else {
            let mut missing = FieldErrors::default();
            missing.push("toId", "Choose a party first.");
            errors.set(missing);
            return;
        };
        let Some((relationship_type, outgoing)) = parse_choice(&choice.get_untracked()) else {
            return;
        };
        if !status.start() {
            return;
        }
        let me = party_id.get_value();
        let (from_id, to_id) = if outgoing {
            (me, other_party.id.clone())
        } else {
            (other_party.id.clone(), me)
        };
        let text = |s: RwSignal<String>| {
            let v = s.get_untracked().trim().to_owned();
            (!v.is_empty()).then_some(v)
        };
        let input = AddRelationshipInput {
            from_id,
            to_id,
            relationship_type,
            role_label: text(role_label),
            valid_from: text(valid_from),
            comment: text(comment),
        };
        spawn_local(async move {
            match parties::add_relationship(&input).await {
                Ok(mut added) => {
                    if !outgoing {
                        // Seen from this party, the `to` end: the other party is the chosen one.
                        added.direction = "INCOMING".to_owned();
                        added.other = Some(other_party.clone());
                    }
                    other.set(None);
                    role_label.set(String::new());
                    valid_from.set(String::new());
                    comment.set(String::new());
                    status.busy.set(false);
                    on_added.run(added);
                }
                // `fromId` is this party or the chosen one: either way the choice is wrong.
                Err(e) => status.fail_renamed(e, ADD_FIELDS, |f| (f == "fromId").then_some("toId")),
            }
        });
    };

    // The live relationship types of the pick-list (Settings → Pick-lists).
    let types = crate::components::load::load_once(crate::api::picklists::values(
        "RELATIONSHIP_TYPE",
        false,
    ));
    let options = move || {
        let live: Vec<(String, String)> = types
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v.key, v.label))
            .collect();
        choices(&live)
            .into_iter()
            .map(|(value, label)| {
                let selected = value.clone();
                view! { <option value=value prop:selected=move || choice.with(|c| *c == selected)>{label}</option> }
            })
            .collect_view()
    };
    let on_pick = Callback::new(move |party: Party| {
        errors.update(|e| *e = FieldErrors::default());
        other.set(Some(party));
    });
    let chosen = move || {
        other.get().map(|p| {
            view! {
                <p class="chosen" id="rel-chosen">
                    <span>{p.display_name} " " <span class="muted">{p.code}</span></span>
                    <button type="button" class="btn btn-small btn-ghost" on:click=move |_| other.set(None)>
                        "Change"
                    </button>
                </p>
            }
        })
    };

    view! {
        <form class="inline-form" id="rel-form" on:submit=on_submit novalidate>
            <h3>"Add relationship"</h3>
            <div class="inline-fields">
                <label class="stacked">
                    "This party is"
                    <select id="rel-kind" on:change=move |ev| choice.set(event_target_value(&ev))>
                        {options}
                    </select>
                </label>
                <div class="stacked grow">
                    <span>"Other party"</span>
                    <Show when=move || other.with(Option::is_none) fallback=chosen>
                        <PartySearch
                            input_id="rel-party"
                            label="Find a person or organisation"
                            on_pick
                            exclude=party_id.get_value()
                        />
                    </Show>
                </div>
                <label class="stacked">
                    "Role"
                    <input id="rel-role-label" type="text" placeholder="e.g. decision maker" autocomplete="off" bind:value=role_label />
                </label>
                <label class="stacked">
                    "Since"
                    <input id="rel-valid-from" type="date" bind:value=valid_from />
                </label>
                <label class="stacked">
                    "Comment"
                    <textarea id="rel-comment" rows="2" bind:value=comment></textarea>
                </label>
            </div>
            {ADD_FIELDS.iter().map(|&name| view! { <FieldError name errors /> }).collect_view()}
            <button type="submit" id="rel-add" class="btn btn-primary" disabled=move || status.busy.get()>
                "Add relationship"
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_read_both_ways() {
        let types = [
            ("contact_of".to_owned(), "Contact of".to_owned()),
            ("partner_of".to_owned(), "Partner of".to_owned()),
            ("supplier_of".to_owned(), "Supplier of".to_owned()),
        ];
        let list = choices(&types);
        let labels: Vec<&str> = list.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Contact of",
                "Has contact",
                "Partner of",
                "Supplier of",
                "Supplier of (reverse)"
            ]
        );
        assert_eq!(
            parse_choice("contact_of"),
            Some(("contact_of".to_owned(), true))
        );
        assert_eq!(
            parse_choice("supplier_of:IN"),
            Some(("supplier_of".to_owned(), false))
        );
        assert_eq!(parse_choice(":IN"), None);
        assert_eq!(
            relation_label("parent_organization", "Parent organisation of", false),
            "Subsidiary of"
        );
    }
}
