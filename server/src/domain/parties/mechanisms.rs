//! Contact mechanisms: validation and normalisation (pure), and their writes.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::parties::contact_mechanisms as cm;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::kinds::{ContactMechanismKind as Kind, ContactPurpose};
use super::policy::{PartyObject, CONTACT_FIELD};
use super::service::load_for;
use crate::auth::{Actor, RequestCtx};
use crate::changelog;
use crate::db;
use crate::domain::validation as v;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::ChangeEvent;
use crate::kit::aggregate::Aggregate;
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

const OBJECT: &str = PartyObject::OBJECT;

/// A postal address as given.
#[derive(Debug, Clone, Default)]
pub struct AddressInput {
    /// The addressee line ("Attn. Accounts payable").
    pub attention: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

/// A contact mechanism as given.
#[derive(Debug, Clone)]
pub struct MechanismInput {
    pub kind: Kind,
    pub value: Option<String>,
    pub address: Option<AddressInput>,
    pub purposes: Vec<ContactPurpose>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

/// A validated, normalised contact mechanism.
#[derive(Debug, Clone, PartialEq)]
pub struct Clean {
    pub kind: Kind,
    pub value: String,
    /// Attention, street, city, postal code, region, country.
    pub address: Option<[Option<String>; 6]>,
    /// A phone number's parts as entered.
    pub phone: Option<v::Phone>,
    pub purposes: Vec<ContactPurpose>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

/// The parts of a normalised phone number (`+4930123456;ext=7`) when no structure was entered.
pub fn parts_of_normalised(value: &str) -> v::Phone {
    let (number, extension) = match value.split_once(";ext=") {
        Some((n, e)) => (n, Some(e.to_owned())),
        None => (value, None),
    };
    v::Phone {
        normalised: value.to_owned(),
        country_code: None,
        area_code: None,
        number: number.trim_start_matches('+').to_owned(),
        extension,
    }
}

/// The phone columns of a mechanism row: country code, area code, number, extension.
fn phone_columns(p: Option<&v::Phone>) -> [Option<String>; 4] {
    match p {
        Some(p) => [
            p.country_code.clone(),
            p.area_code.clone(),
            Some(p.number.clone()),
            p.extension.clone(),
        ],
        None => [None, None, None, None],
    }
}

fn date(field: &str, v: &Option<String>) -> Result<Option<NaiveDate>, FieldError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| FieldError::new(field, "must be a date such as 2026-01-31")),
    }
}

