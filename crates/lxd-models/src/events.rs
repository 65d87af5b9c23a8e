//! The events websocket as an async stream of typed events.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::{Stream, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

use crate::client::Client;
use crate::error::{Error, Result};

/// The kinds of event LXD sends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventKind {
    /// Object lifecycle: `instance-started`, `profile-created`, ...
    Lifecycle,
    /// An operation changed state (the full operation object).
    Operation,
    /// A daemon log line.
    Logging,
    /// A kind this client does not know yet.
    Other(String),
}

impl EventKind {
    fn as_str(&self) -> &str {
        match self {
            Self::Lifecycle => "lifecycle",
            Self::Operation => "operation",
            Self::Logging => "logging",
            Self::Other(kind) => kind,
        }
    }

    fn parse(kind: &str) -> Self {
        match kind {
            "lifecycle" => Self::Lifecycle,
            "operation" => Self::Operation,
            "logging" => Self::Logging,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// One event; the whole JSON is kept in `metadata`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// What kind of event.
    pub kind: EventKind,
    /// Server timestamp (RFC 3339).
    pub timestamp: String,
    /// The project, when the server says.
    pub project: Option<String>,
    /// The cluster member, when the server says.
    pub location: Option<String>,
    /// The payload.
    pub metadata: Value,
}

impl Event {
    /// A lifecycle event's `action` (`instance-started`, ...).
    pub fn action(&self) -> Option<&str> {
        self.metadata.get("action").and_then(Value::as_str)
    }
    /// A lifecycle event's `source` URL.
    pub fn source(&self) -> Option<&str> {
        self.metadata.get("source").and_then(Value::as_str)
    }

    fn parse(text: &[u8]) -> Result<Self> {
        let value: Value =
            serde_json::from_slice(text).map_err(|e| Error::Protocol(format!("event: {e}")))?;
        let field = |key: &str| {
            value
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Ok(Self {
            kind: EventKind::parse(&field("type").unwrap_or_default()),
            timestamp: field("timestamp").unwrap_or_default(),
            project: field("project"),
            location: field("location"),
            metadata: value.get("metadata").cloned().unwrap_or(Value::Null),
        })
    }
}

/// Which events to subscribe to; built by [`Client::events`].
#[derive(Debug, Clone)]
#[must_use = "nothing is subscribed until `subscribe` is awaited"]
pub struct Events {
    client: Client,
    kinds: Vec<EventKind>,
    all_projects: bool,
}

impl Client {
    /// Subscribes to events of the client's project (all kinds unless narrowed).
    pub fn events(&self) -> Events {
        Events {
            client: self.clone(),
            kinds: Vec::new(),
            all_projects: false,
        }
    }
}

impl Events {
    /// Only these kinds.
    pub fn kinds(mut self, kinds: impl IntoIterator<Item = EventKind>) -> Self {
        self.kinds = kinds.into_iter().collect();
        self
    }

    /// Events of every project (`all-projects=true`).
    pub fn all_projects(mut self) -> Self {
        self.all_projects = true;
        self
    }

    /// Opens the websocket; events flow from the moment this returns.
    pub async fn subscribe(self) -> Result<EventStream> {
        let mut url = self.client.url().segment("events");
        if !self.kinds.is_empty() {
            let kinds: Vec<&str> = self.kinds.iter().map(EventKind::as_str).collect();
            url = url.query("type", &kinds.join(","));
        }
        if self.all_projects {
            url = url.with_project(None).query("all-projects", "true");
        }
        let socket = self.client.websocket(&url).await?;
        let stream = socket.filter_map(|message| async move {
            match message {
                Ok(Message::Text(text)) => Some(Event::parse(text.as_bytes())),
                Ok(Message::Binary(bytes)) => Some(Event::parse(&bytes)),
                Ok(_) => None,
                Err(e) => Some(Err(Error::from(e))),
            }
        });
        Ok(EventStream {
            inner: Box::pin(stream),
        })
    }
}

/// An endless stream of events; ends when the daemon closes the websocket.
pub struct EventStream {
    inner: Pin<Box<dyn Stream<Item = Result<Event>> + Send>>,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

impl Stream for EventStream {
    type Item = Result<Event>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lifecycle_events() {
        let raw = br#"{"type":"lifecycle","timestamp":"2026-01-01T00:00:00Z","metadata":{"action":"instance-started","source":"/1.0/instances/c1"},"location":"none","project":"default"}
"#;
        let event = Event::parse(raw).expect("event");
        assert_eq!(event.kind, EventKind::Lifecycle);
        assert_eq!(event.action(), Some("instance-started"));
        assert_eq!(event.source(), Some("/1.0/instances/c1"));
        assert_eq!(event.project.as_deref(), Some("default"));
        assert_eq!(
            EventKind::parse("future"),
            EventKind::Other("future".into())
        );
        assert!(Event::parse(b"not json").is_err());
    }
}
