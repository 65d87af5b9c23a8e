//! What a protocol reads off a response: messages, the successful reply, pending jobs.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One entry of an envelope's message list (`{"INFO", "SOURCE", "ERR_CD", "LVL"}` for TM).
///
/// Every field is optional: real responses were seen without `ERR_CD`, and an envelope that
/// lacks a field must not turn into a crash (dyn-python issue #133).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiMessage {
    #[serde(rename = "INFO", default, skip_serializing_if = "Option::is_none")]
    info: Option<String>,
    #[serde(rename = "SOURCE", default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(rename = "ERR_CD", default, skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(rename = "LVL", default, skip_serializing_if = "Option::is_none")]
    level: Option<String>,
}

impl ApiMessage {
    /// A message with just an informational text (what MM's `message` becomes).
    pub fn from_info(info: impl Into<String>) -> Self {
        Self {
            info: Some(info.into()),
            ..Self::default()
        }
    }

    /// Sets the error code.
    #[must_use]
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// The text, conventionally `<component>: <text>` (`login: Bad or expired credentials`).
    pub fn info(&self) -> Option<&str> {
        self.info.as_deref()
    }

    /// Which layer of the service produced the message (`BLL`, `API-A`, `API-B`, `DYN`).
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The error code (`NOT_FOUND`, `INVALID_DATA`, `RATE_LIMIT_EXCEEDED`, …).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The level (`INFO`, `WARN`, `ERROR`, `FATAL`).
    pub fn level(&self) -> Option<&str> {
        self.level.as_deref()
    }
}

/// A successful answer: the envelope's payload and what came with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub(crate) http_status: u16,
    pub(crate) data: Value,
    pub(crate) job_id: Option<u64>,
    pub(crate) messages: Vec<ApiMessage>,
}

impl Reply {
    /// A reply carrying `data`.
    pub fn new(http_status: u16, data: Value) -> Self {
        Self {
            http_status,
            data,
            job_id: None,
            messages: Vec::new(),
        }
    }

    /// Attaches the envelope's job id.
    #[must_use]
    pub fn with_job_id(mut self, job_id: Option<u64>) -> Self {
        self.job_id = job_id;
        self
    }

    /// Attaches the envelope's messages.
    #[must_use]
    pub fn with_messages(mut self, messages: Vec<ApiMessage>) -> Self {
        self.messages = messages;
        self
    }

    /// The HTTP status of the final response.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The payload (`data`).
    pub fn data(&self) -> &Value {
        &self.data
    }

    /// Takes the payload out.
    pub fn into_data(self) -> Value {
        self.data
    }

    /// Deserializes the payload into `T`.
    ///
    /// # Errors
    /// [`InvalidResponse`](crate::InvalidResponse) when the payload does not have `T`'s shape.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, crate::InvalidResponse> {
        T::deserialize(&self.data).map_err(|error| {
            crate::InvalidResponse::new(
                self.http_status,
                "payload has an unexpected shape",
                Some(error),
            )
        })
    }

    /// The job id the service gave this request (TM numbers every response).
    pub fn job_id(&self) -> Option<u64> {
        self.job_id
    }

    /// The envelope's messages.
    pub fn messages(&self) -> &[ApiMessage] {
        &self.messages
    }
}

/// A request the service turned into a job still running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The job id, when the envelope carried one.
    pub job_id: Option<u64>,
    /// Where to poll, when the service said so (the 307 `Location`).
    pub location: Option<String>,
}

/// How a protocol read one response.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Outcome {
    /// The call succeeded.
    Done(Reply),
    /// The call became a job that is still running.
    Pending(Pending),
    /// The service refused the call.
    Failed(crate::ApiError),
}
