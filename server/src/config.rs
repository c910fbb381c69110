//! Typed configuration, read once at start-up from flags and environment variables.
//!
//! Every setting has a flag and an environment variable (`CRM_*`, or `DATABASE_URL`); an invalid value
//! stops the program with a message that names the variable.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Output format of the logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Settings shared by every command that opens the database.
#[derive(Debug, Clone, clap::Args)]
pub struct DbConfig {
    /// Database URL: `sqlite://path?mode=rwc` (default) or `postgres://user@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/crm.sqlite?mode=rwc",
        value_parser = parse_database_url
    )]
    pub database_url: String,
}

/// Settings of the HTTP server.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeConfig {
    /// Address and port to listen on.
    #[arg(long, env = "CRM_BIND", default_value = "127.0.0.1:8080", value_parser = parse_bind)]
    pub bind: SocketAddr,
    /// Folder of the built single-page app (Trunk's `dist`).
    #[arg(long, env = "CRM_DIST_DIR", default_value = "dist")]
    pub dist_dir: PathBuf,
    /// Serve GraphiQL on `GET /graphql` and let anonymous callers introspect the schema
    /// (signed-in callers always may).
    #[arg(long, env = "CRM_GRAPHIQL", default_value_t = false, action = clap::ArgAction::Set, value_parser = parse_bool_graphiql)]
    pub graphiql: bool,
    /// Lifetime of a session token, in hours.
    #[arg(long, env = "CRM_SESSION_TTL_HOURS", default_value_t = 12, value_parser = parse_ttl)]
    pub session_ttl_hours: i64,
    /// Origins allowed by CORS (comma-separated); empty means same-origin only.
    #[arg(
        long,
        env = "CRM_CORS_ORIGINS",
        default_value = "",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// Seed the demo company when the database has no users yet, and print the demo logins.
    #[arg(long, env = "CRM_DEMO", default_value_t = false)]
    pub demo: bool,
    /// Web-to-lead posts accepted per client IP and minute.
    #[arg(long, env = "CRM_FORM_RATE_PER_MINUTE", default_value_t = 5, value_parser = parse_rate)]
    pub form_rate_per_minute: u32,
    /// GraphQL requests of one caller (user, else address) that run at once; more wait their turn.
    #[arg(long, env = "CRM_REQUESTS_PER_CALLER", default_value_t = 8, value_parser = parse_per_caller)]
    pub requests_per_caller: u32,
    /// The CRM is reached over HTTPS only (behind a TLS proxy): tell browsers so (HSTS).
    #[arg(long, env = "CRM_HSTS", default_value_t = false, action = clap::ArgAction::Set, value_parser = parse_bool_hsts)]
    pub hsts: bool,
    /// The SMTP relay mail is sent through, `smtp://host:port` (plain SMTP, e.g. a local relay);
    /// unset: mail is written to the log instead of being sent.
    #[arg(long, env = "CRM_SMTP_URL", value_parser = parse_smtp)]
    pub smtp_url: Option<SmtpRelay>,
    /// The sender of the CRM's mail.
    #[arg(long, env = "CRM_MAIL_FROM", default_value = "CRM <crm@localhost>")]
    pub mail_from: String,
    /// The address users reach the CRM at, for the links in its mail (default: `http://` and the
    /// bind address).
    #[arg(long, env = "CRM_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,
}

/// An SMTP relay's host and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpRelay {
    pub host: String,
    pub port: u16,
}

/// Everything the running application needs, once parsed.
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub graphiql: bool,
    pub session_ttl_hours: i64,
    pub dist_dir: PathBuf,
    pub cors_origins: Vec<String>,
    /// Web-to-lead posts accepted per client IP and minute.
    pub form_rate_per_minute: u32,
    /// Send `Strict-Transport-Security` (the CRM is reached over HTTPS only).
    pub hsts: bool,
    /// GraphQL requests of one caller that run at once.
    pub requests_per_caller: u32,
    /// How long a caller's further request waits for a turn before `RATE_LIMITED`.
    pub caller_wait: std::time::Duration,
    /// Where mail goes (`None`: into the log).
    pub smtp: Option<SmtpRelay>,
    /// The sender of the CRM's mail.
    pub mail_from: String,
    /// The CRM's address for links in mail, without a trailing `/`.
    pub public_url: String,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            graphiql: false,
            session_ttl_hours: 12,
            dist_dir: PathBuf::from("dist"),
            cors_origins: Vec::new(),
            form_rate_per_minute: 5,
            hsts: false,
            requests_per_caller: 8,
            caller_wait: std::time::Duration::from_secs(5),
            smtp: None,
            mail_from: "CRM <crm@localhost>".to_owned(),
            public_url: "http://127.0.0.1:8080".to_owned(),
        }
    }
}

