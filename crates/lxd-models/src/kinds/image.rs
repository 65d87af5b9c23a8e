//! Images and image aliases.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::error::{Error, Result};
use crate::manager::Manager;
use crate::model::model;

model!(
    /// An image (`/1.0/images/<fingerprint>`).
    Image,
    "fingerprint"
);

model!(
    /// An image alias (`/1.0/images/aliases/<name>`).
    ImageAlias,
    "name"
);

/// Options for [`Manager::<Image>::import`].
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Aliases to create for the imported image.
    pub aliases: Vec<String>,
    /// Whether the image is public.
    pub public: bool,
}

impl Image {
    /// The SHA-256 fingerprint.
    pub fn fingerprint(&self) -> String {
        self.name()
    }
    /// The alias names pointing at this image.
    pub fn alias_names(&self) -> Vec<String> {
        let aliases: Vec<Value> = self.get("aliases").unwrap_or_default();
        aliases
            .iter()
            .filter_map(|a| Some(a.get("name")?.as_str()?.to_owned()))
            .collect()
    }
    /// `properties` as strings (`os`, `description`, ...).
    pub fn properties(&self) -> BTreeMap<String, String> {
        self.string_map("properties")
    }
    /// `architecture`.
    pub fn architecture(&self) -> Option<String> {
        self.get_str("architecture")
    }
    /// `type`: `container` or `virtual-machine`.
    pub fn image_type(&self) -> Option<String> {
        self.get_str("type")
    }
    /// `public`.
    pub fn public(&self) -> bool {
        self.get("public").unwrap_or(false)
    }
    /// `size` in bytes.
    pub fn size(&self) -> Option<u64> {
        self.get("size")
    }

    /// Streams the image file (`GET .../export`, a unified tarball) into `out`; returns the
    /// number of bytes written. Never holds the whole image in memory.
    pub async fn export_to<W: AsyncWrite + Unpin>(&self, out: &mut W) -> Result<u64> {
        let url = self.url().segment("export");
        let response = self.client().request(Method::GET, &url).send().await?;
        let response = crate::files::check_status(response, "GET", &url).await?;
        let mut body = response.bytes_stream();
        let mut written = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            out.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        out.flush().await?;
        Ok(written)
    }

    /// Adds an alias pointing at this image.
    pub async fn add_alias(&self, alias: &str, description: &str) -> Result<ImageAlias> {
        let aliases = Manager::<ImageAlias>::new(
            self.client().clone(),
            self.client().url().images().segment("aliases"),
        );
        let created = aliases
            .create(
                json!({"name": alias, "target": self.fingerprint(), "description": description}),
            )
            .await;
        crate::ops::sync(self).await?;
        created
    }
}

impl ImageAlias {
    /// `target`: the image fingerprint.
    pub fn target(&self) -> Option<String> {
        self.get_str("target")
    }
    /// `description`.
    pub fn description(&self) -> Option<String> {
        self.get_str("description")
    }
}

impl Manager<Image> {
    /// The image an alias points at.
    pub async fn by_alias(&self, alias: &str) -> Result<Image> {
        let url = self.url().clone().segment("aliases").name(alias);
        let client = self.client_ref();
        let alias = client.get_json(&url).await?;
        let target = alias
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Protocol("alias without target".into()))?;
        self.get(target).await
    }

    /// Uploads a unified image tarball, streamed from disk, calling `progress(sent, total)` as
    /// bytes go out; waits for the import, adds `options.aliases` and returns the image.
    pub async fn import(
        &self,
        tarball: &Path,
        options: &ImportOptions,
        progress: impl Fn(u64, u64) + Send + Sync + 'static,
    ) -> Result<Image> {
        let file = tokio::fs::File::open(tarball).await?;
        let total = file.metadata().await?.len();
        let sent = Arc::new(AtomicU64::new(0));
        let stream = tokio_util::io::ReaderStream::new(file).map(move |chunk| {
            if let Ok(bytes) = &chunk {
                let now =
                    sent.fetch_add(bytes.len() as u64, Ordering::Relaxed) + bytes.len() as u64;
                progress(now, total);
            }
            chunk
        });
        let client = self.client_ref();
        let url = self.url().clone();
        let request = client
            .request(Method::POST, &url)
            .header("Content-Type", "application/octet-stream")
            .header("Content-Length", total)
            .header("X-LXD-public", if options.public { "1" } else { "0" })
            .body(reqwest::Body::wrap_stream(stream));
        let answer = client.send(Method::POST, &url, request).await?;
        let op = client.complete(answer).await?;
        let fingerprint = op
            .pointer("/metadata/fingerprint")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Protocol("image import finished without a fingerprint".into()))?
            .to_owned();
        let image = self.get(&fingerprint).await?;
        for alias in &options.aliases {
            image.add_alias(alias, "").await?;
        }
        Ok(image)
    }
}
