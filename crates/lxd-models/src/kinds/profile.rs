//! Profiles.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::Result;
use crate::model::model;
use crate::used_by::UsedBy;

model!(
    /// A profile (`/1.0/profiles/<name>`).
    Profile,
    "name"
);

impl Profile {
    /// `description`.
    pub fn description(&self) -> Option<String> {
        self.get_str("description")
    }
    /// `config` as strings.
    pub fn config(&self) -> BTreeMap<String, String> {
        self.string_map("config")
    }
    /// Sets one `config` key locally.
    pub fn set_config(&self, key: &str, value: &str) {
        self.edit("config", |config| {
            if !config.is_object() {
                *config = Value::Object(serde_json::Map::new());
            }
            if let Some(map) = config.as_object_mut() {
                map.insert(key.to_owned(), Value::String(value.to_owned()));
            }
        });
    }
    /// `devices` as JSON.
    pub fn devices(&self) -> Value {
        self.get("devices").unwrap_or(Value::Null)
    }
    /// The objects using this profile, grouped by kind.
    pub fn used_by(&self) -> UsedBy {
        UsedBy::new(self.client(), self.string_list("used_by"))
    }
    /// Renames the profile on the server; this object follows.
    pub async fn rename(&self, new_name: &str) -> Result<()> {
        super::rename(self, new_name).await
    }
}
