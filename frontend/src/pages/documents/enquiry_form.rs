//! The enquiry form, new or changing an open one: the customer (found by name), date, channel,
//! address, currency, the lines (a product of the catalogue or free text; a product line left
//! without a price is priced from the customer's price lists), the delivery and quotation wishes.

use super::{line_figures, money_of, LineDraft};
use crate::api::documents::{self, Product};
use crate::api::enquiries::{self, Enquiry, EnquiryWrite, CHANNELS};
use crate::api::parties::Party;
use crate::api::{ApiError, FieldErrors};
use crate::components::field::FieldError;
use crate::components::load::load_once;
use crate::components::party_search::PartySearch;
use crate::components::session::use_session;
use crate::components::status::Status;
use crate::format;
use crate::page::form::{record_form, run, Failed, Field, FormSpec, Saved};
use crate::page::lazy::lazy_part;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

lazy_part!(
    /// The enquiry form, fetched on first use.
    pub fn enquiry_form(props: EnquiryFormPart), chunk = enquiry_form, load = load_enquiry_form, view = form_view
);

/// The enquiry to change, or `None` for a new one.
pub struct EnquiryFormPart(pub Option<Enquiry>);

fn form_view(p: EnquiryFormPart) -> AnyView {
    enquiry_editor(p.0)
}

/// A line as typed.
#[derive(Clone, Debug, Default, PartialEq)]
struct FormLine {
    key: u32,
    product_id: String,
    name: String,
    specification: String,
    quantity: String,
    unit_price: String,
    discount: String,
}

/// The fields the form shows messages for.
const SHOWN: &[&str] = &[
    "customerId",
    "enquiryDate",
    "channel",
    "currency",
    "address",
    "lines",
    "deliveryPeriod",
    "paymentTerms",
    "quotationLeadDays",
    "deliveryPoint",
    "remarks",
];

/// The server's refusal with each line's messages under "lines" ("Line 2 quantity: …").
fn failed(e: ApiError) -> Failed {
    let Some(all) = e.with_code("BAD_USER_INPUT").map(|b| b.field_errors()) else {
        return e.into();
    };
    let known = |f: &str| f.starts_with("lines.") || SHOWN.contains(&f);
    if all.is_empty() || !all.iter().all(|(f, _)| known(f)) {
        return Failed::Api(e, vec![("lines".into(), "lines")]);
    }
    let mut out = FieldErrors::default();
    for (f, m) in all.iter() {
        match f.strip_prefix("lines.") {
            Some(rest) => {
                let (i, field) = rest.split_once('.').unwrap_or((rest, ""));
                let n = i.parse::<usize>().map_or(0, |i| i + 1);
                out.push("lines", &format!("Line {n} {field}: {m}"));
            }
            None => out.push(f, m),
        }
    }
    Failed::Invalid(out)
}

fn line_input(l: &FormLine) -> Value {
    let mut v = json!({ "quantity": format::amount_typed(&l.quantity) });
    for (key, text) in [
        ("productId", &l.product_id),
        ("name", &l.name),
        ("specification", &l.specification),
        ("discountPercent", &l.discount),
    ] {
        if !text.trim().is_empty() {
            v[key] = json!(text.trim());
        }
    }
    if !l.unit_price.trim().is_empty() {
        v["unitPrice"] = json!(format::amount_typed(&l.unit_price));
    }
    v
}

