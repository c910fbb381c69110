//! Demo leads: two contact lists, a round-robin rule for team North, the public "Contact us" form
//! (key `contact-us`) and leads in every open status, created through the lead services.

use entity::access::{teams, users};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::auth::RequestCtx;
use crate::domain::leads::kinds::{lead_source, AssignmentKind, LeadFormField, LeadStatus};
use crate::domain::leads::service::LeadInput;
use crate::domain::leads::{assignment, forms, lists, service};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// `(fore name, surname, organisation, e-mail, area, source, owner, status)`.
type DemoLead = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    LeadStatus,
);

const LEADS: &[DemoLead] = &[
    (
        "Dana",
        "Scully",
        "Bureau Analytics",
        "dana@bureau.example",
        "North",
        lead_source::TRADE_SHOW,
        "rep@demo.crm",
        LeadStatus::New,
    ),
    (
        "Fox",
        "Mulder",
        "Bureau Analytics",
        "fox@bureau.example",
        "North",
        lead_source::REFERRAL,
        "rep2@demo.crm",
        LeadStatus::Contacted,
    ),
    (
        "Ellen",
        "Ripley",
        "Weyland Freight",
        "ripley@weyland.example",
        "North",
        lead_source::WEB_FORM,
        "rep@demo.crm",
        LeadStatus::Qualified,
    ),
    (
        "Sarah",
        "Connor",
        "Resistance Security",
        "sarah@resistance.example",
        "South",
        lead_source::PHONE,
        "rep3@demo.crm",
        LeadStatus::Qualified,
    ),
    (
        "Marty",
        "McFly",
        "Hill Valley Motors",
        "marty@hillvalley.example",
        "South",
        lead_source::DIRECT_MAIL,
        "rep3@demo.crm",
        LeadStatus::New,
    ),
    (
        "Leslie",
        "Knope",
        "Pawnee Parks",
        "leslie@pawnee.example",
        "North",
        lead_source::CAMPAIGN,
        "manager@demo.crm",
        LeadStatus::Disqualified,
    ),
];

async fn user(state: &AppState, email: &str) -> AppResult<uuid::Uuid> {
    users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(&state.db)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("demo user {email} missing")))
}

