//! Seed data. The demo company: a user for each builtin role, two sales teams, accounts, contacts and
//! consumers, seeded through the same services as the API, so the change log tells the story too.
//! [`scale`] adds bulk data for benchmarks.

pub mod billing;
pub mod documents;
pub mod forecasts;
pub mod leads;
pub mod pipeline;
pub mod scale;

use entity::access::{team_members, teams, users};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait,
};
use uuid::Uuid;

use crate::auth::{password, sessions, RequestCtx, TokenState};
use crate::db;
use crate::domain::accounts::service::{self as accounts, AccountChanges, MoneyInput};
use crate::domain::users::service as users_svc;
use crate::error::{AppError, AppResult};

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "demo1234";

/// Demo users: `(e-mail, name, role key)`.
pub const DEMO_USERS: &[(&str, &str, &str)] = &[
    ("admin@demo.crm", "Ada Admin", "admin"),
    ("manager@demo.crm", "Max Manager", "sales_manager"),
    ("rep@demo.crm", "Rita Rep", "sales_rep"),
    ("rep2@demo.crm", "Rob Rep", "sales_rep"),
    ("rep3@demo.crm", "Sam South", "sales_rep"),
    ("marketing@demo.crm", "Mia Marketing", "marketing"),
    ("support@demo.crm", "Sid Support", "support_agent"),
    ("partner@demo.crm", "Pat Partner", "partner"),
    ("customer@demo.crm", "Cleo Customer", "customer"),
    ("readonly@demo.crm", "Remy Reader", "read_only"),
    ("billing@demo.crm", "Bea Billing", "billing"),
];

const ACCOUNTS: &[(&str, &str, &str, &str, i64)] = &[
    (
        "Acme Corporation",
        "North",
        "Manufacturing",
        "acme.example",
        12_500_000,
    ),
    ("Globex", "North", "Energy", "globex.example", 48_000_000),
    ("Initech", "North", "Software", "initech.example", 3_200_000),
    (
        "Umbrella Health",
        "South",
        "Healthcare",
        "umbrella.example",
        91_000_000,
    ),
    (
        "Stark Industrial",
        "North",
        "Engineering",
        "stark.example",
        250_000_000,
    ),
    (
        "Wayne Logistics",
        "South",
        "Logistics",
        "wayne.example",
        67_500_000,
    ),
    ("Hooli", "West", "Software", "hooli.example", 420_000_000),
    (
        "Vandelay Imports",
        "South",
        "Wholesale",
        "vandelay.example",
        1_800_000,
    ),
    (
        "Soylent Foods",
        "East",
        "Food",
        "soylent.example",
        23_000_000,
    ),
    (
        "Cyberdyne Systems",
        "West",
        "Robotics",
        "cyberdyne.example",
        150_000_000,
    ),
    (
        "Tyrell Corporation",
        "West",
        "Biotech",
        "tyrell.example",
        310_000_000,
    ),
    (
        "Wonka Confectionery",
        "East",
        "Food",
        "wonka.example",
        8_700_000,
    ),
    (
        "Oceanic Airlines",
        "South",
        "Travel",
        "oceanic.example",
        530_000_000,
    ),
    (
        "Pied Piper",
        "West",
        "Software",
        "piedpiper.example",
        900_000,
    ),
    (
        "Massive Dynamic",
        "East",
        "Research",
        "massive.example",
        275_000_000,
    ),
    (
        "Gringotts Bank",
        "North",
        "Finance",
        "gringotts.example",
        1_200_000_000,
    ),
    (
        "Nakatomi Trading",
        "West",
        "Finance",
        "nakatomi.example",
        88_000_000,
    ),
    (
        "Blue Sun Retail",
        "East",
        "Retail",
        "bluesun.example",
        14_300_000,
    ),
    (
        "Monarch Solutions",
        "North",
        "Consulting",
        "monarch.example",
        5_600_000,
    ),
    (
        "Aperture Labs",
        "South",
        "Research",
        "aperture.example",
        36_000_000,
    ),
    (
        "Prestige Worldwide",
        "East",
        "Media",
        "prestige.example",
        2_100_000,
    ),
    (
        "Dunder Mifflin Paper",
        "North",
        "Paper",
        "dundermifflin.example",
        19_800_000,
    ),
    (
        "Sterling Cooper",
        "East",
        "Advertising",
        "sterling.example",
        27_400_000,
    ),
    (
        "Bluth Development",
        "South",
        "Construction",
        "bluth.example",
        11_000_000,
    ),
];

/// Whether the database has any user yet.
pub async fn is_empty(db: &DatabaseConnection) -> AppResult<bool> {
    Ok(users::Entity::find().count(db).await? == 0)
}