impl From<&ServeConfig> for AppConfig {
    fn from(c: &ServeConfig) -> Self {
        Self {
            graphiql: c.graphiql,
            session_ttl_hours: c.session_ttl_hours,
            dist_dir: c.dist_dir.clone(),
            cors_origins: c
                .cors_origins
                .iter()
                .filter(|o| !o.is_empty())
                .cloned()
                .collect(),
            form_rate_per_minute: c.form_rate_per_minute,
            hsts: c.hsts,
            requests_per_caller: c.requests_per_caller,
            smtp: c.smtp_url.clone(),
            mail_from: c.mail_from.clone(),
            public_url: c
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", c.bind)),
            ..Self::default()
        }
    }
}

fn parse_smtp(v: &str) -> Result<SmtpRelay, String> {
    let bad = || format!("CRM_SMTP_URL must look like smtp://host:port, not {v:?}");
    let rest = v.strip_prefix("smtp://").ok_or_else(bad)?;
    let rest = rest.trim_end_matches('/');
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad())?),
        None => (rest, 25),
    };
    if host.is_empty() || port == 0 || host.contains(['/', '@', ' ']) {
        return Err(bad());
    }
    Ok(SmtpRelay {
        host: host.to_owned(),
        port,
    })
}

fn parse_public_url(v: &str) -> Result<String, String> {
    let t = v.trim_end_matches('/');
    if (t.starts_with("http://") || t.starts_with("https://")) && !t.contains(char::is_whitespace) {
        Ok(t.to_owned())
    } else {
        Err(format!(
            "CRM_PUBLIC_URL must be an http:// or https:// address, not {v:?}"
        ))
    }
}

fn parse_database_url(v: &str) -> Result<String, String> {
    if v.starts_with("sqlite:") || v.starts_with("postgres://") || v.starts_with("postgresql://") {
        Ok(v.to_string())
    } else {
        Err("DATABASE_URL must start with sqlite: or postgres://".to_string())
    }
}

fn parse_bind(v: &str) -> Result<SocketAddr, String> {
    v.parse().map_err(|_| {
        format!("CRM_BIND must be an address and port such as 127.0.0.1:8080, not {v:?}")
    })
}

fn parse_bool_hsts(v: &str) -> Result<bool, String> {
    match v {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!("CRM_HSTS must be true or false, not {v:?}")),
    }
}

fn parse_bool_graphiql(v: &str) -> Result<bool, String> {
    match v {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("CRM_GRAPHIQL must be true or false, not {v:?}")),
    }
}

fn parse_ttl(v: &str) -> Result<i64, String> {
    match v.parse::<i64>() {
        Ok(h) if (1..=24 * 90).contains(&h) => Ok(h),
        _ => Err(format!(
            "CRM_SESSION_TTL_HOURS must be a whole number of hours between 1 and 2160, not {v:?}"
        )),
    }
}

fn parse_per_caller(v: &str) -> Result<u32, String> {
    match v.parse::<u32>() {
        Ok(n) if (1..=1_000).contains(&n) => Ok(n),
        _ => Err(format!(
            "CRM_REQUESTS_PER_CALLER must be a whole number between 1 and 1000, not {v:?}"
        )),
    }
}

fn parse_rate(v: &str) -> Result<u32, String> {
    match v.parse::<u32>() {
        Ok(n) if (1..=10_000).contains(&n) => Ok(n),
        _ => Err(format!(
            "CRM_FORM_RATE_PER_MINUTE must be a whole number between 1 and 10000, not {v:?}"
        )),
    }
}
