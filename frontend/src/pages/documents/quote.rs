//! `/quotes/new` (from an opportunity or for a customer) and `/quotes/:id`: the quote with its
//! actions (send, revise, accept — optionally winning the deal — reject, PDF), the line editor
//! of a draft with live totals, and every revision.

use super::{line_figures, money_of, LineDraft};
use crate::api::documents::{self, status_label, Product, Quote, QuoteWrite, TaxCategory};
use crate::api::parties::Party;
use crate::components::download::download_bytes;
use crate::components::load::load_once;
use crate::components::party_search::PartySearch;
use crate::components::session::{set_title, use_session};
use crate::format;
use crate::page::record::{record_page, Missing};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde_json::{json, Value};

fn amounts() -> bool {
    use_session()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.can_read_field("quote", "amount")))
}

/// `/quotes/new?opportunity=…` or `?customer=…`.
#[component]
pub fn NewQuotePage() -> impl IntoView {
    set_title("New quote");
    let query = use_query_map();
    let opportunity = query.with_untracked(|q| q.get("opportunity").unwrap_or_default());
    let customer = RwSignal::new(None::<Party>);
    let [title, currency, valid_until] = [(); 3].map(|()| RwSignal::new(String::new()));
    currency.set("EUR".into());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let from_opportunity = !opportunity.is_empty();
    let create = move |_| {
        let mut input = json!({ "currency": currency.get_untracked().trim() });
        if from_opportunity {
            input["opportunityId"] = json!(opportunity.clone());
        } else if let Some(c) = customer.get_untracked() {
            input["customerId"] = json!(c.id);
        } else {
            error.set(Some("Choose the customer first.".into()));
            return;
        }
        for (key, value) in [("title", title), ("validUntil", valid_until)] {
            let v = value.get_untracked();
            if !v.trim().is_empty() {
                input[key] = json!(v.trim());
            }
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match documents::save(QuoteWrite::Create, input).await {
                Ok(q) => navigate(&format!("/quotes/{}", q.id), Default::default()),
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };
    let on_pick = Callback::new(move |p: Party| customer.set(Some(p)));
    let input = |id: &'static str, label: &'static str, kind: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field" for=id>
                <span>{label}</span>
                <input id=id type=kind prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <div class="card narrow">
            <h1>"New quote"</h1>
            {if from_opportunity {
                view! { <p>"For the opportunity you came from: its account, currency and name are used."</p> }.into_any()
            } else {
                view! {
                    <div class="field">
                        <span>"Customer"</span>
                        <p id="quote-customer">{move || customer.get().map(|c| c.display_name).unwrap_or_else(|| "None chosen".into())}</p>
                        <PartySearch input_id="field-customer" label="Find the customer" on_pick />
                    </div>
                }.into_any()
            }}
            {input("field-title", "Title (optional)", "text", title)}
            {input("field-currency", "Currency", "text", currency)}
            {input("field-validUntil", "Valid until (default: 30 days)", "date", valid_until)}
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert" id="quote-error">{e}</p> })}
            <div class="actions">
                <button id="create-quote" class="btn btn-primary" disabled=move || busy.get() on:click=create>"Create quote"</button>
                <a class="btn" href="/quotes">"Cancel"</a>
            </div>
        </div>
    }
}

/// `/quotes/:id`.
#[component]
pub fn QuotePage() -> impl IntoView {
    let amounts = amounts();
    record_page(
        move |id| async move { documents::get(&id, amounts).await },
        Missing::new("Quote not found", ("/quotes", "Back to quotes"), "Loading quote…"),
        |q| view! { <QuoteView quote=q /> }.into_any(),
    )
}

/// A line being edited.
#[derive(Clone, Debug, Default, PartialEq)]
struct EditLine {
    key: u32,
    product_id: String,
    name: String,
    specification: String,
    quantity: String,
    unit_price: String,
    discount: String,
    tax: String,
}

fn edit_lines(q: &Quote) -> Vec<EditLine> {
    q.current
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| EditLine {
            key: i as u32,
            product_id: l.product_id.clone().unwrap_or_default(),
            name: l.name.clone(),
            specification: l.specification.clone().unwrap_or_default(),
            quantity: l.quantity.clone(),
            unit_price: l.unit_price.as_ref().map(|m| m.amount.clone()).unwrap_or_default(),
            discount: l.discount_percent.clone().unwrap_or_default(),
            tax: l.tax_category.clone(),
        })
        .collect()
}

