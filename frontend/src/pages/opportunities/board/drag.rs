//! Dragging cards with pointer events (mouse, pen and touch alike): the card
//! follows the pointer, and the column and slot under it are found from the
//! elements' rectangles. The marks on screen (`.dragging`, `.drop-target`,
//! `.drop-before`, `.drop-end`) are set on the elements directly: they change
//! with every pointer move and nothing else depends on them.

use super::state::Target;
use super::BoardCtx;
use leptos::ev::PointerEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// How far the pointer travels before a press becomes a drag, in CSS pixels.
const THRESHOLD: i32 = 5;

/// A press on a card, and whether it has become a drag.
pub struct Drag {
    id: String,
    pointer: i32,
    x: i32,
    y: i32,
    active: bool,
    card: HtmlElement,
    /// Where a drop would land, and the elements marked for it.
    hint: Option<(Target, Vec<Element>)>,
}

/// Adds or removes class `name` on `element`.
fn mark(element: &Element, name: &str, on: bool) {
    let list = element.class_list();
    let _ = if on {
        list.add_1(name)
    } else {
        list.remove_1(name)
    };
}

fn elements(root: &Element, css: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(css) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .collect()
}

/// The column and slot under the point `(x, y)`, ignoring card `moving`, with
/// the elements that show it: the column, and the card the drop would precede
/// (or the column's list, for its end).
fn hit(x: i32, y: i32, moving: &str) -> Option<(Target, Vec<Element>)> {
    let board = document().get_element_by_id("board")?;
    let (x, y) = (f64::from(x), f64::from(y));
    for (c, column) in elements(&board, ".board-column").into_iter().enumerate() {
        let rect = column.get_bounding_client_rect();
        if x < rect.left() || x > rect.right() {
            continue;
        }
        let mut slot = 0;
        let mut marker = None;
        for card in elements(&column, ".board-card") {
            if card.get_attribute("data-id").as_deref() == Some(moving) {
                continue;
            }
            let rect = card.get_bounding_client_rect();
            if y > rect.top() + rect.height() / 2.0 {
                slot += 1;
            } else {
                marker = Some(card);
                break;
            }
        }
        let marker = marker.or_else(|| column.query_selector(".column-cards").ok().flatten());
        let marks = std::iter::once(column).chain(marker).collect();
        return Some((Target { column: c, slot }, marks));
    }
    None
}

/// Shows or clears the marks of a drop hint.
fn show_hint(marks: &[Element], on: bool) {
    for (i, element) in marks.iter().enumerate() {
        let name = match i {
            0 => "drop-target",
            _ if element.class_list().contains("board-card") => "drop-before",
            _ => "drop-end",
        };
        mark(element, name, on);
    }
}

/// `pointerdown` on card `id`: remember the press and capture the pointer.
pub fn press(ctx: BoardCtx, ev: &PointerEvent, id: &str) {
    if !ctx.can_move || ev.button() != 0 || ctx.busy.get_untracked() {
        return;
    }
    let Some(card) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    let _ = card.set_pointer_capture(ev.pointer_id());
    ctx.clicked_after_drag.set_value(false);
    ctx.drag.set_value(Some(Drag {
        id: id.to_owned(),
        pointer: ev.pointer_id(),
        x: ev.client_x(),
        y: ev.client_y(),
        active: false,
        card,
        hint: None,
    }));
}

/// `pointermove`: past the threshold the card follows the pointer and the
/// drop marks follow the slot under it.
pub fn follow(ctx: BoardCtx, ev: &PointerEvent) {
    let (x, y) = (ev.client_x(), ev.client_y());
    ctx.drag.update_value(|drag| {
        let Some(drag) = drag.as_mut().filter(|d| d.pointer == ev.pointer_id()) else {
            return;
        };
        let (dx, dy) = (x - drag.x, y - drag.y);
        if !drag.active && dx.abs().max(dy.abs()) <= THRESHOLD {
            return;
        }
        drag.active = true;
        mark(&drag.card, "dragging", true);
        let _ = drag
            .card
            .set_attribute("style", &format!("transform:translate({dx}px,{dy}px)"));
        if let Some((_, marks)) = &drag.hint {
            show_hint(marks, false);
        }
        drag.hint = hit(x, y, &drag.id);
        if let Some((_, marks)) = &drag.hint {
            show_hint(marks, true);
        }
    });
}

/// `pointerup` (or `pointercancel` when `cancelled`): ends the press; a drag
/// that ends over a column is returned as a move of that card.
pub fn release(ctx: BoardCtx, ev: &PointerEvent, cancelled: bool) -> Option<(String, Target)> {
    let drag = ctx
        .drag
        .try_update_value(|d| d.take().filter(|d| d.pointer == ev.pointer_id()))
        .flatten()?;
    let _ = drag.card.release_pointer_capture(drag.pointer);
    let _ = drag.card.remove_attribute("style");
    mark(&drag.card, "dragging", false);
    if let Some((_, marks)) = &drag.hint {
        show_hint(marks, false);
    }
    if !drag.active {
        return None;
    }
    // The click that follows the release must not open the card.
    ctx.clicked_after_drag.set_value(true);
    if cancelled {
        return None;
    }
    let target = hit(ev.client_x(), ev.client_y(), &drag.id)
        .map(|(target, _)| target)
        .or(drag.hint.map(|(target, _)| target));
    target.map(|target| (drag.id, target))
}
