//! Lead import from CSV: a header row naming lead fields, then one lead per row. All rows or none:
//! any bad row refuses the whole import, naming `rows.N.field` (N counts data rows from 1).
//! Rows whose e-mail an open lead already holds (or an earlier row) are skipped as duplicates.

use uuid::Uuid;

use super::fields::LeadValues;
use super::kinds::{lead_source, LeadFormField};
use super::service::{self, LeadRow, NewLead};
use super::{assignment, lists};
use crate::auth::RequestCtx;
use crate::domain::parties::policy::CONTACT_FIELD;
use crate::domain::parties::service as parties_svc;
use crate::domain::validation::Validator;
use crate::error::{AppError, AppResult};
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

/// Most rows one import takes.
pub const MAX_ROWS: usize = 5_000;

/// Splits CSV text into records (RFC 4180: commas, double-quoted fields with `""` escapes and line
/// breaks inside quotes; `\n` or `\r\n` line ends). Blank lines are skipped.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                if !(record.len() == 1 && record[0].trim().is_empty()) {
                    records.push(std::mem::take(&mut record));
                } else {
                    record.clear();
                }
                line += 1;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(format!("a quoted field is not closed (from line {line})"));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        if !(record.len() == 1 && record[0].trim().is_empty()) {
            records.push(record);
        }
    }
    Ok(records)
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Imported {
    pub created: Vec<LeadRow>,
    pub duplicates: usize,
}

/// Imports leads from CSV in one transaction, owners by the rule (else the caller).
pub async fn import(
    state: &AppState,
    ctx: &RequestCtx,
    csv: &str,
    source: Option<&str>,
    rule: Option<Uuid>,
    list: Option<Uuid>,
) -> AppResult<Imported> {
    let (actor, scope) = policy::authorize(ctx, service::OBJECT, Action::Create)?;
    let records = parse_csv(csv).map_err(|e| AppError::bad_input("csv", e))?;
    let Some((header, rows)) = records.split_first() else {
        return Err(AppError::bad_input(
            "csv",
            "is empty; the first row names the fields",
        ));
    };
    let mut val = Validator::default();
    let columns: Vec<Option<LeadFormField>> = header
        .iter()
        .map(|h| {
            let f = LeadFormField::by_name(h.trim());
            if f.is_none() {
                val.push(
                    "csv",
                    format!(
                        "unknown column {:?}; columns are {}",
                        h.trim(),
                        LeadFormField::ALL
                            .iter()
                            .map(|f| f.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            f
        })
        .collect();
    std::mem::take(&mut val).finish()?;
    if rows.is_empty() || rows.len() > MAX_ROWS {
        return Err(AppError::bad_input(
            "csv",
            format!("must hold between 1 and {MAX_ROWS} rows after the header"),
        ));
    }
    let mut all = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let prefix = format!("rows.{}.", i + 1);
        if row.len() != columns.len() {
            val.push(
                &format!("rows.{}", i + 1),
                format!("has {} fields; the header has {}", row.len(), columns.len()),
            );
            continue;
        }
        let given: Vec<(LeadFormField, String)> = columns
            .iter()
            .zip(row)
            .filter_map(|(c, v)| c.map(|c| (c, v.clone())))
            .collect();
        all.push(service::merge_values(
            &mut val,
            &prefix,
            &LeadValues::default(),
            &given,
        ));
    }
    let source = val.absorb(
        service::check_source(
            &state.db,
            "source",
            source.unwrap_or(lead_source::OTHER),
            None,
        )
        .await,
    )?;
    val.finish()?;
    let source = source.unwrap_or_else(|| lead_source::OTHER.to_string());
    if all.iter().any(|v| v.email.is_some() || v.phone.is_some()) {
        policy::check_field_write(actor, CONTACT_FIELD)?;
    }
    if let Some(l) = list {
        service::check_lists(&state.db, ctx, "listId", &[l]).await?;
    }
    if let Some(r) = rule {
        assignment::get(&state.db, ctx, r)
            .await?
            .ok_or_else(|| AppError::bad_input("assignmentRuleId", "is not an assignment rule"))?;
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let mut created = Vec::new();
    let mut events = Vec::new();
    let mut duplicates = 0;
    let mut seen_emails: Vec<String> = Vec::new();
    for values in all {
        if let Some(e) = &values.email {
            let key = crate::domain::validation::email_key(e);
            if seen_emails.contains(&key) {
                duplicates += 1;
                continue;
            }
            seen_emails.push(key);
            if let Some(existing) = service::open_lead_with_email(w.txn(), e).await? {
                if let Some(l) = list {
                    lists::add_member_in(w.txn(), Some(actor.user_id), l, existing.party.id)
                        .await?;
                }
                duplicates += 1;
                continue;
            }
        }
        let owner = match rule {
            Some(r) => assignment::pick_owner(w.txn(), r, values.area.as_deref())
                .await?
                .unwrap_or(actor.user_id),
            None => actor.user_id,
        };
        parties_svc::check_owner(w.txn(), actor, scope, owner, service::OBJECT).await?;
        let (row, e) = service::insert_in(
            w.txn(),
            Some(actor.user_id),
            NewLead {
                values,
                source: source.clone(),
                owner,
                web_form_id: None,
                list_ids: list.into_iter().collect(),
            },
        )
        .await?;
        created.push(row);
        events.push(e);
    }
    for e in events {
        w.adopt(e);
    }
    w.commit().await?;
    Ok(Imported {
        created,
        duplicates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_commas_and_line_breaks() {
        let text = "surname,email,description\r\nDoe,jo@x.org,\"Said \"\"hi\"\", then, left\"\n\nRoe,,\"two\nlines\"";
        let r = parse_csv(text).unwrap_or_default();
        assert_eq!(r.len(), 3);
        assert_eq!(r[1], vec!["Doe", "jo@x.org", "Said \"hi\", then, left"]);
        assert_eq!(r[2], vec!["Roe", "", "two\nlines"]);
        assert!(parse_csv("a,\"b").is_err());
    }
}
