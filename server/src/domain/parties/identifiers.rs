//! A party's identifiers: tax ids (typed, with their country; the sensitive field `party.taxIds`)
//! and its ids in other systems (`ofbiz` → `10010`, unique per system; readable with the party).
//!
//! Tax numbers are kept as entered and compared by their letters and digits (`DE 123.456.789`
//! and `123456789` are the same German VAT number); external ids are kept and compared exactly,
//! since other systems' ids are case-sensitive.

use std::collections::HashMap;

use entity::parties::{parties, party_external_ids as ext, party_tax_ids as tax};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, SqlErr,
};
use serde_json::json;
use uuid::Uuid;

use super::kinds::TaxIdKind;
use super::policy::{PartyObject, TAX_FIELD};
use super::service::load_for;
use crate::auth::RequestCtx;
use crate::changelog;
use crate::db;
use crate::domain::validation as v;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::ChangeEvent;
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

const OBJECT: &str = PartyObject::OBJECT;

/// ISO 3166-1 alpha-2 codes, two letters each.
const COUNTRIES: &str =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ\
CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGN\
GPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULV\
LYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPT\
PWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUS\
UYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/// An ISO 3166-1 alpha-2 country code, upper-cased.
pub fn country(field: &str, v: &str) -> Result<String, FieldError> {
    let t = v.trim().to_ascii_uppercase();
    let known = t.len() == 2
        && t.bytes().all(|b| b.is_ascii_uppercase())
        && COUNTRIES.as_bytes().chunks(2).any(|c| c == t.as_bytes());
    if known {
        Ok(t)
    } else {
        Err(FieldError::new(
            field,
            "must be a two-letter country code such as DE or US",
        ))
    }
}

/// A checked tax id: country, the number as entered, and its comparison key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanTaxId {
    pub kind: TaxIdKind,
    pub country: String,
    pub value: String,
    pub key: String,
}

