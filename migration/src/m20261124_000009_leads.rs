//! Leads: lead fields beside the lead's party, static contact lists, web-to-lead forms and their
//! submissions, assignment rules, the admin-editable conversion mapping, and the grants on them.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Leads {
    Table,
    PartyId,
    OrganizationName,
    JobTitle,
    Description,
    Source,
    Status,
    StatusReason,
    CampaignId,
    WebFormId,
    ConvertedAccountId,
    ConvertedContactId,
    ConvertedOpportunityId,
    ConvertedAt,
    ConvertedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ContactLists {
    Table,
    Id,
    Name,
    Description,
    Kind,
    OwnerId,
    ArchivedAt,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum ContactListMembers {
    Table,
    ListId,
    PartyId,
    AddedAt,
    AddedBy,
}

#[derive(DeriveIden)]
enum WebForms {
    Table,
    Id,
    Name,
    FormKey,
    Fields,
    TargetListId,
    Source,
    OwnerId,
    AssignmentRuleId,
    RedirectUrl,
    Active,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum WebFormSubmissions {
    Table,
    Id,
    FormId,
    ReceivedAt,
    Outcome,
    LeadId,
}

#[derive(DeriveIden)]
enum AssignmentRules {
    Table,
    Id,
    Name,
    Kind,
    TeamId,
    Areas,
    FallbackOwnerId,
    Turn,
    Active,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LeadConversionMappings {
    Table,
    Target,
    TargetField,
    SourceField,
}

fn role(n: u128) -> Uuid {
    Uuid::from_u128(0x7a11_0000_0000_4000_8000_0000_0000_0000 | n)
}

/// `(role number, object, action, scope)`.
const GRANTS: &[(u128, &str, &str, &str)] = &[
    (0x01, "lead", "read", "all"),
    (0x01, "lead", "create", "all"),
    (0x01, "lead", "update", "all"),
    (0x01, "lead", "archive", "all"),
    (0x01, "lead", "export", "all"),
    (0x02, "lead", "read", "all"),
    (0x02, "lead", "create", "all"),
    (0x02, "lead", "update", "all"),
    (0x02, "lead", "archive", "all"),
    (0x02, "lead", "export", "all"),
    (0x03, "lead", "read", "team"),
    (0x03, "lead", "create", "team"),
    (0x03, "lead", "update", "team"),
    (0x03, "lead", "archive", "own"),
    (0x04, "lead", "read", "all"),
    (0x04, "lead", "create", "all"),
    (0x04, "lead", "update", "all"),
    (0x05, "lead", "read", "all"),
    (0x08, "lead", "read", "all"),
    (0x01, "contact_list", "read", "all"),
    (0x01, "contact_list", "create", "all"),
    (0x01, "contact_list", "update", "all"),
    (0x01, "contact_list", "archive", "all"),
    (0x02, "contact_list", "read", "all"),
    (0x02, "contact_list", "create", "all"),
    (0x02, "contact_list", "update", "all"),
    (0x02, "contact_list", "archive", "all"),
    (0x03, "contact_list", "read", "team"),
    (0x03, "contact_list", "create", "team"),
    (0x03, "contact_list", "update", "team"),
    (0x04, "contact_list", "read", "all"),
    (0x04, "contact_list", "create", "all"),
    (0x04, "contact_list", "update", "all"),
    (0x04, "contact_list", "archive", "all"),
    (0x08, "contact_list", "read", "all"),
    (0x01, "web_form", "read", "all"),
    (0x01, "web_form", "create", "all"),
    (0x01, "web_form", "update", "all"),
    (0x04, "web_form", "read", "all"),
    (0x04, "web_form", "create", "all"),
    (0x04, "web_form", "update", "all"),
    (0x02, "web_form", "read", "all"),
    (0x01, "assignment_rule", "read", "all"),
    (0x01, "assignment_rule", "create", "all"),
    (0x01, "assignment_rule", "update", "all"),
    (0x02, "assignment_rule", "read", "all"),
    (0x02, "assignment_rule", "create", "all"),
    (0x02, "assignment_rule", "update", "all"),
    (0x01, "lead_mapping", "read", "all"),
    (0x01, "lead_mapping", "update", "all"),
    (0x02, "lead_mapping", "read", "all"),
    (0x03, "lead_mapping", "read", "all"),
];

/// The default conversion mapping: `(target, target field, source field)`.
const MAPPING: &[(&str, &str, &str)] = &[
    ("ACCOUNT", "name", "organizationName"),
    ("ACCOUNT", "industry", "industry"),
    ("ACCOUNT", "area", "area"),
    ("ACCOUNT", "website", "website"),
    ("ACCOUNT", "phone", "phone"),
    ("CONTACT", "foreName", "foreName"),
    ("CONTACT", "surname", "surname"),
    ("CONTACT", "email", "email"),
    ("CONTACT", "phone", "phone"),
    ("CONTACT", "area", "area"),
    ("CONTACT", "roleLabel", "jobTitle"),
    ("OPPORTUNITY", "name", "organizationName"),
];

fn ts<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn ts_req<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn text<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).null().to_owned()
}

fn text_req<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).not_null().to_owned()
}

