//! The test harness: an in-process server on a fresh database per test, and GraphQL helpers.
//!
//! The engine comes from `CRM_TEST_DB` (`sqlite`, the default, or `postgres`); PostgreSQL tests use
//! `CRM_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432`) and create, then drop, one
//! database per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod smtp;
pub mod webdriver;

use std::sync::Arc;

use serde_json::{json, Value};
use server::config::AppConfig;
use server::AppState;

/// The database engine under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The engine selected by `CRM_TEST_DB`.
pub fn engine() -> Engine {
    match std::env::var("CRM_TEST_DB").as_deref() {
        Ok("postgres") | Ok("pg") | Ok("postgresql") => Engine::Postgres,
        _ => Engine::Sqlite,
    }
}

fn pg_base() -> String {
    std::env::var("CRM_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// Drops a PostgreSQL test database when the test ends.
struct PgGuard {
    name: String,
}

/// What a test app's database leaves behind, removed when the app is dropped.
enum DbGuard {
    Pg(PgGuard),
    File(std::path::PathBuf),
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let DbGuard::File(path) = self {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

impl Drop for PgGuard {
    fn drop(&mut self) {
        let name = self.name.clone();
        // A fresh runtime on its own thread: Drop can't await, and the test's runtime may be gone.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(admin) =
                    sea_orm::Database::connect(format!("{}/postgres", pg_base())).await
                {
                    use sea_orm::ConnectionTrait;
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

/// The `crm` binary of this build (next to the test binary's `deps/` folder).
pub fn crm_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    dir.join("crm")
}

/// A running CRM on a fresh, migrated database seeded with the demo company.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    pub state: AppState,
    pub client: reqwest::Client,
    _pg: Option<DbGuard>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The demo users' password.
pub const PASSWORD: &str = server::seed::DEMO_PASSWORD;

/// Prints the server's errors (and more with `CRM_TEST_LOG`, e.g. `info`) into the output of
/// the test that caused them, so an "internal error" seen by a client names its cause.
fn log_errors() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let filter = std::env::var("CRM_TEST_LOG").unwrap_or_else(|_| "error".to_owned());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    });
}

impl TestApp {
    /// A new app on a fresh database, with the demo company and the SPA from `dist/` if built.
    pub async fn new() -> Self {
        Self::with_config(AppConfig::default()).await
    }

    /// A new app with a given configuration.
    pub async fn with_config(mut config: AppConfig) -> Self {
        log_errors();
        let (url, pg) = match engine() {
            // A real file per app (removed when the app is dropped), as the CRM runs: an
            // in-memory database lives only as long as its one connection.
            Engine::Sqlite => {
                let path = std::env::temp_dir()
                    .join(format!("crm-test-{}.sqlite", uuid::Uuid::new_v4().simple()));
                let url = format!("sqlite://{}?mode=rwc", path.display());
                (url, Some(DbGuard::File(path)))
            }
            Engine::Postgres => {
                let name = format!("crm_test_{}", uuid::Uuid::new_v4().simple());
                let admin = sea_orm::Database::connect(format!("{}/postgres", pg_base()))
                    .await
                    .expect("PostgreSQL must run for CRM_TEST_DB=postgres (CRM_TEST_PG_URL)");
                use sea_orm::ConnectionTrait;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .unwrap();
                admin.close().await.unwrap();
                (
                    format!("{}/{name}", pg_base()),
                    Some(DbGuard::Pg(PgGuard { name })),
                )
            }
        };
        let (db, counter) = server::db::connect(&url).await.unwrap();
        server::db::migrate(&db).await.unwrap();
        server::seed::seed_demo(&db).await.unwrap();
        if config.dist_dir == std::path::Path::new("dist") {
            config.dist_dir = workspace_root().join("dist");
        }
        let state = AppState::new(db, counter, config);
        let app = server::build_app(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            server::http::serve::serve(listener, app, std::future::pending()).await;
        });
        TestApp {
            url: format!("http://{addr}"),
            state,
            client: reqwest::Client::new(),
            _pg: pg,
            server,
        }
    }

    /// The PostgreSQL URL of this app's database (`None` on SQLite), for a second server process
    /// on the same database.
    pub fn database_url(&self) -> Option<String> {
        match &self._pg {
            Some(DbGuard::Pg(g)) => Some(format!("{}/{}", pg_base(), g.name)),
            _ => None,
        }
    }

    /// SQL statements executed so far.
    pub fn statements(&self) -> u64 {
        self.state.statements.get()
    }

    /// Posts a raw body to `/graphql`; returns the status and the body as JSON (or a string).
    pub async fn post_raw(&self, token: Option<&str>, body: Vec<u8>) -> (u16, Value) {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.url))
            .header("content-type", "application/json")
            .body(body);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// Runs a GraphQL operation; asserts HTTP 200 and returns the whole response.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = serde_json::to_vec(&json!({"query": query, "variables": variables})).unwrap();
        let (status, value) = self.post_raw(token, body).await;
        assert_eq!(status, 200, "unexpected HTTP status, body: {value}");
        value
    }

    /// Runs an operation that must succeed without errors; returns `data`.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let v = self.gql(Some(token), query, variables).await;
        assert!(v.get("errors").is_none(), "unexpected errors: {v}");
        v["data"].clone()
    }

    /// Signs in a demo user (by e-mail) and returns the token.
    pub async fn login(&self, email: &str) -> String {
        let v = self
            .gql(
                None,
                "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }",
                json!({"e": email, "p": PASSWORD}),
            )
            .await;
        v["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login of {email} failed: {v}"))
            .to_string()
    }

    /// Adds a value labelled `label` to the pick-list `list` (`PARTY_ROLE`, …) as the caller of
    /// `token`; answers `{ id key label }`.
    pub async fn add_picklist_value(&self, token: &str, list: &str, label: &str) -> Value {
        self.ok(
            token,
            "mutation($l: PicklistKey!, $label: String!) { addPicklistValue(list: $l, label: $label) { id key label } }",
            json!({"l": list, "label": label}),
        )
        .await["addPicklistValue"]
            .clone()
    }

    /// The keys of the live values of the pick-list `list`, in order.
    pub async fn picklist_keys(&self, token: &str, list: &str) -> Vec<String> {
        let d = self
            .ok(token, "{ picklists { key values { key } } }", json!({}))
            .await;
        d["picklists"]
            .as_array()
            .and_then(|lists| lists.iter().find(|l| l["key"] == list))
            .and_then(|l| l["values"].as_array())
            .unwrap_or_else(|| panic!("no pick-list {list}: {d}"))
            .iter()
            .filter_map(|v| v["key"].as_str().map(str::to_owned))
            .collect()
    }

    /// The global id of the user with `email`, as the caller of `token` sees the users
    /// (deactivated and invited ones included).
    pub async fn user_id(&self, token: &str, email: &str) -> String {
        let d = self
            .ok(
                token,
                "{ users(first: 100, includeInactive: true) { nodes { id email } } }",
                json!({}),
            )
            .await;
        d["users"]["nodes"]
            .as_array()
            .and_then(|users| users.iter().find(|u| u["email"] == email))
            .and_then(|u| u["id"].as_str())
            .unwrap_or_else(|| panic!("no user {email}"))
            .to_owned()
    }

    /// Counts rows of a table directly.
    pub async fn count_rows(&self, table: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = self.state.db.get_database_backend();
        let row = self
            .state
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }
}

/// The error codes of a response, in order.
pub fn codes(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The field paths of the first error's validation messages (`extensions.fields`).
pub fn fields(v: &Value) -> Vec<String> {
    v["errors"][0]["extensions"]["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The workspace root (for `schema.graphql` and `dist/`): from the `CARGO_MANIFEST_DIR` that
/// `cargo test` sets when it runs the tests, else the one this crate was compiled in. (Two clones
/// sharing one `CARGO_TARGET_DIR` can share this crate's build, and with it the other clone's
/// compile-time path.)
pub fn workspace_root() -> std::path::PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().unwrap().to_path_buf()
}

/// Shared handle type for apps used across tasks.
pub type SharedApp = Arc<TestApp>;
