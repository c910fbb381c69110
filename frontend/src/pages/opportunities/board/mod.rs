//! `/pipeline`: the pipeline board. Columns by stage with their totals, cards
//! moved by dragging or with the keyboard (optimistically, reconciled with
//! the server's answer), filters, and live changes from other users.

mod column;
mod drag;
mod filters;
mod moves;
pub mod state;

use crate::api::activities::ActivityKind;
use crate::api::opportunities::live::{Change, ChangeKind, Listener, LiveFeed, LiveState};
use crate::api::opportunities::{self, BoardFilter, MoveInput, MoveOutcome};
use crate::api::ApiError;
use crate::components::debounce::Debouncer;
use crate::components::session::{set_title, use_session};
use crate::components::status::{Status, StatusMessages};
use crate::components::timing::mark_before_paint;
use crate::pages::activities::log::{log_dialog, DialogProps};
use column::column_view;
use drag::Drag;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{self, SplitLoaderError};
use moves::{send_move, MOVE_NOT_LOADED};
use state::{BoardState, Target};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// Shown when a move lost the race with someone else's change.
pub const CONFLICT_MESSAGE: &str =
    "Someone else changed this opportunity; showing the latest version";
/// Quiet time before the totals are asked for again after changes.
const TOTALS_DELAY: Duration = Duration::from_millis(300);
/// Quiet time after the last keystroke in the search box.
const SEARCH_DELAY: Duration = Duration::from_millis(300);

/// A message over the board: a conflict (warning) or a failure.
#[derive(Clone, Debug, PartialEq)]
struct Notice {
    warning: bool,
    text: String,
}

/// What the columns and cards share.
#[derive(Clone, Copy)]
pub struct BoardCtx {
    state: RwSignal<BoardState>,
    /// The user may move cards.
    can_move: bool,
    /// A move is under way; others wait.
    busy: RwSignal<bool>,
    loading_more: RwSignal<bool>,
    drag: StoredValue<Option<Drag>, LocalStorage>,
    clicked_after_drag: StoredValue<bool>,
    /// Moves a card: id, target, and whether by keyboard (focus follows it).
    on_move: Callback<(String, Target, bool)>,
    /// Loads the next cards of the column of a stage.
    load_more: Callback<String>,
    /// The card an activity is being logged for.
    log_for: RwSignal<Option<String>>,
    /// The user may log activities (else cards have no "+").
    can_log: bool,
}

/// Puts the keyboard focus on card `id` once it is rendered.
pub(super) fn focus_card(id: String) {
    request_animation_frame(move || {
        let selector = format!(".board-card[data-id=\"{id}\"]");
        let card = document().query_selector(&selector).ok().flatten();
        if let Some(card) = card.and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = card.focus();
        }
    });
}

/// The live feed's view of the board.
struct BoardListener {
    state: RwSignal<BoardState>,
    filter: Memo<BoardFilter>,
    pipeline: String,
    live: RwSignal<LiveState>,
    refresh_totals: Callback<()>,
    reload: Callback<()>,
}

impl Listener for BoardListener {
    fn change(&self, change: Change) {
        let card = change.opportunity.filter(|card| {
            change.kind == ChangeKind::Upsert
                && card.pipeline_id == self.pipeline
                && self.filter.with_untracked(|f| f.matches(card))
        });
        let changed = match card {
            Some(card) => self.state.try_update(|s| s.upsert(card, true)),
            None => self
                .state
                .try_update(|s| s.remove(&change.opportunity_id).is_some()),
        };
        if changed.is_some() {
            self.refresh_totals.run(());
        }
    }

    fn state(&self, state: LiveState) {
        self.live.try_set(state);
    }

    fn resync(&self) {
        self.reload.run(());
    }
}

/// Subscribes the board to the live changes of `pipeline`; the subscription
/// code (the WebSocket protocol) is fetched on its own, after the board.
#[wasm_split::wasm_split(board_live, wasm_split_path = ::leptos::wasm_split, fallible)]
fn start_live(pipeline: String, listener: BoardListener) -> Result<LiveFeed, SplitLoaderError> {
    Ok(LiveFeed::start(pipeline, Rc::new(listener)))
}

/// The inputs of the filter bar, as typed.
#[derive(Clone, Copy)]
struct FilterSignals {
    /// Pipeline id; empty for the default one.
    pipeline: RwSignal<String>,
    owner: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    amount: RwSignal<String>,
    search: RwSignal<String>,
}

impl FilterSignals {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Self {
            pipeline: s(),
            owner: s(),
            from: s(),
            to: s(),
            amount: s(),
            search: s(),
        }
    }

    fn filter(&self) -> BoardFilter {
        BoardFilter {
            owner_id: self.owner.get(),
            close_from: self.from.get(),
            close_to: self.to.get(),
            amount_min: self.amount.get(),
            search: self.search.get(),
        }
    }
}

