//! Instance snapshots.

use crate::error::Result;
use crate::model::model;

model!(
    /// An instance snapshot (`/1.0/instances/<i>/snapshots/<name>`), all fields kept
    /// (pylxd 2.4 drops ten of them on LXD 5.0).
    Snapshot,
    "name"
);

impl Snapshot {
    /// `created_at`.
    pub fn created_at(&self) -> Option<String> {
        self.get_str("created_at")
    }
    /// `stateful`.
    pub fn stateful(&self) -> bool {
        self.get("stateful").unwrap_or(false)
    }
    /// Renames the snapshot; this object follows.
    pub async fn rename(&self, new_name: &str) -> Result<()> {
        super::rename(self, new_name).await
    }
}
