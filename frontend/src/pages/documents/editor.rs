//! The line editor of a draft quote, fetched when a draft is shown: products or free lines, live
//! totals rounded as the server rounds them, save.

use super::{line_figures, money_of, LineDraft};
use crate::api::documents::{self, Product, Quote, QuoteWrite, TaxCategory};
use crate::components::load::load_once;
use crate::format;
use crate::page::lazy::lazy_part;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

lazy_part!(
    /// The line editor.
    pub fn line_editor(props: EditorProps), chunk = quote_editor, load = load_quote_editor, view = editor_view
);

/// What the editor works on: the quote, the page's busy flag, and how to run a mutation.
pub struct EditorProps {
    pub quote: RwSignal<Quote>,
    pub busy: RwSignal<bool>,
    pub run: Callback<(QuoteWrite, Value, &'static str)>,
}

fn editor_view(p: EditorProps) -> AnyView {
    let run = p.run;
    view! { <LineEditor quote=p.quote busy=p.busy run=move |m, v, d| run.run((m, v, d)) /> }
        .into_any()
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
            unit_price: l
                .unit_price
                .as_ref()
                .map(|m| m.amount.clone())
                .unwrap_or_default(),
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

/// The line editor of a draft: products or free lines, live totals, save.
#[component]
fn LineEditor(
    quote: RwSignal<Quote>,
    run: impl Fn(QuoteWrite, Value, &'static str) + Copy + Send + Sync + 'static,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let catalogue = load_once(documents::catalogue());
    let products = Signal::derive(move || {
        catalogue
            .get()
            .and_then(Result::ok)
            .map(|c| c.0)
            .unwrap_or_default()
    });
    let categories = Signal::derive(move || {
        catalogue
            .get()
            .and_then(Result::ok)
            .map(|c| c.1)
            .unwrap_or_default()
    });
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
            let found: Option<Product> =
                products.with_untracked(|ps| ps.iter().find(|p| p.id == product_id).cloned());
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
                    if let Ok(Some(price)) =
                        documents::resolve_price(&customer, &currency, &product_id).await
                    {
                        update(key, &|l| l.unit_price = price.amount.clone());
                    }
                });
            }
        }
    };
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        lines.update(|ls| {
            ls.push(EditLine {
                key,
                quantity: "1".into(),
                tax: "STANDARD".into(),
                ..Default::default()
            })
        });
    };
    let save = move |_| {
        let (id, version) = quote.with_untracked(|q| (q.id.clone(), q.version));
        let ls: Vec<Value> = lines
            .get_untracked()
            .into_iter()
            .map(|l| {
                let mut v = json!({
                    "name": l.name, "quantity": crate::format::amount_typed(&l.quantity),
                    "unitPrice": crate::format::amount_typed(&l.unit_price), "taxCategory": l.tax,
                });
                if !l.product_id.is_empty() {
                    v["productId"] = json!(l.product_id);
                }
                if !l.discount.trim().is_empty() {
                    v["discountPercent"] = json!(l.discount.trim());
                }
                if !l.specification.trim().is_empty() {
                    v["specification"] = json!(l.specification);
                }
                v
            })
            .collect();
        let mut input = json!({ "id": id, "version": version, "title": title.get_untracked(),
            "validUntil": valid_until.get_untracked(), "terms": terms.get_untracked(), "lines": ls });
        let d = discount.get_untracked();
        input["discountPercent"] = json!(if d.trim().is_empty() {
            "0".to_owned()
        } else {
            d.trim().to_owned()
        });
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
            lines.with(|ls| {
                ls.iter().find(|x| x.key == key).and_then(|x| {
                    line_figures(
                        &LineDraft {
                            quantity: x.quantity.clone(),
                            unit_price: x.unit_price.clone(),
                            discount: x.discount.clone(),
                            tax_rate: rate_of(&cats, &x.tax),
                        },
                        &header,
                        &cur,
                    )
                })
            })
        });
        let cur = cur2.clone();
        let field = move |get: fn(&EditLine) -> String| {
            Signal::derive(move || {
                lines.with(|ls| {
                    ls.iter()
                        .find(|x| x.key == key)
                        .map(get)
                        .unwrap_or_default()
                })
            })
        };
        let set = move |f: fn(&mut EditLine, String)| {
            move |ev: leptos::ev::Event| {
                let v = event_target_value(&ev);
                update(key, &|l| f(l, v.clone()));
            }
        };
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