/// Filter inputs with a place for their validation message.
const FILTER_FIELDS: &[&str] = &[
    "ownerIds",
    "closeDateFrom",
    "closeDateTo",
    "amountMin",
    "search",
];

/// The board page.
#[component]
pub fn PipelineBoard() -> impl IntoView {
    set_title("Pipeline");
    let me = use_session().me.get_untracked().unwrap_or_default();
    let amounts = me.can_read_field("opportunity", "amount");
    let can_create = me.can("opportunity", "create");
    let inputs = FilterSignals::new();
    let filter = Memo::new(move |_| inputs.filter());
    // The pipeline shown (the default one until another is chosen).
    let shown = RwSignal::new(String::new());
    let loading = RwSignal::new(true);
    let status = Status::new(None);
    let notice = RwSignal::new(None::<Notice>);
    let live = RwSignal::new(LiveState::Connecting);
    let generation = StoredValue::new(0_u32);
    let feed = StoredValue::new_local(None::<LiveFeed>);
    let ctx = BoardCtx {
        state: RwSignal::new(BoardState::default()),
        can_move: me.can("opportunity", "update"),
        busy: RwSignal::new(false),
        loading_more: RwSignal::new(false),
        drag: StoredValue::new_local(None),
        clicked_after_drag: StoredValue::new(false),
        on_move: Callback::new(|_| {}),
        load_more: Callback::new(|_| {}),
        log_for: RwSignal::new(None),
        can_log: me.can("activity", "create"),
    };
    let state = ctx.state;

    let load = move || {
        generation.update_value(|g| *g += 1);
        let asked = generation.get_value();
        let pipeline = inputs.pipeline.get_untracked();
        let filter = filter.get_untracked();
        loading.set(true);
        spawn_local(async move {
            let pipeline = Some(pipeline.as_str()).filter(|p| !p.is_empty());
            let answer = opportunities::board(pipeline, &filter, amounts).await;
            if generation.try_get_value() != Some(asked) {
                return;
            }
            loading.set(false);
            match answer {
                Ok(board) => {
                    status.fields.set(Default::default());
                    status.general.set(None);
                    let id = board.pipeline.id.clone();
                    state.set(BoardState::from_board(board));
                    mark_before_paint("crm:board-cards");
                    if shown.get_untracked() != id {
                        shown.set(id);
                    }
                }
                Err(e) => status.fail_renamed(e, FILTER_FIELDS, |field| {
                    let field = field.strip_prefix("filter.").unwrap_or(field);
                    FILTER_FIELDS.iter().find(|f| **f == field).copied()
                }),
            }
        });
    };
    // A change of pipeline or filter loads the board afresh, after a pause in typing.
    let pause = Debouncer::new(SEARCH_DELAY);
    Effect::new(move |first: Option<()>| {
        inputs.pipeline.track();
        filter.track();
        if first.is_none() {
            load();
        } else {
            pause.schedule(load);
        }
    });
    let reload = Callback::new(move |()| load());

    let totals = Debouncer::new(TOTALS_DELAY);
    let refresh_totals = Callback::new(move |()| {
        totals.schedule(move || {
            let pipeline = shown.get_untracked();
            let filter = filter.get_untracked();
            spawn_local(async move {
                if let Ok(totals) = opportunities::totals(&pipeline, &filter, amounts).await {
                    state.try_update(|s| s.set_totals(totals));
                }
            });
        });
    });

    // One live feed per pipeline shown.
    Effect::new(move |_| {
        let pipeline = shown.get();
        feed.set_value(None);
        if pipeline.is_empty() {
            return;
        }
        let listener = BoardListener {
            state,
            filter,
            pipeline: pipeline.clone(),
            live,
            refresh_totals,
            reload,
        };
        spawn_local(async move {
            // Only for the pipeline still shown once the code has come.
            if let Ok(started) = start_live(pipeline.clone(), listener).await {
                if shown.try_get_untracked().as_ref() == Some(&pipeline) {
                    feed.try_set_value(Some(started));
                }
            }
        });
    });
    on_cleanup(move || {
        feed.try_set_value(None);
    });

    // What a move did, for screen readers.
    let announce = RwSignal::new(String::new());
    let on_move = Callback::new(move |(id, target, by_keyboard): (String, Target, bool)| {
        if ctx.busy.get_untracked() {
            return;
        }
        let Some(input) = state.with_untracked(|s| {
            let (after_id, before_id) = s.drop_neighbours(&id, target)?;
            Some(MoveInput {
                id: id.clone(),
                version: s.card(&id)?.version,
                stage_id: s.columns.get(target.column)?.stage.id.clone(),
                after_id,
                before_id,
                ..MoveInput::default()
            })
        }) else {
            return;
        };
        let Some(was) = state.try_update(|s| s.place(&id, target)).flatten() else {
            return;
        };
        if let Some(place) = state.with_untracked(|s| s.whereabouts(&id)) {
            announce.set(format!("Moved {place}"));
        }
        ctx.busy.set(true);
        notice.set(None);
        if by_keyboard {
            focus_card(id.clone());
        }
        spawn_local(async move {
            let (outcome, latest) = match send_move(input).await {
                Ok(sent) => sent.await,
                Err(_) => (
                    MoveOutcome::Failed(ApiError::Decode(MOVE_NOT_LOADED.into())),
                    None,
                ),
            };
            ctx.busy.try_set(false);
            match outcome {
                MoveOutcome::Moved(card) => {
                    state.try_update(|s| s.upsert(*card, false));
                }
                MoveOutcome::Conflict(current) => {
                    notice.try_set(Some(Notice {
                        warning: true,
                        text: CONFLICT_MESSAGE.to_owned(),
                    }));
                    let mut fresh = was.clone();
                    if let Some(current) = &current {
                        fresh.merge_current(current);
                    }
                    state.try_update(|s| s.upsert(fresh, false));
                    if let Some(card) = latest {
                        state.try_update(|s| s.upsert(card, false));
                    }
                }
                MoveOutcome::Failed(error) => {
                    state.try_update(|s| s.upsert(was, false));
                    if let Some(place) = state.with_untracked(|s| s.whereabouts(&id)) {
                        announce.try_set(format!("Not moved: {place}"));
                    }
                    if error != ApiError::Unauthenticated {
                        notice.try_set(Some(Notice {
                            warning: false,
                            text: error.to_string(),
                        }));
                    }
                }
            }
            if by_keyboard {
                focus_card(id);
            }
            refresh_totals.run(());
        });
    });

    let load_more = Callback::new(move |stage_id: String| {
        let after = state.with_untracked(|s| {
            s.column_of(&stage_id)
                .and_then(|c| s.columns[c].next.clone())
        });
        let Some(after) = after else {
            return;
        };
        ctx.loading_more.set(true);
        let pipeline = shown.get_untracked();
        let filter = filter.get_untracked();
        spawn_local(async move {
            let page = opportunities::column(&pipeline, &stage_id, &filter, &after, amounts).await;
            ctx.loading_more.try_set(false);
            match page {
                Ok(page) => {
                    state.try_update(|s| s.append(&stage_id, page));
                }
                Err(e) if e != ApiError::Unauthenticated => {
                    notice.try_set(Some(Notice {
                        warning: false,
                        text: e.to_string(),
                    }));
                }
                Err(_) => {}
            }
        });
    });
    let ctx = BoardCtx {
        on_move,
        load_more,
        ..ctx
    };

    let columns = Memo::new(move |_| {
        state.with(|s| {
            s.columns
                .iter()
                .map(|c| c.stage.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let errors = status.fields;
    let is_live = move || live.get() == LiveState::Live;
    let filter_fields = filters::filter_bar(filters::FilterProps {
        inputs,
        errors,
        amounts,
    });

    view! {
        <div class="page-header">
            <h1>"Pipeline"</h1>
            <span class="live-status" id="live-status" data-state=move || if is_live() { "live" } else { "connecting" }>
                {move || if is_live() { "Live" } else { "Connecting…" }}
            </span>
            {can_create
                .then(|| {
                    view! {
                        <a class="btn btn-primary" id="new-opportunity" href="/opportunities/new">
                            "New opportunity"
                        </a>
                    }
                })}
        </div>
        <form class="board-filters" role="search" on:submit=|ev| ev.prevent_default()>
            {filter_fields}
        </form>
        <p class="visually-hidden" id="board-announce" role="status" aria-live="polite">{move || announce.get()}</p>
        <p class="visually-hidden" id="board-help">
            "Drag to move. The arrow keys go from card to card; Alt and the arrow keys move the card to another stage or within its stage; Enter opens it; + logs an activity."
        </p>
        {move || {
            notice
                .get()
                .map(|n| {
                    view! {
                        <p
                            class=if n.warning { "alert alert-warning" } else { "alert alert-error" }
                            role="alert"
                            id="board-message"
                        >
                            {n.text}
                        </p>
                    }
                })
        }}
        <StatusMessages status />
        {move || (loading.get() && columns.with(Vec::is_empty)).then(|| view! { <p class="loading">"Loading the board…"</p> })}
        {move || ctx.log_for.get().map(|id| {
            let close = Callback::new(move |()| ctx.log_for.set(None));
            log_dialog(DialogProps { record_id: id, kind: ActivityKind::Call, on_logged: close, on_close: close })
        })}
        <div id="board" class="board" aria-busy=move || loading.get().to_string()>
            {move || columns.get().into_iter().map(|id| column_view(ctx, id)).collect_view()}
        </div>
    }
}
