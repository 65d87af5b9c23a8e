//! The request log that tests read: what each client sent and what it got back.

use std::net::SocketAddr;

use serde::Serialize;
use serde_json::Value;

/// Keys whose values are masked in the redacted view of the log.
const SECRET_KEYS: &[&str] = &["password", "secret", "apikey", "token", "auth-token"];
const MASK: &str = "*****";

/// One request as the simulator received and answered it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// Position in the log, from 1.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Request path, without the query string.
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Headers in arrival order (names lower-case).
    pub headers: Vec<(String, String)>,
    /// Request body as text (lossy UTF-8).
    pub body: String,
    /// Peer address.
    pub client: SocketAddr,
    /// HTTP status of the answer.
    pub status: u16,
    /// Answer body as text.
    pub response: String,
    /// Time spent serving it, in microseconds.
    pub elapsed_micros: u64,
}

impl LoggedRequest {
    /// The value of a request header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request body parsed as JSON, if it is JSON.
    pub fn json_body(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The response body parsed as JSON, if it is JSON.
    pub fn json_response(&self) -> Option<Value> {
        serde_json::from_str(&self.response).ok()
    }

    /// A copy with passwords, secrets, API keys and tokens masked.
    pub(crate) fn redacted(&self) -> Self {
        let mut copy = self.clone();
        for (name, value) in &mut copy.headers {
            if is_secret(name) {
                MASK.clone_into(value);
            }
        }
        copy.query = copy.query.as_deref().map(redact_form);
        copy.body = redact_text(&copy.body);
        copy.response = redact_text(&copy.response);
        copy
    }
}

fn is_secret(key: &str) -> bool {
    SECRET_KEYS.iter().any(|s| s.eq_ignore_ascii_case(key))
}

fn redact_text(text: &str) -> String {
    if let Ok(mut value) = serde_json::from_str::<Value>(text) {
        redact_json(&mut value);
        return value.to_string();
    }
    if text.contains('=') && !text.contains(char::is_whitespace) {
        return redact_form(text);
    }
    text.to_owned()
}

fn redact_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if is_secret(key) && !v.is_null() {
                    *v = Value::String(MASK.to_owned());
                } else {
                    redact_json(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

fn redact_form(query: &str) -> String {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| {
            let v = if is_secret(&k) {
                MASK.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_masks_nested_secrets_headers_and_forms() {
        let entry = LoggedRequest {
            seq: 1,
            method: "POST".into(),
            path: "/REST/Session/".into(),
            query: Some("apikey=abc&x=1".into()),
            headers: vec![("auth-token".into(), "tok".into())],
            body: r#"{"password":"p","nested":{"secret":"s"}}"#.into(),
            client: SocketAddr::from(([127, 0, 0, 1], 1)),
            status: 200,
            response: r#"{"data":{"token":"t"}}"#.into(),
            elapsed_micros: 0,
        };
        let r = entry.redacted();
        let all = format!("{r:?}");
        for secret in ["\"p\"", "\"s\"", "\"t\"", "abc", "\"tok\""] {
            assert!(!all.contains(secret), "{secret} leaked in {all}");
        }
        assert_eq!(r.header("Auth-Token"), Some(MASK));
    }
}
