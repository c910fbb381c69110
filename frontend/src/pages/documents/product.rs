//! `/products/new` and `/products/:id`: a product's code, name, description, unit, tax category,
//! prices per currency and, with the `product.cost` grant, its cost; editable by those who may.

use crate::api::accounts::Money;
use crate::api::catalogue::{self, CatalogueWrite, ProductDetail};
use crate::api::{ApiError, FieldErrors};
use crate::components::field::FieldError;
use crate::components::load::load_once;
use crate::components::session::{set_title, use_session};
use crate::components::status::Status;
use crate::page::form::{
    draft_signals, read_only, record_form, run, Failed, Field, FormSpec, Saved,
};
use crate::page::lazy::lazy_part;
use crate::page::record::{record_page, Missing};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::{json, Value};

lazy_part!(
    /// The product page, fetched on first visit.
    pub fn product_part(props: ProductPart), chunk = product_page, load = load_product_page, view = product_view
);

/// No props: the page reads the address.
pub struct ProductPart;

fn grant(object: &str, action: &str) -> bool {
    use_session()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.can(object, action)))
}

fn product_view(_: ProductPart) -> AnyView {
    let cost = use_session().me.with_untracked(|m| {
        m.as_ref()
            .is_some_and(|m| m.can_read_field("product", "cost"))
    });
    if use_params_map().with_untracked(|p| p.get("id").as_deref() == Some("new")) {
        set_title("New product");
        return editor(None, cost);
    }
    record_page(
        move |id| async move { catalogue::product(&id, cost).await },
        Missing::new(
            "Product not found",
            ("/products", "Back to products"),
            "Loading…",
        ),
        move |p| editor(Some(p), cost),
    )
    .into_any()
}

/// The product as typed.
#[derive(Clone, Debug, Default, PartialEq)]
struct ProductDraft {
    code: String,
    name: String,
    description: String,
    unit: String,
    tax_category: String,
    active: bool,
    prices: Vec<(String, String)>,
    cost: String,
    cost_currency: String,
}

draft_signals! {
    /// One signal per input.
    struct DraftSignals for ProductDraft {
        code: String, name: String, description: String, unit: String, tax_category: String,
        active: bool, prices: Vec<(String, String)>, cost: String, cost_currency: String,
    }
}

impl ProductDraft {
    fn of(p: &ProductDetail) -> Self {
        let (cost, cost_currency) = p
            .cost
            .as_ref()
            .map(|m| (m.amount.clone(), m.currency.clone()))
            .unwrap_or_else(|| (String::new(), "EUR".into()));
        Self {
            code: p.code.clone(),
            name: p.name.clone(),
            description: p.description.clone().unwrap_or_default(),
            unit: p.unit.clone(),
            tax_category: p.tax_category.clone(),
            active: p.active,
            prices: p
                .prices
                .iter()
                .map(|m| (m.amount.clone(), m.currency.clone()))
                .collect(),
            cost,
            cost_currency,
        }
    }

    /// The create input, or the update input of `saved`; the cost only when `cost` (writable).
    fn input(&self, saved: Option<&ProductDetail>, cost: bool) -> Value {
        let money = |amount: &str, currency: &str| json!({ "amount": crate::format::amount_typed(amount), "currency": currency.trim().to_ascii_uppercase() });
        let mut input = json!({
            "code": self.code.trim(),
            "name": self.name.trim(),
            "description": self.description.trim(),
            "unit": self.unit.trim(),
            "taxCategory": self.tax_category,
            "prices": self.prices.iter().map(|(a, c)| money(a, c)).collect::<Vec<_>>(),
        });
        if let Some(p) = saved {
            input["id"] = json!(p.id);
            input["version"] = json!(p.version);
            input["active"] = json!(self.active);
        }
        if cost {
            if !self.cost.trim().is_empty() {
                input["cost"] = money(&self.cost, &self.cost_currency);
            } else if saved.is_some() {
                input["cost"] = Value::Null;
            }
        }
        input
    }
}

