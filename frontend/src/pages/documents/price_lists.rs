//! `/price-lists`: every price list, the default first; and `/price-lists/new`, `/price-lists/:id`:
//! a list's name, currency, customer or customer type, validity and flags, and its products with
//! their prices, editable by those who may.

use crate::api::catalogue::{self, CatalogueWrite, Item, PriceList};
use crate::api::documents;
use crate::api::paging::Connection;
use crate::api::parties::Party;
use crate::api::FieldErrors;
use crate::components::field::FieldError;
use crate::components::party_search::PartySearch;
use crate::components::session::{set_title, use_session};
use crate::components::status::Status;
use crate::components::table::{Cell, Column, Row};
use crate::page::form::{
    draft_signals, read_only, record_form, run, Failed, Field, FormSpec, Saved,
};
use crate::page::lazy::lazy_part;
use crate::page::list::{list_page, rows_from, Create, Found, ListSpec};
use crate::page::record::{record_page, Missing};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use serde_json::{json, Value};

lazy_part!(
    /// The price lists and a list's page, fetched on first visit.
    pub fn price_lists_part(props: PriceListsPart), chunk = price_lists, load = load_price_lists, view = lists_view
);

/// No props: the page reads the address.
pub struct PriceListsPart;

fn lists_view(_: PriceListsPart) -> AnyView {
    match use_params_map().with_untracked(|p| p.get("id")) {
        None => lists_page(),
        Some(id) if id == "new" => {
            set_title("New price list");
            editor(None)
        }
        Some(_) => record_page(
            |id| async move { catalogue::price_list(&id).await },
            Missing::new(
                "Price list not found",
                ("/price-lists", "Back to price lists"),
                "Loading…",
            ),
            |l| editor(Some(l)),
        )
        .into_any(),
    }
}

const COLUMNS: &[Column] = &[
    Column::new("Name"),
    Column::new("Currency"),
    Column::new("For"),
    Column::new("Valid"),
    Column::new("Default"),
    Column::new("Active"),
];

fn yes(b: bool) -> String {
    if b { "Yes" } else { "No" }.to_owned()
}

fn row(l: &PriceList) -> Row {
    let valid = format!(
        "{} – {}",
        l.valid_from.as_deref().unwrap_or(""),
        l.valid_to.as_deref().unwrap_or("")
    );
    Row {
        class: "price-list-row",
        id: l.id.clone(),
        cells: vec![
            Cell::Link(format!("/price-lists/{}", l.id), l.name.clone()),
            Cell::text(l.currency.clone()),
            Cell::or_empty(
                l.customer
                    .as_ref()
                    .map(|c| c.name.as_str())
                    .or(l.customer_type.as_deref()),
            ),
            Cell::text(valid),
            Cell::text(yes(l.is_default)),
            Cell::text(yes(l.active)),
        ],
        href: None,
    }
}

fn lists_page() -> AnyView {
    let load = rows_from(|_| async move {
        let nodes = catalogue::price_lists().await?;
        let page = Connection {
            total_count: nodes.len() as i64,
            nodes,
            ..Default::default()
        };
        Ok(Found::new(&page, row))
    });
    list_page(
        ListSpec::new(
            "Price lists",
            "price-lists",
            ("price list", "price lists"),
            COLUMNS,
            load,
        )
        .create(&[Create {
            id: "new-price-list",
            href: "/price-lists/new",
            label: "New price list",
            grant: ("price_list", "create"),
        }])
        .unpaged()
        .tools(view! { <a class="btn" href="/products">"Products"</a> }.into_any()),
    )
}

/// The list as typed.
#[derive(Clone, Debug, Default, PartialEq)]
struct ListDraft {
    name: String,
    currency: String,
    customer_id: String,
    customer_type: String,
    valid_from: String,
    valid_to: String,
    is_default: bool,
    active: bool,
    items: Vec<Item>,
}

draft_signals! {
    /// One signal per input.
    struct DraftSignals for ListDraft {
        name: String, currency: String, customer_id: String, customer_type: String,
        valid_from: String, valid_to: String, is_default: bool, active: bool, items: Vec<Item>,
    }
}

impl ListDraft {
    fn of(l: &PriceList) -> Self {
        Self {
            name: l.name.clone(),
            currency: l.currency.clone(),
            customer_id: l
                .customer
                .as_ref()
                .map(|c| c.id.clone())
                .unwrap_or_default(),
            customer_type: l.customer_type.clone().unwrap_or_default(),
            valid_from: l.valid_from.clone().unwrap_or_default(),
            valid_to: l.valid_to.clone().unwrap_or_default(),
            is_default: l.is_default,
            active: l.active,
            items: l.items.clone(),
        }
    }

