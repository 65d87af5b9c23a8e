//! DynECT Message Management: an `apikey` parameter on every call and the
//! `{"response": {"status", "message", "data"}}` envelope (spec `dyn.md` §3).

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::Value;

use crate::credentials::Login;
use crate::engine::Connection;
use crate::envelope::{ApiMessage, Outcome, Reply};
use crate::error::{ApiError, InvalidResponse, Result};
use crate::protocol::{ArgEncoding, FailureKind, Method, Protocol, RawResponse, Request};
use crate::session::Session;
use crate::token::Token;

/// The DynECT Message Management (email) protocol (`https://emailapi.dynect.net/rest/json/…`).
///
/// There is no log-in: the API key rides on every call, in the query string of `GET`s and in
/// the form body of `POST`s. Arrays repeat their parameter name, so a list of recipients is
/// sent as the API documents it (dyn-python sent Python list reprs).
#[derive(Debug, Clone, Copy, Default)]
pub struct DynMm;

/// A Message Management session.
pub type MmSession = Session<DynMm>;

#[async_trait]
impl Protocol for DynMm {
    const KIND: &'static str = "dyn-mm";

    fn base_path(&self) -> &str {
        "/rest/json"
    }

    fn encoding(&self, method: Method) -> ArgEncoding {
        match method {
            Method::Get | Method::Delete => ArgEncoding::Query,
            Method::Post | Method::Put => ArgEncoding::Form,
        }
    }

    fn authorize(&self, request: &mut Request, token: &Token) {
        match self.encoding(request.method()) {
            ArgEncoding::Form => {
                if !request.args().is_object() {
                    *request.args_mut() = Value::Object(serde_json::Map::new());
                }
                if let Value::Object(args) = request.args_mut() {
                    args.insert(
                        "apikey".to_owned(),
                        Value::String(token.expose().to_owned()),
                    );
                }
            }
            _ => request.push_query("apikey", token.expose()),
        }
    }

    fn read(&self, response: &RawResponse) -> Result<Outcome, InvalidResponse> {
        read_envelope(response)
    }

    async fn log_in(&self, _connection: &Connection<'_, Self>, login: &Login<'_>) -> Result<Token> {
        // The key is checked by the first real call (451 when it is wrong).
        Ok(Token::new(login.secret()))
    }

    async fn log_out(&self, _connection: &Connection<'_, Self>, _token: &Token) -> Result<()> {
        Ok(())
    }

    async fn keep_alive(&self, _connection: &Connection<'_, Self>, _token: &Token) -> Result<()> {
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
struct Envelope {
    response: Option<Inner>,
}

#[derive(Debug, Deserialize)]
struct Inner {
    status: Option<Value>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    data: Value,
}

/// Reads an MM response (see [`Protocol::read`]).
///
/// # Errors
/// [`InvalidResponse`] for an empty, non-JSON or status-less body.
pub fn read_envelope(response: &RawResponse) -> Result<Outcome, InvalidResponse> {
    let http = response.status();
    let body = response.body();
    if body.iter().all(u8::is_ascii_whitespace) {
        if http == 429 {
            let kind = FailureKind::RateLimited {
                retry_after: response.retry_after(),
            };
            return Ok(Outcome::Failed(ApiError::new(http, http.to_string(), kind)));
        }
        return Err(InvalidResponse::new(http, "empty response body", None));
    }
    let envelope: Envelope = serde_json::from_slice(body).map_err(|error| {
        InvalidResponse::new(http, "response is not a json envelope", Some(error))
    })?;
    let inner = envelope
        .response
        .ok_or_else(|| InvalidResponse::new(http, "envelope has no response member", None))?;
    let status = match inner.status {
        Some(Value::Number(number)) => number.as_u64(),
        Some(Value::String(text)) => text.trim().parse().ok(),
        _ => None,
    }
    .and_then(|status| u16::try_from(status).ok())
    .ok_or_else(|| InvalidResponse::new(http, "envelope has no numeric status", None))?;
    let messages: Vec<ApiMessage> = inner
        .message
        .map(|message| ApiMessage::from_info(message).with_code(status.to_string()))
        .into_iter()
        .collect();
    if status == 200 {
        return Ok(Outcome::Done(
            Reply::new(http, inner.data).with_messages(messages),
        ));
    }
    let kind = match status {
        451 => FailureKind::AuthenticationFailed,
        452 => FailureKind::Validation,
        453 => FailureKind::AlreadyExists,
        404 => FailureKind::NotFound,
        429 => FailureKind::RateLimited {
            retry_after: response.retry_after(),
        },
        _ => FailureKind::Other,
    };
    Ok(Outcome::Failed(
        ApiError::new(http, status.to_string(), kind).with_messages(messages),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn ok_envelope_returns_data() {
        let body = r#"{"response":{"status":200,"message":"OK","data":{"count":42}}}"#;
        let Outcome::Done(reply) = read_envelope(&RawResponse::new(200, body)).unwrap() else {
            panic!("expected success");
        };
        assert_eq!(reply.data(), &json!({"count": 42}));
    }

    #[test]
    fn error_statuses_are_classified() {
        for (status, kind) in [
            (451, FailureKind::AuthenticationFailed),
            (452, FailureKind::Validation),
            (453, FailureKind::AlreadyExists),
            (404, FailureKind::NotFound),
            (503, FailureKind::Other),
        ] {
            let body =
                format!(r#"{{"response":{{"status":{status},"message":"nope","data":{{}}}}}}"#);
            let Outcome::Failed(error) = read_envelope(&RawResponse::new(status, body)).unwrap()
            else {
                panic!("expected failure for {status}");
            };
            assert_eq!(error.kind(), kind);
            assert_eq!(error.messages()[0].info(), Some("nope"));
        }
        assert!(read_envelope(&RawResponse::new(200, r#"{"status":"success"}"#)).is_err());
    }

    #[test]
    fn api_key_rides_in_query_or_form() {
        let token = Token::new("my-api-key");
        let mut get = Request::new(Method::Get, "/reports/sent", json!({"starttime": "x"}));
        DynMm.authorize(&mut get, &token);
        assert_eq!(get.query, [("apikey".to_owned(), "my-api-key".to_owned())]);
        let mut post = Request::new(Method::Post, "/send", Value::Null);
        DynMm.authorize(&mut post, &token);
        assert_eq!(post.args(), &json!({"apikey": "my-api-key"}));
    }
}
