//! The board as loaded: columns, their totals and cards, and how moves and
//! live changes rearrange them. Pure: no signals, no requests.

use crate::api::accounts::Money;
use crate::api::opportunities::{Board, BoardColumn, Opportunity, Stage};
use crate::api::paging::Connection;
use std::cmp::Ordering;

/// One column: a stage, its totals, and the cards loaded so far, in board order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Column {
    /// The stage.
    pub stage: Stage,
    /// Cards in the stage (over all pages).
    pub count: i64,
    /// Sum of the amounts, per currency; `None` when hidden.
    pub sum: Option<Vec<Money>>,
    /// Sum of the weighted amounts; `None` when hidden.
    pub weighted_sum: Option<Vec<Money>>,
    /// The cards loaded so far.
    pub cards: Vec<Opportunity>,
    /// Cursor of the next page, when there is one.
    pub next: Option<String>,
}

impl Column {
    fn from_board(column: BoardColumn) -> Self {
        Self {
            stage: column.stage,
            count: column.count,
            sum: column.sum,
            weighted_sum: column.weighted_sum,
            next: column.cards.page_info.next_cursor().map(str::to_owned),
            cards: column.cards.nodes,
        }
    }
}

/// Board order: by position as plain text, then by id.
pub fn card_order(a: &Opportunity, b: &Opportunity) -> Ordering {
    a.position
        .as_bytes()
        .cmp(b.position.as_bytes())
        .then_with(|| a.id.cmp(&b.id))
}

/// The neighbours a card gets when dropped into slot `slot` of a column whose
/// other cards are `ids` (in order, the moving card left out): the card it
/// follows (`afterId`) and the card it precedes (`beforeId`).
pub fn neighbours(ids: &[&str], slot: usize) -> (Option<String>, Option<String>) {
    let after = slot
        .checked_sub(1)
        .and_then(|i| ids.get(i))
        .map(|id| (*id).to_owned());
    let before = ids.get(slot).map(|id| (*id).to_owned());
    (after, before)
}

/// A keyboard move of the focused card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// To the top of the previous column.
    Left,
    /// To the top of the next column.
    Right,
    /// One place up.
    Up,
    /// One place down.
    Down,
}

impl Step {
    /// The step for a key pressed with Alt.
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "ArrowLeft" => Some(Step::Left),
            "ArrowRight" => Some(Step::Right),
            "ArrowUp" => Some(Step::Up),
            "ArrowDown" => Some(Step::Down),
            _ => None,
        }
    }
}

/// Where a card goes: a column and a slot among that column's other cards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// Index of the column.
    pub column: usize,
    /// Slot among the column's cards without the moving one.
    pub slot: usize,
}

/// Every column of the board.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoardState {
    /// The columns, in stage order.
    pub columns: Vec<Column>,
}

impl BoardState {
    /// The state of a freshly loaded board.
    pub fn from_board(board: Board) -> Self {
        Self {
            columns: board.columns.into_iter().map(Column::from_board).collect(),
        }
    }

    /// Column and index of card `id`, when loaded.
    pub fn find(&self, id: &str) -> Option<(usize, usize)> {
        self.columns.iter().enumerate().find_map(|(c, column)| {
            column
                .cards
                .iter()
                .position(|card| card.id == id)
                .map(|i| (c, i))
        })
    }

    /// Card `id`, when loaded.
    pub fn card(&self, id: &str) -> Option<&Opportunity> {
        self.find(id).map(|(c, i)| &self.columns[c].cards[i])
    }

    /// Where card `id` is, said for a screen reader: `“Name” in Proposal, 2 of 5.`
    pub fn whereabouts(&self, id: &str) -> Option<String> {
        let (c, i) = self.find(id)?;
        let column = &self.columns[c];
        let total = column.count.max(column.cards.len() as i64);
        Some(format!(
            "\u{201c}{}\u{201d} in {}, {} of {}.",
            column.cards[i].name,
            column.stage.name,
            i + 1,
            total
        ))
    }

