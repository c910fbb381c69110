//! The activities beside a record — "Log call" and the other buttons, and
//! the timeline — as a part of the record's page fetched on its own, so the
//! profile, the opportunity form and the lead page do not each carry it.

use super::log::LogButtons;
use super::timeline::{Feed, Timeline};
use crate::page::lazy::lazy_part;
use leptos::prelude::*;

/// What the panel is given.
pub struct ActivityPanel {
    /// The party or opportunity whose activities and changes are shown.
    pub record_id: String,
    /// Bumped by the page after it changed the record: the timeline is read again.
    pub changed: RwSignal<u32>,
}

fn panel(props: ActivityPanel) -> AnyView {
    let ActivityPanel { record_id, changed } = props;
    let feed = Feed::new(record_id.clone());
    Effect::new(move |seen: Option<()>| {
        changed.track();
        if seen.is_some() {
            feed.refresh();
        }
    });
    view! {
        <LogButtons record_id on_logged=Callback::new(move |()| feed.refresh()) />
        <Timeline feed />
    }
    .into_any()
}

lazy_part!(
    /// `#log-activity` and `#timeline` of a record.
    pub fn activity_panel(props: ActivityPanel), chunk = record_activities, load = load_record_activities, view = panel
);