fn enquiry_editor(saved: Option<Enquiry>) -> AnyView {
    let me = use_session().me.get_untracked().unwrap_or_default();
    let prices = me.can_read_field("quote", "amount") && me.can_write_field("quote", "amount");
    let status = Status::new(None);
    let s = |v: Option<&Option<String>>| RwSignal::new(v.cloned().flatten().unwrap_or_default());
    let e = saved.as_ref();
    let customer = RwSignal::new(e.and_then(|e| e.customer.clone()));
    let date = RwSignal::new(e.map(|e| e.date.clone()).unwrap_or_default());
    let channel = RwSignal::new(e.map_or_else(|| "EMAIL".to_owned(), |e| e.channel.clone()));
    let currency = RwSignal::new(e.map_or_else(|| "EUR".to_owned(), |e| e.currency.clone()));
    let address = s(e.map(|e| &e.address));
    let delivery_period = s(e.map(|e| &e.delivery_period));
    let payment_terms = s(e.map(|e| &e.payment_terms));
    let delivery_point = s(e.map(|e| &e.delivery_point));
    let remarks = s(e.map(|e| &e.remarks));
    let lead_days = RwSignal::new(
        e.and_then(|e| e.lead_days)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let initial: Vec<FormLine> = e
        .map(|e| e.lines.as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, l)| FormLine {
            key: i as u32,
            product_id: l.product_id.clone().unwrap_or_default(),
            name: l.name.clone(),
            specification: l.specification.clone().unwrap_or_default(),
            quantity: l.quantity.clone(),
            unit_price: l
                .unit_price
                .as_ref()
                .map(|m| m.amount.clone())
                .unwrap_or_default(),
            discount: l.discount_percent.clone().unwrap_or_default(),
        })
        .collect();
    let next_key = StoredValue::new(initial.len() as u32);
    let lines = RwSignal::new(initial);
    let id_version = e.map(|e| (e.id.clone(), e.version));
    let is_new = id_version.is_none();
    let heading = e.map_or_else(
        || "New enquiry".to_owned(),
        |e| format!("Enquiry {}", e.number),
    );
    let can_save = e.map_or_else(|| me.can("enquiry", "create"), |e| e.can_edit);

    let save = run(move || {
        let id_version = id_version.clone();
        let text = |v: RwSignal<String>| v.get_untracked().trim().to_owned();
        let mut input = json!({ "channel": channel.get_untracked() });
        let mut invalid = FieldErrors::default();
        match &id_version {
            Some((id, version)) => {
                input["id"] = json!(id);
                input["version"] = json!(version);
            }
            None => match customer.get_untracked() {
                Some(c) => input["customerId"] = json!(c.id),
                None => invalid.push("customerId", "Choose the customer."),
            },
        }
        for (key, v) in [
            ("address", address),
            ("deliveryPeriod", delivery_period),
            ("paymentTerms", payment_terms),
            ("deliveryPoint", delivery_point),
            ("remarks", remarks),
            ("enquiryDate", date),
            ("currency", currency),
        ] {
            let t = text(v);
            // An update sends an empty text to clear it; a date or currency is never cleared.
            if !t.is_empty() || (!is_new && !matches!(key, "enquiryDate" | "currency")) {
                input[key] = json!(t);
            }
        }
        let days = text(lead_days);
        if !days.is_empty() {
            match days.parse::<i32>() {
                Ok(d) => input["quotationLeadDays"] = json!(d),
                Err(_) => invalid.push("quotationLeadDays", "must be a whole number of days"),
            }
        }
        input["lines"] =
            Value::Array(lines.with_untracked(|ls| ls.iter().map(line_input).collect()));
        async move {
            if !invalid.is_empty() {
                return Err(Failed::Invalid(invalid));
            }
            let mutation = if is_new {
                EnquiryWrite::Create
            } else {
                EnquiryWrite::Update
            };
            let saved = enquiries::save(mutation, input).await.map_err(failed)?;
            Ok(Saved::Go(format!("/enquiries/{}", saved.id)))
        }
    });

    let customer_view = if is_new {
        let on_pick = Callback::new(move |p: Party| {
            customer.set(Some(crate::api::leads::Named {
                id: p.id,
                name: p.display_name,
            }))
        });
        view! {
            <div class="field span-2">
                <span>"Customer"</span>
                <p id="enquiry-customer">{move || customer.get().map(|c| c.name).unwrap_or_else(|| "None chosen".into())}</p>
                <PartySearch input_id="field-customerId" label="Find the customer" on_pick />
                <FieldError name="customerId" errors=status.fields />
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="field span-2"><span>"Customer"</span>
                <p id="enquiry-customer">{customer.get_untracked().map(|c| c.name)}</p></div>
        }
        .into_any()
    };
    let lines_view = line_rows(lines, next_key, customer, currency, prices, status);
    let channels: Vec<(String, String)> = CHANNELS
        .iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect();
    let cancel = e.map_or_else(
        || "/enquiries".to_owned(),
        |e| format!("/enquiries/{}", e.id),
    );
    record_form(FormSpec {
        crumb: ("/enquiries", "Enquiries"),
        heading: Signal::stored(heading),
        badges: None,
        actions: None,
        noun: "enquiry",
        status,
        fields: vec![
            Field::custom(&["customerId"], customer_view),
            Field::input("enquiryDate", "Date", "date", date).hint("Empty: today"),
            Field::select("channel", "Channel", Signal::stored(channels), channel, ""),
            Field::text("currency", "Currency", currency),
            Field::area("address", "Address", address),
            Field::custom(&["lines"], lines_view),
            Field::text("deliveryPeriod", "Delivery period", delivery_period),
            Field::text("paymentTerms", "Payment terms", payment_terms),
            Field::input(
                "quotationLeadDays",
                "Quotation wanted within (days)",
                "number",
                lead_days,
            ),
            Field::text("deliveryPoint", "Delivery point", delivery_point),
            Field::area("remarks", "Remarks", remarks),
        ],
        can_save,
        cancel: Signal::stored(cancel),
        more: None,
        before: None,
        side: None,
        save,
        reload: None,
    })
}

