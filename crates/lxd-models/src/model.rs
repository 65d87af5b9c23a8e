//! Model objects: the whole `metadata` JSON of one LXD object, its ETag and local edits.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Client;
use crate::url::ApiUrl;

/// Shared state behind every handle on one object.
pub(crate) struct Node {
    pub(crate) client: Client,
    url: RwLock<ApiUrl>,
    state: RwLock<State>,
}

struct State {
    meta: Value,
    etag: Option<String>,
    /// Top-level keys edited locally since the last fetch.
    dirty: BTreeSet<String>,
}

/// A reference to one LXD object: the whole JSON as last fetched, plus local edits.
///
/// All handles for the same URL (and project) that are alive at the same time are the same
/// object: an edit through one is seen through all. Every kind of model (`Profile`,
/// `Instance`, ...) dereferences to a `Handle`, so these accessors work on all of them.
#[derive(Clone)]
pub struct Handle(pub(crate) Arc<Node>);

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

impl Handle {
    /// Finds or creates the object for `url` in the client's identity map and stores this
    /// fetched state in it (local edits of a live object are kept on top).
    pub(crate) fn adopt(client: &Client, url: ApiUrl, meta: Value, etag: Option<String>) -> Self {
        let key = url.identity_key();
        let mut fresh = Some((meta, etag));
        let (node, _created) = client.identity().get_or_insert_with(key, || {
            let (meta, etag) = fresh.take().expect("closure runs at most once");
            Node {
                client: client.clone(),
                url: RwLock::new(url),
                state: RwLock::new(State {
                    meta,
                    etag,
                    dirty: BTreeSet::new(),
                }),
            }
        });
        let handle = Self(node);
        // Still ours when an existing (or racing) object was returned: store it there.
        if let Some((meta, etag)) = fresh {
            handle.refresh(meta, etag, true);
        }
        handle
    }

    /// Replaces the fetched state; `keep_edits` re-applies locally edited keys on top.
    pub(crate) fn refresh(&self, mut meta: Value, etag: Option<String>, keep_edits: bool) {
        let mut state = write(&self.0.state);
        if keep_edits && let Some(fresh) = meta.as_object_mut() {
            for key in &state.dirty {
                match state.meta.get(key) {
                    Some(local) => fresh.insert(key.clone(), local.clone()),
                    None => fresh.remove(key),
                };
            }
        } else {
            state.dirty.clear();
        }
        state.meta = meta;
        state.etag = etag;
    }

    pub(crate) fn client(&self) -> &Client {
        &self.0.client
    }

    pub(crate) fn set_url(&self, url: ApiUrl) {
        *write(&self.0.url) = url;
    }

    pub(crate) fn clear_dirty(&self) {
        write(&self.0.state).dirty.clear();
    }

    /// The object's API URL (with its project).
    pub fn url(&self) -> ApiUrl {
        read(&self.0.url).clone()
    }

    /// The object's name as it appears in its URL (fingerprint for images, id for operations).
    pub fn name(&self) -> String {
        read(&self.0.url).last_segment()
    }

    /// The ETag of the last fetch, sent as `If-Match` by [`crate::save`].
    pub fn etag(&self) -> Option<String> {
        read(&self.0.state).etag.clone()
    }

    /// A copy of the whole metadata, local edits included.
    pub fn json(&self) -> Value {
        read(&self.0.state).meta.clone()
    }

