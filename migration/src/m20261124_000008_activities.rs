//! Activities: calls, meetings, tasks, logged e-mails and notes, with their links to records and
//! their attendees; grants on `activity` and the guarded private note.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    Kind,
    Subject,
    Description,
    StartsAt,
    EndsAt,
    DueAt,
    Status,
    Outcome,
    OwnerId,
    PrivateNote,
    RemindAt,
    CompletedAt,
    ArchivedAt,
    Version,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum ActivityLinks {
    Table,
    ActivityId,
    ObjectType,
    ObjectId,
}

#[derive(DeriveIden)]
enum ActivityAttendees {
    Table,
    ActivityId,
    AttendeeType,
    AttendeeId,
}

fn role(n: u128) -> Uuid {
    Uuid::from_u128(0x7a11_0000_0000_4000_8000_0000_0000_0000 | n)
}

/// `(role number, action, scope)` on `activity`.
const GRANTS: &[(u128, &str, &str)] = &[
    (0x01, "read", "all"),
    (0x01, "create", "all"),
    (0x01, "update", "all"),
    (0x01, "archive", "all"),
    (0x01, "export", "all"),
    (0x02, "read", "all"),
    (0x02, "create", "all"),
    (0x02, "update", "all"),
    (0x02, "archive", "all"),
    (0x02, "export", "all"),
    (0x03, "read", "team"),
    (0x03, "create", "team"),
    (0x03, "update", "team"),
    (0x03, "archive", "own"),
    (0x04, "read", "all"),
    (0x04, "create", "own"),
    (0x04, "update", "own"),
    (0x05, "read", "all"),
    (0x05, "create", "own"),
    (0x05, "update", "own"),
    (0x08, "read", "all"),
];

/// Roles that read and write private notes: admin, sales manager, sales rep.
const PRIVATE_NOTE_ROLES: &[u128] = &[0x01, 0x02, 0x03];

fn ts<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Activities::Table)
                .col(
                    ColumnDef::new(Activities::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Activities::Kind).string_len(16).not_null())
                .col(
                    ColumnDef::new(Activities::Subject)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Activities::Description)
                        .string_len(4000)
                        .null(),
                )
                .col(ts(Activities::StartsAt))
                .col(ts(Activities::EndsAt))
                .col(ts(Activities::DueAt))
                .col(ColumnDef::new(Activities::Status).string_len(16).not_null())
                .col(ColumnDef::new(Activities::Outcome).string_len(500).null())
                .col(ColumnDef::new(Activities::OwnerId).uuid().not_null())
                .col(
                    ColumnDef::new(Activities::PrivateNote)
                        .string_len(2000)
                        .null(),
                )
                .col(ts(Activities::RemindAt))
                .col(ts(Activities::CompletedAt))
                .col(ts(Activities::ArchivedAt))
                .col(ColumnDef::new(Activities::Version).integer().not_null())
                .col(
                    ColumnDef::new(Activities::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Activities::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(Activities::CreatedBy).uuid().null())
                .col(ColumnDef::new(Activities::UpdatedBy).uuid().null())
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_activities_owner_start",
                vec![Activities::OwnerId, Activities::StartsAt],
            ),
            (
                "idx_activities_owner_due",
                vec![Activities::OwnerId, Activities::Status, Activities::DueAt],
            ),
            ("idx_activities_remind", vec![Activities::RemindAt]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Activities::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(ActivityLinks::Table)
                .col(ColumnDef::new(ActivityLinks::ActivityId).uuid().not_null())
                .col(
                    ColumnDef::new(ActivityLinks::ObjectType)
                        .string_len(16)
                        .not_null(),
                )
                .col(ColumnDef::new(ActivityLinks::ObjectId).uuid().not_null())
                .primary_key(
                    Index::create()
                        .col(ActivityLinks::ActivityId)
                        .col(ActivityLinks::ObjectType)
                        .col(ActivityLinks::ObjectId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ActivityLinks::Table, ActivityLinks::ActivityId)
                        .to(Activities::Table, Activities::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_activity_links_object")
                .table(ActivityLinks::Table)
                .col(ActivityLinks::ObjectType)
                .col(ActivityLinks::ObjectId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ActivityAttendees::Table)
                .col(
                    ColumnDef::new(ActivityAttendees::ActivityId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ActivityAttendees::AttendeeType)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ActivityAttendees::AttendeeId)
                        .uuid()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(ActivityAttendees::ActivityId)
                        .col(ActivityAttendees::AttendeeType)
                        .col(ActivityAttendees::AttendeeId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ActivityAttendees::Table, ActivityAttendees::ActivityId)
                        .to(Activities::Table, Activities::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_activity_attendees_attendee")
                .table(ActivityAttendees::Table)
                .col(ActivityAttendees::AttendeeType)
                .col(ActivityAttendees::AttendeeId)
                .to_owned(),
        )
        .await?;

        let mut grants = Query::insert();
        grants.into_table(Alias::new("role_grants")).columns([
            Alias::new("role_id"),
            Alias::new("object"),
            Alias::new("action"),
            Alias::new("scope"),
        ]);
        for (r, action, scope) in GRANTS {
            grants.values_panic([
                role(*r).into(),
                "activity".into(),
                (*action).into(),
                (*scope).into(),
            ]);
        }
        m.exec_stmt(grants).await?;
        let mut fields = Query::insert();
        fields.into_table(Alias::new("role_field_grants")).columns([
            Alias::new("role_id"),
            Alias::new("object"),
            Alias::new("field"),
            Alias::new("can_read"),
            Alias::new("can_write"),
        ]);
        for r in PRIVATE_NOTE_ROLES {
            fields.values_panic([
                role(*r).into(),
                "activity".into(),
                "privateNote".into(),
                true.into(),
                true.into(),
            ]);
        }
        m.exec_stmt(fields).await
    }
}
