//! The board's filter bar: pipeline, owner, closing dates, amount and search. Its code (the form
//! layer's fields, the pipeline and user lists) comes in a chunk of its own, `board_filters`,
//! fetched beside the board's: the cards never wait for it.

use super::FilterSignals;
use crate::api::{opportunities, users, FieldErrors};
use crate::components::load::load_once;
use crate::page::form::{fields_view, Field};
use crate::page::lazy::lazy_part;
use leptos::prelude::*;

/// What the filter bar is given.
pub(super) struct FilterProps {
    pub(super) inputs: FilterSignals,
    pub(super) errors: RwSignal<FieldErrors>,
    /// The caller may read amounts (else no amount filter).
    pub(super) amounts: bool,
}

fn filter_bar_view(p: FilterProps) -> AnyView {
    let FilterProps {
        inputs,
        errors,
        amounts,
    } = p;
    let pipelines = load_once(opportunities::pipelines());
    let owners = load_once(users::assignable());
    // The default pipeline first: it is the one shown until another is chosen.
    let pipeline_options = Signal::derive(move || {
        let list = pipelines.get().and_then(Result::ok).unwrap_or_default();
        let (default, others): (Vec<_>, Vec<_>) = list.into_iter().partition(|p| p.is_default);
        default
            .into_iter()
            .chain(others)
            .map(|p| (p.id, p.name))
            .collect::<Vec<_>>()
    });
    let owner_options = Signal::derive(move || {
        let list = owners.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .map(|u| (u.id, u.display_name))
            .collect::<Vec<_>>()
    });
    let mut fields = vec![
        Field::select(
            "pipelineId",
            "Pipeline",
            pipeline_options,
            inputs.pipeline,
            "",
        ),
        Field::select("ownerIds", "Owner", owner_options, inputs.owner, "Anyone"),
        Field::input("closeDateFrom", "Closing from", "date", inputs.from),
        Field::input("closeDateTo", "Closing until", "date", inputs.to),
    ];
    if amounts {
        fields.push(Field::text("amountMin", "Amount from", inputs.amount));
    }
    fields.push(Field::input("search", "Search", "search", inputs.search));
    fields_view(fields, errors, Signal::stored(false))
}

lazy_part!(
    /// The filter bar over the board.
    pub(super) fn filter_bar(props: FilterProps), chunk = board_filters, load = load_board_filters, view = filter_bar_view
);
