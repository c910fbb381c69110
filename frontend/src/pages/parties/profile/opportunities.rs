//! The profile's opportunities: the latest deals of an account, and a link
//! to start a new one.

use crate::api::opportunities::{self, OpportunityStatus};
use crate::api::ApiError;
use crate::components::load::load_once;
use crate::format;
use leptos::prelude::*;

/// `#opportunities`: one `.opportunity-row` per deal, most recently changed first.
#[component]
pub fn Opportunities(
    /// The account's id.
    account_id: String,
    /// The user may create opportunities.
    can_create: bool,
) -> impl IntoView {
    let new_href = format!("/opportunities/new?accountId={account_id}");
    let loaded = load_once(async move { opportunities::list(&account_id).await });
    let rows = move || match loaded.get() {
        None => view! { <p class="loading">"Loading opportunities…"</p> }.into_any(),
        Some(Err(ApiError::Unauthenticated)) => ().into_any(),
        Some(Err(e)) => {
            view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> }.into_any()
        }
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="empty">"No opportunities yet."</p> }.into_any()
        }
        Some(Ok(list)) => {
            let rows = list
                .into_iter()
                .map(|o| {
                    let amount = o.amount.as_ref().map_or_else(|| format::EMPTY.to_owned(), format::money);
                    let status = (o.status != OpportunityStatus::Open).then(|| {
                        view! { <span class="badge" data-status=o.status.as_str()>{o.status.label()}</span> }
                    });
                    view! {
                        <li class="opportunity-row" data-id=o.id.clone()>
                            <a class="rel-other" href=o.href()>{o.name.clone()}</a>
                            {status}
                            <span class="rel-kind">{o.stage.name.clone()}</span>
                            <span class="rel-role">{amount}</span>
                            <span class="rel-dates">{format::or_empty(o.close_date.as_deref())}</span>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="rows">{rows}</ul> }.into_any()
        }
    };
    view! {
        <section class="card profile-section" id="opportunities" aria-labelledby="opp-heading">
            <div class="section-head">
                <h2 id="opp-heading">"Opportunities"</h2>
                {can_create
                    .then(|| view! { <a class="btn btn-small" id="new-opportunity" href=new_href>"New opportunity"</a> })}
            </div>
            {rows}
        </section>
    }
}
