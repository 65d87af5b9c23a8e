//! A bounded record of the calls a session made, with secrets masked.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::protocol::Method;

/// Argument names whose values never reach history, wherever they are nested (compared
/// case-insensitively). dyn-python masked only a top-level `password`.
const MASKED_KEYS: &[&str] = &[
    "password",
    "new_password",
    "secret",
    "apikey",
    "api_key",
    "token",
    "auth-token",
    "proxy_pass",
];

/// What replaces a masked value.
pub const MASK: &str = "*****";

/// One call as the session made it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    pub(crate) time: SystemTime,
    pub(crate) method: Method,
    pub(crate) uri: String,
    pub(crate) args: Value,
    pub(crate) status: String,
    pub(crate) http_status: Option<u16>,
    pub(crate) job_id: Option<u64>,
    pub(crate) duration: Duration,
}

impl CallRecord {
    /// When the call was sent.
    pub fn time(&self) -> SystemTime {
        self.time
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The full path (`/REST/Zone/example.com/`).
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The arguments, secrets replaced by [`MASK`].
    pub fn args(&self) -> &Value {
        &self.args
    }

    /// The outcome: the envelope status (`success`, `failure`, `incomplete`, …) or
    /// `transport-error` / `invalid-response` when there was none.
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The HTTP status, when a response arrived.
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }

    /// The job id of the response, when it had one.
    pub fn job_id(&self) -> Option<u64> {
        self.job_id
    }

    /// How long the exchange took.
    pub fn duration(&self) -> Duration {
        self.duration
    }
}

/// The last `capacity` calls.
#[derive(Debug)]
pub(crate) struct History {
    capacity: usize,
    records: Mutex<VecDeque<CallRecord>>,
}

impl History {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            records: Mutex::new(VecDeque::with_capacity(capacity.min(1024))),
        }
    }

    pub(crate) fn push(&self, record: CallRecord) {
        if self.capacity == 0 {
            return;
        }
        let mut records = self.records.lock().unwrap_or_else(PoisonError::into_inner);
        while records.len() >= self.capacity {
            records.pop_front();
        }
        records.push_back(record);
    }

    pub(crate) fn snapshot(&self) -> Vec<CallRecord> {
        self.records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }

    pub(crate) fn clear(&self) {
        self.records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// A copy of `args` with every secret-named member replaced by [`MASK`], at any depth.
pub fn mask_secrets(args: &Value) -> Value {
    match args {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, value)| {
                    let masked = if is_secret_name(name) {
                        Value::String(MASK.to_owned())
                    } else {
                        mask_secrets(value)
                    };
                    (name.clone(), masked)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(mask_secrets).collect()),
        other => other.clone(),
    }
}

fn is_secret_name(name: &str) -> bool {
    MASKED_KEYS
        .iter()
        .any(|masked| masked.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn masks_nested_secrets_and_keeps_the_rest() {
        let args = json!({
            "customer_name": "acme",
            "password": "s3cret",
            "tsig": {"name": "k1", "Secret": "c2VjcmV0"},
            "users": [{"user_name": "bob", "password": "x"}],
            "apikey": "k",
        });
        let masked = mask_secrets(&args);
        assert_eq!(
            masked,
            json!({
                "customer_name": "acme",
                "password": MASK,
                "tsig": {"name": "k1", "Secret": MASK},
                "users": [{"user_name": "bob", "password": MASK}],
                "apikey": MASK,
            })
        );
    }

    #[test]
    fn keeps_only_the_last_records() {
        let history = History::new(2);
        for index in 0..3 {
            history.push(CallRecord {
                time: SystemTime::now(),
                method: Method::Get,
                uri: format!("/REST/Zone/{index}/"),
                args: Value::Null,
                status: "success".to_owned(),
                http_status: Some(200),
                job_id: None,
                duration: Duration::ZERO,
            });
        }
        let uris: Vec<String> = history.snapshot().into_iter().map(|r| r.uri).collect();
        assert_eq!(uris, ["/REST/Zone/1/", "/REST/Zone/2/"]);
    }
}
