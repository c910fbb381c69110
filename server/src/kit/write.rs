//! Writes, in one place: a write transaction that saves versioned records (a stale version is
//! `CONFLICT` carrying the stored version), appends the change-log rows, commits, and only then
//! publishes the changes to subscribers.
//!
//! A domain declares each record type it writes once, as a [`Versioned`] implementation (entity,
//! object name, id and version columns, the columns a save never touches, the change-log snapshot);
//! its services then read like `let mut w = Write::begin(state, ctx)?; w.save(&current, next,
//! version, "update").await?; w.commit().await`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, SqlErr,
};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::RequestCtx;
use crate::changelog;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::events::ChangeEvent;
use crate::state::AppState;

/// A record type written with optimistic versions and logged in the change log.
pub trait Versioned: Clone + Send + Sync + Sized + 'static {
    type Entity: EntityTrait<Model = Self>;
    /// The object's name in grants and in the change log.
    const OBJECT: &'static str;
    /// The record's id.
    fn id(&self) -> Uuid;
    /// The record's version.
    fn version(&self) -> i32;
    /// Sets the version and the update stamps of a record about to be saved.
    fn stamp(&mut self, version: i32, at: DateTime<Utc>, by: Option<Uuid>);
    /// The id column.
    fn id_column() -> <Self::Entity as EntityTrait>::Column;
    /// The version column.
    fn version_column() -> <Self::Entity as EntityTrait>::Column;
    /// Columns a save never writes: identity, creation stamps, counters other writers advance.
    fn kept_columns() -> Vec<<Self::Entity as EntityTrait>::Column> {
        Vec::new()
    }
    /// The fields the change log compares, `(API name, value)`, in a fixed order. Records whose
    /// change-log entry spans more than their own row (a lead with its party) keep the default
    /// and log through [`Write::update`] and [`Write::log`].
    fn snapshot(&self) -> Vec<(&'static str, Value)> {
        Vec::new()
    }
    /// The input field a unique-constraint violation on save is reported on (`code`, …); `None`
    /// when the record has no unique column a save writes.
    fn unique_field() -> Option<&'static str> {
        None
    }
}

/// Implements [`Versioned`] for the `Model` of an entity module with `id`, `version` and
/// `updated_at` columns (and `updated_by`, when `stamps updated_by` is given), so a record type
/// declares only what is its own: object name, its unique input field (`unique "code"`), kept
/// columns and change-log snapshot.
///
/// ```ignore
/// versioned!(contact_lists, ContactListObject::OBJECT, kept [], |m| vec![("name", json!(m.name))]);
/// ```
#[macro_export]
macro_rules! versioned {
    ($module:ident, $object:expr, kept [$($kept:ident),*], |$m:ident| $snapshot:expr) => {
        $crate::versioned!(@impl $module, $object, None, [$($kept),*], |$m| $snapshot, |_m, _by| {});
    };
    ($module:ident, $object:expr, stamps updated_by, kept [$($kept:ident),*], |$m:ident| $snapshot:expr) => {
        $crate::versioned!(@impl $module, $object, None, [$($kept),*], |$m| $snapshot, |m, by| {
            m.updated_by = by;
        });
    };
    ($module:ident, $object:expr, stamps updated_by, unique $unique:literal, kept [$($kept:ident),*], |$m:ident| $snapshot:expr) => {
        $crate::versioned!(@impl $module, $object, Some($unique), [$($kept),*], |$m| $snapshot, |m, by| {
            m.updated_by = by;
        });
    };
    (@impl $module:ident, $object:expr, $unique:expr, [$($kept:ident),*], |$m:ident| $snapshot:expr, |$sm:ident, $by:ident| $stamp:block) => {
        impl $crate::kit::write::Versioned for $module::Model {
            type Entity = $module::Entity;
            const OBJECT: &'static str = $object;
            fn id(&self) -> uuid::Uuid {
                self.id
            }
            fn version(&self) -> i32 {
                self.version
            }
            fn stamp(
                &mut self,
                version: i32,
                at: chrono::DateTime<chrono::Utc>,
                $by: Option<uuid::Uuid>,
            ) {
                self.version = version;
                self.updated_at = at;
                let $sm = self;
                $stamp
            }
            fn id_column() -> $module::Column {
                $module::Column::Id
            }
            fn version_column() -> $module::Column {
                $module::Column::Version
            }
            fn kept_columns() -> Vec<$module::Column> {
                vec![$($module::Column::$kept),*]
            }
            fn snapshot(&self) -> Vec<(&'static str, serde_json::Value)> {
                let $m = self;
                $snapshot
            }
            fn unique_field() -> Option<&'static str> {
                $unique
            }
        }
    };
}

/// `CONFLICT` carrying the stored version.
pub fn conflict(current_version: i32) -> AppError {
    AppError::Conflict {
        message: format!(
            "the record was changed by someone else (now at version {current_version}); reload it and try again"
        ),
        current_version,
    }
}

/// One mutation's transaction with its change-log rows and the events to publish after commit.
pub struct Write<'s> {
    state: &'s AppState,
    txn: DatabaseTransaction,
    by: Option<Uuid>,
    events: Vec<ChangeEvent>,
}