/// The Australian Business Number checksum: weights 10, 1, 3, …, 19 over the digits with 1 taken
/// from the first; the sum divides by 89.
fn abn_ok(digits: &[u8]) -> bool {
    const W: [u32; 11] = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
    if digits.len() != 11 || digits[0] == b'0' {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .zip(W)
        .enumerate()
        .map(|(i, (d, w))| (u32::from(d - b'0') - u32::from(i == 0)) * w)
        .sum();
    sum.is_multiple_of(89)
}

/// Checks a tax id of `kind` issued by `country` (field names prefixed with `prefix`).
pub fn tax_id(
    prefix: &str,
    kind: TaxIdKind,
    country_code: &str,
    value: &str,
) -> Result<CleanTaxId, Vec<FieldError>> {
    let f = |name: &str| format!("{prefix}{name}");
    let mut errors = Vec::new();
    let country = country(&f("country"), country_code)
        .map_err(|e| errors.push(e))
        .ok();
    let value = match v::required_text(&f("value"), value, 40) {
        Ok(t)
            if t.chars()
                .all(|c| c.is_ascii_alphanumeric() || " -./".contains(c)) =>
        {
            Some(t)
        }
        Ok(_) => {
            errors.push(FieldError::new(
                f("value"),
                "may contain only letters, digits, spaces, '-', '.' and '/'",
            ));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let (Some(country), Some(value)) = (country, value) else {
        return Err(errors);
    };
    let mut key: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let wrong = |message: &str| Err(vec![FieldError::new(f("value"), message)]);
    match kind {
        TaxIdKind::Vat => {
            // A VAT number may carry its country prefix (Greece writes EL).
            let prefix = if country == "GR" {
                "EL"
            } else {
                country.as_str()
            };
            if let Some(rest) = key.strip_prefix(prefix) {
                key = rest.to_string();
            }
            if !(2..=13).contains(&key.len()) || !key.bytes().any(|b| b.is_ascii_digit()) {
                return wrong(
                    "is not a VAT number (2 to 13 letters and digits after the country prefix)",
                );
            }
        }
        TaxIdKind::Ein => {
            if country != "US" {
                return Err(vec![FieldError::new(
                    f("country"),
                    "an EIN is issued by the United States (US)",
                )]);
            }
            if key.len() != 9 || !key.bytes().all(|b| b.is_ascii_digit()) {
                return wrong("must be nine digits such as 12-3456789");
            }
        }
        TaxIdKind::Abn => {
            if country != "AU" {
                return Err(vec![FieldError::new(
                    f("country"),
                    "an ABN is issued by Australia (AU)",
                )]);
            }
            if !key.bytes().all(|b| b.is_ascii_digit()) || !abn_ok(key.as_bytes()) {
                return wrong("is not a valid ABN (eleven digits with a check)");
            }
        }
        TaxIdKind::Gst => {
            if !(5..=20).contains(&key.len()) {
                return wrong("must have 5 to 20 letters and digits");
            }
        }
        TaxIdKind::Other => {
            if key.is_empty() {
                return wrong("must contain letters or digits");
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CleanTaxId {
        kind,
        country,
        value,
        key,
    })
}

/// A checked external id: the system's key and the id there.
pub fn external_id(
    prefix: &str,
    system: &str,
    value: &str,
) -> Result<(String, String), Vec<FieldError>> {
    let f = |name: &str| format!("{prefix}{name}");
    let mut val = Vec::new();
    let system = match v::required_text(&f("system"), system, 40) {
        Ok(s) => {
            let s = s.to_ascii_lowercase();
            let ok = s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
            if !ok {
                val.push(FieldError::new(
                    f("system"),
                    "may contain only letters, digits, '-', '_' and '.' (such as erp or ofbiz)",
                ));
            }
            Some(s)
        }
        Err(e) => {
            val.push(e);
            None
        }
    };
    let value = v::required_text(&f("value"), value, 100)
        .map_err(|e| val.push(e))
        .ok();
    match (system, value) {
        (Some(s), Some(v)) if val.is_empty() => Ok((s, v)),
        _ => Err(val),
    }
}

/// The tax ids of each party, in the order they were added (callers check the field grant).
pub async fn tax_ids_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<tax::Model>>> {
    // Every key answers, an empty list too: a loader caches only the keys it was given back.
    let mut out: HashMap<Uuid, Vec<tax::Model>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in tax::Entity::find()
        .filter(tax::Column::PartyId.is_in(ids.iter().copied()))
        .order_by_asc(tax::Column::CreatedAt)
        .order_by_asc(tax::Column::Id)
        .all(db)
        .await?
    {
        out.entry(row.party_id).or_default().push(row);
    }
    Ok(out)
}

/// The external ids of each party, by system then value.
pub async fn external_ids_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<ext::Model>>> {
    let mut out: HashMap<Uuid, Vec<ext::Model>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in ext::Entity::find()
        .filter(ext::Column::PartyId.is_in(ids.iter().copied()))
        .order_by_asc(ext::Column::System)
        .order_by_asc(ext::Column::Value)
        .all(db)
        .await?
    {
        out.entry(row.party_id).or_default().push(row);
    }
    Ok(out)
}

/// A tax id as people write it: `VAT DE 811 907 980`, the country added when the number does not
/// start with it (`EIN US 12-3456789`).
pub fn tax_text(kind: &str, country: &str, value: &str) -> String {
    let prefix = if country == "GR" { "EL" } else { country };
    if value.to_ascii_uppercase().starts_with(prefix) {
        format!("{kind} {value}")
    } else {
        format!("{kind} {country} {value}")
    }
}

/// Logs a change of a party's identifiers and adopts its event.
async fn log(
    w: &mut Write<'_>,
    ctx: &RequestCtx,
    party: Uuid,
    action: &str,
    changes: serde_json::Value,
) -> AppResult<()> {
    let actor = ctx.actor()?;
    let cursor =
        changelog::record(w.txn(), Some(actor.user_id), OBJECT, party, action, changes).await?;
    w.adopt(ChangeEvent::new(cursor, OBJECT, party, action));
    Ok(())
}

/// Adds a tax id to a party the caller may update, with the `party.taxIds` write grant.
pub async fn add_tax_id(
    state: &AppState,
    ctx: &RequestCtx,
    party: Uuid,
    kind: TaxIdKind,
    country_code: &str,
    value: &str,
) -> AppResult<Uuid> {
    let actor = ctx.actor()?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let p = load_for(w.txn(), ctx, party, Action::Update).await?;
    policy::check_field_write(actor, TAX_FIELD)?;
    let clean = tax_id("", kind, country_code, value).map_err(AppError::BadInput)?;
    let held = tax::Entity::find()
        .filter(tax::Column::PartyId.eq(p.id))
        .filter(tax::Column::Kind.eq(clean.kind.as_str()))
        .filter(tax::Column::Country.eq(&clean.country))
        .filter(tax::Column::ValueKey.eq(&clean.key))
        .count(w.txn())
        .await?;
    if held > 0 {
        return Err(AppError::bad_input(
            "value",
            "the party has this tax id already",
        ));
    }
    tax::ActiveModel::from(tax::Model {
        id: Uuid::new_v4(),
        party_id: p.id,
        kind: clean.kind.as_str().into(),
        country: clean.country.clone(),
        value: clean.value.clone(),
        value_key: clean.key,
        created_at: db::now(),
        created_by: Some(actor.user_id),
    })
    .insert(w.txn())
    .await?;
    let text = tax_text(clean.kind.as_str(), &clean.country, &clean.value);
    log(
        &mut w,
        ctx,
        p.id,
        "tax_id_added",
        json!({"taxId": {"before": null, "after": text}}),
    )
    .await?;
    w.commit().await?;
    Ok(p.id)
}

/// Removes a tax id; returns its party's id.
pub async fn remove_tax_id(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<Uuid> {
    let actor = ctx.actor()?;
    let gone = || AppError::NotFound("no such tax id".into());
    let mut w = Write::begin(state, Some(ctx)).await?;
    let row = tax::Entity::find_by_id(id)
        .one(w.txn())
        .await?
        .ok_or_else(gone)?;
    // Not visible and not found look the same to the caller.
    let p = load_for(w.txn(), ctx, row.party_id, Action::Update)
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => gone(),
            other => other,
        })?;
    policy::check_field_write(actor, TAX_FIELD)?;
    tax::Entity::delete_by_id(id).exec(w.txn()).await?;
    let text = tax_text(&row.kind, &row.country, &row.value);
    log(
        &mut w,
        ctx,
        p.id,
        "tax_id_removed",
        json!({"taxId": {"before": text, "after": null}}),
    )
    .await?;
    w.commit().await?;
    Ok(p.id)
}

/// Records a party's id in another system; the party must be one the caller may update, and the
/// id may belong to one party only.
pub async fn add_external_id(
    state: &AppState,
    ctx: &RequestCtx,
    party: Uuid,
    system: &str,
    value: &str,
) -> AppResult<Uuid> {
    let actor = ctx.actor()?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let p = load_for(w.txn(), ctx, party, Action::Update).await?;
    let (system, value) = external_id("", system, value).map_err(AppError::BadInput)?;
    let taken = ext::Entity::find()
        .filter(ext::Column::System.eq(&system))
        .filter(ext::Column::Value.eq(&value))
        .count(w.txn())
        .await?;
    if taken > 0 {
        return Err(AppError::bad_input(
            "value",
            format!("is already the id of a party in {system}"),
        ));
    }
    ext::ActiveModel::from(ext::Model {
        id: Uuid::new_v4(),
        party_id: p.id,
        system: system.clone(),
        value: value.clone(),
        created_at: db::now(),
        created_by: Some(actor.user_id),
    })
    .insert(w.txn())
    .await
    .map_err(|e| match e.sql_err() {
        // A concurrent add of the same id.
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::bad_input("value", format!("is already the id of a party in {system}"))
        }
        _ => e.into(),
    })?;
    let text = format!("{system}: {value}");
    log(
        &mut w,
        ctx,
        p.id,
        "external_id_added",
        json!({"externalId": {"before": null, "after": text}}),
    )
    .await?;
    w.commit().await?;
    Ok(p.id)
}

/// Removes an external id; returns its party's id.
pub async fn remove_external_id(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<Uuid> {
    let gone = || AppError::NotFound("no such external id".into());
    let mut w = Write::begin(state, Some(ctx)).await?;
    let row = ext::Entity::find_by_id(id)
        .one(w.txn())
        .await?
        .ok_or_else(gone)?;
    let p = load_for(w.txn(), ctx, row.party_id, Action::Update)
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => gone(),
            other => other,
        })?;
    ext::Entity::delete_by_id(id).exec(w.txn()).await?;
    let text = format!("{}: {}", row.system, row.value);
    log(
        &mut w,
        ctx,
        p.id,
        "external_id_removed",
        json!({"externalId": {"before": text, "after": null}}),
    )
    .await?;
    w.commit().await?;
    Ok(p.id)
}

/// The party holding an id in another system, if the caller may see it (one statement).
pub async fn find_by_external_id(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    system: &str,
    value: &str,
) -> AppResult<Option<parties::Model>> {
    let (system, value) = external_id("", system, value).map_err(AppError::BadInput)?;
    Ok(aggregate::visible::<PartyObject>(ctx, Action::Read)?
        .filter(
            parties::Column::Id.in_subquery(
                Query::select()
                    .column(ext::Column::PartyId)
                    .from(ext::Entity)
                    .and_where(Expr::col(ext::Column::System).eq(system))
                    .and_where(Expr::col(ext::Column::Value).eq(value))
                    .to_owned(),
            ),
        )
        .one(db)
        .await?)
}

/// Moves a merged party's identifiers to the survivor inside the merge's transaction, dropping
/// tax ids the survivor holds already. Returns how many moved.
pub async fn move_to(txn: &impl ConnectionTrait, from: Uuid, to: Uuid) -> AppResult<u64> {
    let held: Vec<(String, String, String)> = tax::Entity::find()
        .filter(tax::Column::PartyId.eq(to))
        .all(txn)
        .await?
        .into_iter()
        .map(|t| (t.kind, t.country, t.value_key))
        .collect();
    let mut moved = 0;
    for t in tax::Entity::find()
        .filter(tax::Column::PartyId.eq(from))
        .all(txn)
        .await?
    {
        if held.contains(&(t.kind.clone(), t.country.clone(), t.value_key.clone())) {
            tax::Entity::delete_by_id(t.id).exec(txn).await?;
        } else {
            let mut am: tax::ActiveModel = t.into();
            am.party_id = sea_orm::ActiveValue::Set(to);
            am.update(txn).await?;
            moved += 1;
        }
    }
    let ext_moved = ext::Entity::update_many()
        .col_expr(ext::Column::PartyId, Expr::val(to))
        .filter(ext::Column::PartyId.eq(from))
        .exec(txn)
        .await?;
    Ok(moved + ext_moved.rows_affected)
}

/// Removes a person's tax ids (their erasure); returns how many there were.
pub async fn erase_tax_ids(txn: &impl ConnectionTrait, party: Uuid) -> AppResult<u64> {
    Ok(tax::Entity::delete_many()
        .filter(tax::Column::PartyId.eq(party))
        .exec(txn)
        .await?
        .rows_affected)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn fields(r: Result<CleanTaxId, Vec<FieldError>>) -> Vec<String> {
        r.err().unwrap().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn vat_numbers_compare_without_prefix_and_separators() {
        let a = tax_id("", TaxIdKind::Vat, "de", "DE 123.456.789").unwrap();
        let b = tax_id("", TaxIdKind::Vat, "DE", "123456789").unwrap();
        assert_eq!(a.key, b.key);
        assert_eq!(a.value, "DE 123.456.789");
        assert_eq!(a.country, "DE");
        assert_eq!(
            tax_id("", TaxIdKind::Vat, "GR", "EL094259216").unwrap().key,
            "094259216"
        );
        assert_eq!(fields(tax_id("", TaxIdKind::Vat, "DE", "DE")), ["value"]);
    }

    #[test]
    fn tax_ids_read_with_their_country_once() {
        assert_eq!(
            tax_text("VAT", "DE", "DE 811 907 980"),
            "VAT DE 811 907 980"
        );
        assert_eq!(tax_text("VAT", "DE", "811907980"), "VAT DE 811907980");
        assert_eq!(tax_text("VAT", "GR", "EL094259216"), "VAT EL094259216");
        assert_eq!(tax_text("EIN", "US", "12-3456789"), "EIN US 12-3456789");
    }

    #[test]
    fn countries_are_iso_codes() {
        assert_eq!(country("c", " us ").unwrap(), "US");
        assert!(country("c", "XX").is_err());
        assert!(country("c", "USA").is_err());
        assert_eq!(
            fields(tax_id("taxIds.0.", TaxIdKind::Other, "ZZ", "")),
            ["taxIds.0.country", "taxIds.0.value"]
        );
    }

    #[test]
    fn eins_and_abns_have_their_country_and_shape() {
        assert_eq!(
            tax_id("", TaxIdKind::Ein, "US", "12-3456789").unwrap().key,
            "123456789"
        );
        assert_eq!(
            fields(tax_id("", TaxIdKind::Ein, "CA", "12-3456789")),
            ["country"]
        );
        assert_eq!(
            fields(tax_id("", TaxIdKind::Ein, "US", "12-345")),
            ["value"]
        );
        // The ATO's example ABN.
        assert!(tax_id("", TaxIdKind::Abn, "AU", "51 824 753 556").is_ok());
        assert_eq!(
            fields(tax_id("", TaxIdKind::Abn, "AU", "51 824 753 557")),
            ["value"]
        );
        assert_eq!(
            fields(tax_id("", TaxIdKind::Abn, "AU", "5182475355X")),
            ["value"]
        );
    }

    #[test]
    fn tax_numbers_refuse_odd_characters() {
        assert_eq!(
            fields(tax_id("", TaxIdKind::Gst, "IN", "27AAPFU0939F1ZV!")),
            ["value"]
        );
        assert!(tax_id("", TaxIdKind::Gst, "IN", "27AAPFU0939F1ZV").is_ok());
        assert_eq!(fields(tax_id("", TaxIdKind::Other, "CH", "--")), ["value"]);
    }

    #[test]
    fn external_ids_keep_their_case_and_lower_the_system() {
        assert_eq!(
            external_id("", " OFBiz ", "DemoCustomer").unwrap(),
            ("ofbiz".to_string(), "DemoCustomer".to_string())
        );
        let e = external_id("", "my system", "").unwrap_err();
        let f: Vec<_> = e.into_iter().map(|e| e.field).collect();
        assert_eq!(f, ["system", "value"]);
    }
}