/// Validates one mechanism; `prefix` is its path in the input (`contactMechanisms.0`, `mechanism`).
pub fn validate(prefix: &str, m: &MechanismInput) -> Result<Clean, FieldError> {
    let f = |name: &str| format!("{prefix}.{name}");
    let value = m.value.clone().unwrap_or_default();
    let required = |r: Result<Option<String>, FieldError>| -> Result<String, FieldError> {
        r?.ok_or_else(|| FieldError::new(f("value"), "is required"))
    };
    let mut phone = None;
    let (value, address) = match m.kind {
        Kind::Email => (required(v::email(&f("value"), &value))?, None),
        Kind::Phone => {
            let p = v::phone_parts(&f("value"), &value)?
                .ok_or_else(|| FieldError::new(f("value"), "is required"))?;
            let normalised = p.normalised.clone();
            phone = Some(p);
            (normalised, None)
        }
        Kind::Web => (required(v::website(&f("value"), &value))?, None),
        Kind::PostalAddress => {
            let a = m.address.clone().unwrap_or_default();
            let attention = v::optional_text(
                &f("address.attention"),
                a.attention.as_deref().unwrap_or(""),
                100,
            )?;
            let street =
                v::optional_text(&f("address.street"), a.street.as_deref().unwrap_or(""), 200)?;
            let city = v::optional_text(&f("address.city"), a.city.as_deref().unwrap_or(""), 100)?;
            let postal = v::optional_text(
                &f("address.postalCode"),
                a.postal_code.as_deref().unwrap_or(""),
                20,
            )?;
            let region =
                v::optional_text(&f("address.region"), a.region.as_deref().unwrap_or(""), 100)?;
            let country = v::optional_text(
                &f("address.country"),
                a.country.as_deref().unwrap_or(""),
                100,
            )?;
            if street.is_none() && city.is_none() {
                return Err(FieldError::new(
                    f("address"),
                    "needs at least a street or a city",
                ));
            }
            let city_line = [postal.clone(), city.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let line = [
                attention.clone(),
                street.clone(),
                Some(city_line).filter(|s| !s.is_empty()),
                region.clone(),
                country.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            (
                line,
                Some([attention, street, city, postal, region, country]),
            )
        }
    };
    let mut purposes = m.purposes.clone();
    if purposes.is_empty() {
        purposes.push(ContactPurpose::Primary);
    }
    purposes.sort_by_key(|p| ContactPurpose::ALL.iter().position(|x| x == p));
    purposes.dedup();
    let valid_from = date(&f("validFrom"), &m.valid_from)?;
    let valid_to = date(&f("validTo"), &m.valid_to)?;
    if let (Some(a), Some(b)) = (valid_from, valid_to) {
        if b < a {
            return Err(FieldError::new(
                f("validTo"),
                "must not be before validFrom",
            ));
        }
    }
    Ok(Clean {
        kind: m.kind,
        value,
        address,
        phone,
        purposes,
        valid_from,
        valid_to,
    })
}

/// Parses the stored purposes list.
pub fn purposes(m: &cm::Model) -> Vec<ContactPurpose> {
    m.purposes
        .split(',')
        .filter_map(ContactPurpose::parse)
        .collect()
}

/// What a mechanism is compared by: an e-mail's [`v::email_key`]; `None` for other kinds, whose
/// values are normalised already.
pub fn match_key(kind: Kind, value: &str) -> Option<String> {
    (kind == Kind::Email).then(|| v::email_key(value))
}

/// Inserts a mechanism and its change-log row inside the caller's transaction.
pub async fn insert(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    party: Uuid,
    c: Clean,
) -> AppResult<(cm::Model, i64)> {
    let [attention, street, city, postal_code, region, country] =
        c.address.clone().unwrap_or_default();
    let [phone_country_code, phone_area_code, phone_number, phone_extension] =
        phone_columns(c.phone.as_ref());
    let row = cm::Model {
        id: Uuid::new_v4(),
        party_id: party,
        kind: c.kind.as_str().to_string(),
        value: c.value.clone(),
        match_key: match_key(c.kind, &c.value),
        attention,
        phone_country_code,
        phone_area_code,
        phone_number,
        phone_extension,
        street,
        city,
        postal_code,
        region,
        country,
        purposes: c
            .purposes
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(","),
        valid_from: c.valid_from,
        valid_to: c.valid_to,
        created_at: db::now(),
        created_by: Some(actor.user_id),
    };
    cm::ActiveModel::from(row.clone()).insert(txn).await?;
    let cursor = changelog::record(
        txn,
        Some(actor.user_id),
        OBJECT,
        party,
        "contact_mechanism_added",
        json!({ c.kind.as_str().to_lowercase(): {"before": null, "after": c.value} }),
    )
    .await?;
    Ok((row, cursor))
}

/// Adds a mechanism to a party the caller may update, with the contact-data write grant.
pub async fn add(
    state: &AppState,
    ctx: &RequestCtx,
    party: Uuid,
    input: MechanismInput,
) -> AppResult<Uuid> {
    let p = load_for(&state.db, ctx, party, Action::Update).await?;
    let actor = ctx.actor()?;
    policy::check_field_write(actor, CONTACT_FIELD)?;
    let clean = validate("mechanism", &input).map_err(|e| AppError::BadInput(vec![e]))?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let (_, cursor) = insert(w.txn(), actor, p.id, clean).await?;
    w.adopt(ChangeEvent::new(
        cursor,
        OBJECT,
        p.id,
        "contact_mechanism_added",
    ));
    w.commit().await?;
    Ok(p.id)
}

/// Removes a mechanism; returns its party's id.
pub async fn remove(state: &AppState, ctx: &RequestCtx, id: Uuid) -> AppResult<Uuid> {
    let row = cm::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such contact mechanism".into()))?;
    // Not visible and not found look the same to the caller.
    let p = load_for(&state.db, ctx, row.party_id, Action::Update)
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => AppError::NotFound("no such contact mechanism".into()),
            other => other,
        })?;
    let actor = ctx.actor()?;
    policy::check_field_write(actor, CONTACT_FIELD)?;
    let mut w = Write::begin(state, Some(ctx)).await?;
    cm::Entity::delete_by_id(id).exec(w.txn()).await?;
    let cursor = changelog::record(
        w.txn(),
        Some(actor.user_id),
        OBJECT,
        p.id,
        "contact_mechanism_removed",
        json!({ row.kind.to_lowercase(): {"before": row.value, "after": null} }),
    )
    .await?;
    w.adopt(ChangeEvent::new(
        cursor,
        OBJECT,
        p.id,
        "contact_mechanism_removed",
    ));
    w.commit().await?;
    Ok(p.id)
}

/// Sets (or clears, with `None`) the PRIMARY mechanism of a kind, inside the caller's transaction.
/// Returns the value before.
pub async fn set_primary(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    party: Uuid,
    kind: Kind,
    value: Option<String>,
) -> AppResult<Option<String>> {
    set_primary_by(txn, Some(actor.user_id), party, kind, value).await
}