    /// A top-level field decoded as `T`; `None` when missing or of another shape.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let state = read(&self.0.state);
        state.meta.get(key).and_then(|v| T::deserialize(v).ok())
    }

    /// A nested field by JSON pointer (`/expanded_config/image.os`) decoded as `T`.
    pub fn pointer<T: DeserializeOwned>(&self, pointer: &str) -> Option<T> {
        let state = read(&self.0.state);
        state
            .meta
            .pointer(pointer)
            .and_then(|v| T::deserialize(v).ok())
    }

    /// A top-level string field.
    pub fn get_str(&self, key: &str) -> Option<String> {
        self.get(key)
    }

    /// Sets a top-level field locally and marks it edited. `save` sends it.
    ///
    /// Takes anything that converts to JSON infallibly (`&str`, numbers, `bool`, `Vec`,
    /// `serde_json::json!(..)`); see [`Handle::set_serialized`] for other types.
    pub fn set(&self, key: &str, value: impl Into<Value>) {
        let value = value.into();
        self.edit(key, |slot| *slot = value);
    }

    /// Sets a nested field by JSON pointer, creating objects on the way; marks its top-level
    /// key edited. `set_pointer("/config/user.note", "hi")`.
    pub fn set_pointer(&self, pointer: &str, value: impl Into<Value>) {
        let value = value.into();
        let mut parts = pointer
            .split('/')
            .skip(1)
            .map(|p| p.replace("~1", "/").replace("~0", "~"));
        let Some(top) = parts.next() else { return };
        let rest: Vec<String> = parts.collect();
        self.edit(&top, |slot| {
            let mut cursor = slot;
            for part in rest {
                if !cursor.is_object() {
                    *cursor = Value::Object(serde_json::Map::new());
                }
                cursor = cursor
                    .as_object_mut()
                    .expect("just made an object")
                    .entry(part)
                    .or_insert(Value::Null);
            }
            *cursor = value;
        });
    }

    /// Sets a top-level field from any `Serialize` value; fails (changing nothing) when the
    /// value cannot be represented as JSON.
    pub fn set_serialized(&self, key: &str, value: impl Serialize) -> crate::Result<()> {
        let value = serde_json::to_value(value)
            .map_err(|e| crate::Error::InvalidValue(format!("{key}: {e}")))?;
        self.set(key, value);
        Ok(())
    }

    /// Removes a top-level field locally (marks it edited).
    pub fn remove(&self, key: &str) {
        let mut state = write(&self.0.state);
        if let Some(map) = state.meta.as_object_mut() {
            map.remove(key);
        }
        state.dirty.insert(key.to_owned());
    }

    /// Edits a top-level field in place (created as `null` if missing) and marks it edited.
    pub fn edit(&self, key: &str, change: impl FnOnce(&mut Value)) {
        let mut state = write(&self.0.state);
        if !state.meta.is_object() {
            state.meta = Value::Object(serde_json::Map::new());
        }
        let map = state.meta.as_object_mut().expect("made an object above");
        change(map.entry(key.to_owned()).or_insert(Value::Null));
        state.dirty.insert(key.to_owned());
    }

    /// Top-level keys edited locally since the last fetch.
    pub fn dirty_keys(&self) -> Vec<String> {
        read(&self.0.state).dirty.iter().cloned().collect()
    }

    /// Whether there are local edits.
    pub fn is_dirty(&self) -> bool {
        !read(&self.0.state).dirty.is_empty()
    }

    /// Whether two handles are the same object (same identity-map entry).
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }

    /// A string-to-string map field such as `config`.
    pub(crate) fn string_map(&self, key: &str) -> std::collections::BTreeMap<String, String> {
        let state = read(&self.0.state);
        let Some(map) = state.meta.get(key).and_then(Value::as_object) else {
            return Default::default();
        };
        map.iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
            .collect()
    }

    /// A list-of-strings field such as `profiles` or `used_by`.
    pub(crate) fn string_list(&self, key: &str) -> Vec<String> {
        self.get::<Vec<String>>(key).unwrap_or_default()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = read(&self.0.state);
        f.debug_struct("Handle")
            .field("url", &*read(&self.0.url))
            .field("etag", &state.etag)
            .field("dirty", &state.dirty)
            .finish_non_exhaustive()
    }
}

/// Implemented by every kind of model; what [`crate::Manager`] and the top-level functions
/// need to know about a kind.
pub trait Model: Clone + fmt::Debug + Send + Sync + 'static {
    /// The field of a list item that is the last segment of its URL.
    const NAME_KEY: &'static str;

    /// The handle shared by all copies of this object.
    fn handle(&self) -> &Handle;

    /// Wraps a handle; the handle's URL must point at this kind.
    fn from_handle(handle: Handle) -> Self;
}

