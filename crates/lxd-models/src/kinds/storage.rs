//! Storage pools, volumes and volume snapshots.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::Result;
use crate::manager::Manager;
use crate::model::model;
use crate::used_by::UsedBy;

model!(
    /// A storage pool (`/1.0/storage-pools/<name>`).
    StoragePool,
    "name"
);

model!(
    /// A custom storage volume (`/1.0/storage-pools/<pool>/volumes/custom/<name>`).
    StorageVolume,
    "name"
);

model!(
    /// A snapshot of a custom volume (`.../volumes/custom/<v>/snapshots/<name>`).
    VolumeSnapshot,
    "name"
);

impl StoragePool {
    /// `driver` (`dir`, `zfs`, `btrfs`, ...).
    pub fn driver(&self) -> Option<String> {
        self.get_str("driver")
    }
    /// `status` (`Created`, ...).
    pub fn status(&self) -> Option<String> {
        self.get_str("status")
    }
    /// `description`.
    pub fn description(&self) -> Option<String> {
        self.get_str("description")
    }
    /// `config` as strings.
    pub fn config(&self) -> BTreeMap<String, String> {
        self.string_map("config")
    }
    /// The objects using this pool.
    pub fn used_by(&self) -> UsedBy {
        UsedBy::new(self.client(), self.string_list("used_by"))
    }
    /// Custom volumes in this pool.
    pub fn volumes(&self) -> Manager<StorageVolume> {
        Manager::new(
            self.client().clone(),
            self.url().segment("volumes").segment("custom"),
        )
    }
    /// `GET .../resources`: space and inode usage.
    pub async fn resources(&self) -> Result<Value> {
        super::sub_json(self, "resources").await
    }
}

impl StorageVolume {
    /// `type` (always `custom` through [`StoragePool::volumes`]).
    pub fn volume_type(&self) -> Option<String> {
        self.get_str("type")
    }
    /// `content_type`: `filesystem` or `block`.
    pub fn content_type(&self) -> Option<String> {
        self.get_str("content_type")
    }
    /// `description`.
    pub fn description(&self) -> Option<String> {
        self.get_str("description")
    }
    /// `config` as strings.
    pub fn config(&self) -> BTreeMap<String, String> {
        self.string_map("config")
    }
    /// The objects using this volume.
    pub fn used_by(&self) -> UsedBy {
        UsedBy::new(self.client(), self.string_list("used_by"))
    }
    /// Snapshots of this volume.
    pub fn snapshots(&self) -> Manager<VolumeSnapshot> {
        Manager::new(self.client().clone(), self.url().snapshots())
    }
    /// Renames the volume; this object follows.
    pub async fn rename(&self, new_name: &str) -> Result<()> {
        super::rename(self, new_name).await
    }
}

impl VolumeSnapshot {
    /// `description`.
    pub fn description(&self) -> Option<String> {
        self.get_str("description")
    }
    /// `created_at`.
    pub fn created_at(&self) -> Option<String> {
        self.get_str("created_at")
    }
}