impl<'s> Write<'s> {
    /// Begins the write transaction of the caller (`None`: a write on nobody's behalf, such as a
    /// public form post).
    pub async fn begin(state: &'s AppState, ctx: Option<&RequestCtx>) -> AppResult<Self> {
        let by = match ctx {
            Some(c) => Some(c.actor()?.user_id),
            None => None,
        };
        Ok(Self {
            state,
            txn: db::begin_write(&state.db).await?,
            by,
            events: Vec::new(),
        })
    }

    /// Who writes (`None`: nobody's behalf), for the stamps of rows written beside a versioned one.
    pub fn by(&self) -> Option<Uuid> {
        self.by
    }

    /// The transaction, for the statements of the mutation itself.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Inserts a new record and logs its `create` with every snapshot field.
    pub async fn insert<M>(&mut self, record: M) -> AppResult<M>
    where
        M: Versioned + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
        <M::Entity as EntityTrait>::ActiveModel:
            ActiveModelTrait<Entity = M::Entity> + ActiveModelBehavior + Send,
    {
        record.clone().into_active_model().insert(&self.txn).await?;
        let changes = changelog::diff_snapshots(None, record.snapshot());
        self.log(M::OBJECT, record.id(), "create", changes).await?;
        Ok(record)
    }

    /// Writes `next` over `current` while the stored version is still `expected` (else
    /// `CONFLICT` with the stored version), stamping version and time, and logs `action` with the
    /// fields that changed.
    pub async fn save<M>(
        &mut self,
        current: &M,
        next: M,
        expected: i32,
        action: &str,
    ) -> AppResult<M>
    where
        M: Versioned + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
        <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
    {
        let (next, changes) = self.save_quietly(current, next, expected).await?;
        self.log(M::OBJECT, current.id(), action, changes).await?;
        Ok(next)
    }

    /// Like [`Write::save`], but returns the change-log diff for the caller to extend and
    /// [`Write::log`] itself (records whose entry carries more than their own fields).
    pub async fn save_quietly<M>(
        &mut self,
        current: &M,
        next: M,
        expected: i32,
    ) -> AppResult<(M, Value)>
    where
        M: Versioned + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
        <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
    {
        let next = self.update(current, next, expected).await?;
        let changes = changelog::diff_snapshots(Some(current.snapshot()), next.snapshot());
        Ok((next, changes))
    }

    /// The versioned write alone: stamps `next` and writes it over `current` while the stored
    /// version is still `expected` (else `CONFLICT` with the stored version). The caller logs the
    /// change (records whose change-log entry is not their own snapshot).
    pub async fn update<M>(&mut self, current: &M, mut next: M, expected: i32) -> AppResult<M>
    where
        M: Versioned + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
        <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
    {
        next.stamp(expected + 1, db::now(), self.by);
        let mut am = next.clone().into_active_model().reset_all();
        am.not_set(M::id_column());
        for c in M::kept_columns() {
            am.not_set(c);
        }
        let res = M::Entity::update_many()
            .set(am)
            .filter(M::id_column().eq(current.id()))
            .filter(M::version_column().eq(expected))
            .exec(&self.txn)
            .await
            .map_err(|e| match (e.sql_err(), M::unique_field()) {
                (Some(SqlErr::UniqueConstraintViolation(_)), Some(field)) => {
                    AppError::bad_input(field, "is already in use")
                }
                _ => e.into(),
            })?;
        if res.rows_affected == 0 {
            let stored = M::Entity::find()
                .filter(M::id_column().eq(current.id()))
                .one(&self.txn)
                .await?
                .map_or(current.version(), |m| m.version());
            return Err(conflict(stored));
        }
        Ok(next)
    }

    /// Appends a change-log row (published after commit); returns its cursor.
    pub async fn log(
        &mut self,
        object: &str,
        id: Uuid,
        action: &str,
        changes: Value,
    ) -> AppResult<i64> {
        let cursor = changelog::record(&self.txn, self.by, object, id, action, changes).await?;
        self.events
            .push(ChangeEvent::new(cursor, object, id, action));
        Ok(cursor)
    }

    /// Takes over the event of a change a composed service logged in this transaction.
    pub fn adopt(&mut self, event: ChangeEvent) {
        self.events.push(event);
    }

    /// Commits, then publishes every logged change.
    pub async fn commit(self) -> AppResult<()> {
        self.txn.commit().await?;
        for e in self.events {
            self.state.events.publish(e);
        }
        Ok(())
    }
}

/// Archives (`archived`) or restores a versioned record at its current version, logging
/// `archive` or `restore`; `slot` is its `archived_at` column. A record already so is returned
/// as it is, with nothing written.
pub async fn set_archived<M>(
    state: &AppState,
    ctx: &RequestCtx,
    current: M,
    archived: bool,
    slot: fn(&mut M) -> &mut Option<DateTime<Utc>>,
) -> AppResult<M>
where
    M: Versioned + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
{
    let mut next = current.clone();
    let at = slot(&mut next);
    if at.is_some() == archived {
        return Ok(current);
    }
    *at = archived.then(db::now);
    let mut w = Write::begin(state, Some(ctx)).await?;
    let action = if archived { "archive" } else { "restore" };
    let saved = w.save(&current, next, current.version(), action).await?;
    w.commit().await?;
    Ok(saved)
}
