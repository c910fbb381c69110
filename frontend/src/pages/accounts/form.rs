//! `/accounts/new` and `/accounts/:id`: create, edit, archive and restore.

use super::draft::AccountDraft;
use crate::api::accounts::{self, Account};
use crate::api::{ApiError, GqlError};
use crate::components::custom_values::{custom_values, CustomValuesProps};
use crate::components::recent;
use crate::components::session::{set_title, use_session};
use crate::components::status::Status;
use crate::page::form::{
    code_hint, draft_signals, record_form, run, start, Field, FormSpec, Saved,
};
use crate::page::record::{record_page, Missing};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Validation fields of the annual revenue group (shown only with read access).
const REVENUE_FIELDS: &[&str; 3] = &[
    "annualRevenue",
    "annualRevenue.amount",
    "annualRevenue.currency",
];

const MISSING: Missing = Missing::new(
    "Account not found",
    ("/accounts", "Back to accounts"),
    "Loading account…",
);

/// `/accounts/new`.
#[component]
pub fn NewAccount() -> impl IntoView {
    set_title("New account");
    account_editor(None)
}

/// `/accounts/:id`: loads the account, then shows it in the form.
#[component]
pub fn EditAccount() -> impl IntoView {
    record_page(
        |id| async move { accounts::get(&id).await },
        MISSING,
        |account| account_editor(Some(account)),
    )
}

draft_signals! {
    /// One signal per input of the form.
    struct DraftSignals for AccountDraft {
        name: String,
        code: String,
        area: String,
        industry: String,
        website: String,
        email: String,
        phone: String,
        revenue_amount: String,
        revenue_currency: String,
        owner_id: String,
    }
}

/// Shows a fresh copy of the account, dropping unsaved edits.
fn show(draft: DraftSignals, saved: RwSignal<Option<Account>>, account: Account) {
    draft.fill(AccountDraft::from_account(&account));
    saved.set(Some(account));
}

/// The form itself, for a new account (`saved` is `None`) or a saved one.
fn account_editor(saved: Option<Account>) -> AnyView {
    let session = use_session();
    let me = session.me.get_untracked().unwrap_or_default();
    let navigate = use_navigate();
    let is_new = saved.is_none();
    let draft = DraftSignals::new(
        &saved
            .as_ref()
            .map(AccountDraft::from_account)
            .unwrap_or_default(),
    );
    let saved = RwSignal::new(saved);
    let status = Status::new(session.take_flash());

    let show_revenue = me.can_read_field("account", "annualRevenue");
    let write_revenue = show_revenue && me.can_write_field("account", "annualRevenue");
    let can_save = me.can("account", if is_new { "create" } else { "update" });
    let can_archive = !is_new && me.can("account", "archive");

    Effect::new(move |_| {
        if let Some(account) = saved.read().as_ref() {
            set_title(&account.name);
            recent::visited(
                "Account",
                &account.name,
                &format!("/accounts/{}", account.id),
            );
        }
    });

    let save = run(move || {
        let typed = draft.get();
        let current = saved.get_untracked();
        async move {
            let Some(account) = current else {
                let created = accounts::create(&typed.create_input(write_revenue)).await?;
                return Ok(Saved::Go(format!("/accounts/{}", created.id)));
            };
            let input = typed.update_input(&account, write_revenue);
            if !input.is_noop() {
                show(draft, saved, accounts::update(&input).await?);
            }
            Ok(Saved::Stay("Saved"))
        }
    });
    let reload = run(move || {
        let id = saved.with_untracked(|s| s.as_ref().map(|a| a.id.clone()));
        async move {
            match accounts::get(&id.unwrap_or_default()).await? {
                Some(account) => {
                    show(draft, saved, account);
                    Ok(())
                }
                None => Err(ApiError::Graphql(vec![GqlError {
                    message: "This account no longer exists or is no longer visible to you.".into(),
                    ..Default::default()
                }])),
            }
        }
    });

    let on_archive_or_restore = move |_| {
        let Some((id, version, archived)) =
            saved.with_untracked(|s| s.as_ref().map(|a| (a.id.clone(), a.version, a.archived)))
        else {
            return;
        };
        let navigate = navigate.clone();
        start(
            status,
            move || async move {
                if archived {
                    accounts::restore(&id, version).await.map(Some)
                } else {
                    accounts::archive(&id, version).await.map(|_| None)
                }
            },
            move |answer| match answer {
                Ok(Some(account)) => {
                    show(draft, saved, account);
                    status.succeed("Restored");
                }
                Ok(None) => navigate("/accounts", Default::default()),
                Err(e) => status.fail(e, &[]),
            },
        );
    };

    let archived = Memo::new(move |_| saved.with(|s| s.as_ref().is_some_and(|a| a.archived)));
    let heading = Signal::derive(move || {
        saved.with(|s| {
            s.as_ref()
                .map_or_else(|| "New account".to_owned(), |a| a.name.clone())
        })
    });
    let badges = move || {
        saved.with(|s| {
            s.as_ref().map(|a| {
                view! {
                    <span class="record-code">{a.code.clone()}</span>
                    {a.archived.then(|| view! { <span class="badge">"Archived"</span> })}
                }
            })
        })
    };
    // The account is a party: the same id opens its profile.
    let profile_link = move || {
        saved.with(|s| {
            s.as_ref().map(|a| {
                view! { <a class="btn" id="profile-link" href=format!("/parties/{}", a.id)>"Profile"</a> }
            })
        })
    };
    let archive_button = can_archive.then(|| {
        view! {
            <button
                type="button"
                id=move || if archived.get() { "restore" } else { "archive" }
                class=move || if archived.get() { "btn" } else { "btn btn-danger" }
                disabled=move || status.busy.get()
                on:click=on_archive_or_restore
            >
                {move || if archived.get() { "Restore" } else { "Archive" }}
            </button>
        }
    });
    // The custom fields, with their own form (fetched when first shown).
    let side = saved.get_untracked().map(|a| {
        custom_values(CustomValuesProps {
            record_id: a.id.clone(),
            values: a.custom_fields.clone(),
        })
    });
    let d = draft;
    let mut fields = vec![
        Field::text("name", "Name", d.name).required(),
        Field::text("code", "Code", d.code).hint(code_hint(is_new)),
        Field::text("area", "Area", d.area),
        Field::text("industry", "Industry", d.industry),
        Field::input("website", "Website", "url", d.website),
        Field::input("email", "E-mail", "email", d.email),
        Field::input("phone", "Phone", "tel", d.phone),
        Field::owner(
            d.owner_id,
            Signal::derive(move || saved.with(|s| s.as_ref().and_then(|a| a.owner.clone()))),
        ),
    ];
    if show_revenue {
        fields.push(Field::money(
            REVENUE_FIELDS,
            "Annual revenue",
            (d.revenue_amount, d.revenue_currency),
            write_revenue,
        ));
    }
    record_form(FormSpec {
        crumb: ("/accounts", "Accounts"),
        heading,
        badges: Some(badges.into_any()),
        actions: Some(profile_link.into_any()),
        noun: "account",
        status,
        fields,
        can_save,
        cancel: Signal::stored("/accounts".to_owned()),
        more: archive_button.map(IntoAny::into_any),
        before: None,
        side,
        save,
        reload: Some(reload),
    })
}
