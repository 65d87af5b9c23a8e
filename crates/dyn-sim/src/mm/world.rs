//! MM state: accounts (by API key) with their senders, suppressions, sent messages and events.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::seed::MmAccountSeed;

/// All MM accounts, by API key.
#[derive(Debug, Default)]
pub(crate) struct MmWorld {
    pub(crate) accounts: BTreeMap<String, MmAccount>,
    pub(crate) next_id: u64,
}

/// One MM account.
#[derive(Debug, Default)]
pub(crate) struct MmAccount {
    pub(crate) apikey: String,
    pub(crate) username: String,
    /// The API key of the account that created this one (sub-accounts).
    pub(crate) owner: Option<String>,
    pub(crate) created: u64,
    pub(crate) fields: Map<String, Value>,
    pub(crate) xheaders: [String; 4],
    pub(crate) senders: BTreeMap<String, Sender>,
    pub(crate) suppressions: BTreeMap<String, Suppression>,
    pub(crate) messages: Vec<Value>,
    pub(crate) events: Vec<Event>,
}

/// An approved sender.
#[derive(Debug, Clone)]
pub(crate) struct Sender {
    pub(crate) emailaddress: String,
    pub(crate) seeding: u64,
    pub(crate) dkim: String,
    pub(crate) created: u64,
}

/// A suppressed recipient.
#[derive(Debug, Clone)]
pub(crate) struct Suppression {
    pub(crate) emailaddress: String,
    pub(crate) reasontype: String,
    pub(crate) time: u64,
    pub(crate) id: u64,
}

/// Something that happened to a message: sent, delivered, bounce, complaint, issue, open, click.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) kind: String,
    pub(crate) time: u64,
    pub(crate) emailaddress: String,
    pub(crate) sender: String,
    pub(crate) xheaders: Map<String, Value>,
    /// Kind-specific members (`bouncetype`, `clicklink`, `ip`, ...).
    pub(crate) extra: Map<String, Value>,
}

impl MmWorld {
    pub(crate) fn add_account(&mut self, seed: &MmAccountSeed, now: u64) {
        let account = self.accounts.entry(seed.apikey.clone()).or_default();
        account.apikey.clone_from(&seed.apikey);
        account.username.clone_from(&seed.username);
        account.created = now;
        for sender in &seed.senders {
            account.senders.insert(
                sender.to_ascii_lowercase(),
                Sender {
                    emailaddress: sender.clone(),
                    seeding: 0,
                    dkim: String::new(),
                    created: now,
                },
            );
        }
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub(crate) fn dump(&self) -> Value {
        json!(
            self.accounts
                .values()
                .map(|a| json!({
                    "username": a.username,
                    "senders": a.senders.keys().collect::<Vec<_>>(),
                    "suppressions": a.suppressions.keys().collect::<Vec<_>>(),
                    "messages": a.messages.len(),
                    "events": a.events.len(),
                }))
                .collect::<Vec<_>>()
        )
    }
}
