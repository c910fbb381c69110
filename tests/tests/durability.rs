//! Durability through the real binary: a SQLite backup taken under write load restores to a
//! working CRM, the PostgreSQL dump/restore recipe of the README works, and no acknowledged
//! write is lost when the server is killed (SIGKILL) in the middle of concurrent writes, on
//! either engine.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use tests::{crm_binary, engine, Engine, TestApp, PASSWORD};

/// A `crm serve` process on `database_url`; killed (SIGKILL) when dropped.
struct Crm {
    child: std::process::Child,
    url: String,
}

impl Drop for Crm {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Crm {
    async fn start(database_url: &str) -> Self {
        let bin = crm_binary();
        assert!(
            bin.exists(),
            "build the server binary first: cargo build -p server --bin crm ({})",
            bin.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new(&bin)
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("CRM_BIND", format!("127.0.0.1:{port}"))
            .env("CRM_DIST_DIR", "/nonexistent")
            .env("CRM_DEMO", "true")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let crm = Crm {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            let ready = client.get(format!("{}/readyz", crm.url)).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                return crm;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("crm serve did not start on {database_url}");
    }

    async fn admin(&self) -> String {
        let v: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/graphql", self.url))
            .json(&json!({
                "query": "mutation($p: String!) { login(input: {email: \"admin@demo.crm\", password: $p}) { token } }",
                "variables": {"p": PASSWORD},
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["data"]["login"]["token"].as_str().unwrap().to_owned()
    }
}

/// Writers creating accounts named `{prefix}-{writer}-{n}` through `crm` until `stop` or an
/// error; the names the server acknowledged are in the returned list.
fn start_writers(
    crm: &Crm,
    token: &str,
    prefix: &'static str,
    writers: usize,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> (Arc<Mutex<Vec<String>>>, Vec<tokio::task::JoinHandle<()>>) {
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let tasks = (0..writers)
        .map(|w| {
            let url = format!("{}/graphql", crm.url);
            let token = token.to_owned();
            let acknowledged = acknowledged.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                for n in 0.. {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        return;
                    }
                    let name = format!("{prefix}-{w}-{n}");
                    let answer = client
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({
                            "query": "mutation($n: String!) { createAccount(input: {name: $n}) { account { id } } }",
                            "variables": {"n": name},
                        }))
                        .send()
                        .await;
                    let Ok(answer) = answer else { return };
                    let Ok(v) = answer.json::<serde_json::Value>().await else {
                        return;
                    };
                    if v["data"]["createAccount"]["account"]["id"].is_string() {
                        acknowledged.lock().unwrap().push(name);
                    }
                }
            })
        })
        .collect();
    (acknowledged, tasks)
}

async fn wait_for_writes(acknowledged: &Mutex<Vec<String>>, at_least: usize) {
    for _ in 0..600 {
        if acknowledged.lock().unwrap().len() >= at_least {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the writers did not get {at_least} writes through");
}

/// The names of the accounts (parties) starting with `prefix` in the database at `url`, read
/// directly.
async fn names_in(url: &str, prefix: &str) -> std::collections::HashSet<String> {
    use sea_orm::{ConnectionTrait, Statement};
    let (db, _) = server::db::connect(url).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            match db.get_database_backend() {
                sea_orm::DatabaseBackend::Postgres => {
                    "SELECT group_name AS name FROM parties WHERE group_name LIKE $1"
                }
                _ => "SELECT group_name AS name FROM parties WHERE group_name LIKE ?",
            },
            [format!("{prefix}-%").into()],
        ))
        .await
        .unwrap();
    let names = rows
        .iter()
        .map(|r| r.try_get::<String>("", "name").unwrap())
        .collect();
    db.close().await.unwrap();
    names
}

/// Runs a command off the runtime's thread (the writers and servers under test run on it).
async fn run(mut command: std::process::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap()
}

fn crm_command(args: &[&str], database_url: &str) -> std::process::Command {
    let mut command = std::process::Command::new(crm_binary());
    command.args(args).env("DATABASE_URL", database_url);
    command
}

fn temp_dir() -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("crm-durability-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sqlite_url(file: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", file.display())
}

#[tokio::test]
async fn a_sqlite_backup_taken_under_write_load_restores_to_a_working_crm() {
    if engine() != Engine::Sqlite {
        return; // SQLite files only; the PostgreSQL recipe has its own test.
    }
    let dir = temp_dir();
    let live = sqlite_url(&dir.join("crm.db"));
    let crm = Crm::start(&live).await;
    let admin = crm.admin().await;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (acknowledged, writers) = start_writers(&crm, &admin, "Backup", 4, stop.clone());
    wait_for_writes(&acknowledged, 40).await;

    // The backup runs while the writers carry on.
    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let backup = dir.join("backup.db");
    let out = run(crm_command(&["backup", backup.to_str().unwrap()], &live)).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let during = acknowledged.lock().unwrap().len();
    wait_for_writes(&acknowledged, during + 20).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    assert!(during > before.len(), "writes went on during the backup");

    // A backup is never written over an existing file.
    let again = run(crm_command(&["backup", backup.to_str().unwrap()], &live)).await;
    assert!(!again.status.success());

    // Restored into a new database, it holds every write acknowledged before the backup began,
    // and nothing that was never acknowledged.
    let restored = dir.join("restored.db");
    let out = run(crm_command(
        &["restore", backup.to_str().unwrap()],
        &sqlite_url(&restored),
    ))
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names = names_in(&sqlite_url(&restored), "Backup").await;
    let all: std::collections::HashSet<String> =
        acknowledged.lock().unwrap().iter().cloned().collect();
    for name in &before {
        assert!(names.contains(name), "{name} is missing from the backup");
    }
    assert!(
        names.is_subset(&all),
        "the backup holds writes never acknowledged"
    );

    // And the CRM runs on it.
    drop(crm);
    let back = Crm::start(&sqlite_url(&restored)).await;
    let admin = back.admin().await;
    let v: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/graphql", back.url))
        .bearer_auth(&admin)
        .json(&json!({"query": "{ accounts(first: 1) { totalCount } }"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["data"]["accounts"]["totalCount"].as_i64().unwrap() >= before.len() as i64);

    // A file that is not a CRM database is refused, and the database is left alone.
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let out = run(crm_command(
        &["restore", junk.to_str().unwrap()],
        &sqlite_url(&restored),
    ))
    .await;
    assert!(!out.status.success());
    drop(back);
    assert_eq!(names_in(&sqlite_url(&restored), "Backup").await, names);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_postgresql_dump_and_restore_recipe_round_trips() {
    let app = TestApp::new().await;
    let Some(url) = app.database_url() else {
        return; // PostgreSQL only: SQLite has `crm backup`.
    };
    let admin = app.login("admin@demo.crm").await;
    for n in 0..20 {
        app.ok(
            &admin,
            "mutation($n: String!) { createAccount(input: {name: $n}) { account { id } } }",
            json!({"n": format!("Dump-{n}")}),
        )
        .await;
    }
    let dir = temp_dir();
    let dump = dir.join("crm.dump");
    // The README's recipe: pg_dump in the custom format, pg_restore into a new database.
    let out = std::process::Command::new("pg_dump")
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(&url)
        .output()
        .expect("pg_dump (PostgreSQL's client tools) must be installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copy = format!("{url}_restored");
    let name = copy.rsplit('/').next().unwrap().to_owned();
    let server = url.rsplit_once('/').unwrap().0.to_owned();
    let out = std::process::Command::new("psql")
        .arg(format!("{server}/postgres"))
        .args(["-qc", &format!("CREATE DATABASE \"{name}\"")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = std::process::Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "--dbname"])
        .arg(&copy)
        .arg(&dump)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = names_in(&copy, "Dump").await;
    assert_eq!(restored, names_in(&url, "Dump").await);
    assert_eq!(restored.len(), 20);
    // The CRM runs on the restored database.
    let crm = Crm::start(&copy).await;
    assert!(!crm.admin().await.is_empty());
    drop(crm);
    let _ = std::process::Command::new("psql")
        .arg(format!("{server}/postgres"))
        .args([
            "-qc",
            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        ])
        .output();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn no_acknowledged_write_is_lost_when_the_server_is_killed() {
    // The database: a SQLite file, or this test's PostgreSQL database.
    let dir = temp_dir();
    let pg = match engine() {
        Engine::Postgres => Some(TestApp::new().await),
        Engine::Sqlite => None,
    };
    let url = match &pg {
        Some(app) => app.database_url().unwrap(),
        None => sqlite_url(&dir.join("crm.db")),
    };
    for round in 0..3 {
        let crm = Crm::start(&url).await;
        let admin = crm.admin().await;
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let prefix: &'static str = ["Kill0", "Kill1", "Kill2"][round];
        let (acknowledged, writers) = start_writers(&crm, &admin, prefix, 8, stop);
        wait_for_writes(&acknowledged, 60).await;
        // SIGKILL in the middle of the writes.
        drop(crm);
        for w in writers {
            w.await.unwrap();
        }
        let acknowledged: Vec<String> = acknowledged.lock().unwrap().clone();
        let stored = names_in(&url, prefix).await;
        for name in &acknowledged {
            assert!(
                stored.contains(name),
                "round {round}: acknowledged {name} is lost"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