/// Seeds the demo company if the database has no users. Returns whether it seeded.
pub async fn seed_demo(db: &DatabaseConnection) -> AppResult<bool> {
    if !is_empty(db).await? {
        return Ok(false);
    }
    let hash = password::hash_blocking(DEMO_PASSWORD.to_string())
        .await
        .map_err(AppError::internal)?;
    let txn = db::begin_write(db).await?;
    let mut ids = std::collections::HashMap::new();
    for (email, name, role) in DEMO_USERS {
        let u = users_svc::create_user(&txn, email, name, role, hash.clone()).await?;
        ids.insert(*email, u);
    }
    let id = |e: &str| -> AppResult<Uuid> {
        ids.get(e)
            .map(|u| u.id)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("demo user {e} missing")))
    };
    let north = Uuid::new_v4();
    let south = Uuid::new_v4();
    for (team, name, manager) in [
        (north, "North", Some(id("manager@demo.crm")?)),
        (south, "South", None),
    ] {
        teams::ActiveModel {
            id: Set(team),
            name: Set(name.to_string()),
            manager_id: Set(manager),
            parent_id: Set(None),
            created_at: Set(db::now()),
            archived_at: Set(None),
        }
        .insert(&txn)
        .await?;
    }
    for (team, user) in [
        (north, id("rep@demo.crm")?),
        (north, id("rep2@demo.crm")?),
        (south, id("rep3@demo.crm")?),
    ] {
        team_members::ActiveModel {
            team_id: Set(team),
            user_id: Set(user),
        }
        .insert(&txn)
        .await?;
    }
    let admin = ids
        .get("admin@demo.crm")
        .cloned()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("demo admin missing")))?;
    let ctx = RequestCtx {
        actor: Some(std::sync::Arc::new(
            sessions::load_actor(&txn, admin).await?,
        )),
        token_state: TokenState::Valid,
        token_hash: None,
    };
    let owners = [
        id("rep@demo.crm")?,
        id("rep2@demo.crm")?,
        id("rep3@demo.crm")?,
        id("manager@demo.crm")?,
    ];
    for (i, (name, area, industry, site, revenue)) in ACCOUNTS.iter().enumerate() {
        let slug = site.split('.').next().unwrap_or("info");
        accounts::create_in(
            &txn,
            &ctx,
            AccountChanges {
                name: Some((*name).to_string()),
                area: Some((*area).to_string()),
                industry: Some((*industry).to_string()),
                website: Some((*site).to_string()),
                email: Some(format!("info@{slug}.example")),
                phone: Some(format!("+1 555 01{:02}", i)),
                annual_revenue: Some(Some(MoneyInput {
                    amount: revenue.to_string(),
                    currency: if i % 3 == 0 { "EUR" } else { "USD" }.to_string(),
                })),
                owner_id: Some(owners[i % owners.len()]),
                ..Default::default()
            },
        )
        .await?;
    }
    txn.commit().await?;
    seed_people(db, &ctx).await?;
    pipeline::seed_demo_pipeline(&quiet_state(db), &ctx).await?;
    pipeline::seed_demo_activities(&quiet_state(db), &ctx).await?;
    leads::seed_demo_leads(&quiet_state(db), &ctx).await?;
    forecasts::seed_demo_forecasts(db).await?;
    documents::seed_demo_documents(
        &quiet_state(db),
        &ctx,
        [
            id("rep@demo.crm")?,
            id("rep2@demo.crm")?,
            id("rep3@demo.crm")?,
        ],
    )
    .await?;
    billing::seed_demo_billing(
        &quiet_state(db),
        &ctx,
        [
            id("rep@demo.crm")?,
            id("rep2@demo.crm")?,
            id("rep3@demo.crm")?,
        ],
    )
    .await?;
    Ok(true)
}

/// Application state for seeding through the services: no event fan-out to other servers.
fn quiet_state(db: &DatabaseConnection) -> crate::state::AppState {
    crate::state::AppState {
        db: db.clone(),
        config: std::sync::Arc::default(),
        events: crate::events::EventHub::default(),
        statements: std::sync::Arc::default(),
        access: std::sync::Arc::default(),
        sign_in: std::sync::Arc::default(),
        memo: std::sync::Arc::default(),
    }
}

