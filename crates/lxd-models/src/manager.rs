//! `Manager<T>`: get, list, names, create and delete for one collection.

use std::marker::PhantomData;

use reqwest::Method;
use serde_json::Value;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{Handle, Model};
use crate::url::ApiUrl;

/// The objects of one kind under one collection URL (`/1.0/profiles`,
/// `/1.0/instances/c1/snapshots`, ...), scoped to the client's project.
///
/// Lists are one `?recursion=1` request; objects come from the client's identity map, so
/// the same name gives the same object while a handle is alive.
pub struct Manager<T> {
    client: Client,
    collection: ApiUrl,
    kind: PhantomData<fn() -> T>,
}

impl<T> Clone for Manager<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            collection: self.collection.clone(),
            kind: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Manager<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Manager")
            .field("collection", &self.collection)
            .finish()
    }
}

/// What [`Manager::delete`] accepts: a name or a model.
#[derive(Debug, Clone)]
pub struct Target(String);

impl From<&str> for Target {
    fn from(name: &str) -> Self {
        Self(name.to_owned())
    }
}

impl From<String> for Target {
    fn from(name: String) -> Self {
        Self(name)
    }
}

impl<T: Model> From<&T> for Target {
    fn from(model: &T) -> Self {
        Self(model.handle().name())
    }
}

impl<T: Model> Manager<T> {
    pub(crate) fn new(client: Client, collection: ApiUrl) -> Self {
        Self {
            client,
            collection,
            kind: PhantomData,
        }
    }

    pub(crate) fn client_ref(&self) -> &Client {
        &self.client
    }

    /// The collection URL.
    pub fn url(&self) -> &ApiUrl {
        &self.collection
    }

    /// The URL of the object called `name`.
    pub fn object_url(&self, name: &str) -> ApiUrl {
        self.collection.clone().name(name)
    }

    /// Fetches one object by name (`GET`), refreshing the live object if there is one.
    pub async fn get(&self, name: &str) -> Result<T> {
        fetch(&self.client, self.object_url(name)).await
    }

    /// Whether an object called `name` exists.
    pub async fn exists(&self, name: &str) -> Result<bool> {
        match self.get(name).await {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// All objects with their full JSON in ONE request (`?recursion=1`), in server order.
    pub async fn list(&self) -> Result<Vec<T>> {
        let url = self.collection.clone().query("recursion", "1");
        let items = self.client.get_json(&url).await?;
        let mut models = Vec::new();
        for item in flatten(items) {
            let name = name_of::<T>(&item)?;
            let handle = Handle::adopt(&self.client, self.object_url(&name), item, None);
            models.push(T::from_handle(handle));
        }
        Ok(models)
    }

    /// Like [`Manager::list`], keeping objects whose JSON satisfies `keep`.
    pub async fn list_where(&self, keep: impl Fn(&Value) -> bool) -> Result<Vec<T>> {
        let mut all = self.list().await?;
        all.retain(|m| keep(&m.handle().json()));
        Ok(all)
    }

    /// The object at position `index` in the server's order.
    pub async fn nth(&self, index: usize) -> Result<T> {
        let names = self.names().await?;
        let name = names.get(index).ok_or_else(|| Error::NotFound {
            method: "GET".to_owned(),
            path: self.collection.to_string(),
            message: format!("no object at position {index} of {}", names.len()),
        })?;
        self.get(name).await
    }

    /// The names of all objects (one request, no recursion).
    pub async fn names(&self) -> Result<Vec<String>> {
        let urls = self.client.get_json(&self.collection).await?;
        let mut names = Vec::new();
        for url in flatten(urls) {
            let url = url.as_str().and_then(ApiUrl::parse).ok_or_else(|| {
                Error::Protocol(format!(
                    "{}: list entry is not an api url: {url}",
                    self.collection
                ))
            })?;
            names.push(url.last_segment());
        }
        Ok(names)
    }

    /// Creates an object from `spec` (the POST body LXD documents for this kind), waits for
    /// the operation if there is one, and returns it fetched.
    pub async fn create(&self, spec: Value) -> Result<T> {
        let answer = self
            .client
            .call(Method::POST, &self.collection, Some(&spec), None)
            .await?;
        let location = answer.location.clone();
        let metadata = self.client.complete(answer).await?;
        let name = spec
            .get(T::NAME_KEY)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| created_name(location.as_deref(), &metadata))
            .ok_or_else(|| {
                Error::Protocol(format!(
                    "{}: cannot tell the created object's name",
                    self.collection
                ))
            })?;
        self.get(&name).await
    }

    /// Deletes an object by name or model and waits for the operation; a live object leaves the
    /// identity map.
    pub async fn delete(&self, target: impl Into<Target>) -> Result<()> {
        let url = self.object_url(&target.into().0);
        delete_url(&self.client, &url).await
    }
}

/// `GET url` into a model from the identity map.
pub(crate) async fn fetch<T: Model>(client: &Client, url: ApiUrl) -> Result<T> {
    let answer = client.call(Method::GET, &url, None, None).await?;
    let etag = answer.etag.clone();
    let meta = client.complete(answer).await?;
    Ok(T::from_handle(Handle::adopt(client, url, meta, etag)))
}

/// `DELETE url`, wait, evict.
pub(crate) async fn delete_url(client: &Client, url: &ApiUrl) -> Result<()> {
    let answer = client.call(Method::DELETE, url, None, None).await?;
    client.complete(answer).await?;
    let key = url.identity_key();
    if let Some(node) = client.identity().get(&key) {
        client.identity().remove_if(&key, &node);
    }
    Ok(())
}

/// Lists come as arrays; `/1.0/operations` groups them by status in an object of arrays.
fn flatten(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        Value::Object(groups) => groups
            .into_iter()
            .flat_map(|(_, v)| match v {
                Value::Array(items) => items,
                _ => Vec::new(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn name_of<T: Model>(item: &Value) -> Result<String> {
    item.get(T::NAME_KEY)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::Protocol(format!("list item without `{}`", T::NAME_KEY)))
}

/// The name of a created object from the `Location` header or the operation's resources.
fn created_name(location: Option<&str>, operation: &Value) -> Option<String> {
    if let Some(url) = location
        .and_then(ApiUrl::parse)
        .filter(|u| !u.path().contains("/operations/"))
    {
        return Some(url.last_segment());
    }
    if let Some(fingerprint) = operation
        .pointer("/metadata/fingerprint")
        .and_then(Value::as_str)
    {
        return Some(fingerprint.to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn flattens_grouped_lists() {
        let grouped = json!({"running": [{"id": "a"}], "success": [{"id": "b"}, {"id": "c"}]});
        assert_eq!(flatten(grouped).len(), 3);
        assert_eq!(flatten(json!([1, 2])).len(), 2);
        assert!(flatten(Value::Null).is_empty());
    }

    #[test]
    fn created_name_sources() {
        assert_eq!(
            created_name(Some("/1.0/profiles/p1"), &Value::Null).as_deref(),
            Some("p1")
        );
        let op = json!({"metadata": {"fingerprint": "abc"}});
        assert_eq!(
            created_name(Some("/1.0/operations/x"), &op).as_deref(),
            Some("abc")
        );
        assert_eq!(created_name(None, &Value::Null), None);
    }
}
