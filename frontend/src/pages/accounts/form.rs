//! `/accounts/new` and `/accounts/:id`: create, edit, archive and restore.

use super::draft::AccountDraft;
use crate::api::accounts::{self, Account};
use crate::api::{ApiError, GqlError};
use crate::components::field::TextField;
use crate::components::load::reload;
use crate::components::money_field::MoneyField;
use crate::components::owner_field::OwnerField;
use crate::components::session::{set_title, use_session};
use crate::components::status::Status;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

/// Input fields that have a place on the form for their validation message.
const FORM_FIELDS: &[&str] = &[
    "name", "code", "area", "industry", "website", "email", "phone", "ownerId",
];

/// Validation fields of the annual revenue group (shown only with read access).
const REVENUE_FIELDS: &[&str; 3] = &[
    "annualRevenue",
    "annualRevenue.amount",
    "annualRevenue.currency",
];

const CONFLICT_MESSAGE: &str = "Someone else changed this account; reload to see their changes";

/// `/accounts/new`.
#[component]
pub fn NewAccount() -> impl IntoView {
    set_title("New account");
    view! { <AccountEditor saved=None /> }
}

/// `/accounts/:id`: loads the account, then shows it in the form.
#[component]
pub fn EditAccount() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    // A new id is a new form, with nothing carried over from the last one.
    move || {
        let id = id.get();
        view! { <LoadAccount id /> }
    }
}

#[component]
fn LoadAccount(id: String) -> impl IntoView {
    let loaded = reload(move || {
        let id = id.clone();
        async move { accounts::get(&id).await }
    });
    move || match loaded.get() {
        Some(Ok(Some(account))) => view! { <AccountEditor saved=Some(account) /> }.into_any(),
        Some(Ok(None)) => {
            set_title("Account not found");
            view! {
                <div class="card narrow">
                    <h1>"Account not found"</h1>
                    <p>"It does not exist, or you may not see it."</p>
                    <a class="btn" href="/accounts">
                        "Back to accounts"
                    </a>
                </div>
            }
            .into_any()
        }
        Some(Err(e)) if e != ApiError::Unauthenticated => {
            view! { <div class="alert alert-error" role="alert">{e.to_string()}</div> }.into_any()
        }
        _ => view! { <p class="loading">"Loading account…"</p> }.into_any(),
    }
}

/// One signal per input of the form.
#[derive(Clone, Copy)]
struct DraftSignals {
    name: RwSignal<String>,
    code: RwSignal<String>,
    area: RwSignal<String>,
    industry: RwSignal<String>,
    website: RwSignal<String>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
    revenue_amount: RwSignal<String>,
    revenue_currency: RwSignal<String>,
    owner_id: RwSignal<String>,
}

impl DraftSignals {
    fn new(draft: &AccountDraft) -> Self {
        let s = |v: &String| RwSignal::new(v.clone());
        Self {
            name: s(&draft.name),
            code: s(&draft.code),
            area: s(&draft.area),
            industry: s(&draft.industry),
            website: s(&draft.website),
            email: s(&draft.email),
            phone: s(&draft.phone),
            revenue_amount: s(&draft.revenue_amount),
            revenue_currency: s(&draft.revenue_currency),
            owner_id: s(&draft.owner_id),
        }
    }

    fn get(&self) -> AccountDraft {
        AccountDraft {
            name: self.name.get_untracked(),
            code: self.code.get_untracked(),
            area: self.area.get_untracked(),
            industry: self.industry.get_untracked(),
            website: self.website.get_untracked(),
            email: self.email.get_untracked(),
            phone: self.phone.get_untracked(),
            revenue_amount: self.revenue_amount.get_untracked(),
            revenue_currency: self.revenue_currency.get_untracked(),
            owner_id: self.owner_id.get_untracked(),
        }
    }