fn editor(saved: Option<ProductDetail>, read_cost: bool) -> AnyView {
    let session = use_session();
    let me = session.me.get_untracked().unwrap_or_default();
    let write_cost = read_cost && me.can_write_field("product", "cost");
    let status = Status::new(session.take_flash());
    let errors = status.fields;
    let is_new = saved.is_none();
    let can_save = grant("product", if is_new { "create" } else { "update" });
    let read_only = read_only(status, can_save);
    let start = saved
        .as_ref()
        .map(ProductDraft::of)
        .unwrap_or_else(|| ProductDraft {
            unit: "each".into(),
            tax_category: "STANDARD".into(),
            active: true,
            prices: vec![(String::new(), "EUR".into())],
            cost_currency: "EUR".into(),
            ..Default::default()
        });
    let d = DraftSignals::new(&start);
    let heading = saved.as_ref().map_or_else(
        || "New product".to_owned(),
        |p| format!("{} {}", p.code, p.name),
    );
    if let Some(p) = &saved {
        set_title(&p.name);
    }
    let saved = RwSignal::new(saved);
    let save = run(move || {
        let typed = d.get();
        let current = saved.get_untracked();
        async move {
            let input = typed.input(current.as_ref(), write_cost);
            let renames = vec![("prices".to_owned(), "prices"), ("cost".to_owned(), "cost")];
            let Some(mut current) = current else {
                let (id, _) = catalogue::save(CatalogueWrite::CreateProduct, input)
                    .await
                    .map_err(|e| Failed::Api(e, renames))?;
                return Ok(Saved::Go(format!("/products/{id}")));
            };
            let (_, version) = catalogue::save(CatalogueWrite::UpdateProduct, input)
                .await
                .map_err(|e| Failed::Api(e, renames))?;
            current.version = version;
            saved.set(Some(current));
            Ok(Saved::Stay("Saved"))
        }
    });
    let reload = run(move || {
        let id = saved.with_untracked(|s| s.as_ref().map(|p| p.id.clone()).unwrap_or_default());
        async move {
            if let Some(p) = catalogue::product(&id, read_cost).await? {
                d.fill(ProductDraft::of(&p));
                saved.set(Some(p));
            }
            Ok::<(), ApiError>(())
        }
    });
    let taxes = load_once(catalogue::tax_categories());
    let tax_options = Signal::derive(move || {
        let list = taxes.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .map(|t| (t.code, format!("{} ({} %)", t.name, t.rate_percent)))
            .collect::<Vec<_>>()
    });
    let mut fields = vec![
        Field::text("code", "Code", d.code).required(),
        Field::text("name", "Name", d.name).required(),
        Field::text("unit", "Unit", d.unit),
        Field::select(
            "taxCategory",
            "Tax category",
            tax_options,
            d.tax_category,
            "",
        ),
        Field::area("description", "Description", d.description),
        Field::custom(
            &["prices"],
            view! { <Prices prices=d.prices errors disabled=read_only editable=can_save /> }
                .into_any(),
        ),
    ];
    if read_cost {
        fields.push(Field::money(
            COST,
            "Cost",
            (d.cost, d.cost_currency),
            write_cost && can_save,
        ));
    }
    if !is_new {
        fields.push(Field::custom(
            &["active"],
            view! {
                <div class="field">
                    <label class="check" for="field-active">
                        <input type="checkbox" id="field-active" disabled=read_only bind:checked=d.active />
                        " Active"
                    </label>
                </div>
            }
            .into_any(),
        ));
    }
    let enquiries = saved
        .with_untracked(|s| s.as_ref().map(|p| p.id.clone()))
        .filter(|_| grant("enquiry", "read"))
        .map(|id| {
            view! { <a id="product-enquiries" class="btn" href=format!("/enquiries?product={id}")>"Enquiries"</a> }
        });
    let lists = grant("price_list", "read").then(|| {
        view! { <a id="price-lists-link" class="btn" href="/price-lists">"Price lists"</a> }
    });
    let actions = Some(view! { {enquiries}{lists} }.into_any());
    record_form(FormSpec {
        crumb: ("/products", "Products"),
        heading: Signal::stored(heading),
        badges: None,
        actions,
        noun: "product",
        status,
        fields,
        can_save,
        cancel: Signal::stored("/products".to_owned()),
        more: None,
        before: None,
        side: None,
        save,
        reload: (!is_new).then_some(reload),
    })
}

const COST: &[&str; 3] = &["cost", "cost.amount", "cost.currency"];

/// The list prices, one row per currency: change, remove, add.
#[component]
fn Prices(
    prices: RwSignal<Vec<(String, String)>>,
    errors: RwSignal<FieldErrors>,
    disabled: Signal<bool>,
    editable: bool,
) -> impl IntoView {
    // Redrawn when a row comes or goes, not on each keystroke.
    let count = Memo::new(move |_| prices.with(Vec::len));
    let rows = move || {
        (0..count.get())
            .map(|i| {
                let money = prices.with_untracked(|l| {
                    l.get(i)
                        .map(|(amount, currency)| Money { amount: amount.clone(), currency: currency.clone() })
                        .unwrap_or_default()
                });
                let set = move |c: bool, v: String| {
                    prices.update(|l| {
                        if let Some(p) = l.get_mut(i) {
                            if c {
                                p.1 = v
                            } else {
                                p.0 = v
                            }
                        }
                    })
                };
                let (a, c) = (format!("price-{i}-amount"), format!("price-{i}-currency"));
                view! {
                    <li class="price-row">
                        <label for=a.clone() class="visually-hidden">"Amount"</label>
                        <input id=a inputmode="decimal" disabled=disabled prop:value=money.amount
                            on:input=move |ev| set(false, event_target_value(&ev)) />
                        <label for=c.clone() class="visually-hidden">"Currency"</label>
                        <input id=c class="currency" maxlength="3" disabled=disabled prop:value=money.currency
                            on:input=move |ev| set(true, event_target_value(&ev)) />
                        {editable.then(|| view! {
                            <button type="button" class="btn remove-price" disabled=disabled
                                on:click=move |_| prices.update(|l| { if i < l.len() { l.remove(i); } })>"Remove"</button>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="field field-group span-2" id="field-prices">
            <legend>"Prices"</legend>
            <ul class="rows">{rows}</ul>
            {editable.then(|| view! {
                <button type="button" id="add-price" class="btn" disabled=disabled
                    on:click=move |_| prices.update(|l| l.push((String::new(), String::new())))>"Add price"</button>
            })}
            <FieldError name="prices" errors />
        </fieldset>
    }
}
