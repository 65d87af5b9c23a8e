//! `used_by` lists turned into typed references grouped by kind.

use crate::client::Client;
use crate::error::Result;
use crate::kinds::{Image, Instance, Network, Profile, Project, StoragePool, StorageVolume};
use crate::manager::fetch;
use crate::model::Model;
use crate::url::ApiUrl;

/// The kind of object a [`ResourceRef`] points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RefKind {
    /// `/1.0/instances/<n>`.
    Instance,
    /// `/1.0/instances/<n>/snapshots/<s>`.
    InstanceSnapshot,
    /// `/1.0/profiles/<n>`.
    Profile,
    /// `/1.0/images/<fp>`.
    Image,
    /// `/1.0/networks/<n>`.
    Network,
    /// `/1.0/projects/<n>`.
    Project,
    /// `/1.0/storage-pools/<n>`.
    StoragePool,
    /// `/1.0/storage-pools/<p>/volumes/<type>/<n>`.
    StorageVolume,
    /// Anything else.
    Other,
}

/// A typed reference to an object, with its project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRef {
    /// What it points at.
    pub kind: RefKind,
    /// The object URL (project included).
    pub url: ApiUrl,
}

impl ResourceRef {
    /// Classifies an API URL such as `/1.0/instances/c1?project=p`.
    pub fn parse(url: &str) -> Option<Self> {
        let url = ApiUrl::parse(url)?;
        let segments = url.segments();
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        let kind = match parts.as_slice() {
            ["instances" | "containers" | "virtual-machines", _] => RefKind::Instance,
            [
                "instances" | "containers" | "virtual-machines",
                _,
                "snapshots",
                _,
            ] => RefKind::InstanceSnapshot,
            ["profiles", _] => RefKind::Profile,
            ["images", _] => RefKind::Image,
            ["networks", _] => RefKind::Network,
            ["projects", _] => RefKind::Project,
            ["storage-pools", _] => RefKind::StoragePool,
            ["storage-pools", _, "volumes", _, _] => RefKind::StorageVolume,
            _ => RefKind::Other,
        };
        Some(Self { kind, url })
    }

    /// The object's name (last URL segment).
    pub fn name(&self) -> String {
        self.url.last_segment()
    }

    /// The project in the URL (`None` = default).
    pub fn project(&self) -> Option<&str> {
        self.url.project()
    }
}

/// The objects using another object, grouped by kind (from its `used_by` list).
#[derive(Debug, Clone)]
pub struct UsedBy {
    client: Client,
    refs: Vec<ResourceRef>,
}

impl UsedBy {
    pub(crate) fn new(client: &Client, urls: Vec<String>) -> Self {
        let refs = urls.iter().filter_map(|u| ResourceRef::parse(u)).collect();
        Self {
            client: client.unscoped(),
            refs,
        }
    }

    /// Every reference, in server order.
    pub fn refs(&self) -> &[ResourceRef] {
        &self.refs
    }

    /// The references of one kind.
    pub fn of_kind(&self, kind: RefKind) -> Vec<&ResourceRef> {
        self.refs.iter().filter(|r| r.kind == kind).collect()
    }

    /// Whether nothing uses the object.
    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }

    async fn fetch_kind<T: Model>(&self, kind: RefKind) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for r in self.of_kind(kind) {
            out.push(fetch::<T>(&self.client, r.url.clone()).await?);
        }
        Ok(out)
    }

    /// The instances, as models (each in its own project).
    pub async fn instances(&self) -> Result<Vec<Instance>> {
        self.fetch_kind(RefKind::Instance).await
    }
    /// The profiles, as models.
    pub async fn profiles(&self) -> Result<Vec<Profile>> {
        self.fetch_kind(RefKind::Profile).await
    }
    /// The images, as models.
    pub async fn images(&self) -> Result<Vec<Image>> {
        self.fetch_kind(RefKind::Image).await
    }
    /// The networks, as models.
    pub async fn networks(&self) -> Result<Vec<Network>> {
        self.fetch_kind(RefKind::Network).await
    }
    /// The projects, as models.
    pub async fn projects(&self) -> Result<Vec<Project>> {
        self.fetch_kind(RefKind::Project).await
    }
    /// The storage pools, as models.
    pub async fn storage_pools(&self) -> Result<Vec<StoragePool>> {
        self.fetch_kind(RefKind::StoragePool).await
    }
    /// The storage volumes, as models.
    pub async fn storage_volumes(&self) -> Result<Vec<StorageVolume>> {
        self.fetch_kind(RefKind::StorageVolume).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_urls() {
        let r = ResourceRef::parse("/1.0/instances/c1?project=p").expect("api url");
        assert_eq!(
            (r.kind, r.name(), r.project()),
            (RefKind::Instance, "c1".to_owned(), Some("p"))
        );
        let kinds: Vec<RefKind> = [
            "/1.0/profiles/default",
            "/1.0/instances/c1/snapshots/s0",
            "/1.0/storage-pools/p/volumes/custom/v",
            "/1.0/networks/br0",
            "/1.0/images/abc",
            "/1.0/projects/x",
            "/1.0/storage-pools/p",
            "/1.0/whatever/x",
        ]
        .iter()
        .filter_map(|u| ResourceRef::parse(u).map(|r| r.kind))
        .collect();
        assert_eq!(
            kinds,
            [
                RefKind::Profile,
                RefKind::InstanceSnapshot,
                RefKind::StorageVolume,
                RefKind::Network,
                RefKind::Image,
                RefKind::Project,
                RefKind::StoragePool,
                RefKind::Other
            ]
        );
    }
}
