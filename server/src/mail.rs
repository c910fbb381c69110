//! Outgoing mail, sent by the job queue: a change that mails someone [`enqueue`]s the message in
//! its own transaction, and the worker hands it to the SMTP relay (`CRM_SMTP_URL`). With no relay
//! configured (the demo), the message is written to the log instead, so a link in it can still be
//! followed.

use lettre::message::Mailbox;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::config::AppConfig;
use crate::error::{AppError, AppResult};
use crate::jobs::{self, JobKind};

/// One plain-text message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

impl Mail {
    fn payload(&self) -> Value {
        json!({"to": self.to, "subject": self.subject, "text": self.text})
    }

    fn from_payload(v: &Value) -> AppResult<Self> {
        let field = |k: &str| {
            v[k].as_str()
                .map(str::to_owned)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("mail job without a {k}")))
        };
        Ok(Self {
            to: field("to")?,
            subject: field("subject")?,
            text: field("text")?,
        })
    }
}

/// Queues `mail` in the caller's transaction: it is sent only if the change commits.
pub async fn enqueue(txn: &impl ConnectionTrait, mail: &Mail) -> AppResult<()> {
    jobs::enqueue(txn, JobKind::Mail, mail.payload(), crate::db::now()).await?;
    Ok(())
}

/// What a sent mail's job keeps: the recipient and subject, not the text (which may hold a
/// single-use link).
pub fn sent_payload(payload: &Value) -> Value {
    json!({"to": payload["to"], "subject": payload["subject"], "text": "(sent)"})
}

/// Sends a queued message (the job's handler). A refused or unreachable relay is an error: the job
/// is tried again later.
pub async fn send(config: &AppConfig, payload: &Value) -> AppResult<()> {
    let mail = Mail::from_payload(payload)?;
    let Some(relay) = &config.smtp else {
        tracing::info!(to = %mail.to, subject = %mail.subject, text = %mail.text, "mail (no SMTP relay configured)");
        return Ok(());
    };
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        AppError::internal(anyhow::anyhow!("mail {what}: {e}"))
    };
    let from: Mailbox = config
        .mail_from
        .parse()
        .map_err(|e| bad("sender (CRM_MAIL_FROM)", &e))?;
    let to: Mailbox = mail.to.parse().map_err(|e| bad("recipient", &e))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject)
        .body(mail.text)
        .map_err(|e| bad("message", &e))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.host.as_str())
        .port(relay.port)
        .hello_name(ClientId::Domain("localhost".to_owned()))
        .timeout(Some(std::time::Duration::from_secs(20)))
        .build();
    transport
        .send(message)
        .await
        .map_err(|e| bad("relay", &e))?;
    Ok(())
}
