//! One column of the board with its totals, and the cards in it.

use super::drag;
use super::state::{Column, Step};
use super::BoardCtx;
use crate::api::accounts::Money;
use crate::api::opportunities::{Opportunity, OpportunityStatus};
use crate::format;
use leptos::ev::{KeyboardEvent, MouseEvent, PointerEvent};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

/// A column total: one amount per currency, or [`format::EMPTY`] when hidden.
pub fn total_text(total: Option<&[Money]>) -> String {
    match total {
        Some(sums) if !sums.is_empty() => sums
            .iter()
            .map(format::money)
            .collect::<Vec<_>>()
            .join(" · "),
        _ => format::EMPTY.to_owned(),
    }
}

/// `.board-column[data-stage-id]`: header with `.column-count`, `.column-sum`
/// and `.column-weighted`, the cards, and "Load more". Whatever changes in
/// the column renders it again.
pub fn column_view(ctx: BoardCtx, stage_id: String) -> AnyView {
    let column = Memo::new(move |_| {
        ctx.state.with(|s| {
            s.column_of(&stage_id)
                .and_then(|i| s.columns.get(i).cloned())
                .unwrap_or_default()
        })
    });
    (move || {
        let Column {
            stage,
            count,
            sum,
            weighted_sum,
            cards,
            next,
        } = column.get();
        let stage_id = stage.id.clone();
        let heading = format!("column-{}", stage.id);
        let labelled_by = heading.clone();
        let more = next.is_some().then(|| {
            view! {
                <button
                    type="button"
                    class="btn btn-small column-more"
                    disabled=ctx.loading_more
                    on:click=move |_| ctx.load_more.run(stage_id.clone())
                >
                    "Load more"
                </button>
            }
        });
        view! {
            <section
                class="board-column"
                data-stage-id=stage.id
                data-outcome=stage.outcome.as_str()
                aria-labelledby=labelled_by
            >
                <header class="column-head">
                    <h2 class="column-name" id=heading>{stage.name}</h2>
                    <span class="column-count" title="Opportunities">{count}</span>
                    <dl class="column-totals">
                        <div>
                            <dt>"Sum"</dt>
                            <dd class="column-sum">{total_text(sum.as_deref())}</dd>
                        </div>
                        <div>
                            <dt>"Weighted"</dt>
                            <dd class="column-weighted">{total_text(weighted_sum.as_deref())}</dd>
                        </div>
                    </dl>
                </header>
                <ol class="column-cards">
                    {cards.into_iter().map(|card| card_view(ctx, card)).collect_view()}
                </ol>
                {more}
            </section>
        }
    })
    .into_any()
}

/// The element an event happened on is a link, or inside one.
fn on_link(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a,button").ok().flatten())
        .is_some()
}

/// `.board-card[data-id]`: focusable; dragged with the pointer, moved with
/// Alt + arrow keys, opened with a click or Enter.
fn card_view(ctx: BoardCtx, card: Opportunity) -> AnyView {
    let navigate = use_navigate();
    let id = StoredValue::new(card.id.clone());
    let href = card.href();
    let open = {
        let href = href.clone();
        move || navigate(&href, Default::default())
    };
    let on_click = {
        let open = open.clone();
        move |ev: MouseEvent| {
            if ctx.clicked_after_drag.get_value() {
                ctx.clicked_after_drag.set_value(false);
                ev.prevent_default();
            } else if !on_link(ev.target()) {
                open();
            }
        }
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let key = ev.key();
        if ev.alt_key() && ctx.can_move {
            let target = Step::from_key(&key).and_then(|step| {
                ctx.state
                    .with_untracked(|s| s.step_target(&id.get_value(), step))
            });
            if let Some(target) = target {
                ev.prevent_default();
                ctx.on_move.run((id.get_value(), target, true));
            }
        } else if let Some(step) = Step::from_key(&key).filter(|_| !ev.alt_key()) {
            // One tab stop for the board: arrows go from card to card.
            let next = ctx
                .state
                .with_untracked(|s| s.neighbour(&id.get_value(), step).map(str::to_owned));
            if let Some(next) = next {
                ev.prevent_default();
                super::focus_card(next);
            }
        } else if key == "+" && ctx.can_log {
            ev.prevent_default();
            ctx.log_for.set(Some(id.get_value()));
        } else if key == "Enter" && !on_link(ev.target()) {
            open();
        }
    };
    let amount = card
        .amount
        .as_ref()
        .map_or_else(|| format::EMPTY.to_owned(), format::money);
    let account = format::or_empty(card.account.as_ref().map(|a| a.name.as_str()));
    let owner = format::or_empty(card.owner.as_ref().map(|o| o.display_name.as_str()));
    let close = format::or_empty(card.close_date.as_deref());
    let custom = crate::api::custom_fields::values_of(&card.custom)
        .into_iter()
        .filter(|c| c.show_in_list && !c.display.is_empty())
        .map(|c| {
            let text = format!("{}: {}", c.label, c.display);
            view! { <span class="card-custom muted" data-key=c.key>{text}</span> }
        })
        .collect_view();
    let status = (card.status != OpportunityStatus::Open).then(|| {
        view! { <span class="badge card-status" data-status=card.status.as_str()>{card.status.label()}</span> }
    });
    view! {
        <li
            class="board-card"
            class:movable=ctx.can_move
            tabindex="0"
            data-id=card.id
            data-version=card.version
            aria-describedby="board-help"
            on:pointerdown=move |ev: PointerEvent| drag::press(ctx, &ev, &id.get_value())
            on:pointermove=move |ev: PointerEvent| drag::follow(ctx, &ev)
            on:pointerup=move |ev: PointerEvent| {
                if let Some((card, target)) = drag::release(ctx, &ev, false) {
                    ctx.on_move.run((card, target, false));
                }
            }
            on:pointercancel=move |ev: PointerEvent| {
                drag::release(ctx, &ev, true);
            }
            on:click=on_click
            on:keydown=on_keydown
        >
            <a class="card-name" href=href draggable="false" tabindex="-1">{card.name}</a>
            {ctx
                .can_log
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="btn btn-small card-log"
                            title="Log an activity"
                            tabindex="-1"
                            on:pointerdown=|ev: PointerEvent| ev.stop_propagation()
                            on:click=move |_| ctx.log_for.set(Some(id.get_value()))
                        >
                            "+"
                        </button>
                    }
                })}
            {status}
            <span class="card-account">{account}</span>
            <span class="card-amount">{amount}</span>
            {custom}
            <span class="card-meta">
                <span class="card-close" title="Close date">{close}</span>
                <span class="card-owner">{owner}</span>
            </span>
        </li>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_show_each_currency_or_a_dash() {
        assert_eq!(total_text(None), format::EMPTY);
        assert_eq!(total_text(Some(&[])), format::EMPTY);
        let sums = [
            Money {
                amount: "12000.00".into(),
                currency: "EUR".into(),
            },
            Money {
                amount: "500.00".into(),
                currency: "USD".into(),
            },
        ];
        assert_eq!(total_text(Some(&sums)), "12,000.00 EUR · 500.00 USD");
    }
}