    /// The create input, or the update input of `saved`.
    fn input(&self, saved: Option<&PriceList>) -> Value {
        let mut input = json!({
            "name": self.name.trim(),
            "currency": self.currency.trim().to_ascii_uppercase(),
            "isDefault": self.is_default,
        });
        for (key, value) in [
            ("customerId", &self.customer_id),
            ("customerType", &self.customer_type),
        ] {
            if !value.is_empty() {
                input[key] = json!(value);
            }
        }
        for (key, value) in [("validFrom", &self.valid_from), ("validTo", &self.valid_to)] {
            if saved.is_some() || !value.is_empty() {
                input[key] = json!(value);
            }
        }
        if let Some(l) = saved {
            input["id"] = json!(l.id);
            input["version"] = json!(l.version);
            input["active"] = json!(self.active);
        }
        input
    }
}

fn editor(saved: Option<PriceList>) -> AnyView {
    let session = use_session();
    let me = session.me.get_untracked().unwrap_or_default();
    let status = Status::new(session.take_flash());
    let errors = status.fields;
    let is_new = saved.is_none();
    let can_save = me.can("price_list", if is_new { "create" } else { "update" });
    let read_only = read_only(status, can_save);
    let start = saved
        .as_ref()
        .map(ListDraft::of)
        .unwrap_or_else(|| ListDraft {
            currency: "EUR".into(),
            active: true,
            ..Default::default()
        });
    let d = DraftSignals::new(&start);
    let customer_name = RwSignal::new(
        saved
            .as_ref()
            .and_then(|l| l.customer.as_ref().map(|c| c.name.clone()))
            .unwrap_or_default(),
    );
    let heading = saved
        .as_ref()
        .map_or_else(|| "New price list".to_owned(), |l| l.name.clone());
    if let Some(l) = &saved {
        set_title(&l.name);
    }
    let saved = RwSignal::new(saved);
    let save = run(move || {
        let typed = d.get();
        let current = saved.get_untracked();
        async move {
            let input = typed.input(current.as_ref());
            let fail = |e| Failed::Api(e, vec![("items".to_owned(), "items")]);
            let Some(mut current) = current else {
                let (id, _) = catalogue::save(CatalogueWrite::CreateList, input).await?;
                return Ok(Saved::Go(format!("/price-lists/{id}")));
            };
            let (_, mut version) = catalogue::save(CatalogueWrite::UpdateList, input).await?;
            if typed.items != current.items {
                let items: Vec<Value> = typed
                    .items
                    .iter()
                    .map(|i| json!({ "productId": i.product_id, "unitPrice": crate::format::amount_typed(&i.price) }))
                    .collect();
                let input = json!({ "id": current.id, "version": version, "items": items });
                version = catalogue::save(CatalogueWrite::SetItems, input)
                    .await
                    .map_err(fail)?
                    .1;
                current.items = typed.items;
            }
            current.version = version;
            saved.set(Some(current));
            Ok(Saved::Stay("Saved"))
        }
    });
    let reload = run(move || {
        let id = saved.with_untracked(|s| s.as_ref().map(|l| l.id.clone()).unwrap_or_default());
        async move {
            if let Some(l) = catalogue::price_list(&id).await? {
                d.fill(ListDraft::of(&l));
                saved.set(Some(l));
            }
            Ok(())
        }
    });
    let on_pick = Callback::new(move |p: Party| {
        d.customer_id.set(p.id);
        customer_name.set(p.display_name);
    });
    let customer_field = view! {
        <div class="field" class:has-error=move || errors.with(|e| e.get("customerId").is_some())>
            <span class="label">"Customer (optional)"</span>
            <p class="chosen" id="price-list-customer">{move || customer_name.get()}</p>
            {can_save.then(|| view! { <PartySearch input_id="field-customerId" label="Find a customer" on_pick /> })}
            <FieldError name="customerId" errors />
        </div>
    };
    let types = [("B2B", "B2B"), ("B2C", "B2C")]
        .map(|(v, l)| (v.to_owned(), l.to_owned()))
        .to_vec();
    let check = |id: &'static str, label: &'static str, value: RwSignal<bool>| {
        view! {
            <div class="field">
                <label class="check" for=id>
                    <input type="checkbox" id=id disabled=read_only bind:checked=value />
                    {label}
                </label>
            </div>
        }
        .into_any()
    };
    let mut fields = vec![
        Field::text("name", "Name", d.name).required(),
        Field::text("currency", "Currency", d.currency).required(),
        Field::custom(&["customerId"], customer_field.into_any()),
        Field::select(
            "customerType",
            "Customer type",
            Signal::stored(types),
            d.customer_type,
            "Any",
        ),
        Field::input("validFrom", "Valid from", "date", d.valid_from),
        Field::input("validTo", "Valid to", "date", d.valid_to),
        Field::custom(
            &["isDefault"],
            check("field-isDefault", " Default list", d.is_default),
        ),
    ];
    if !is_new {
        fields.push(Field::custom(
            &["active"],
            check("field-active", " Active", d.active),
        ));
        fields.push(Field::custom(
            &["items"],
            view! { <Items items=d.items errors disabled=read_only editable=can_save /> }
                .into_any(),
        ));
    }
    record_form(FormSpec {
        crumb: ("/price-lists", "Price lists"),
        heading: Signal::stored(heading),
        badges: None,
        actions: None,
        noun: "price list",
        status,
        fields,
        can_save,
        cancel: Signal::stored("/price-lists".to_owned()),
        more: None,
        before: is_new.then(|| view! { <p class="muted">"Save to add products."</p> }.into_any()),
        side: None,
        save,
        reload: (!is_new).then_some(reload),
    })
}