fn uuid_opt<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).uuid().null().to_owned()
}

async fn index<T: IntoIden + 'static, C: IntoIden>(
    m: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: Vec<C>,
) -> Result<(), DbErr> {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(c);
    }
    m.create_index(idx.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Leads::Table)
                .col(
                    ColumnDef::new(Leads::PartyId)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(text(Leads::OrganizationName, 200))
                .col(text(Leads::JobTitle, 100))
                .col(text(Leads::Description, 2000))
                .col(text_req(Leads::Source, 16))
                .col(text_req(Leads::Status, 16))
                .col(text(Leads::StatusReason, 500))
                .col(uuid_opt(Leads::CampaignId))
                .col(uuid_opt(Leads::WebFormId))
                .col(uuid_opt(Leads::ConvertedAccountId))
                .col(uuid_opt(Leads::ConvertedContactId))
                .col(uuid_opt(Leads::ConvertedOpportunityId))
                .col(ts(Leads::ConvertedAt))
                .col(uuid_opt(Leads::ConvertedBy))
                .col(ColumnDef::new(Leads::Version).integer().not_null())
                .col(ts_req(Leads::CreatedAt))
                .col(ts_req(Leads::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Leads::Table, Leads::PartyId)
                        .to(Alias::new("parties"), Alias::new("id")),
                )
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_leads_created",
            Leads::Table,
            vec![Leads::CreatedAt, Leads::PartyId],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ContactLists::Table)
                .col(
                    ColumnDef::new(ContactLists::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(text_req(ContactLists::Name, 200))
                .col(text(ContactLists::Description, 1000))
                .col(text_req(ContactLists::Kind, 16))
                .col(ColumnDef::new(ContactLists::OwnerId).uuid().not_null())
                .col(ts(ContactLists::ArchivedAt))
                .col(ColumnDef::new(ContactLists::Version).integer().not_null())
                .col(ts_req(ContactLists::CreatedAt))
                .col(ts_req(ContactLists::UpdatedAt))
                .col(uuid_opt(ContactLists::CreatedBy))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_contact_lists_name",
            ContactLists::Table,
            vec![ContactLists::Name, ContactLists::Id],
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ContactListMembers::Table)
                .col(ColumnDef::new(ContactListMembers::ListId).uuid().not_null())
                .col(
                    ColumnDef::new(ContactListMembers::PartyId)
                        .uuid()
                        .not_null(),
                )
                .col(ts_req(ContactListMembers::AddedAt))
                .col(uuid_opt(ContactListMembers::AddedBy))
                .primary_key(
                    Index::create()
                        .col(ContactListMembers::ListId)
                        .col(ContactListMembers::PartyId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ContactListMembers::Table, ContactListMembers::ListId)
                        .to(ContactLists::Table, ContactLists::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ContactListMembers::Table, ContactListMembers::PartyId)
                        .to(Alias::new("parties"), Alias::new("id")),
                )
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_contact_list_members_party",
            ContactListMembers::Table,
            vec![ContactListMembers::PartyId],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AssignmentRules::Table)
                .col(
                    ColumnDef::new(AssignmentRules::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(text_req(AssignmentRules::Name, 200))
                .col(text_req(AssignmentRules::Kind, 16))
                .col(uuid_opt(AssignmentRules::TeamId))
                .col(ColumnDef::new(AssignmentRules::Areas).text().not_null())
                .col(uuid_opt(AssignmentRules::FallbackOwnerId))
                .col(
                    ColumnDef::new(AssignmentRules::Turn)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(AssignmentRules::Active).boolean().not_null())
                .col(
                    ColumnDef::new(AssignmentRules::Version)
                        .integer()
                        .not_null(),
                )
                .col(ts_req(AssignmentRules::CreatedAt))
                .col(ts_req(AssignmentRules::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WebForms::Table)
                .col(ColumnDef::new(WebForms::Id).uuid().not_null().primary_key())
                .col(text_req(WebForms::Name, 200))
                .col(text_req(WebForms::FormKey, 64).unique_key().to_owned())
                .col(ColumnDef::new(WebForms::Fields).text().not_null())
                .col(uuid_opt(WebForms::TargetListId))
                .col(text_req(WebForms::Source, 16))
                .col(uuid_opt(WebForms::OwnerId))
                .col(uuid_opt(WebForms::AssignmentRuleId))
                .col(text(WebForms::RedirectUrl, 500))
                .col(ColumnDef::new(WebForms::Active).boolean().not_null())
                .col(ColumnDef::new(WebForms::Version).integer().not_null())
                .col(ts_req(WebForms::CreatedAt))
                .col(ts_req(WebForms::UpdatedAt))
                .col(uuid_opt(WebForms::CreatedBy))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(WebFormSubmissions::Table)
                .col(
                    ColumnDef::new(WebFormSubmissions::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(WebFormSubmissions::FormId).uuid().not_null())
                .col(ts_req(WebFormSubmissions::ReceivedAt))
                .col(text_req(WebFormSubmissions::Outcome, 16))
                .col(uuid_opt(WebFormSubmissions::LeadId))
                .foreign_key(
                    ForeignKey::create()
                        .from(WebFormSubmissions::Table, WebFormSubmissions::FormId)
                        .to(WebForms::Table, WebForms::Id),
                )
                .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_web_form_submissions_form",
            WebFormSubmissions::Table,
            vec![
                WebFormSubmissions::FormId,
                WebFormSubmissions::ReceivedAt,
                WebFormSubmissions::Id,
            ],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LeadConversionMappings::Table)
                .col(text_req(LeadConversionMappings::Target, 16))
                .col(text_req(LeadConversionMappings::TargetField, 32))
                .col(text_req(LeadConversionMappings::SourceField, 32))
                .primary_key(
                    Index::create()
                        .col(LeadConversionMappings::Target)
                        .col(LeadConversionMappings::TargetField),
                )
                .to_owned(),
        )
        .await?;
        let mut mapping = Query::insert();
        mapping.into_table(LeadConversionMappings::Table).columns([
            LeadConversionMappings::Target,
            LeadConversionMappings::TargetField,
            LeadConversionMappings::SourceField,
        ]);
        for (t, f, s) in MAPPING {
            mapping.values_panic([(*t).into(), (*f).into(), (*s).into()]);
        }
        m.exec_stmt(mapping).await?;

        let mut grants = Query::insert();
        grants.into_table(Alias::new("role_grants")).columns([
            Alias::new("role_id"),
            Alias::new("object"),
            Alias::new("action"),
            Alias::new("scope"),
        ]);
        for (r, object, action, scope) in GRANTS {
            grants.values_panic([
                role(*r).into(),
                (*object).into(),
                (*action).into(),
                (*scope).into(),
            ]);
        }
        m.exec_stmt(grants).await
    }
}
