//! Networks.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::Result;
use crate::model::model;
use crate::used_by::UsedBy;

model!(
    /// A network (`/1.0/networks/<name>`), managed or not.
    Network,
    "name"
);

impl Network {
    /// `type` (`bridge`, `physical`, `loopback`, ...).
    pub fn network_type(&self) -> Option<String> {
        self.get_str("type")
    }
    /// `managed`: created by LXD.
    pub fn managed(&self) -> bool {
        self.get("managed").unwrap_or(false)
    }
    /// `description`.
    pub fn description(&self) -> Option<String> {
        self.get_str("description")
    }
    /// `config` as strings.
    pub fn config(&self) -> BTreeMap<String, String> {
        self.string_map("config")
    }
    /// The objects using this network.
    pub fn used_by(&self) -> UsedBy {
        UsedBy::new(self.client(), self.string_list("used_by"))
    }
    /// `GET .../state`: addresses, counters, link state.
    pub async fn state(&self) -> Result<Value> {
        super::sub_json(self, "state").await
    }
}
