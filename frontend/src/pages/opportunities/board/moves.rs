//! A move of a card: the request and, after a conflict, the card as it is
//! now, fetched with its code on the first move (chunk `board_move`), so the
//! board's own chunk holds what shows the cards.

use crate::api::opportunities::{self, MoveInput, MoveOutcome, Opportunity};
use leptos::wasm_split::{self, SplitLoaderError};
use std::future::Future;
use std::pin::Pin;

/// Shown when the code that sends a move could not be fetched.
pub const MOVE_NOT_LOADED: &str = "The move could not be sent: reload the page and try again";

/// A request under way.
pub type Asked<T> = Pin<Box<dyn Future<Output = T>>>;

/// Sends a move; answers with the outcome and, after a conflict, the whole
/// card as it is now (name, amount… may have changed too).
#[wasm_split::wasm_split(board_move, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn send_move(
    input: MoveInput,
) -> Result<Asked<(MoveOutcome, Option<Opportunity>)>, SplitLoaderError> {
    Ok(Box::pin(async move {
        let outcome = opportunities::move_card(&input).await;
        let latest = match outcome {
            MoveOutcome::Conflict(_) => match opportunities::get(&input.id).await {
                Ok(Some((card, _))) => Some(card),
                _ => None,
            },
            _ => None,
        };
        (outcome, latest)
    }))
}