/// The list's products and prices: change a price, remove one, add a product found by code or name.
#[component]
fn Items(
    items: RwSignal<Vec<Item>>,
    errors: RwSignal<FieldErrors>,
    disabled: Signal<bool>,
    editable: bool,
) -> impl IntoView {
    let count = Memo::new(move |_| items.with(Vec::len));
    let rows = move || {
        (0..count.get())
            .map(|i| {
                let item = items.with_untracked(|l| l.get(i).cloned().unwrap_or_default());
                let id = format!("item-{i}-price");
                view! {
                    <li class="item-row">
                        <label for=id.clone()>{item.product}</label>
                        <input id=id inputmode="decimal" disabled=disabled prop:value=item.price
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                items.update(|l| { if let Some(x) = l.get_mut(i) { x.price = v } })
                            } />
                        {editable.then(|| view! {
                            <button type="button" class="btn remove-item" disabled=disabled
                                on:click=move |_| items.update(|l| { if i < l.len() { l.remove(i); } })>"Remove"</button>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    let search = RwSignal::new(String::new());
    let hits = RwSignal::new(Vec::<documents::Product>::new());
    let find = move |text: String| {
        search.set(text.clone());
        if text.trim().len() < 2 {
            hits.set(Vec::new());
            return;
        }
        spawn_local(async move {
            if let Ok(found) = documents::products(&text, false, None).await {
                if search.get_untracked() == text {
                    hits.set(found.nodes.into_iter().take(8).collect());
                }
            }
        });
    };
    let pick = move |p: documents::Product| {
        items.update(|l| {
            if !l.iter().any(|x| x.product_id == p.id) {
                let price = p
                    .prices
                    .first()
                    .map(|m| m.amount.clone())
                    .unwrap_or_default();
                l.push(Item {
                    product_id: p.id,
                    product: format!("{} {}", p.code, p.name),
                    price,
                });
            }
        });
        search.set(String::new());
        hits.set(Vec::new());
    };
    let adder = move || {
        view! {
            <label for="item-search">"Add a product"</label>
            <input id="item-search" type="search" placeholder="Code or name" autocomplete="off" disabled=disabled
                prop:value=move || search.get()
                on:input=move |ev| find(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        if let Some(p) = hits.with_untracked(|h| h.first().cloned()) {
                            pick(p);
                        }
                    }
                } />
            <ul class="rows" id="item-hits">
                {move || hits.get().into_iter().map(|p| {
                    let text = format!("{} {}", p.code, p.name);
                    view! { <li><button type="button" class="btn product-hit" on:click=move |_| pick(p.clone())>{text}</button></li> }
                }).collect_view()}
            </ul>
        }
    };
    view! {
        <fieldset class="field field-group span-2" id="field-items">
            <legend>"Products and prices"</legend>
            <ul class="rows">{rows}</ul>
            {editable.then(adder)}
            <FieldError name="items" errors />
        </fieldset>
    }
}
