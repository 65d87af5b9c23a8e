//! Files inside an instance: streamed push and pull, directories, symlinks, delete.

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use crate::client::Client;
use crate::envelope::Envelope;
use crate::error::{Error, Result};
use crate::url::ApiUrl;

/// Ownership and mode for pushed files and directories.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileOptions {
    /// Owner uid inside the instance (default 0).
    pub uid: Option<u32>,
    /// Owner gid inside the instance (default 0).
    pub gid: Option<u32>,
    /// Permission bits, e.g. `0o644`.
    pub mode: Option<u32>,
    /// Append to an existing file instead of replacing it.
    pub append: bool,
}

/// What a path inside the instance is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// A symbolic link.
    Symlink,
    /// Anything LXD reports otherwise.
    Other(String),
}

/// Metadata of a path inside the instance (from LXD's `X-LXD-*` headers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// File, directory or symlink.
    pub kind: FileKind,
    /// Owner uid.
    pub uid: Option<u32>,
    /// Owner gid.
    pub gid: Option<u32>,
    /// Permission bits.
    pub mode: Option<u32>,
}

/// The files API of one instance (`/1.0/instances/<n>/files`).
#[derive(Debug, Clone)]
pub struct Files {
    client: Client,
    url: ApiUrl,
}

impl Files {
    pub(crate) fn new(client: Client, url: ApiUrl) -> Self {
        Self { client, url }
    }

    fn at(&self, path: &str) -> ApiUrl {
        self.url.clone().query("path", path)
    }

    async fn post(
        &self,
        path: &str,
        kind: &str,
        options: FileOptions,
        body: reqwest::Body,
    ) -> Result<()> {
        let url = self.at(path);
        let mut request = self
            .client
            .request(Method::POST, &url)
            // Any form content type makes LXD parse the body away and write an empty file.
            .header("Content-Type", "application/octet-stream")
            .header("X-LXD-type", kind)
            .header(
                "X-LXD-write",
                if options.append {
                    "append"
                } else {
                    "overwrite"
                },
            );
        if let Some(uid) = options.uid {
            request = request.header("X-LXD-uid", uid);
        }
        if let Some(gid) = options.gid {
            request = request.header("X-LXD-gid", gid);
        }
        if let Some(mode) = options.mode {
            request = request.header("X-LXD-mode", format!("{mode:04o}"));
        }
        self.client
            .send(Method::POST, &url, request.body(body))
            .await
            .map(drop)
    }

    /// Writes `data` to the file at `path` (absolute inside the instance).
    pub async fn push(
        &self,
        path: &str,
        data: impl Into<Bytes>,
        options: FileOptions,
    ) -> Result<()> {
        self.post(path, "file", options, reqwest::Body::from(data.into()))
            .await
    }

    /// Streams a reader into the file at `path`; memory use stays bounded by the chunk size.
    pub async fn push_reader<R>(&self, path: &str, reader: R, options: FileOptions) -> Result<()>
    where
        R: AsyncRead + Send + Sync + 'static,
    {
        let stream = tokio_util::io::ReaderStream::new(reader);
        self.post(path, "file", options, reqwest::Body::wrap_stream(stream))
            .await
    }

    /// Streams a local file into the instance.
    pub async fn push_file(
        &self,
        path: &str,
        local: &std::path::Path,
        options: FileOptions,
    ) -> Result<()> {
        let file = tokio::fs::File::open(local).await?;
        self.push_reader(path, file, options).await
    }

    /// Creates a directory.
    pub async fn mkdir(&self, path: &str, options: FileOptions) -> Result<()> {
        self.post(
            path,
            "directory",
            options,
            reqwest::Body::from(Bytes::new()),
        )
        .await
    }

    /// Creates a symbolic link at `path` pointing at `target`.
    pub async fn symlink(&self, path: &str, target: &str) -> Result<()> {
        let body = reqwest::Body::from(target.to_owned());
        self.post(path, "symlink", FileOptions::default(), body)
            .await
    }

    /// Deletes a file, empty directory or symlink.
    pub async fn delete(&self, path: &str) -> Result<()> {
        let url = self.at(path);
        self.client
            .call(Method::DELETE, &url, None, None)
            .await
            .map(drop)
    }

    async fn get(&self, path: &str) -> Result<reqwest::Response> {
        let url = self.at(path);
        let response = self.client.request(Method::GET, &url).send().await?;
        check_status(response, "GET", &url).await
    }

    /// Reads the whole file into memory (use [`Files::pull_to`] for large files).
    pub async fn pull(&self, path: &str) -> Result<Bytes> {
        Ok(self.get(path).await?.bytes().await?)
    }

    /// Streams the file into `out`; returns the number of bytes written.
    pub async fn pull_to<W: AsyncWrite + Unpin>(&self, path: &str, out: &mut W) -> Result<u64> {
        let mut body = self.get(path).await?.bytes_stream();
        let mut written = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            out.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        out.flush().await?;
        Ok(written)
    }

    /// Type, owner and mode of `path`.
    pub async fn stat(&self, path: &str) -> Result<FileInfo> {
        let url = self.at(path);
        let response = self.client.request(Method::HEAD, &url).send().await?;
        let response = check_status(response, "HEAD", &url).await?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let kind = match header("x-lxd-type").as_deref() {
            Some("file") => FileKind::File,
            Some("directory") => FileKind::Directory,
            Some("symlink") => FileKind::Symlink,
            other => FileKind::Other(other.unwrap_or_default().to_owned()),
        };
        Ok(FileInfo {
            kind,
            uid: header("x-lxd-uid").and_then(|v| v.parse().ok()),
            gid: header("x-lxd-gid").and_then(|v| v.parse().ok()),
            mode: header("x-lxd-mode").and_then(|v| u32::from_str_radix(&v, 8).ok()),
        })
    }

    /// The entry names of a directory.
    pub async fn list_dir(&self, path: &str) -> Result<Vec<String>> {
        let entries = self.client.get_json(&self.at(path)).await?;
        Ok(entries
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e.as_str().map(str::to_owned))
            .collect())
    }
}

/// Passes a success through; turns an error answer into the typed error.
pub(crate) async fn check_status(
    response: reqwest::Response,
    method: &str,
    url: &ApiUrl,
) -> Result<reqwest::Response> {
    let status = response.status().as_u16();
    if status < 400 {
        return Ok(response);
    }
    let body = response.bytes().await?;
    let message = match Envelope::decode(status, &body) {
        Some(Envelope::Error { message, .. }) => message,
        _ => String::from_utf8_lossy(&body).into_owned(),
    };
    Err(Error::from_api(status, method, &url.to_string(), message))
}

/// A text body, or the typed error.
pub(crate) async fn text_or_error(
    response: reqwest::Response,
    method: &str,
    url: &ApiUrl,
) -> Result<String> {
    let response = check_status(response, method, url).await?;
    let body = response.bytes().await?;
    // Some endpoints wrap text in a sync envelope.
    if let Some(Envelope::Sync {
        metadata: Value::String(text),
    }) = Envelope::decode(200, &body)
    {
        return Ok(text);
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}
