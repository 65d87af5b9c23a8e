//! An immutable, consistent view of a dict at one marker.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use crate::{EncodingError, Error, Marker, Result};

/// A consistent view of the whole dict at one [`Marker`]; iterating, counting and looking
/// up never do I/O and never see a half-applied change.
///
/// Values that failed to decode are kept aside in [`Snapshot::corrupt`]: they are absent
/// from lookups and iteration, and [`Snapshot::try_get`] reports them as
/// [`Error::Decode`] naming the key.
#[derive(Debug)]
pub struct Snapshot<V> {
    pub(crate) entries: HashMap<Arc<str>, Arc<V>>,
    pub(crate) corrupt: HashMap<Arc<str>, EncodingError>,
    pub(crate) marker: Marker,
    pub(crate) loaded: bool,
    pub(crate) synced_at: Instant,
}

impl<V> Clone for Snapshot<V> {
    fn clone(&self) -> Self {
        Self {
            entries: self.entries.clone(),
            corrupt: self.corrupt.clone(),
            marker: self.marker,
            loaded: self.loaded,
            synced_at: self.synced_at,
        }
    }
}

impl<V> Snapshot<V> {
    pub(crate) fn empty() -> Self {
        Self {
            entries: HashMap::new(),
            corrupt: HashMap::new(),
            marker: Marker::default(),
            loaded: false,
            synced_at: Instant::now(),
        }
    }

    /// The value of `key`, if present and decodable.
    pub fn get(&self, key: &str) -> Option<&Arc<V>> {
        self.entries.get(key)
    }

    /// The value of `key`; a value that failed to decode is an [`Error::Decode`].
    pub fn try_get(&self, key: &str) -> Result<Option<&Arc<V>>> {
        if let Some(source) = self.corrupt.get(key) {
            return Err(Error::Decode {
                key: key.to_owned(),
                source: source.clone(),
            });
        }
        Ok(self.entries.get(key))
    }

    /// Whether `key` is present (including a value that failed to decode).
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.contains_key(key) || self.corrupt.contains_key(key)
    }

    /// Number of keys (including values that failed to decode).
    pub fn len(&self) -> usize {
        self.entries.len() + self.corrupt.len()
    }

    /// Whether the dict has no keys.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keys with decodable values, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(|k| &**k)
    }

    /// Decodable values, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &Arc<V>> {
        self.entries.values()
    }

    /// Key/value pairs with decodable values, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Arc<V>)> {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }

    /// Keys whose stored value could not be decoded, with the reason.
    pub fn corrupt(&self) -> impl Iterator<Item = (&str, &EncodingError)> {
        self.corrupt.iter().map(|(k, e)| (&**k, e))
    }

    /// The backend marker this view corresponds to.
    pub fn marker(&self) -> Marker {
        self.marker
    }

    /// When this view's data was loaded or last patched.
    pub fn synced_at(&self) -> Instant {
        self.synced_at
    }

    /// A plain map copy of the decodable entries.
    pub fn to_map(&self) -> HashMap<String, Arc<V>> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), Arc::clone(v)))
            .collect()
    }

    pub(crate) fn put(&mut self, key: &str, value: Result<V, EncodingError>) {
        let key: Arc<str> = Arc::from(key);
        match value {
            Ok(value) => {
                self.corrupt.remove(&key);
                self.entries.insert(key, Arc::new(value));
            }
            Err(error) => {
                self.entries.remove(&key);
                self.corrupt.insert(key, error);
            }
        }
    }

    pub(crate) fn delete(&mut self, key: &str) {
        self.entries.remove(key);
        self.corrupt.remove(key);
    }
}

impl<'a, V> IntoIterator for &'a Snapshot<V> {
    type Item = (&'a Arc<str>, &'a Arc<V>);
    type IntoIter = std::collections::hash_map::Iter<'a, Arc<str>, Arc<V>>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}
