//! `crm`: serve the CRM, migrate, seed, print the schema, create users.
// The schema's root types nest deep enough in an optimised build to need more than the default 128.
#![recursion_limit = "256"]

use clap::{Parser, Subcommand};
use server::config::{AppConfig, DbConfig, LogFormat, ServeConfig};
use server::{db, seed, AppState};

#[derive(Parser)]
#[command(
    name = "crm",
    version,
    about = "An open-source CRM: GraphQL API and web app in one binary"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Log format.
    #[arg(
        long,
        env = "CRM_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    log_format: LogFormat,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web app (the default); applies pending migrations first.
    Serve {
        #[command(flatten)]
        db: DbConfig,
        #[command(flatten)]
        serve: ServeConfig,
    },
    /// Apply pending migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbConfig,
    },
    /// Seed the demo company into an empty database; with --scale N, add N parties (and N/10
    /// opportunities) for benchmarks.
    Seed {
        #[command(flatten)]
        db: DbConfig,
        /// Add this many generated parties (with contact mechanisms and relationships).
        #[arg(long)]
        scale: Option<u64>,
        /// Add this many open opportunities (plus won and lost ones) with stage histories
        /// (default with --scale: a tenth of N).
        #[arg(long)]
        opportunities: Option<u64>,
        /// Add this many generated leads (default with --scale: a tenth of N).
        #[arg(long)]
        leads: Option<u64>,
    },
    /// Run a benchmark scenario against the seeded database and print latency percentiles.
    Bench {
        #[command(flatten)]
        db: DbConfig,
        /// Scenario: search-name, search-code, search-area, profile, accounts, board, board-filtered,
        /// timeline, node, leads, leads-search, forecast-*, report-*, quote-save (a quote of 200
        /// lines), quote-pdf (its PDF), invoice-issue (iterations invoices issued from 8 concurrent
        /// clients; numbers checked unique and gap-free), ledger (ageing and balance over at least
        /// 1M invoice lines, generated when missing), fanout (100 subscribers, one move per
        /// iteration), or all.
        scenario: String,
        /// Requests to time.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// The user the requests run as.
        #[arg(long, default_value = "manager@demo.crm")]
        user: String,
    },
    /// Copy a SQLite database to a new file while the CRM runs: one consistent snapshot, writers
    /// carry on. (PostgreSQL: pg_dump, see the README.)
    Backup {
        #[command(flatten)]
        db: DbConfig,
        /// The file to write; it must not exist.
        output: std::path::PathBuf,
    },
    /// Replace a SQLite database with a backup, after checking the backup (stop the CRM first).
    /// (PostgreSQL: pg_restore, see the README.)
    Restore {
        #[command(flatten)]
        db: DbConfig,
        /// The backup file.
        input: std::path::PathBuf,
    },
    /// Print the GraphQL schema (SDL), as committed in schema.graphql.
    PrintSchema,
    /// Print the permission matrix of a freshly migrated database, as committed in
    /// docs/PERMISSIONS.md.
    PrintPermissions,
    /// Create a user.
    CreateUser {
        #[command(flatten)]
        db: DbConfig,
        /// Sign-in e-mail.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Role key: admin, sales_manager, sales_rep, marketing, support_agent, partner, customer, read_only.
        #[arg(long)]
        role: String,
        /// Password (at least 8 characters); read from CRM_PASSWORD when not given.
        #[arg(long, env = "CRM_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Parser)]
struct ServeDefaults {
    #[command(flatten)]
    db: DbConfig,
    #[command(flatten)]
    serve: ServeConfig,
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CRM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    if let Err(e) = run(cli.command).await {
        eprintln!("crm: {e:#}");
        std::process::exit(1);
    }
}

async fn open(
    cfg: &DbConfig,
) -> anyhow::Result<(
    sea_orm::DatabaseConnection,
    std::sync::Arc<db::StatementCounter>,
)> {
    let (conn, counter) = db::connect(&cfg.database_url).await?;
    db::migrate(&conn).await?;
    Ok((conn, counter))
}

async fn run(command: Option<Command>) -> anyhow::Result<()> {
    let command = match command {
        Some(c) => c,
        None => {
            let d = ServeDefaults::parse_from(["crm"]);
            Command::Serve {
                db: d.db,
                serve: d.serve,
            }
        }
    };
    match command {
        Command::Serve { db: dbc, serve } => serve_cmd(dbc, serve).await,
        Command::Migrate { db: dbc } => {
            open(&dbc).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed {
            db: dbc,
            scale,
            opportunities,
            leads,
        } => {
            let (conn, _) = open(&dbc).await?;
            if seed::seed_demo(&conn).await.map_err(app_err)? {
                println!("demo company seeded");
                print_logins();
            } else if scale.is_none() && opportunities.is_none() && leads.is_none() {
                println!("the database already has users; nothing seeded");
            }
            if let Some(n) = scale {
                println!(
                    "{}",
                    seed::scale::seed_scale(&conn, n).await.map_err(app_err)?
                );
            }
            // Bulk parties come with a tenth as many open opportunities, unless told otherwise.
            if let Some(n) = opportunities.or(scale.map(|n| n / 10)).filter(|n| *n > 0) {
                println!(
                    "{}",
                    seed::pipeline::seed_opportunities(&conn, n)
                        .await
                        .map_err(app_err)?
                );
            }
            if let Some(n) = leads.or(scale.map(|n| n / 10)).filter(|n| *n > 0) {
                println!(
                    "{}",
                    seed::leads::seed_leads(&conn, n).await.map_err(app_err)?
                );
            }
            Ok(())
        }
        Command::Bench {
            db: dbc,
            scenario,
            iterations,
            user,
        } => {
            let (conn, counter) = open(&dbc).await?;
            let state = AppState::new(conn, counter, AppConfig::default());
            let list: Vec<String> = if scenario == "all" {
                server::bench::SCENARIOS
                    .iter()
                    .map(|s| s.name.to_string())
                    .collect()
            } else {
                vec![scenario]
            };
            println!(
                "engine {}, user {user}",
                state.db.get_database_backend().as_str()
            );
            for name in list {
                if name == "fanout" {
                    println!("{}", server::bench::fanout(&state, 100, iterations).await?);
                    continue;
                }
                if name == "invoice-issue" {
                    println!(
                        "{}",
                        server::bench::billing::invoice_issue(&state, iterations, 8, &user).await?
                    );
                    continue;
                }
                if name == "ledger" {
                    println!(
                        "{}",
                        server::bench::billing::ledger(&state, iterations, 1_000_000, &user)
                            .await?
                    );
                    continue;
                }
                if name == "quote-pdf" {
                    println!(
                        "{}",
                        server::bench::quote_pdf(&state, iterations, &user).await?
                    );
                    continue;
                }
                println!(
                    "{}",
                    server::bench::run(&state, &name, iterations, &user).await?
                );
            }
            Ok(())
        }
        Command::Backup { db: dbc, output } => {
            if let Some(file) = db::sqlite_file_path(&dbc.database_url) {
                anyhow::ensure!(
                    std::path::Path::new(&file).is_file(),
                    "no database at {file} (DATABASE_URL)"
                );
            }
            let (conn, _) = db::connect(&dbc.database_url).await?;
            db::refuse_newer_schema(&conn).await?;
            server::backup::backup(&conn, &output).await?;
            println!("backed up to {}", output.display());
            Ok(())
        }
        Command::Restore { db: dbc, input } => {
            let target = server::backup::restore(&dbc.database_url, &input).await?;
            println!("restored {} from {}", target.display(), input.display());
            Ok(())
        }
        Command::PrintSchema => {
            print!("{}", server::schema_sdl());
            Ok(())
        }
        Command::PrintPermissions => {
            let (conn, _) = server::db::connect("sqlite::memory:").await?;
            server::db::migrate(&conn).await?;
            print!(
                "{}",
                server::policy::matrix::render(&conn)
                    .await
                    .map_err(app_err)?
            );
            Ok(())
        }
        Command::CreateUser {
            db: dbc,
            email,
            name,
            role,
            password,
        } => {
            let (conn, _) = open(&dbc).await?;
            let hash = server::domain::users::service::hash_new_password(&password)
                .await
                .map_err(app_err)?;
            let u = server::domain::users::service::create_user(&conn, &email, &name, &role, hash)
                .await
                .map_err(app_err)?;
            println!("created user {} with role {role}", u.email);
            Ok(())
        }
    }
}

fn app_err(e: server::error::AppError) -> anyhow::Error {
    match e {
        server::error::AppError::Internal(cause) => anyhow::anyhow!("{cause:#}"),
        other => anyhow::anyhow!(other.message()),
    }
}

fn print_logins() {
    println!("demo logins (password {}):", seed::DEMO_PASSWORD);
    for (email, _, role) in seed::DEMO_USERS {
        println!("  {email:<22} {role}");
    }
}

async fn serve_cmd(dbc: DbConfig, serve: ServeConfig) -> anyhow::Result<()> {
    let (conn, counter) = open(&dbc).await?;
    if serve.demo && seed::seed_demo(&conn).await.map_err(app_err)? {
        tracing::info!("demo company seeded");
    }
    if !serve.dist_dir.join("index.html").exists() {
        tracing::warn!(dist = %serve.dist_dir.display(), "the web app is not built; only the API is served");
    }
    let state = AppState::new(conn, counter, AppConfig::from(&serve));
    server::jobs::spawn_worker(state.clone(), std::time::Duration::from_secs(30));
    let app = server::build_app(state);
    let listener = tokio::net::TcpListener::bind(serve.bind)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {} (CRM_BIND): {e}", serve.bind))?;
    println!();
    println!("CRM is running at http://{}/", serve.bind);
    println!("GraphQL API: http://{}/graphql", serve.bind);
    if serve.demo {
        print_logins();
        println!(
            "demo web-to-lead form (no sign-in): http://{}/public/forms/contact-us",
            serve.bind
        );
    }
    println!("Press Ctrl+C to stop.");
    server::http::serve::serve(listener, app, shutdown_signal()).await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
