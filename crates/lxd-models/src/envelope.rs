//! LXD's response envelope: `sync`, `async` (an operation) or `error`.

use serde_json::Value;

/// A decoded LXD response body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Envelope {
    /// A finished request; `metadata` is the object, list or `null`.
    Sync {
        /// The payload.
        metadata: Value,
    },
    /// A background operation was started.
    Async {
        /// The operation URL (`/1.0/operations/<id>`).
        operation: String,
        /// The operation object as of its creation.
        metadata: Value,
    },
    /// LXD refused the request.
    Error {
        /// `error_code` (the HTTP status).
        code: u16,
        /// LXD's message.
        message: String,
    },
}

impl Envelope {
    /// Decodes a JSON body answered with HTTP status `status`.
    ///
    /// Bodies that are not an envelope become [`Envelope::Error`] when the status is an error
    /// (proxies and the 404 for unknown paths answer plain text), `None` otherwise.
    pub fn decode(status: u16, body: &[u8]) -> Option<Self> {
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let Some(mut value) = parsed.filter(Value::is_object) else {
            if status >= 400 {
                let message = String::from_utf8_lossy(body).trim().to_owned();
                return Some(Self::Error {
                    code: status,
                    message,
                });
            }
            return None;
        };
        let metadata = value
            .get_mut("metadata")
            .map(Value::take)
            .unwrap_or(Value::Null);
        match value.get("type").and_then(Value::as_str) {
            Some("sync") => Some(Self::Sync { metadata }),
            Some("async") => {
                let operation = value
                    .get("operation")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                Some(Self::Async {
                    operation,
                    metadata,
                })
            }
            Some("error") => {
                let code = value
                    .get("error_code")
                    .and_then(Value::as_u64)
                    .and_then(|c| u16::try_from(c).ok())
                    .unwrap_or(status);
                let message = value
                    .get("error")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                Some(Self::Error { code, message })
            }
            _ if status >= 400 => Some(Self::Error {
                code: status,
                message: value.to_string(),
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn sync_async_and_error() {
        let sync =
            json!({"type":"sync","status":"Success","status_code":200,"metadata":{"name":"x"}});
        assert_eq!(
            Envelope::decode(200, sync.to_string().as_bytes()),
            Some(Envelope::Sync {
                metadata: json!({"name":"x"})
            })
        );
        let op = json!({"type":"async","status_code":100,"operation":"/1.0/operations/abc","metadata":{"id":"abc"}});
        assert_eq!(
            Envelope::decode(202, op.to_string().as_bytes()),
            Some(Envelope::Async {
                operation: "/1.0/operations/abc".into(),
                metadata: json!({"id":"abc"})
            })
        );
        let err = json!({"type":"error","error":"not found","error_code":404,"metadata":null});
        assert_eq!(
            Envelope::decode(404, err.to_string().as_bytes()),
            Some(Envelope::Error {
                code: 404,
                message: "not found".into()
            })
        );
    }

    #[test]
    fn non_envelope_bodies() {
        assert_eq!(
            Envelope::decode(404, b"404 page not found\n"),
            Some(Envelope::Error {
                code: 404,
                message: "404 page not found".into()
            })
        );
        assert_eq!(Envelope::decode(200, b"raw file bytes"), None);
        assert_eq!(Envelope::decode(200, b"[1,2]"), None);
    }
}
