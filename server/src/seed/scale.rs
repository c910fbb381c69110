//! Bulk data for benchmarks: `crm seed --scale N` adds N parties (a fifth organisations with the
//! ACCOUNT role, the rest people with the CONTACT role, one in ten of them B2C customers), each with
//! contact mechanisms, and a `contact_of` relationship from every person to an organisation.
//! Deterministic (seeded random numbers), inserted in multi-row batches inside transactions.

use std::time::Instant;

use entity::access::users;
use entity::parties::{contact_mechanisms as cm, parties, party_relationships as rel, party_roles};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use crate::db;
use crate::error::AppResult;

const FORE: &[&str] = &[
    "Anna", "Ben", "Carla", "David", "Eva", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Karin",
    "Lukas", "Mara", "Nils", "Olga", "Paul", "Quinn", "Rosa", "Stefan", "Tara", "Ulla", "Viktor",
    "Wanda", "Xaver", "Yara", "Zeno", "Amir", "Bea", "Chen", "Dara", "Emil", "Fatima", "Goran",
    "Hana", "Ivo", "Jana", "Kofi", "Lea", "Milan", "Nora", "Omar", "Pia", "Raj", "Sina", "Timo",
    "Uma", "Vera", "Wim", "Yusuf", "Zoe",
];
const SYLLABLES: &[&str] = &[
    "ber", "kal", "mon", "rid", "tav", "sen", "lor", "vin", "dah", "gru", "hel", "jor", "kes",
    "lun", "mar", "nol", "pra", "quo", "rus", "sto", "tir", "ulm", "vas", "wed", "xen", "yor",
    "zan", "bro", "cla", "dre", "fen", "gan",
];
const ORG_SUFFIX: &[&str] = &[
    "Holdings",
    "Labs",
    "Logistics",
    "Systems",
    "Foods",
    "Partners",
    "Works",
    "Group",
    "Trading",
    "Energy",
];
const AREAS: &[&str] = &[
    "North",
    "South",
    "East",
    "West",
    "Berlin",
    "Hamburg",
    "Munich",
    "Vienna",
    "Zurich",
    "Paris",
    "Lyon",
    "Madrid",
    "Lisbon",
    "Milan",
    "Rome",
    "Oslo",
    "Stockholm",
    "Helsinki",
    "Warsaw",
    "Prague",
    "Dublin",
    "London",
    "Leeds",
    "Boston",
    "Denver",
    "Austin",
    "Seattle",
    "Toronto",
    "Sydney",
    "Tokyo",
];
const INDUSTRIES: &[&str] = &[
    "Software",
    "Retail",
    "Energy",
    "Finance",
    "Healthcare",
    "Logistics",
    "Food",
    "Media",
];

fn surname(rng: &mut StdRng) -> String {
    let n = rng.gen_range(2..=3);
    let mut s: String = (0..n)
        .map(|_| SYLLABLES[rng.gen_range(0..SYLLABLES.len())])
        .collect();
    if let Some(first) = s.get(0..1) {
        s.replace_range(0..1, &first.to_uppercase());
    }
    s
}