/// [`set_primary`] for a writer that may be no user (a public web form).
pub async fn set_primary_by(
    txn: &impl ConnectionTrait,
    by: Option<Uuid>,
    party: Uuid,
    kind: Kind,
    value: Option<String>,
) -> AppResult<Option<String>> {
    let current = primary(txn, party, kind).await?;
    let before = current.as_ref().map(|m| m.value.clone());
    if before == value {
        return Ok(before);
    }
    match (current, value) {
        (Some(row), Some(v)) => {
            let phone = (kind == Kind::Phone).then(|| parts_of_normalised(&v));
            let [cc, area, number, ext] = phone_columns(phone.as_ref());
            let mut am: cm::ActiveModel = row.into();
            am.match_key = sea_orm::ActiveValue::Set(match_key(kind, &v));
            am.value = sea_orm::ActiveValue::Set(v);
            am.phone_country_code = sea_orm::ActiveValue::Set(cc);
            am.phone_area_code = sea_orm::ActiveValue::Set(area);
            am.phone_number = sea_orm::ActiveValue::Set(number);
            am.phone_extension = sea_orm::ActiveValue::Set(ext);
            am.update(txn).await?;
        }
        (Some(row), None) => {
            cm::Entity::delete_by_id(row.id).exec(txn).await?;
        }
        (None, Some(v)) => {
            let phone = (kind == Kind::Phone).then(|| parts_of_normalised(&v));
            let [phone_country_code, phone_area_code, phone_number, phone_extension] =
                phone_columns(phone.as_ref());
            let [attention, street, city, postal_code, region, country] =
                [None, None, None, None, None, None];
            cm::ActiveModel::from(cm::Model {
                id: Uuid::new_v4(),
                party_id: party,
                kind: kind.as_str().to_string(),
                match_key: match_key(kind, &v),
                value: v,
                attention,
                phone_country_code,
                phone_area_code,
                phone_number,
                phone_extension,
                street,
                city,
                postal_code,
                region,
                country,
                purposes: ContactPurpose::Primary.as_str().to_string(),
                valid_from: None,
                valid_to: None,
                created_at: db::now(),
                created_by: by,
            })
            .insert(txn)
            .await?;
        }
        (None, None) => {}
    }
    Ok(before)
}

/// The first PRIMARY mechanism of a kind (or the first of that kind).
pub async fn primary(
    db: &impl ConnectionTrait,
    party: Uuid,
    kind: Kind,
) -> AppResult<Option<cm::Model>> {
    let rows = cm::Entity::find()
        .filter(cm::Column::PartyId.eq(party))
        .filter(cm::Column::Kind.eq(kind.as_str()))
        .order_by_asc(cm::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(pick_primary(&rows, kind).cloned())
}

/// The PRIMARY mechanism of a kind among a party's mechanisms, else the first of that kind.
pub fn pick_primary(rows: &[cm::Model], kind: Kind) -> Option<&cm::Model> {
    let of_kind = || rows.iter().filter(|m| m.kind == kind.as_str());
    of_kind()
        .find(|m| purposes(m).contains(&ContactPurpose::Primary))
        .or_else(|| of_kind().next())
}

/// The mechanisms of several parties, by party, in creation order.
pub async fn of_parties(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<cm::Model>>> {
    let rows = cm::Entity::find()
        .filter(cm::Column::PartyId.is_in(ids.iter().copied()))
        .order_by_asc(cm::Column::CreatedAt)
        .order_by_asc(cm::Column::Id)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<cm::Model>> = HashMap::new();
    for r in rows {
        out.entry(r.party_id).or_default().push(r);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: Kind, value: &str) -> MechanismInput {
        MechanismInput {
            kind,
            value: Some(value.into()),
            address: None,
            purposes: vec![],
            valid_from: None,
            valid_to: None,
        }
    }

    #[test]
    fn normalises_and_defaults_to_primary() {
        let c =
            validate("m", &input(Kind::Email, " Ann@X.ORG ")).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.value, "Ann@X.ORG");
        assert_eq!(
            match_key(Kind::Email, &c.value).as_deref(),
            Some("ann@x.org")
        );
        assert_eq!(match_key(Kind::Phone, "+1234567"), None);
        assert_eq!(c.purposes, vec![ContactPurpose::Primary]);
        let e = validate("m", &input(Kind::Phone, "abc"))
            .err()
            .map(|e| e.field);
        assert_eq!(e.as_deref(), Some("m.value"));
    }

    #[test]
    fn addresses_need_a_street_or_city_and_dates_in_order() {
        let mut a = input(Kind::PostalAddress, "");
        assert!(validate("m", &a).is_err());
        a.address = Some(AddressInput {
            street: Some("1 Main St".into()),
            city: Some("Springfield".into()),
            postal_code: Some("12345".into()),
            ..Default::default()
        });
        let c = validate("m", &a).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.value, "1 Main St, 12345 Springfield");
        let mut attn = a.clone();
        if let Some(addr) = attn.address.as_mut() {
            addr.attention = Some("Attn. Accounts payable".into());
        }
        let c = validate("m", &attn).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            c.value,
            "Attn. Accounts payable, 1 Main St, 12345 Springfield"
        );
        assert_eq!(
            c.address.as_ref().and_then(|a| a[0].clone()).as_deref(),
            Some("Attn. Accounts payable")
        );
        a.valid_from = Some("2026-02-01".into());
        a.valid_to = Some("2026-01-01".into());
        assert_eq!(
            validate("m", &a).err().map(|e| e.field).as_deref(),
            Some("m.validTo")
        );
        a.valid_to = Some("31/01/2026".into());
        assert!(validate("m", &a).is_err());
    }
}
