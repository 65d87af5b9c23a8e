//! Top-level functions on models: `save`, `sync`, `rollback`, `delete`, `patch`.
//!
//! They live outside the models so that model data never collides with client methods
//! (the 3.0 proposal's point 3).

use reqwest::Method;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::manager::delete_url;
use crate::model::{Handle, Model};

/// Keys that LXD lets a PUT change on most kinds: what a save without an ETag checks for
/// changes made elsewhere since the object was listed.
const WRITABLE: &[&str] = &[
    "config",
    "devices",
    "description",
    "profiles",
    "ephemeral",
    "architecture",
    "properties",
];

/// Writes the whole object back (`PUT`, local edits included) with its ETag as `If-Match`,
/// waits for the operation, then re-reads it.
///
/// A change made on the server since the object was fetched gives [`Error::Conflict`]
/// (HTTP 412) and nothing is written. Objects that came from a list carry no ETag; for them
/// the current ETag is fetched first and the writable fields (`config`, `devices`,
/// `description`, ...) that were not edited locally must still match, else it is a conflict.
pub async fn save<M: Model>(model: &M) -> Result<()> {
    let handle = model.handle();
    let etag = match handle.etag() {
        Some(etag) => Some(etag),
        None => etag_if_unchanged(handle).await?,
    };
    put(handle, etag.as_deref()).await
}

/// Like [`save`] without `If-Match`: the last writer wins, as in pylxd.
pub async fn save_force<M: Model>(model: &M) -> Result<()> {
    put(model.handle(), None).await
}

async fn put(handle: &Handle, etag: Option<&str>) -> Result<()> {
    let client = handle.client();
    let url = handle.url();
    let answer = client
        .call(Method::PUT, &url, Some(&handle.json()), etag)
        .await?;
    client.complete(answer).await?;
    handle.clear_dirty();
    reload(handle, false).await
}

/// Fetches the current ETag and checks the object's writable fields are as we saw them.
async fn etag_if_unchanged(handle: &Handle) -> Result<Option<String>> {
    let client = handle.client();
    let url = handle.url();
    let answer = client.call(Method::GET, &url, None, None).await?;
    let etag = answer.etag.clone();
    let current = client.complete(answer).await?;
    let ours = handle.json();
    let dirty = handle.dirty_keys();
    for key in WRITABLE.iter().filter(|k| !dirty.iter().any(|d| d == *k)) {
        if ours.get(key).is_some() && ours.get(key) != current.get(key) {
            return Err(Error::Conflict {
                method: "PUT".to_owned(),
                path: url.to_string(),
                message: format!("`{key}` changed on the server since the object was listed"),
            });
        }
    }
    Ok(etag)
}

/// Re-reads the object, keeping local edits on top (they stay marked as edited).
pub async fn sync<M: Model>(model: &M) -> Result<()> {
    reload(model.handle(), true).await
}

/// Re-reads the object and drops local edits.
pub async fn rollback<M: Model>(model: &M) -> Result<()> {
    reload(model.handle(), false).await
}

async fn reload(handle: &Handle, keep_edits: bool) -> Result<()> {
    let client = handle.client();
    let answer = client.call(Method::GET, &handle.url(), None, None).await?;
    let etag = answer.etag.clone();
    let meta = client.complete(answer).await?;
    handle.refresh(meta, etag, keep_edits);
    Ok(())
}

/// Deletes the object on the server (waiting for the operation); it leaves the identity map.
pub async fn delete<M: Model>(model: &M) -> Result<()> {
    let handle = model.handle();
    delete_url(handle.client(), &handle.url()).await
}

/// Sends only `changes` (`PATCH`, merged by LXD; a config key set to `null` or `""` is
/// removed), with the ETag as `If-Match`, then re-reads the object keeping other local edits.
pub async fn patch<M: Model>(model: &M, changes: Value) -> Result<()> {
    let handle = model.handle();
    let client = handle.client();
    let answer = client
        .call(
            Method::PATCH,
            &handle.url(),
            Some(&changes),
            handle.etag().as_deref(),
        )
        .await?;
    client.complete(answer).await?;
    reload(handle, true).await
}