    /// Index of the column of stage `stage_id`.
    pub fn column_of(&self, stage_id: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.stage.id == stage_id)
    }

    /// The ids of column `column`'s cards, leaving out `moving`.
    pub fn ids_without(&self, column: usize, moving: &str) -> Vec<&str> {
        self.columns.get(column).map_or_else(Vec::new, |c| {
            c.cards
                .iter()
                .map(|card| card.id.as_str())
                .filter(|id| *id != moving)
                .collect()
        })
    }

    /// The `(afterId, beforeId)` of card `id` dropped at `target`, or `None`
    /// when that is where it already is.
    pub fn drop_neighbours(
        &self,
        id: &str,
        target: Target,
    ) -> Option<(Option<String>, Option<String>)> {
        if self.find(id) == Some((target.column, target.slot)) {
            return None;
        }
        let ids = self.ids_without(target.column, id);
        (target.slot <= ids.len()).then(|| neighbours(&ids, target.slot))
    }

    /// Where a keyboard `step` takes card `id`, if anywhere.
    pub fn step_target(&self, id: &str, step: Step) -> Option<Target> {
        let (column, index) = self.find(id)?;
        let last = self.columns[column].cards.len().saturating_sub(1);
        match step {
            Step::Left => column.checked_sub(1).map(|c| Target { column: c, slot: 0 }),
            Step::Right => (column + 1 < self.columns.len()).then_some(Target {
                column: column + 1,
                slot: 0,
            }),
            Step::Up => index.checked_sub(1).map(|slot| Target { column, slot }),
            Step::Down => (index < last).then_some(Target {
                column,
                slot: index + 1,
            }),
        }
    }

    /// The card the focus goes to from card `id` with an arrow key (no Alt): the one above or
    /// below in its column, or the nearest in the next column either way that has cards, at the
    /// same height or its last.
    pub fn neighbour(&self, id: &str, step: Step) -> Option<&str> {
        let (column, index) = self.find(id)?;
        let cards = &self.columns[column].cards;
        fn pick(c: &Column, index: usize) -> Option<&Opportunity> {
            c.cards.get(index.min(c.cards.len().checked_sub(1)?))
        }
        let card = match step {
            Step::Up => index.checked_sub(1).and_then(|i| cards.get(i)),
            Step::Down => cards.get(index + 1),
            Step::Left => self.columns[..column]
                .iter()
                .rev()
                .find_map(|c| pick(c, index)),
            Step::Right => self
                .columns
                .get(column + 1..)?
                .iter()
                .find_map(|c| pick(c, index)),
        };
        card.map(|c| c.id.as_str())
    }

    /// Takes card `id` off the board; the column count goes down with it.
    pub fn remove(&mut self, id: &str) -> Option<Opportunity> {
        let (c, i) = self.find(id)?;
        let column = &mut self.columns[c];
        column.count = (column.count - 1).max(0);
        Some(column.cards.remove(i))
    }

    /// Moves card `id` to `target` at once (before the server has answered),
    /// taking the target column's stage. Returns the card as it was.
    pub fn place(&mut self, id: &str, target: Target) -> Option<Opportunity> {
        let before = self.card(id)?.clone();
        let column = self.columns.get(target.column)?;
        let stage = column.stage.clone();
        let mut card = self.remove(id)?;
        card.stage = stage;
        let column = &mut self.columns[target.column];
        column.count += 1;
        let slot = target.slot.min(column.cards.len());
        column.cards.insert(slot, card);
        Some(before)
    }

    /// Puts `card` where its stage and position say. A card already shown in
    /// a newer version is left alone; one that arrives from elsewhere (`live`)
    /// and sorts after the loaded part of a longer column is left for "Load
    /// more". Returns `true` when the board changed.
    pub fn upsert(&mut self, card: Opportunity, live: bool) -> bool {
        let known = self.find(&card.id);
        if let Some((c, i)) = known {
            let shown = &self.columns[c].cards[i];
            let stale = if live {
                card.version <= shown.version
            } else {
                card.version < shown.version
            };
            if stale {
                return false;
            }
        }
        let Some(target) = self.column_of(&card.stage.id) else {
            return self.remove(&card.id).is_some();
        };
        let moved_column = known.is_some_and(|(c, _)| c != target);
        if let Some((c, i)) = known {
            let column = &mut self.columns[c];
            column.cards.remove(i);
            if moved_column {
                column.count = (column.count - 1).max(0);
            }
        }
        let column = &mut self.columns[target];
        let slot = column
            .cards
            .iter()
            .position(|other| card_order(&card, other) == Ordering::Less)
            .unwrap_or(column.cards.len());
        if live && known.is_none() && column.next.is_some() && slot == column.cards.len() {
            return false;
        }
        if moved_column {
            column.count += 1;
        }
        column.cards.insert(slot, card);
        true
    }

    /// Adds the next page of column `stage_id`, skipping cards already shown.
    pub fn append(&mut self, stage_id: &str, page: Connection<Opportunity>) {
        let Some(c) = self.column_of(stage_id) else {
            return;
        };
        let next = page.page_info.next_cursor().map(str::to_owned);
        for card in page.nodes {
            if self.find(&card.id).is_none() {
                self.columns[c].cards.push(card);
            }
        }
        self.columns[c].next = next;
    }

    /// Takes fresh counts and sums (cards are left as they are).
    pub fn set_totals(&mut self, totals: Vec<BoardColumn>) {
        for fresh in totals {
            if let Some(c) = self.column_of(&fresh.stage.id) {
                let column = &mut self.columns[c];
                column.count = fresh.count;
                column.sum = fresh.sum;
                column.weighted_sum = fresh.weighted_sum;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str, stage: &str, position: &str, version: i64) -> Opportunity {
        Opportunity {
            id: id.into(),
            stage: Stage {
                id: stage.into(),
                ..Stage::default()
            },
            position: position.into(),
            version,
            ..Opportunity::default()
        }
    }

    fn column(stage: &str, cards: Vec<Opportunity>) -> Column {
        Column {
            stage: Stage {
                id: stage.into(),
                ..Stage::default()
            },
            count: cards.len() as i64,
            cards,
            ..Column::default()
        }
    }

    /// S1: A B C · S2: D · S3: (empty)
    fn board() -> BoardState {
        BoardState {
            columns: vec![
                column(
                    "S1",
                    vec![
                        card("A", "S1", "a", 1),
                        card("B", "S1", "b", 1),
                        card("C", "S1", "c", 1),
                    ],
                ),
                column("S2", vec![card("D", "S2", "m", 1)]),
                column("S3", vec![]),
            ],
        }
    }

    #[test]
    fn arrows_move_the_focus_to_the_nearest_card() {
        let state = board();
        assert_eq!(state.neighbour("B", Step::Up), Some("A"));
        assert_eq!(state.neighbour("B", Step::Down), Some("C"));
        assert_eq!(state.neighbour("C", Step::Down), None);
        assert_eq!(
            state.neighbour("C", Step::Right),
            Some("D"),
            "the last of a shorter column"
        );
        assert_eq!(
            state.neighbour("D", Step::Right),
            None,
            "no card further right"
        );
        assert_eq!(state.neighbour("D", Step::Left), Some("A"));
        assert_eq!(state.neighbour("A", Step::Left), None);
    }

    #[test]
    fn a_card_s_whereabouts_name_its_stage_and_place() {
        let mut state = board();
        state.columns[1].stage.name = "Proposal".into();
        state.columns[1].cards[0].name = "Big deal".into();
        state.place("B", Target { column: 1, slot: 1 });
        state.columns[0]
            .cards
            .iter_mut()
            .for_each(|c| c.name = c.id.clone());
        assert_eq!(
            state.whereabouts("D").as_deref(),
            Some("\u{201c}Big deal\u{201d} in Proposal, 1 of 2.")
        );
        assert_eq!(state.whereabouts("nope"), None);
    }

    fn ids(state: &BoardState, c: usize) -> Vec<&str> {
        state.columns[c]
            .cards
            .iter()
            .map(|c| c.id.as_str())
            .collect()
    }

    fn some(id: &str) -> Option<String> {
        Some(id.to_owned())
    }

    #[test]
    fn cards_sort_by_position_as_text_then_id() {
        let mut cards = [
            card("2", "S", "a1", 1),
            card("1", "S", "a1", 1),
            card("3", "S", "a0V", 1),
            card("4", "S", "Z", 1),
        ];
        cards.sort_by(card_order);
        let order: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
        // Plain byte order: upper case before lower case, "a0V" before "a1".
        assert_eq!(order, ["4", "3", "1", "2"]);
    }

    #[test]
    fn a_drop_names_the_cards_around_its_slot() {
        assert_eq!(neighbours(&["A", "B"], 0), (None, some("A")));
        assert_eq!(neighbours(&["A", "B"], 1), (some("A"), some("B")));
        assert_eq!(neighbours(&["A", "B"], 2), (some("B"), None));
        assert_eq!(neighbours(&[], 0), (None, None));
        let state = board();
        // B onto the top of S2: before D.
        assert_eq!(
            state.drop_neighbours("B", Target { column: 1, slot: 0 }),
            Some((None, some("D")))
        );
        // B below D.
        assert_eq!(
            state.drop_neighbours("B", Target { column: 1, slot: 1 }),
            Some((some("D"), None))
        );
        // A to the end of its own column: after C.
        assert_eq!(
            state.drop_neighbours("A", Target { column: 0, slot: 2 }),
            Some((some("C"), None))
        );
        // Into the empty column.
        assert_eq!(
            state.drop_neighbours("A", Target { column: 2, slot: 0 }),
            Some((None, None))
        );
        // Where it already is: no move.
        assert_eq!(
            state.drop_neighbours("B", Target { column: 0, slot: 1 }),
            None
        );
        assert_eq!(
            state.drop_neighbours("X", Target { column: 0, slot: 0 }),
            Some((None, some("A")))
        );
    }

    #[test]
    fn keyboard_steps() {
        let state = board();
        assert_eq!(state.step_target("B", Step::Left), None);
        assert_eq!(
            state.step_target("B", Step::Right),
            Some(Target { column: 1, slot: 0 })
        );
        assert_eq!(
            state.step_target("D", Step::Right),
            Some(Target { column: 2, slot: 0 })
        );
        assert_eq!(
            state.step_target("D", Step::Left),
            Some(Target { column: 0, slot: 0 })
        );
        assert_eq!(state.step_target("A", Step::Up), None);
        assert_eq!(state.step_target("C", Step::Down), None);
        let up = state.step_target("B", Step::Up);
        assert_eq!(up, Some(Target { column: 0, slot: 0 }));
        assert_eq!(
            up.and_then(|t| state.drop_neighbours("B", t)),
            Some((None, some("A")))
        );
        let down = state.step_target("B", Step::Down);
        assert_eq!(
            down.and_then(|t| state.drop_neighbours("B", t)),
            Some((some("C"), None))
        );
        assert_eq!(state.step_target("X", Step::Up), None);
        assert_eq!(Step::from_key("ArrowRight"), Some(Step::Right));
        assert_eq!(Step::from_key("Enter"), None);
    }

    #[test]
    fn an_optimistic_move_then_the_server_answer() {
        let mut state = board();
        let was = state.place("B", Target { column: 1, slot: 1 });
        assert_eq!(was.map(|c| c.stage.id), some("S1"));
        assert_eq!(ids(&state, 0), ["A", "C"]);
        assert_eq!(ids(&state, 1), ["D", "B"]);
        assert_eq!((state.columns[0].count, state.columns[1].count), (2, 2));
        assert_eq!(state.card("B").map(|c| c.stage.id.as_str()), Some("S2"));
        // The answer: a position after D.
        assert!(state.upsert(card("B", "S2", "n", 2), false));
        assert_eq!(ids(&state, 1), ["D", "B"]);
        assert_eq!(state.columns[1].count, 2);
        // A refusal: the card as it was goes back.
        let mut state = board();
        let was = state.place("A", Target { column: 2, slot: 0 });
        assert_eq!(ids(&state, 2), ["A"]);
        if let Some(was) = was {
            assert!(state.upsert(was, false));
        }
        assert_eq!(ids(&state, 0), ["A", "B", "C"]);
        assert_eq!((state.columns[0].count, state.columns[2].count), (3, 0));
    }

    #[test]
    fn live_changes_upsert_and_remove() {
        let mut state = board();
        // Someone moved C to S2, between nothing and D.
        assert!(state.upsert(card("C", "S2", "l", 2), true));
        assert_eq!(ids(&state, 0), ["A", "B"]);
        assert_eq!(ids(&state, 1), ["C", "D"]);
        assert_eq!((state.columns[0].count, state.columns[1].count), (2, 2));
        // The same version again (our own move's echo) changes nothing.
        assert!(!state.upsert(card("C", "S1", "z", 2), true));
        assert_eq!(ids(&state, 1), ["C", "D"]);
        // A new card.
        assert!(state.upsert(card("E", "S1", "aa", 1), true));
        assert_eq!(ids(&state, 0), ["A", "E", "B"]);
        // A stage not on the board takes the card off.
        assert!(state.upsert(card("E", "S9", "a", 2), true));
        assert_eq!(ids(&state, 0), ["A", "B"]);
        // Removal.
        assert!(state.remove("A").is_some());
        assert!(state.remove("A").is_none());
        assert_eq!(ids(&state, 0), ["B"]);
        // A new card after the loaded part of a longer column waits for "Load more".
        state.columns[1].next = Some("c".into());
        assert!(!state.upsert(card("F", "S2", "zz", 1), true));
        assert!(state.upsert(card("F", "S2", "a", 1), true));
        assert_eq!(ids(&state, 1), ["F", "C", "D"]);
    }

    #[test]
    fn load_more_skips_cards_already_shown_and_totals_refresh() {
        let mut state = board();
        state.columns[1].next = Some("c1".into());
        let page = Connection {
            nodes: vec![card("D", "S2", "m", 1), card("G", "S2", "x", 1)],
            ..Connection::default()
        };
        state.append("S2", page);
        assert_eq!(ids(&state, 1), ["D", "G"]);
        assert_eq!(state.columns[1].next, None);
        state.set_totals(vec![BoardColumn {
            stage: Stage {
                id: "S2".into(),
                ..Stage::default()
            },
            count: 7,
            sum: Some(vec![Money {
                amount: "10.00".into(),
                currency: "EUR".into(),
            }]),
            ..BoardColumn::default()
        }]);
        assert_eq!(state.columns[1].count, 7);
        assert!(state.columns[1].sum.is_some());
        assert_eq!(state.columns[0].count, 3);
    }
}
