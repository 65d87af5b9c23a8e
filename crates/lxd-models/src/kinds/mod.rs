//! The model kinds and the managers a client hands out for them.

mod certificate;
mod cluster;
mod image;
mod instance;
mod network;
mod operation;
mod profile;
mod project;
mod snapshot;
mod storage;
mod warning;

pub use certificate::Certificate;
pub use cluster::ClusterMember;
pub use image::{Image, ImageAlias, ImportOptions};
pub use instance::{Instance, StateAction};
pub use network::Network;
pub use operation::Operation;
pub use profile::Profile;
pub use project::Project;
pub use snapshot::Snapshot;
pub use storage::{StoragePool, StorageVolume, VolumeSnapshot};
pub use warning::Warning;

use reqwest::Method;
use serde_json::{Value, json};

use crate::client::Client;
use crate::error::Result;
use crate::manager::Manager;
use crate::model::Handle;

impl Client {
    /// Instances (containers and VMs): `/1.0/instances`.
    pub fn instances(&self) -> Manager<Instance> {
        Manager::new(self.clone(), self.url().instances())
    }
    /// Profiles: `/1.0/profiles`.
    pub fn profiles(&self) -> Manager<Profile> {
        Manager::new(self.clone(), self.url().profiles())
    }
    /// Projects: `/1.0/projects`.
    pub fn projects(&self) -> Manager<Project> {
        Manager::new(self.clone(), self.url().projects())
    }
    /// Images by fingerprint: `/1.0/images`.
    pub fn images(&self) -> Manager<Image> {
        Manager::new(self.clone(), self.url().images())
    }
    /// Image aliases: `/1.0/images/aliases`.
    pub fn image_aliases(&self) -> Manager<ImageAlias> {
        Manager::new(self.clone(), self.url().images().segment("aliases"))
    }
    /// Storage pools: `/1.0/storage-pools`.
    pub fn storage_pools(&self) -> Manager<StoragePool> {
        Manager::new(self.clone(), self.url().storage_pools())
    }
    /// Networks: `/1.0/networks`.
    pub fn networks(&self) -> Manager<Network> {
        Manager::new(self.clone(), self.url().networks())
    }
    /// Trusted certificates: `/1.0/certificates`.
    pub fn certificates(&self) -> Manager<Certificate> {
        Manager::new(self.clone(), self.url().certificates())
    }
    /// Background operations: `/1.0/operations` (all statuses in one list).
    pub fn operations(&self) -> Manager<Operation> {
        Manager::new(self.clone(), self.url().operations())
    }
    /// Warnings: `/1.0/warnings`.
    pub fn warnings(&self) -> Manager<Warning> {
        Manager::new(self.clone(), self.url().warnings())
    }
    /// Cluster members: `/1.0/cluster/members` (a standalone server answers with an error).
    pub fn cluster_members(&self) -> Manager<ClusterMember> {
        Manager::new(
            self.clone(),
            self.url().segment("cluster").segment("members"),
        )
    }
}

/// `POST {name}` on an object, then re-key it in the identity map and re-read it.
pub(crate) async fn rename(handle: &Handle, new_name: &str) -> Result<()> {
    let client = handle.client();
    let old = handle.url();
    let answer = client
        .call(Method::POST, &old, Some(&json!({ "name": new_name })), None)
        .await?;
    client.complete(answer).await?;
    let mut segments = old.without_query().segments();
    segments.pop();
    let mut new = client.unscoped().url().with_project(old.project());
    for segment in &segments {
        new = new.segment(segment);
    }
    let new = new.name(new_name);
    client.identity().remove_if(&old.identity_key(), &handle.0);
    client.identity().insert(new.identity_key(), &handle.0);
    handle.set_url(new.clone());
    let answer = client.call(Method::GET, &new, None, None).await?;
    let etag = answer.etag.clone();
    let meta = client.complete(answer).await?;
    handle.refresh(meta, etag, true);
    Ok(())
}

/// A `GET` of a sub-resource (`/state`, `/resources`) as plain JSON.
pub(crate) async fn sub_json(handle: &Handle, segment: &str) -> Result<Value> {
    let url = handle.url().segment(segment);
    handle.client().get_json(&url).await
}