fn rate_of(categories: &[TaxCategory], code: &str) -> String {
    categories
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.rate_percent.clone())
        .unwrap_or_else(|| "0".into())
}

/// The quote with its actions, lines and revisions.
#[component]
fn QuoteView(quote: Quote) -> impl IntoView {
    set_title(&format!("Quote {}", quote.number));
    let quote = RwSignal::new(quote);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let run = move |mutation: QuoteWrite, input: Value, done: &'static str| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match documents::save(mutation, input).await {
                Ok(q) => {
                    quote.set(q);
                    notice.set(Some(done.into()));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let version_input = move || {
        quote.with_untracked(|q| json!({ "id": q.id, "version": q.version }))
    };
    let accepting = RwSignal::new(false);
    let win = RwSignal::new(true);
    let note = RwSignal::new(String::new());
    let pdf = move |revision: Option<i64>| {
        let (id, number) = quote.with_untracked(|q| (q.id.clone(), q.number.clone()));
        spawn_local(async move {
            match documents::pdf(&id, revision).await {
                Ok(bytes) => {
                    let name = match revision {
                        Some(r) => format!("Quote-{number}-rev{r}.pdf"),
                        None => format!("Quote-{number}.pdf"),
                    };
                    download_bytes(&name, &bytes);
                    notice.set(Some("PDF downloaded".into()));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let header = move || {
        quote.with(|q| {
            let status = q.status.clone();
            view! {
                <div class="record-header">
                    <h1>"Quote " <span id="quote-number">{q.number.clone()}</span></h1>
                    <span class="badge" id="quote-status" data-status=status.clone()>{status_label(&status)}</span>
                </div>
                <p class="muted">
                    {q.title.clone()} " · revision " <span id="quote-revision">{q.revision}</span>
                    " · valid until " {q.valid_until.clone()}
                    {q.customer.clone().map(|c| view! { " · " <a href=format!("/parties/{}", c.id)>{c.name}</a> })}
                    {q.opportunity.clone().map(|o| view! { " · " <a id="quote-opportunity" href=format!("/opportunities/{}", o.id)>{o.name}</a> })}
                </p>
                {q.decision_note.clone().map(|n| view! { <p class="note">{n}</p> })}
            }
        })
    };
    let actions = move || {
        let can = quote.with(|q| q.can);
        let has_opportunity = quote.with(|q| q.opportunity.is_some());
        view! {
            <div class="actions" role="toolbar" aria-label="Quote actions">
                {can.send.then(|| view! { <button id="send-quote" class="btn btn-primary" disabled=move || busy.get()
                    on:click=move |_| run(QuoteWrite::Send, version_input(), "Sent: this revision is now frozen")>"Send"</button> })}
                {can.accept.then(|| view! { <button id="accept-quote" class="btn btn-primary" disabled=move || busy.get()
                    on:click=move |_| accepting.set(true)>"Accept…"</button> })}
                {can.reject.then(|| view! { <button id="reject-quote" class="btn" disabled=move || busy.get()
                    on:click=move |_| run(QuoteWrite::Reject, version_input(), "Rejected")>"Reject"</button> })}
                {can.revise.then(|| view! { <button id="revise-quote" class="btn" disabled=move || busy.get()
                    on:click=move |_| run(QuoteWrite::Revise, version_input(), "A new draft revision")>"Revise"</button> })}
                {amounts().then(|| view! { <button id="quote-pdf" class="btn" on:click=move |_| pdf(None)>"Download PDF"</button> })}
            </div>
            {move || accepting.get().then(|| view! {
                <div class="card" id="accept-panel">
                    <h2>"The customer accepted"</h2>
                    {has_opportunity.then(|| view! {
                        <label class="check"><input id="win-opportunity" type="checkbox" prop:checked=move || win.get()
                            on:change=move |ev| win.set(event_target_checked(&ev)) />
                            " Mark the opportunity won with this quote's net amount"</label>
                    })}
                    <label class="field" for="accept-note"><span>"Note (optional)"</span>
                        <textarea id="accept-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea></label>
                    <div class="actions">
                        <button id="confirm-accept" class="btn btn-primary" disabled=move || busy.get() on:click=move |_| {
                            let mut input = version_input();
                            input["winOpportunity"] = json!(has_opportunity && win.get_untracked());
                            let n = note.get_untracked();
                            if !n.trim().is_empty() { input["note"] = json!(n); }
                            accepting.set(false);
                            run(QuoteWrite::Accept, input, "Accepted");
                        }>"Confirm acceptance"</button>
                        <button class="btn" on:click=move |_| accepting.set(false)>"Cancel"</button>
                    </div>
                </div>
            })}
        }
    };
    let body = move || {
        if quote.with(|q| q.can.edit) {
            view! { <LineEditor quote run busy /> }.into_any()
        } else {
            quote.with(|q| lines_table(q)).into_any()
        }
    };
    let revisions = move || {
        quote.with(|q| {
            let rows: Vec<_> = q.revisions.iter().rev().map(|r| {
                let n = r.revision;
                let sent = r.sent_at.clone().map(|s| format!("sent {}", &s[..s.len().min(10)])).unwrap_or_else(|| "draft".into());
                let total = r.total.as_ref().map(format::money).unwrap_or_default();
                view! {
                    <li class="revision" data-revision=n>
                        "Revision " {n} " · " {sent} " · " {total} " "
                        {amounts().then(|| view! { <button class="btn btn-small" on:click=move |_| pdf(Some(n))>"PDF"</button> })}
                    </li>
                }
            }).collect();
            view! { <section class="card"><h2>"Revisions"</h2><ul id="quote-revisions">{rows}</ul></section> }
        })
    };
    view! {
        <div class="page quote-page">
            {header}
            {actions}
            {move || notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="quote-notice">{n}</p> })}
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert" id="quote-error">{e}</p> })}
            {body}
            {revisions}
        </div>
    }
}

/// The lines and totals of a revision that no longer changes.
fn lines_table(q: &Quote) -> impl IntoView {
    let r = &q.current;
    let money = |m: &Option<crate::api::accounts::Money>| m.as_ref().map(format::money).unwrap_or_else(|| format::EMPTY.into());
    let rows: Vec<_> = r.lines.iter().map(|l| {
        let item = match &l.code { Some(c) => format!("{c} {}", l.name), None => l.name.clone() };
        view! {
            <tr class="quote-line">
                <td>{item}{l.specification.clone().map(|s| view! { <div class="muted pre">{s}</div> })}</td>
                <td class="num">{l.quantity.clone()} " " {l.unit.clone()}</td>
                <td class="num">{money(&l.unit_price)}</td>
                <td class="num">{l.discount_percent.clone().unwrap_or_default()}</td>
                <td class="num">{l.tax_rate_percent.clone()} " %"</td>
                <td class="num">{money(&l.total)}</td>
            </tr>
        }
    }).collect();
    view! {
        <section class="card">
            <h2>"Lines"</h2>
            <div class="table-wrap">
                <table class="table" id="quote-lines">
                    <thead><tr><th>"Item"</th><th class="num">"Quantity"</th><th class="num">"Unit price"</th>
                        <th class="num">"Discount %"</th><th class="num">"Tax"</th><th class="num">"Total"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <dl class="totals" id="quote-totals">
                <dt>"Net"</dt><dd id="quote-net">{money(&r.net)}</dd>
                <dt>"Tax"</dt><dd>{money(&r.tax)}</dd>
                <dt>"Total"</dt><dd id="quote-total">{money(&r.total)}</dd>
            </dl>
            {r.terms.clone().map(|t| view! { <h3>"Terms"</h3><p class="pre">{t}</p> })}
        </section>
    }
}

/// The line editor of a draft: products or free lines, live totals, save.
#[component]
fn LineEditor(
    quote: RwSignal<Quote>,
    run: impl Fn(QuoteWrite, Value, &'static str) + Copy + Send + Sync + 'static,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let catalogue = load_once(documents::catalogue());
    let products = Signal::derive(move || catalogue.get().and_then(Result::ok).map(|c| c.0).unwrap_or_default());
    let categories = Signal::derive(move || catalogue.get().and_then(Result::ok).map(|c| c.1).unwrap_or_default());
    let (initial, rev) = quote.with_untracked(|q| (edit_lines(q), q.current.clone()));
    let next_key = StoredValue::new(initial.len() as u32);
    let lines = RwSignal::new(initial);
    let title = RwSignal::new(quote.with_untracked(|q| q.title.clone()));
    let valid_until = RwSignal::new(rev.valid_until.clone());
    let discount = RwSignal::new(rev.discount_percent.clone().unwrap_or_default());
    let terms = RwSignal::new(rev.terms.clone().unwrap_or_default());
    let currency = rev.currency.clone();
    let customer = quote.with_untracked(|q| q.customer.as_ref().map(|c| c.id.clone()));
    let update = move |key: u32, f: &dyn Fn(&mut EditLine)| {
        lines.update(|ls| {
            if let Some(l) = ls.iter_mut().find(|l| l.key == key) {
                f(l);
            }
        });
    };
    let cur = currency.clone();
    let totals = Memo::new(move |_| {
        let cats = categories.get();
        let header = discount.get();
        let mut net = 0_i128;
        let mut tax = 0_i128;
        let mut complete = true;
        for l in lines.get() {
            let draft = LineDraft {
                quantity: l.quantity.clone(),
                unit_price: l.unit_price.clone(),
                discount: l.discount.clone(),
                tax_rate: rate_of(&cats, &l.tax),
            };
            match line_figures(&draft, &header, &cur) {
                Some((n, t)) => {
                    net += n;
                    tax += t;
                }
                None => complete = false,
            }
        }
        (net, tax, complete)
    });
    let pick_product = {
        let currency = currency.clone();
        move |key: u32, product_id: String| {
            let found: Option<Product> = products.with_untracked(|ps| ps.iter().find(|p| p.id == product_id).cloned());
            update(key, &|l| {
                l.product_id = product_id.clone();
                if let Some(p) = &found {
                    l.name = p.name.clone();
                    l.tax = p.tax_category.clone();
                }
            });
            if let (Some(_), Some(customer)) = (found, customer.clone()) {
                let currency = currency.clone();
                spawn_local(async move {
                    if let Ok(Some(price)) = documents::resolve_price(&customer, &currency, &product_id).await {
                        update(key, &|l| l.unit_price = price.amount.clone());
                    }
                });
            }
        }
    };
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        lines.update(|ls| ls.push(EditLine { key, quantity: "1".into(), tax: "STANDARD".into(), ..Default::default() }));
    };
    let save = move |_| {
        let (id, version) = quote.with_untracked(|q| (q.id.clone(), q.version));
        let ls: Vec<Value> = lines.get_untracked().into_iter().map(|l| {
            let mut v = json!({
                "name": l.name, "quantity": crate::format::amount_typed(&l.quantity),
                "unitPrice": crate::format::amount_typed(&l.unit_price), "taxCategory": l.tax,
            });
            if !l.product_id.is_empty() { v["productId"] = json!(l.product_id); }
            if !l.discount.trim().is_empty() { v["discountPercent"] = json!(l.discount.trim()); }
            if !l.specification.trim().is_empty() { v["specification"] = json!(l.specification); }
            v
        }).collect();
        let mut input = json!({ "id": id, "version": version, "title": title.get_untracked(),
            "validUntil": valid_until.get_untracked(), "terms": terms.get_untracked(), "lines": ls });
        let d = discount.get_untracked();
        input["discountPercent"] = json!(if d.trim().is_empty() { "0".to_owned() } else { d.trim().to_owned() });
        run(QuoteWrite::Update, input, "Saved");
    };
    let cur2 = currency.clone();
    let row = move |l: EditLine| {
        let key = l.key;
        let pick = pick_product.clone();
        let cur = cur2.clone();
        let figures = Memo::new(move |_| {
            let cats = categories.get();
            let header = discount.get();
            lines.with(|ls| ls.iter().find(|x| x.key == key).and_then(|x| line_figures(&LineDraft {
                quantity: x.quantity.clone(), unit_price: x.unit_price.clone(), discount: x.discount.clone(),
                tax_rate: rate_of(&cats, &x.tax),
            }, &header, &cur)))
        });
        let cur = cur2.clone();
        let field = move |get: fn(&EditLine) -> String| Signal::derive(move || lines.with(|ls| ls.iter().find(|x| x.key == key).map(get).unwrap_or_default()));
        let set = move |f: fn(&mut EditLine, String)| move |ev: leptos::ev::Event| { let v = event_target_value(&ev); update(key, &|l| f(l, v.clone())); };
        view! {
            <tr class="edit-line" data-key=key>
                <td>
                    <select class="line-product" aria-label="Product" on:change=move |ev| pick(key, event_target_value(&ev))>
                        <option value="" selected=l.product_id.is_empty()>"— free line —"</option>
                        {products.get().into_iter().map(|p| {
                            let selected = p.id == l.product_id;
                            view! { <option value=p.id.clone() selected=selected>{format!("{} {}", p.code, p.name)}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                    <input class="line-name" aria-label="Name" prop:value=field(|x| x.name.clone()) on:input=set(|l, v| l.name = v) />
                </td>
                <td><input class="line-quantity num" aria-label="Quantity" inputmode="decimal" prop:value=field(|x| x.quantity.clone()) on:input=set(|l, v| l.quantity = v) /></td>
                <td><input class="line-price num" aria-label="Unit price" inputmode="decimal" prop:value=field(|x| x.unit_price.clone()) on:input=set(|l, v| l.unit_price = v) /></td>
                <td><input class="line-discount num" aria-label="Discount %" inputmode="decimal" prop:value=field(|x| x.discount.clone()) on:input=set(|l, v| l.discount = v) /></td>
                <td>
                    <select class="line-tax" aria-label="Tax" on:change=set(|l, v| l.tax = v)>
                        {move || categories.get().into_iter().map(|c| {
                            let selected = lines.with_untracked(|ls| ls.iter().any(|x| x.key == key && x.tax == c.code));
                            view! { <option value=c.code.clone() selected=selected>{format!("{} ({} %)", c.name, c.rate_percent)}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                </td>
                <td class="num line-net">{move || figures.get().map(|(n, _)| format::money(&money_of(n, &cur))).unwrap_or_else(|| format::EMPTY.into())}</td>
                <td><button class="btn btn-small" aria-label="Remove line" on:click=move |_| lines.update(|ls| ls.retain(|x| x.key != key))>"×"</button></td>
            </tr>
        }
    };
    let cur3 = currency.clone();
    let show = move |v: i128| format::money(&money_of(v, &cur3));
    let show2 = show.clone();
    let show3 = show.clone();
    view! {
        <section class="card" id="line-editor">
            <h2>"Lines"</h2>
            <div class="form-grid">
                <label class="field" for="field-title"><span>"Title"</span>
                    <input id="field-title" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) /></label>
                <label class="field" for="field-validUntil"><span>"Valid until"</span>
                    <input id="field-validUntil" type="date" prop:value=move || valid_until.get() on:input=move |ev| valid_until.set(event_target_value(&ev)) /></label>
                <label class="field" for="field-discount"><span>"Discount on every line (%)"</span>
                    <input id="field-discount" inputmode="decimal" prop:value=move || discount.get() on:input=move |ev| discount.set(event_target_value(&ev)) /></label>
            </div>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th>"Item"</th><th class="num">"Quantity"</th><th class="num">"Unit price"</th>
                        <th class="num">"Discount %"</th><th>"Tax"</th><th class="num">"Net"</th><th></th></tr></thead>
                    <tbody>
                        <For each=move || lines.get() key=|l| l.key children=row />
                    </tbody>
                </table>
            </div>
            <button id="add-line" class="btn" on:click=add>"Add line"</button>
            <dl class="totals" id="live-totals" aria-live="polite">
                <dt>"Net"</dt><dd id="live-net">{move || show(totals.get().0)}</dd>
                <dt>"Tax"</dt><dd id="live-tax">{move || show2(totals.get().1)}</dd>
                <dt>"Total"</dt><dd id="live-total">{move || { let (n, t, _) = totals.get(); show3(n + t) }}</dd>
            </dl>
            {move || (!totals.get().2).then(|| view! { <p class="muted">"A line has a value that is not a number yet; it is left out of the totals."</p> })}
            <label class="field" for="field-terms"><span>"Terms"</span>
                <textarea id="field-terms" prop:value=move || terms.get() on:input=move |ev| terms.set(event_target_value(&ev))></textarea></label>
            <div class="actions">
                <button id="save-quote" class="btn btn-primary" disabled=move || busy.get() on:click=save>"Save"</button>
            </div>
        </section>
    }
}
