//! `crm backup` and `crm restore` for SQLite databases. PostgreSQL is backed up with its own
//! tools (`pg_dump` / `pg_restore`, see the README).

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

/// Writes a consistent copy of the SQLite database behind `db` to `output` while the database is
/// in use: `VACUUM INTO` reads one snapshot (writers carry on meanwhile) and writes a compact,
/// self-contained file (no WAL beside it).
pub async fn backup(db: &DatabaseConnection, output: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        db.get_database_backend() == DatabaseBackend::Sqlite,
        "crm backup copies SQLite databases; back PostgreSQL up with pg_dump (see the README)"
    );
    anyhow::ensure!(
        !output.exists(),
        "{} already exists; name a new file",
        output.display()
    );
    let path = output
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("the backup path must be valid UTF-8"))?;
    db.execute_unprepared(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
        .await
        .map_err(|e| anyhow::anyhow!("the backup failed: {e}"))?;
    Ok(())
}

/// Replaces the SQLite database at `database_url` with the backup `input`, after checking that
/// the backup is a sound CRM database this binary can open (integrity, schema not newer). The
/// server must be stopped. The backup is copied beside the database and renamed over it, and
/// the old database's write-ahead log is removed, so the result is the backup or the old
/// database, never a mix.
pub async fn restore(database_url: &str, input: &Path) -> anyhow::Result<PathBuf> {
    let target = crate::db::sqlite_file_path(database_url)
        .map(PathBuf::from)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "crm restore writes SQLite database files; restore PostgreSQL with pg_restore (see the README)"
            )
        })?;
    anyhow::ensure!(input.is_file(), "no backup at {}", input.display());
    check_backup(input).await?;
    let staged = target.with_extension("restoring");
    std::fs::copy(input, &staged)
        .map_err(|e| anyhow::anyhow!("cannot copy the backup to {}: {e}", staged.display()))?;
    std::fs::File::open(&staged)?.sync_all()?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side)
                .map_err(|e| anyhow::anyhow!("cannot remove {}: {e}", side.display()))?;
        }
    }
    std::fs::rename(&staged, &target)
        .map_err(|e| anyhow::anyhow!("cannot replace {}: {e}", target.display()))?;
    Ok(target)
}

/// Opens `file` read-only and checks it: SQLite's integrity check, and migrations this binary
/// knows.
async fn check_backup(file: &Path) -> anyhow::Result<()> {
    let url = format!("sqlite://{}?mode=ro", file.display());
    let db = sea_orm::Database::connect(url.as_str())
        .await
        .map_err(|e| {
            anyhow::anyhow!("{} is not a readable SQLite database: {e}", file.display())
        })?;
    let row = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .map_err(|e| anyhow::anyhow!("{} is not a SQLite database: {e}", file.display()))?;
    let verdict: String = match row {
        Some(r) => r.try_get_by_index(0)?,
        None => String::new(),
    };
    anyhow::ensure!(
        verdict == "ok",
        "{} is damaged (integrity check: {verdict})",
        file.display()
    );
    let migrations = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT COUNT(*) FROM seaql_migrations",
        ))
        .await;
    anyhow::ensure!(
        matches!(migrations, Ok(Some(_))),
        "{} is not a CRM database (it has no migrations)",
        file.display()
    );
    crate::db::refuse_newer_schema(&db).await?;
    db.close().await?;
    Ok(())
}