    fn fill(&self, draft: AccountDraft) {
        self.name.set(draft.name);
        self.code.set(draft.code);
        self.area.set(draft.area);
        self.industry.set(draft.industry);
        self.website.set(draft.website);
        self.email.set(draft.email);
        self.phone.set(draft.phone);
        self.revenue_amount.set(draft.revenue_amount);
        self.revenue_currency.set(draft.revenue_currency);
        self.owner_id.set(draft.owner_id);
    }
}

/// The form itself, for a new account (`saved` is `None`) or a saved one.
#[component]
fn AccountEditor(saved: Option<Account>) -> impl IntoView {
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
    let read_only = Signal::derive(move || !can_save || status.busy.get());
    let shown: Vec<&'static str> = FORM_FIELDS
        .iter()
        .chain(if show_revenue {
            &REVENUE_FIELDS[..]
        } else {
            &[]
        })
        .copied()
        .collect();
    let shown = StoredValue::new(shown);

    Effect::new(move |_| {
        if let Some(account) = saved.read().as_ref() {
            set_title(&account.name);
        }
    });

    // Shows a fresh copy of the account, dropping unsaved edits.
    let show = move |account: Account, notice: Option<&str>| {
        draft.fill(AccountDraft::from_account(&account));
        saved.set(Some(account));
        match notice {
            Some(notice) => status.succeed(notice),
            None => status.busy.set(false),
        }
    };

    let on_submit = {
        let navigate = navigate.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if !can_save || !status.start() {
                return;
            }
            let draft = draft.get();
            let current = saved.get_untracked();
            // Read now: the page may be gone by the time the answer comes.
            let shown = shown.get_value();
            let navigate = navigate.clone();
            spawn_local(async move {
                let result = match &current {
                    None => accounts::create(&draft.create_input(write_revenue)).await,
                    Some(account) => {
                        let input = draft.update_input(account, write_revenue);
                        if input.is_noop() {
                            Ok(account.clone())
                        } else {
                            accounts::update(&input).await
                        }
                    }
                };
                match result {
                    Ok(account) if current.is_none() => {
                        session.flash.set(Some("Saved".to_owned()));
                        navigate(&format!("/accounts/{}", account.id), Default::default());
                    }
                    Ok(account) => show(account, Some("Saved")),
                    Err(e) => status.fail(e, &shown),
                }
            });
        }
    };

    let on_reload = move |_| {
        let Some(id) = saved.with_untracked(|s| s.as_ref().map(|a| a.id.clone())) else {
            return;
        };
        if !status.start() {
            return;
        }
        spawn_local(async move {
            match accounts::get(&id).await {
                Ok(Some(account)) => show(account, None),
                Ok(None) => status.fail(
                    ApiError::Graphql(vec![GqlError {
                        message: "This account no longer exists or is no longer visible to you."
                            .into(),
                        ..Default::default()
                    }]),
                    &[],
                ),
                Err(e) => status.fail(e, &[]),
            }
        });
    };

    let on_archive_or_restore = move |_| {
        let Some((id, version, archived)) =
            saved.with_untracked(|s| s.as_ref().map(|a| (a.id.clone(), a.version, a.archived)))
        else {
            return;
        };
        if !status.start() {
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            if archived {
                match accounts::restore(&id, version).await {
                    Ok(account) => show(account, Some("Restored")),
                    Err(e) => status.fail(e, &[]),
                }
            } else {
                match accounts::archive(&id, version).await {
                    Ok(_) => navigate("/accounts", Default::default()),
                    Err(e) => status.fail(e, &[]),
                }
            }
        });
    };

    let archived = Memo::new(move |_| saved.with(|s| s.as_ref().is_some_and(|a| a.archived)));
    let heading = move || {
        saved.with(|s| {
            s.as_ref()
                .map_or_else(|| "New account".to_owned(), |a| a.name.clone())
        })
    };
    let code = move || saved.with(|s| s.as_ref().map(|a| a.code.clone()));
    let errors = status.fields;

    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href="/accounts">"Accounts"</a>
            <span aria-hidden="true">" / "</span>
            <span aria-current="page">{heading}</span>
        </nav>
        <div class="page-header">
            <h1>
                {heading}
                {move || code().map(|c| view! { <span class="record-code">{c}</span> })}
                <Show when=move || archived.get()>
                    <span class="badge">"Archived"</span>
                </Show>
            </h1>
            // The account is a party: the same id opens its profile.
            {move || {
                saved
                    .with(|s| {
                        s.as_ref()
                            .map(|a| {
                                view! {
                                    <a class="btn" id="profile-link" href=format!("/parties/{}", a.id)>
                                        "Profile"
                                    </a>
                                }
                            })
                    })
            }}
        </div>
        {move || {
            status
                .notice
                .get()
                .map(|n| {
                    view! {
                        <p class="alert alert-success" role="status" id="form-notice">
                            {n}
                        </p>
                    }
                })
        }}
        {move || {
            status
                .general
                .get()
                .map(|m| {
                    view! {
                        <p class="alert alert-error" role="alert" id="form-error">
                            {m}
                        </p>
                    }
                })
        }}
        <Show when=move || status.conflict.get()>
            <div class="alert alert-warning" role="alert" id="form-conflict">
                <p>{CONFLICT_MESSAGE}</p>
                <button type="button" id="reload" class="btn" on:click=on_reload>
                    "Reload"
                </button>
            </div>
        </Show>
        <form class="card record-form" on:submit=on_submit novalidate>
            <div class="form-grid">
                <TextField name="name" label="Name" value=draft.name errors required=true disabled=read_only />
                <TextField
                    name="code"
                    label="Code"
                    value=draft.code
                    errors
                    hint=if is_new { "Leave empty to have one generated." } else { "Unique short code." }
                    disabled=read_only
                />
                <TextField name="area" label="Area" value=draft.area errors disabled=read_only />
                <TextField name="industry" label="Industry" value=draft.industry errors disabled=read_only />
                <TextField
                    name="website"
                    label="Website"
                    value=draft.website
                    errors
                    input_type="url"
                    disabled=read_only
                />
                <TextField
                    name="email"
                    label="E-mail"
                    value=draft.email
                    errors
                    input_type="email"
                    disabled=read_only
                />
                <TextField name="phone" label="Phone" value=draft.phone errors input_type="tel" disabled=read_only />
                <OwnerField
                    value=draft.owner_id
                    current=Signal::derive(move || saved.with(|s| s.as_ref().and_then(|a| a.owner.clone())))
                    errors
                    disabled=read_only
                />
                {show_revenue
                    .then(|| {
                        let disabled = Signal::derive(move || !write_revenue || read_only.get());
                        view! {
                            <MoneyField
                                fields=REVENUE_FIELDS
                                legend="Annual revenue"
                                id="field-annualRevenue"
                                amount=draft.revenue_amount
                                currency=draft.revenue_currency
                                errors
                                disabled
                            />
                        }
                    })}
            </div>
            <div class="form-actions">
                <Show when=move || can_save>
                    <button type="submit" id="save" class="btn btn-primary" disabled=move || status.busy.get()>
                        {move || if status.busy.get() { "Saving…" } else { "Save" }}
                    </button>
                </Show>
                <a class="btn" href="/accounts">
                    {if can_save { "Cancel" } else { "Back" }}
                </a>
                <span class="spacer"></span>
                <Show when=move || can_archive>
                    <button
                        type="button"
                        id=move || if archived.get() { "restore" } else { "archive" }
                        class=move || if archived.get() { "btn" } else { "btn btn-danger" }
                        disabled=move || status.busy.get()
                        on:click=on_archive_or_restore.clone()
                    >
                        {move || if archived.get() { "Restore" } else { "Archive" }}
                    </button>
                </Show>
            </div>
        </form>
    }
}