/// Seeds the demo lead data as the admin in `ctx`.
pub async fn seed_demo_leads(state: &AppState, ctx: &RequestCtx) -> AppResult<()> {
    let newsletter = lists::create(
        state,
        ctx,
        "Newsletter",
        Some("People who asked for news"),
        Some(user(state, "marketing@demo.crm").await?),
    )
    .await?;
    let trade_show = lists::create(
        state,
        ctx,
        "Trade show 2026",
        Some("Visitors of our stand"),
        Some(user(state, "manager@demo.crm").await?),
    )
    .await?;
    let north = teams::Entity::find()
        .filter(teams::Column::Name.eq("North"))
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("team North missing")))?;
    let rule = assignment::create(
        state,
        ctx,
        assignment::RuleInput {
            name: Some("North round robin".into()),
            kind: Some(AssignmentKind::RoundRobin),
            team_id: Some(north.id),
            ..Default::default()
        },
    )
    .await?;
    forms::create(
        state,
        ctx,
        forms::FormInput {
            name: Some("Contact us".into()),
            fields: Some(vec![
                (LeadFormField::ForeName, None, true),
                (LeadFormField::Surname, None, true),
                (LeadFormField::Email, None, true),
                (LeadFormField::OrganizationName, None, false),
                (LeadFormField::Phone, None, false),
                (
                    LeadFormField::Description,
                    Some("How can we help?".into()),
                    false,
                ),
            ]),
            target_list_id: Some(Some(newsletter.id)),
            source: Some(lead_source::WEB_FORM.to_string()),
            assignment_rule_id: Some(Some(rule.id)),
            ..Default::default()
        },
        Some("contact-us"),
    )
    .await?;
    for (i, (fore, sur, org, email, area, source, owner, status)) in LEADS.iter().enumerate() {
        let list = if i % 2 == 0 {
            newsletter.id
        } else {
            trade_show.id
        };
        let input = LeadInput {
            source: Some((*source).to_string()),
            owner_id: Some(user(state, owner).await?),
            ..Default::default()
        }
        .with(LeadFormField::ForeName, Some((*fore).into()))
        .with(LeadFormField::Surname, Some((*sur).into()))
        .with(LeadFormField::OrganizationName, Some((*org).into()))
        .with(LeadFormField::Email, Some((*email).into()))
        .with(LeadFormField::Area, Some((*area).into()))
        .with(LeadFormField::JobTitle, Some("Head of purchasing".into()));
        let row = service::create(state, ctx, input, None, vec![list]).await?;
        if *status != LeadStatus::New {
            service::update(
                state,
                ctx,
                row.party.id,
                row.lead.version,
                LeadInput {
                    status: Some(*status),
                    status_reason: (*status == LeadStatus::Disqualified)
                        .then(|| "No budget this year".to_string()),
                    ..Default::default()
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// Adds `n` generated leads (owners among the demo sellers, every status and source, a third on the
/// first list) through the lead service's writer, a thousand per transaction. Deterministic.
pub async fn seed_leads(db: &sea_orm::DatabaseConnection, n: u64) -> AppResult<String> {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use sea_orm::{PaginatorTrait, QueryOrder};

    use crate::domain::leads::fields::LeadValues;

    let started = std::time::Instant::now();
    let sellers: Vec<uuid::Uuid> = users::Entity::find()
        .filter(users::Column::Email.is_in([
            "rep@demo.crm",
            "rep2@demo.crm",
            "rep3@demo.crm",
            "manager@demo.crm",
        ]))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    if sellers.is_empty() {
        return Err(AppError::internal(anyhow::anyhow!(
            "seed the demo company first: no sellers"
        )));
    }
    let list = entity::leads::contact_lists::Entity::find()
        .order_by_asc(entity::leads::contact_lists::Column::CreatedAt)
        .one(db)
        .await?
        .map(|l| l.id);
    let already = entity::leads::leads::Entity::find().count(db).await?;
    let mut rng = StdRng::seed_from_u64(already ^ 0x1ead);
    const FORE: &[&str] = &[
        "Ann", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo",
    ];
    const SUR: &[&str] = &[
        "Archer", "Baker", "Cole", "Dale", "Ernst", "Frost", "Gale", "Hart", "Irwin", "Judd",
        "Kemp", "Lowe",
    ];
    const ORG: &[&str] = &[
        "Systems", "Labs", "Freight", "Foods", "Media", "Energy", "Health", "Works",
    ];
    const AREAS: &[&str] = &["North", "South", "East", "West"];
    let statuses = [
        LeadStatus::New,
        LeadStatus::New,
        LeadStatus::Contacted,
        LeadStatus::Qualified,
        LeadStatus::Disqualified,
    ];
    let mut done = 0u64;
    while done < n {
        let batch = (n - done).min(1_000);
        let txn = crate::db::begin_write(db).await?;
        for _ in 0..batch {
            let k = already + done;
            let sur = SUR[rng.gen_range(0..SUR.len())];
            let values = LeadValues {
                organization_name: Some(format!("{sur} {} {k}", ORG[rng.gen_range(0..ORG.len())])),
                fore_name: Some(FORE[rng.gen_range(0..FORE.len())].to_string()),
                surname: Some(sur.to_string()),
                email: Some(format!("lead{k}@leads.example")),
                area: Some(AREAS[rng.gen_range(0..AREAS.len())].to_string()),
                ..Default::default()
            };
            let (row, _) = service::insert_in(
                &txn,
                None,
                service::NewLead {
                    values,
                    source: lead_source::ALL[rng.gen_range(0..lead_source::ALL.len())].to_string(),
                    owner: sellers[rng.gen_range(0..sellers.len())],
                    web_form_id: None,
                    list_ids: list.filter(|_| k.is_multiple_of(3)).into_iter().collect(),
                },
            )
            .await?;
            let status = statuses[rng.gen_range(0..statuses.len())];
            if status != LeadStatus::New {
                use sea_orm::ActiveModelTrait;
                let mut am: entity::leads::leads::ActiveModel = row.lead.into();
                am.status = sea_orm::Set(status.as_str().to_string());
                am.status_reason = sea_orm::Set(
                    (status == LeadStatus::Disqualified).then(|| "No budget".to_string()),
                );
                am.update(&txn).await?;
            }
            done += 1;
        }
        txn.commit().await?;
    }
    Ok(format!(
        "{n} leads added in {:.1} s",
        started.elapsed().as_secs_f64()
    ))
}