/// Adds `n` parties. Returns how many rows of each kind were written.
pub async fn seed_scale(db: &DatabaseConnection, n: u64) -> AppResult<String> {
    let started = Instant::now();
    let owners: Vec<Uuid> = users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let already = parties::Entity::find()
        .filter(parties::Column::Code.starts_with("S-"))
        .count(db)
        .await?;
    let mut rng = StdRng::seed_from_u64(already ^ 0x5eed);
    let now = db::now();
    let orgs = (n / 5).max(1);
    let mut org_ids: Vec<Uuid> = Vec::with_capacity(orgs as usize);
    let (mut n_parties, mut n_mechs, mut n_rels) = (0u64, 0u64, 0u64);
    const BATCH: u64 = 500;
    const TXN: u64 = 20_000;
    let mut i = 0u64;
    while i < n {
        let txn = db::begin_write(db).await?;
        let end = (i + TXN).min(n);
        while i < end {
            let stop = (i + BATCH).min(end);
            let (mut ps, mut roles, mut ms, mut rs) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for k in i..stop {
                let id = Uuid::new_v4();
                let is_org = k < orgs;
                let code = format!("S-{:07}", already + k + 1);
                let area = AREAS[rng.gen_range(0..AREAS.len())].to_string();
                let owner = owners.get(rng.gen_range(0..owners.len().max(1))).copied();
                let (group, fore, sur) = if is_org {
                    (
                        Some(format!(
                            "{} {}",
                            surname(&mut rng),
                            ORG_SUFFIX[rng.gen_range(0..ORG_SUFFIX.len())]
                        )),
                        None,
                        None,
                    )
                } else {
                    (
                        None,
                        Some(FORE[rng.gen_range(0..FORE.len())].to_string()),
                        Some(surname(&mut rng)),
                    )
                };
                let display = group.clone().unwrap_or_else(|| {
                    format!(
                        "{} {}",
                        fore.clone().unwrap_or_default(),
                        sur.clone().unwrap_or_default()
                    )
                });
                let customer = !is_org && rng.gen_ratio(1, 10);
                ps.push(parties::ActiveModel::from(parties::Model {
                    id,
                    kind: if is_org { "ORGANIZATION" } else { "PERSON" }.into(),
                    code,
                    group_name: group,
                    fore_name: fore,
                    middle_initial: None,
                    surname: sur,
                    sort_name: display.to_lowercase(),
                    area: Some(area),
                    industry: is_org
                        .then(|| INDUSTRIES[rng.gen_range(0..INDUSTRIES.len())].to_string()),
                    website: None,
                    annual_revenue_minor: is_org.then(|| rng.gen_range(10_000_000..50_000_000_000)),
                    annual_revenue_currency: is_org.then(|| "EUR".to_string()),
                    owner_id: owner,
                    customer_type: customer.then(|| "B2C".to_string()),
                    payment_preference: customer.then(|| "CARD".to_string()),
                    preferred_currency: None,
                    status: "ACTIVE".into(),
                    archived_at: None,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                    created_by: None,
                    updated_by: None,
                    deletion_requested_at: None,
                    deletion_requested_by: None,
                    deletion_reason: None,
                    merged_into: None,
                }));
                let role = if is_org { "ACCOUNT" } else { "CONTACT" };
                for r in std::iter::once(role).chain(customer.then_some("CUSTOMER")) {
                    roles.push(party_roles::ActiveModel::from(party_roles::Model {
                        party_id: id,
                        role: r.into(),
                        created_at: now,
                    }));
                }
                let slug: String = display
                    .to_lowercase()
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect();
                let mut mech = |kind: &str, value: String| {
                    ms.push(cm::ActiveModel::from(cm::Model {
                        id: Uuid::new_v4(),
                        party_id: id,
                        kind: kind.into(),
                        match_key: (kind == "EMAIL").then(|| value.to_lowercase()),
                        value,
                        attention: None,
                        phone_country_code: None,
                        phone_area_code: None,
                        phone_number: None,
                        phone_extension: None,
                        street: None,
                        city: None,
                        postal_code: None,
                        region: None,
                        country: None,
                        purposes: "PRIMARY".into(),
                        valid_from: None,
                        valid_to: None,
                        created_at: now,
                        created_by: None,
                    }));
                };
                mech("EMAIL", format!("{slug}{k}@example.com"));
                if !is_org {
                    mech("PHONE", format!("+49{:09}", k));
                }
                if is_org {
                    org_ids.push(id);
                } else if let Some(org) =
                    org_ids.get(rng.gen_range(0..org_ids.len().max(1))).copied()
                {
                    rs.push(rel::ActiveModel::from(rel::Model {
                        id: Uuid::new_v4(),
                        from_party_id: id,
                        to_party_id: org,
                        kind: "contact_of".into(),
                        role_label: None,
                        valid_from: None,
                        valid_to: None,
                        comment: None,
                        created_at: now,
                        created_by: None,
                    }));
                }
            }
            n_parties += ps.len() as u64;
            n_mechs += ms.len() as u64;
            n_rels += rs.len() as u64;
            parties::Entity::insert_many(ps).exec(&txn).await?;
            party_roles::Entity::insert_many(roles).exec(&txn).await?;
            cm::Entity::insert_many(ms).exec(&txn).await?;
            if !rs.is_empty() {
                rel::Entity::insert_many(rs).exec(&txn).await?;
            }
            i = stop;
        }
        txn.commit().await?;
        tracing::info!(
            parties = i,
            seconds = started.elapsed().as_secs(),
            "seeding"
        );
    }
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(format!(
        "added {n_parties} parties, {n_mechs} contact mechanisms and {n_rels} relationships in {:.1} s",
        started.elapsed().as_secs_f64()
    ))
}
