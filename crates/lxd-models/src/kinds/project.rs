//! Projects.

use std::collections::BTreeMap;

use crate::client::Client;
use crate::error::Result;
use crate::model::model;
use crate::used_by::UsedBy;

model!(
    /// A project (`/1.0/projects/<name>`).
    Project,
    "name"
);

impl Project {
    /// `description`.
    pub fn description(&self) -> Option<String> {
        self.get_str("description")
    }
    /// `config` as strings (`features.profiles`, `limits.*`, ...).
    pub fn config(&self) -> BTreeMap<String, String> {
        self.string_map("config")
    }
    /// The objects in this project, grouped by kind.
    pub fn used_by(&self) -> UsedBy {
        UsedBy::new(self.client(), self.string_list("used_by"))
    }
    /// A client scoped to this project.
    pub fn client_scope(&self) -> Client {
        self.client().project(&self.name())
    }
    /// Renames the project on the server; this object follows.
    pub async fn rename(&self, new_name: &str) -> Result<()> {
        super::rename(self, new_name).await
    }
}
