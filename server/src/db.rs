//! Opening the database, applying migrations, and the helpers every service uses to write.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

tokio::task_local! {
    /// Set while a background task (not a request) runs: its statements stay out of the counter.
    static BACKGROUND: ();
}

/// Runs `f` as background work: its statements are not counted as any request's.
pub async fn in_background<F: std::future::Future>(f: F) -> F::Output {
    BACKGROUND.scope((), f).await
}

/// Counts SQL statements sent through a connection pool (tests assert on it; `bench` reports it).
#[derive(Debug, Default)]
pub struct StatementCounter(AtomicU64);

impl StatementCounter {
    /// Statements executed so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Opens the database named by `url`. For SQLite it creates the parent folder of the file, turns on
/// WAL mode and keeps synchronous commits, so an acknowledged write survives a crash.
pub async fn connect(url: &str) -> anyhow::Result<(DatabaseConnection, Arc<StatementCounter>)> {
    if let Some(path) = sqlite_file_path(url) {
        if let Some(parent) = std::path::Path::new(&path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    anyhow::anyhow!("cannot create the folder {}: {e}", parent.display())
                })?;
            }
        }
    }
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    // A larger page cache and memory-mapped reads: index lookups on large tables stay in memory.
    opts.map_sqlx_sqlite_opts(|o| {
        o.pragma("cache_size", "-65536")
            .pragma("mmap_size", "1073741824")
            .pragma("temp_store", "memory")
    });
    if in_memory {
        // One connection: every connection to `:memory:` would be a different database.
        opts.max_connections(1).min_connections(1);
    } else {
        opts.max_connections(16).min_connections(1);
    }
    let mut db = Database::connect(opts)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database (DATABASE_URL): {e}"))?;
    if db.get_database_backend() == DatabaseBackend::Sqlite && !in_memory {
        db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
    }
    let counter = Arc::new(StatementCounter::default());
    let c = counter.clone();
    db.set_metric_callback(move |_| {
        if BACKGROUND.try_with(|_| ()).is_err() {
            c.0.fetch_add(1, Ordering::Relaxed);
        }
    });
    Ok((db, counter))
}

/// The file of a SQLite database URL (`None` for PostgreSQL and in-memory databases).
pub fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        None
    } else {
        Some(path.to_string())
    }
}

/// Applies pending migrations, after refusing a database whose schema is newer than this binary.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    refuse_newer_schema(db).await?;
    Migrator::up(db, None).await?;
    Ok(())
}

/// Fails when the database has migrations this binary does not know: an older binary must never
/// write to a newer schema.
pub async fn refuse_newer_schema(db: &DatabaseConnection) -> anyhow::Result<()> {
    let backend = db.get_database_backend();
    let exists_sql = match backend {
        DatabaseBackend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'"
        }
        _ => "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'seaql_migrations'",
    };
    let row = db
        .query_one_raw(Statement::from_string(backend, exists_sql))
        .await?;
    let exists: i64 = match row {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    };
    if exists == 0 {
        return Ok(());
    }
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT version FROM seaql_migrations",
        ))
        .await?;
    for r in rows {
        let v: String = r.try_get("", "version")?;
        if !known.contains(&v) {
            anyhow::bail!(
                "the database schema is newer than this binary (unknown migration {v}); upgrade the crm binary"
            );
        }
    }
    Ok(())
}

/// Begins a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so a
/// transaction that reads before it writes waits for the lock instead of failing with `SQLITE_BUSY`.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, sea_orm::DbErr> {
    let mut opts = TransactionOptions::default();
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        opts.sqlite_transaction_mode = Some(SqliteTransactionMode::Immediate);
    }
    db.begin_with_options(opts).await
}

/// The current time, truncated to microseconds so it round-trips through both engines unchanged
/// (keyset cursors compare timestamps exactly).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    let t = chrono::Utc::now();
    let micros = t.timestamp_micros();
    chrono::DateTime::from_timestamp_micros(micros).unwrap_or(t)
}

/// One keyset page of `q`, newest first by `(time, id)`: rows after the cursor `after` (of
/// `ordering`), at most `page.first`, and whether more follow.
pub async fn newest_first<E: sea_orm::EntityTrait>(
    db: &impl ConnectionTrait,
    mut q: sea_orm::Select<E>,
    time: E::Column,
    id: E::Column,
    ordering: &str,
    page: &crate::kit::paging::Page,
) -> crate::error::AppResult<(Vec<E::Model>, bool)> {
    use crate::kit::paging::{Cursor, SortValue};
    use sea_orm::{ColumnTrait, Condition, QueryFilter, QueryOrder, QuerySelect};
    if let Some(after) = &page.after {
        let c = Cursor::decode(after, ordering)?;
        let SortValue::Time(t) = c.k else {
            return Err(crate::error::AppError::bad_input(
                "after",
                "is not a cursor of this list",
            ));
        };
        q = q.filter(
            Condition::any()
                .add(time.lt(t))
                .add(Condition::all().add(time.eq(t)).add(id.lt(c.id))),
        );
    }
    let mut rows = q
        .order_by_desc(time)
        .order_by_desc(id)
        .limit(page.first + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Ok((rows, more))
}
