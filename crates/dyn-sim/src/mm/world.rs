//! MM state: accounts (by API key) with their senders, recipients, suppressions and events.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::seed::MmAccountSeed;

/// All MM accounts, by API key.
#[derive(Debug, Default)]
pub(crate) struct MmWorld {
    pub(crate) accounts: BTreeMap<String, MmAccount>,
}

/// One MM account.
#[derive(Debug, Default)]
pub(crate) struct MmAccount {
    pub(crate) username: String,
    pub(crate) created: u64,
    pub(crate) senders: BTreeMap<String, Value>,
}

impl MmWorld {
    pub(crate) fn add_account(&mut self, seed: &MmAccountSeed, now: u64) {
        let account = self.accounts.entry(seed.apikey.clone()).or_default();
        account.username.clone_from(&seed.username);
        account.created = now;
        for sender in &seed.senders {
            account.senders.insert(
                sender.to_ascii_lowercase(),
                json!({"emailaddress": sender, "status": "approved"}),
            );
        }
    }

    pub(crate) fn dump(&self) -> Value {
        json!(
            self.accounts
                .values()
                .map(|a| json!({"username": a.username, "senders": a.senders.len()}))
                .collect::<Vec<_>>()
        )
    }
}