/// Contacts of the first accounts, and a few consumers (B2C customers).
const PEOPLE: &[(&str, &str, &str, &str)] = &[
    ("Wile", "Coyote", "Acme Corporation", "Decision maker"),
    ("Hank", "Scorpio", "Globex", "Decision maker"),
    ("Bill", "Lumbergh", "Initech", "Influencer"),
    ("Alice", "Abernathy", "Umbrella Health", "Buyer"),
    ("Pepper", "Potts", "Stark Industrial", "Decision maker"),
    ("Lucius", "Fox", "Wayne Logistics", "Technical evaluator"),
    ("Gavin", "Belson", "Hooli", "Decision maker"),
    ("Art", "Vandelay", "Vandelay Imports", "Buyer"),
    ("Miles", "Dyson", "Cyberdyne Systems", "Influencer"),
    (
        "Rachael",
        "Tyrell",
        "Tyrell Corporation",
        "Technical evaluator",
    ),
    ("Charlie", "Bucket", "Wonka Confectionery", "Buyer"),
    ("Jack", "Shephard", "Oceanic Airlines", "Decision maker"),
];

const CONSUMERS: &[(&str, &str, &str, &str)] = &[
    ("Emma", "Stone", "North", "CARD"),
    ("Liam", "Carter", "South", "INVOICE"),
    ("Olivia", "Nguyen", "East", "INSTALMENTS"),
    ("Noah", "Schmidt", "West", "CASH_ON_DELIVERY"),
];

async fn seed_people(db: &DatabaseConnection, ctx: &RequestCtx) -> AppResult<()> {
    use crate::domain::parties::kinds::{
        relationship_type, ContactMechanismKind, ContactPurpose, CustomerType, PartyKind,
        PartyRole, PaymentPreference,
    };
    use crate::domain::parties::mechanisms::{AddressInput, MechanismInput};
    use crate::domain::parties::{relationships, service as parties};
    use sea_orm::{ColumnTrait, QueryFilter};

    let state = quiet_state(db);
    let mech = |kind, value: String| MechanismInput {
        kind,
        value: Some(value),
        address: None,
        purposes: vec![ContactPurpose::Primary, ContactPurpose::Work],
        valid_from: None,
        valid_to: None,
    };
    for (i, (fore, sur, org, label)) in PEOPLE.iter().enumerate() {
        let account = entity::parties::parties::Entity::find()
            .filter(entity::parties::parties::Column::GroupName.eq(*org))
            .one(db)
            .await?
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("demo account {org} missing")))?;
        let slug = org.split(' ').next().unwrap_or("mail").to_lowercase();
        let person = parties::create(
            &state,
            ctx,
            parties::PartyChanges {
                kind: Some(PartyKind::Person),
                fore_name: Some((*fore).to_string()),
                surname: Some((*sur).to_string()),
                area: account.area.clone(),
                owner_id: account.owner_id,
                roles: Some(vec![PartyRole::Contact]),
                mechanisms: vec![
                    mech(
                        ContactMechanismKind::Email,
                        format!(
                            "{}.{}@{slug}.example",
                            fore.to_lowercase(),
                            sur.to_lowercase()
                        ),
                    ),
                    mech(ContactMechanismKind::Phone, format!("+1 555 02{i:02}")),
                ],
                ..Default::default()
            },
        )
        .await?;
        relationships::add(
            &state,
            ctx,
            relationships::NewRelationship {
                from: person.id,
                to: account.id,
                kind: relationship_type::CONTACT_OF.to_string(),
                role_label: Some((*label).to_string()),
                valid_from: None,
                comment: None,
            },
        )
        .await?;
    }
    for (i, (fore, sur, area, pay)) in CONSUMERS.iter().enumerate() {
        let mut shipping = mech(ContactMechanismKind::PostalAddress, String::new());
        shipping.value = None;
        shipping.purposes = vec![ContactPurpose::Shipping, ContactPurpose::Home];
        shipping.address = Some(AddressInput {
            attention: None,
            street: Some(format!("{} Market Street", 10 + i)),
            city: Some("Springfield".into()),
            postal_code: Some(format!("1000{i}")),
            region: None,
            country: Some("US".into()),
        });
        parties::create(
            &state,
            ctx,
            parties::PartyChanges {
                kind: Some(PartyKind::Person),
                fore_name: Some((*fore).to_string()),
                surname: Some((*sur).to_string()),
                area: Some((*area).to_string()),
                roles: Some(vec![PartyRole::Customer]),
                customer_type: Some(CustomerType::B2c),
                payment_preference: PaymentPreference::parse(pay),
                mechanisms: vec![
                    mech(
                        ContactMechanismKind::Email,
                        format!(
                            "{}.{}@mail.example",
                            fore.to_lowercase(),
                            sur.to_lowercase()
                        ),
                    ),
                    shipping,
                ],
                ..Default::default()
            },
        )
        .await?;
    }
    Ok(())
}
