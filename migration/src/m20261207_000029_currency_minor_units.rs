//! Deal amounts, account revenue, forecasts and quotas are stored in their currency's ISO 4217
//! minor units (as documents always were), no longer in hundredths whatever the currency: yen
//! (no decimals) are divided by 100, rounded half away from zero; dinars (three decimals) are
//! multiplied by 10. Hundredth currencies do not move.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// ISO 4217 currencies without decimals, as of this migration.
const WHOLE: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
    "XAF", "XOF", "XPF",
];
/// ISO 4217 currencies with three decimals, as of this migration.
const THOUSANDTHS: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];

/// `(table, currency column, amount columns)`.
const AMOUNTS: &[(&str, &str, &[&str])] = &[
    ("opportunities", "currency", &["amount_minor"]),
    (
        "parties",
        "annual_revenue_currency",
        &["annual_revenue_minor"],
    ),
    (
        "forecast_submissions",
        "currency",
        &[
            "commit_minor",
            "best_case_minor",
            "closed_won_minor",
            "snapshot_commit_minor",
            "snapshot_best_case_minor",
            "snapshot_pipeline_minor",
            "snapshot_weighted_minor",
            "quota_minor",
        ],
    ),
    ("quotas", "currency", &["amount_minor"]),
];

fn listed(codes: &[&str]) -> String {
    codes
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (table, currency, columns) in AMOUNTS {
            let whole: Vec<String> = columns
                .iter()
                .map(|c| {
                    format!(
                        "{c} = CASE WHEN {c} < 0 THEN -((50 - {c}) / 100) ELSE ({c} + 50) / 100 END"
                    )
                })
                .collect();
            db.execute_unprepared(&format!(
                "UPDATE {table} SET {} WHERE {currency} IN ({})",
                whole.join(", "),
                listed(WHOLE)
            ))
            .await?;
            let thousandths: Vec<String> =
                columns.iter().map(|c| format!("{c} = {c} * 10")).collect();
            db.execute_unprepared(&format!(
                "UPDATE {table} SET {} WHERE {currency} IN ({})",
                thousandths.join(", "),
                listed(THOUSANDTHS)
            ))
            .await?;
        }
        Ok(())
    }
}
