//! Events a test injects into an MM account: bounces, complaints, opens, clicks and others.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::world::{Event, MmWorld, Suppression};

/// An event to add to an MM account's reports.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct MmEvent {
    /// One of `sent`, `delivered`, `bounces`, `complaints`, `issues`, `opens`, `clicks`.
    pub kind: String,
    /// The recipient.
    pub emailaddress: String,
    /// The sender.
    #[serde(default)]
    pub sender: String,
    /// Unix time of the event; `None` means now.
    #[serde(default)]
    pub time: Option<u64>,
    /// `X-` headers of the message.
    #[serde(default)]
    pub xheaders: Map<String, Value>,
    /// Kind-specific members (`bouncetype`, `bouncecode`, `clicklink`, `ip`, ...).
    #[serde(default)]
    pub extra: Map<String, Value>,
}

impl MmEvent {
    /// An event of `kind` for a recipient, sent by `sender`, now.
    pub fn new(kind: &str, emailaddress: &str, sender: &str) -> Self {
        Self {
            kind: kind.to_owned(),
            emailaddress: emailaddress.to_owned(),
            sender: sender.to_owned(),
            time: None,
            xheaders: Map::new(),
            extra: Map::new(),
        }
    }

    /// Sets the event time (Unix seconds).
    pub fn at(mut self, unix: u64) -> Self {
        self.time = Some(unix);
        self
    }

    /// Adds a kind-specific member.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_owned(), value.into());
        self
    }
}

/// Adds an event; hard bounces and complaints also suppress the recipient, as the service did.
/// Returns false when the API key is unknown.
pub(crate) fn inject(mm: &mut MmWorld, apikey: &str, event: MmEvent, now: u64) -> bool {
    let id = mm.next();
    let Some(account) = mm.accounts.get_mut(apikey) else {
        return false;
    };
    let time = event.time.unwrap_or(now);
    let hard = event.kind == "complaints"
        || (event.kind == "bounces"
            && event.extra.get("bouncetype").and_then(Value::as_str) != Some("soft"));
    if hard {
        let reasontype = if event.kind == "complaints" {
            "complaint"
        } else {
            "bounce"
        };
        account
            .suppressions
            .entry(event.emailaddress.to_ascii_lowercase())
            .or_insert(Suppression {
                emailaddress: event.emailaddress.clone(),
                reasontype: reasontype.into(),
                time,
                id,
            });
    }
    account.events.push(Event {
        kind: event.kind,
        time,
        emailaddress: event.emailaddress,
        sender: event.sender,
        xheaders: event.xheaders,
        extra: event.extra,
    });
    true
}
