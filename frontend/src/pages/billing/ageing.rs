//! `/ageing`: what customers owe by age, per currency, over the invoices the user may see.

use crate::api::billing::{self, AGEING_COLUMNS};
use crate::components::session::set_title;
use crate::format;
use crate::page::record::load_error;
use leptos::prelude::*;

/// `/ageing`.
#[component]
pub fn AgeingPage() -> impl IntoView {
    set_title("Ageing");
    let rows = LocalResource::new(billing::ageing);
    let heads = || {
        AGEING_COLUMNS
            .iter()
            .map(|(_, h)| view! { <th class="num">{*h}</th> })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="page">
            <div class="record-header"><h1>"Ageing"</h1>
                <a class="btn" href="/invoices">"Invoices"</a></div>
            <p class="muted">"Open amounts of issued invoices by days past their due date."</p>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => load_error(&e),
                    Ok(rows) if rows.is_empty() => view! { <p id="ageing-empty" class="muted">"Nothing is owed."</p> }.into_any(),
                    Ok(rows) => {
                        let body: Vec<_> = rows.iter().map(|r| {
                            let cells: Vec<_> = r.buckets.iter().map(|m| view! {
                                <td class="num">{m.as_ref().map(format::money).unwrap_or_default()}</td>
                            }).collect();
                            view! { <tr class="ageing-row" data-currency=r.currency.clone()>
                                <td>{r.currency.clone()}</td>{cells}<td class="num">{r.invoices}</td></tr> }
                        }).collect();
                        view! {
                            <div class="table-wrap"><table class="table" id="ageing-table">
                                <thead><tr><th>"Currency"</th>{heads()}<th class="num">"Invoices"</th></tr></thead>
                                <tbody>{body}</tbody>
                            </table></div>
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}
