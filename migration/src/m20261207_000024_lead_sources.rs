//! Lead sources become a pick-list administrators extend (`lead_source`): the closed list of
//! before becomes its first values, and the stored names (`WEB_FORM`) become the values' keys
//! (`web_form`) on leads, web forms, opportunities and saved list views.
use sea_orm_migration::prelude::*;

use crate::columns::picklist_values;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The lead sources a new installation starts with (key, label); every key is the lower-cased
/// name stored until now.
const LEAD_SOURCES: &[(&str, &str)] = &[
    ("web_form", "Web form"),
    ("campaign", "Campaign"),
    ("trade_show", "Trade show"),
    ("direct_mail", "Direct mail"),
    ("referral", "Referral"),
    ("phone", "Phone"),
    ("other", "Other"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        picklist_values(m, "lead_source", 1, LEAD_SOURCES).await?;
        let db = m.get_connection();
        // The stored names are ASCII upper-case words with '_': LOWER means the same on both
        // engines.
        for sql in [
            "UPDATE leads SET source = LOWER(source)",
            "UPDATE web_forms SET source = LOWER(source)",
            "UPDATE opportunities SET lead_source = LOWER(lead_source) WHERE lead_source IS NOT NULL",
        ] {
            db.execute_unprepared(sql).await?;
        }
        // Saved views of the leads list name their source in the address (`source=WEB_FORM`).
        for (key, _) in LEAD_SOURCES {
            let upper = key.to_ascii_uppercase();
            db.execute_unprepared(&format!(
                "UPDATE saved_views SET query = REPLACE(query, 'source={upper}', 'source={key}') \
                 WHERE list = 'leads'"
            ))
            .await?;
        }
        Ok(())
    }
}