/// The lines: product or free text, specification, quantity, price and discount, the live net.
fn line_rows(
    lines: RwSignal<Vec<FormLine>>,
    next_key: StoredValue<u32>,
    customer: RwSignal<Option<crate::api::leads::Named>>,
    currency: RwSignal<String>,
    prices: bool,
    status: Status,
) -> AnyView {
    let catalogue = load_once(documents::catalogue());
    let products = Signal::derive(move || {
        catalogue
            .get()
            .and_then(Result::ok)
            .map(|c| c.0)
            .unwrap_or_default()
    });
    let update = move |key: u32, f: &dyn Fn(&mut FormLine)| {
        lines.update(|ls| {
            if let Some(l) = ls.iter_mut().find(|l| l.key == key) {
                f(l);
            }
        });
    };
    let net_of = move |l: &FormLine| {
        let draft = LineDraft {
            quantity: l.quantity.clone(),
            unit_price: l.unit_price.clone(),
            discount: l.discount.clone(),
            tax_rate: "0".into(),
        };
        line_figures(&draft, "", &currency.get()).map(|(n, _)| n)
    };
    let pick = move |key: u32, product_id: String| {
        let found: Option<Product> =
            products.with_untracked(|ps| ps.iter().find(|p| p.id == product_id).cloned());
        update(key, &|l| {
            l.product_id = product_id.clone();
            if let Some(p) = &found {
                l.name = p.name.clone();
            }
        });
        if let (true, Some(_), Some(c)) = (prices, found, customer.get_untracked()) {
            let cur = currency.get_untracked();
            spawn_local(async move {
                if let Ok(Some(price)) = documents::resolve_price(&c.id, &cur, &product_id).await {
                    update(key, &|l| l.unit_price = price.amount.clone());
                }
            });
        }
    };
    let row = move |l: FormLine| {
        let key = l.key;
        let field = move |get: fn(&FormLine) -> String| {
            Signal::derive(move || {
                lines.with(|ls| {
                    ls.iter()
                        .find(|x| x.key == key)
                        .map(get)
                        .unwrap_or_default()
                })
            })
        };
        let set = move |f: fn(&mut FormLine, String)| {
            move |ev: leptos::ev::Event| {
                let v = event_target_value(&ev);
                update(key, &|l| f(l, v.clone()));
            }
        };
        let net = move || {
            lines
                .with(|ls| ls.iter().find(|x| x.key == key).and_then(net_of))
                .map(|n| format::money(&money_of(n, &currency.get())))
                .unwrap_or_else(|| format::EMPTY.into())
        };
        view! {
            <tr class="edit-line" data-key=key>
                <td>
                    <select class="line-product" aria-label="Product" on:change=move |ev| pick(key, event_target_value(&ev))>
                        <option value="" selected=l.product_id.is_empty()>"— free text —"</option>
                        {move || products.get().into_iter().map(|p| {
                            let selected = p.id == l.product_id;
                            view! { <option value=p.id.clone() selected=selected>{format!("{} {}", p.code, p.name)}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                    <input class="line-name" aria-label="Name" prop:value=field(|x| x.name.clone()) on:input=set(|l, v| l.name = v) />
                </td>
                <td><textarea class="line-spec" aria-label="Specification" rows="1" prop:value=field(|x| x.specification.clone()) on:input=set(|l, v| l.specification = v)></textarea></td>
                <td><input class="line-quantity num" aria-label="Quantity" inputmode="decimal" prop:value=field(|x| x.quantity.clone()) on:input=set(|l, v| l.quantity = v) /></td>
                {prices.then(|| view! {
                    <td><input class="line-price num" aria-label="Unit price" inputmode="decimal" placeholder="list" prop:value=field(|x| x.unit_price.clone()) on:input=set(|l, v| l.unit_price = v) /></td>
                    <td><input class="line-discount num" aria-label="Discount %" inputmode="decimal" prop:value=field(|x| x.discount.clone()) on:input=set(|l, v| l.discount = v) /></td>
                    <td class="num line-net">{net}</td>
                })}
                <td><button type="button" class="btn btn-small" aria-label="Remove line" on:click=move |_| lines.update(|ls| ls.retain(|x| x.key != key))>"×"</button></td>
            </tr>
        }
    };
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        lines.update(|ls| {
            ls.push(FormLine {
                key,
                quantity: "1".into(),
                ..Default::default()
            })
        });
    };
    let total = move || {
        let net: i128 = lines.with(|ls| ls.iter().filter_map(net_of).sum());
        format::money(&money_of(net, &currency.get()))
    };
    view! {
        <fieldset class="field span-2" id="field-lines">
            <legend>"Lines"</legend>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"Item"</th><th>"Specification"</th><th class="num">"Quantity"</th>
                        {prices.then(|| view! { <th class="num">"Unit price"</th><th class="num">"Discount %"</th><th class="num">"Net"</th> })}
                        <th></th></tr></thead>
                    <tbody><For each=move || lines.get() key=|l| l.key children=row /></tbody>
                </table>
            </div>
            <button type="button" id="add-line" class="btn" on:click=add>"Add line"</button>
            {prices.then(|| view! { <dl class="totals"><dt>"Net"</dt><dd id="live-net">{total}</dd></dl> })}
            <FieldError name="lines" errors=status.fields />
        </fieldset>
    }
    .into_any()
}