/// Declares a model kind: a newtype over [`Handle`] that dereferences to it.
macro_rules! model {
    ($(#[$doc:meta])* $name:ident, $key:literal) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(pub(crate) $crate::model::Handle);

        impl $crate::model::Model for $name {
            const NAME_KEY: &'static str = $key;
            fn handle(&self) -> &$crate::model::Handle {
                &self.0
            }
            fn from_handle(handle: $crate::model::Handle) -> Self {
                Self(handle)
            }
        }

        impl std::ops::Deref for $name {
            type Target = $crate::model::Handle;
            fn deref(&self) -> &$crate::model::Handle {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }
    };
}
pub(crate) use model;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn handle(client: &Client, name: &str, meta: Value) -> Handle {
        Handle::adopt(
            client,
            ApiUrl::root().profiles().name(name),
            meta,
            Some("\"e1\"".into()),
        )
    }

    fn offline_client() -> Client {
        // Building a client never connects, so model logic is testable without a daemon.
        Client::unix("/nonexistent/unix.socket").expect("client")
    }

    #[test]
    fn edits_are_tracked_per_top_level_key() {
        let client = offline_client();
        let p = handle(
            &client,
            "p",
            json!({"name": "p", "config": {"a": "1"}, "future_field": [1]}),
        );
        assert!(!p.is_dirty());
        p.set_pointer("/config/user.x~1y", "2");
        p.set_pointer("/devices/root/path", "/");
        assert_eq!(p.dirty_keys(), ["config", "devices"]);
        assert_eq!(
            p.pointer::<String>("/config/user.x~1y").as_deref(),
            Some("2")
        );
        assert_eq!(p.json()["config"]["user.x/y"], "2");
        assert_eq!(p.json()["devices"], json!({"root": {"path": "/"}}));
        assert_eq!(p.get::<Vec<u8>>("future_field"), Some(vec![1]));
        assert_eq!(
            p.get::<String>("future_field"),
            None,
            "wrong shape reads as absent"
        );
        p.remove("future_field");
        assert!(p.json().get("future_field").is_none());
        assert!(p.set_serialized("n", 5u8).is_ok());
        assert_eq!(p.get::<u8>("n"), Some(5));
    }

    #[test]
    fn refresh_keeps_or_drops_edits() {
        let client = offline_client();
        let p = handle(&client, "p", json!({"description": "old", "config": {}}));
        p.set("description", "mine");
        p.remove("config");
        p.refresh(
            json!({"description": "server", "config": {"k": "v"}, "used_by": []}),
            None,
            true,
        );
        assert_eq!(p.get_str("description").as_deref(), Some("mine"));
        assert!(
            p.json().get("config").is_none(),
            "a local removal survives a sync"
        );
        assert!(
            p.json().get("used_by").is_some(),
            "new server fields arrive"
        );
        assert_eq!(p.etag(), None);
        p.refresh(json!({"description": "server"}), Some("e2".into()), false);
        assert_eq!(p.get_str("description").as_deref(), Some("server"));
        assert!(!p.is_dirty());
    }

    #[test]
    fn identity_map_hands_out_one_object_per_url_and_project() {
        let client = offline_client();
        let a = handle(&client, "p", json!({"description": "1"}));
        a.set("description", "edited");
        let b = handle(&client, "p", json!({"description": "2"}));
        assert!(Handle::ptr_eq(&a, &b));
        assert_eq!(
            b.get_str("description").as_deref(),
            Some("edited"),
            "live edits win over a re-fetch"
        );
        let scoped = client.project("other");
        let c = Handle::adopt(&scoped, scoped.url().profiles().name("p"), json!({}), None);
        assert!(!Handle::ptr_eq(&a, &c));
        assert_eq!(client.live_objects(), 2);
        drop((a, b, c));
        assert_eq!(client.live_objects(), 0);
    }
}
