//! DynECT Traffic Management: `Auth-Token` sessions and the `{status, data, job_id, msgs}`
//! envelope (spec `dyn.md` §1).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::credentials::Login;
use crate::engine::Connection;
use crate::envelope::{ApiMessage, Outcome, Pending, Reply};
use crate::error::{ApiError, Error, InvalidResponse, Result};
use crate::protocol::{ArgEncoding, FailureKind, Method, Protocol, RawResponse, Request};
use crate::session::Session;
use crate::token::Token;

/// The DynECT Traffic Management protocol (`https://api.dynect.net/REST/…`).
///
/// Arguments of `GET` and `DELETE` travel in the query string and those of `POST` and `PUT`
/// as JSON bodies (dyn-python sent JSON bodies even on `GET`, which proxies and other clients
/// do not expect). The token rides in the `Auth-Token` header; `API-Version: current` is sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct DynTm;

/// A Traffic Management session.
pub type TmSession = Session<DynTm>;

/// The failure text of a task lock; the task id follows in a `task_id: N` message.
const BLOCKED_BY_TASK: &str = "Operation blocked by current task";
const JOB_RUNNING: &str = "already has a job running";

#[async_trait]
impl Protocol for DynTm {
    const KIND: &'static str = "dyn-tm";

    fn base_path(&self) -> &str {
        "/REST"
    }

    fn default_api_version(&self) -> Option<&str> {
        Some("current")
    }

    fn encoding(&self, method: Method) -> ArgEncoding {
        match method {
            Method::Get | Method::Delete => ArgEncoding::Query,
            Method::Post | Method::Put => ArgEncoding::Json,
        }
    }

    fn authorize(&self, request: &mut Request, token: &Token) {
        request.push_header("Auth-Token", token.expose());
    }

    fn read(&self, response: &RawResponse) -> Result<Outcome, InvalidResponse> {
        read_envelope(response)
    }

    fn job_path(&self, job_id: u64) -> Option<String> {
        Some(format!("/REST/Job/{job_id}/"))
    }

    async fn log_in(&self, connection: &Connection<'_, Self>, login: &Login<'_>) -> Result<Token> {
        let request = Request::new(
            Method::Post,
            "/Session/",
            json!({
                "customer_name": login.customer().unwrap_or_default(),
                "user_name": login.user().unwrap_or_default(),
                "password": login.secret(),
            }),
        );
        let reply = connection.exchange(&request, None).await?;
        reply
            .data()
            .get("token")
            .and_then(Value::as_str)
            .map(Token::new)
            .ok_or_else(|| {
                Error::InvalidResponse(InvalidResponse::new(
                    reply.http_status(),
                    "log-in reply carries no token",
                    None,
                ))
            })
    }

    async fn log_out(&self, connection: &Connection<'_, Self>, token: &Token) -> Result<()> {
        let request = Request::new(Method::Delete, "/Session/", Value::Null);
        connection.exchange(&request, Some(token)).await.map(drop)
    }

    async fn keep_alive(&self, connection: &Connection<'_, Self>, token: &Token) -> Result<()> {
        let request = Request::new(Method::Put, "/Session/", Value::Null);
        connection.exchange(&request, Some(token)).await.map(drop)
    }
}

/// The TM envelope; every member optional so that a short envelope is an error, not a crash.
#[derive(Debug, Deserialize)]
struct Envelope {
    status: Option<String>,
    #[serde(default)]
    data: Value,
    #[serde(default)]
    job_id: Option<Value>,
    #[serde(default)]
    msgs: Option<Vec<ApiMessage>>,
}

/// Reads a TM response (see [`Protocol::read`]).
///
/// # Errors
/// [`InvalidResponse`] for an empty, non-JSON or status-less body.
pub fn read_envelope(response: &RawResponse) -> Result<Outcome, InvalidResponse> {
    let http = response.status();
    let body = response.body();
    if http == 307 && body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Outcome::Pending(Pending {
            job_id: None,
            location: response.location().map(str::to_owned),
        }));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        if http == 429 {
            let kind = FailureKind::RateLimited {
                retry_after: response.retry_after(),
            };
            return Ok(Outcome::Failed(ApiError::new(http, "failure", kind)));
        }
        return Err(InvalidResponse::new(http, "empty response body", None));
    }
    let envelope: Envelope = serde_json::from_slice(body).map_err(|error| {
        InvalidResponse::new(http, "response is not a json envelope", Some(error))
    })?;
    let job_id = envelope.job_id.as_ref().and_then(job_id_of);
    let messages = envelope.msgs.unwrap_or_default();
    if http == 307 {
        return Ok(Outcome::Pending(Pending {
            job_id,
            location: response.location().map(str::to_owned),
        }));
    }
    let Some(status) = envelope.status else {
        return Err(InvalidResponse::new(http, "envelope has no status", None));
    };
    match status.as_str() {
        "success" => Ok(Outcome::Done(
            Reply::new(http, envelope.data)
                .with_job_id(job_id)
                .with_messages(messages),
        )),
        "incomplete" => Ok(Outcome::Pending(Pending {
            job_id,
            location: response.location().map(str::to_owned),
        })),
        // `running` is both "your job is still running" and the job-collision answer.
        "running" if !mentions(&messages, JOB_RUNNING) => Ok(Outcome::Pending(Pending {
            job_id,
            location: response.location().map(str::to_owned),
        })),
        _ => {
            let kind = classify(http, &status, &messages, response.retry_after());
            Ok(Outcome::Failed(
                ApiError::new(http, status, kind)
                    .with_job_id(job_id)
                    .with_messages(messages),
            ))
        }
    }
}

/// Classifies a TM failure from its HTTP status, envelope status and messages.
pub fn classify(
    http_status: u16,
    status: &str,
    messages: &[ApiMessage],
    retry_after: Option<std::time::Duration>,
) -> FailureKind {
    let has_code = |code: &str| messages.iter().any(|message| message.code() == Some(code));
    if http_status == 429 || has_code("RATE_LIMIT_EXCEEDED") {
        return FailureKind::RateLimited { retry_after };
    }
    if mentions(messages, BLOCKED_BY_TASK) {
        return FailureKind::BlockedByTask {
            task_id: messages
                .iter()
                .filter_map(ApiMessage::info)
                .find_map(task_id_of),
        };
    }
    if status == "running" || mentions(messages, JOB_RUNNING) {
        return FailureKind::JobRunning;
    }
    let login_messages = || {
        messages
            .iter()
            .filter_map(ApiMessage::info)
            .filter(|info| info.starts_with("login:"))
    };
    if login_messages().any(|info| {
        info.contains("Bad or expired credentials") || info.contains("IP address does not match")
    }) {
        return FailureKind::TokenExpired;
    }
    if login_messages().next().is_some() {
        return FailureKind::AuthenticationFailed;
    }
    if http_status == 404 || has_code("NOT_FOUND") {
        return FailureKind::NotFound;
    }
    if has_code("TARGET_EXISTS") {
        return FailureKind::AlreadyExists;
    }
    if ["INVALID_DATA", "MISSING_DATA", "INVALID_REQUEST"]
        .iter()
        .any(|code| has_code(code))
    {
        return FailureKind::Validation;
    }
    FailureKind::Other
}

fn mentions(messages: &[ApiMessage], text: &str) -> bool {
    messages
        .iter()
        .filter_map(ApiMessage::info)
        .any(|info| info.contains(text))
}

/// The id of an INFO that reads exactly `task_id: <digits>`.
fn task_id_of(info: &str) -> Option<u64> {
    let digits = info.trim().strip_prefix("task_id:")?.trim();
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn job_id_of(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
