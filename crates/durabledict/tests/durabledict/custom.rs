//! A third-party backend written from the four required primitives only, passing the same
//! conformance suite (its atomic operations are the trait's defaults).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use durabledict::{Backend, Marker, RawSnapshot, Result};
use futures_util::FutureExt as _;

use crate::conformance::{Opener, conformance_suite};

/// A shared map with a change counter: all a backend needs.
#[derive(Debug, Default)]
struct MapBackend {
    state: Mutex<(u64, HashMap<String, Vec<u8>>)>,
}

impl MapBackend {
    fn with<T>(&self, f: impl FnOnce(&mut (u64, HashMap<String, Vec<u8>>)) -> T) -> T {
        f(&mut self.state.lock().expect("no panics while locked"))
    }
}

#[async_trait::async_trait]
impl Backend for MapBackend {
    fn name(&self) -> &'static str {
        "map"
    }

    async fn persist(&self, key: &str, raw: Vec<u8>) -> Result<Marker> {
        Ok(self.with(|(version, map)| {
            map.insert(key.to_owned(), raw);
            *version += 1;
            Marker::new(*version)
        }))
    }

    async fn depersist(&self, key: &str) -> Result<Option<Marker>> {
        Ok(self.with(|(version, map)| {
            map.remove(key)?;
            *version += 1;
            Some(Marker::new(*version))
        }))
    }

    async fn durables(&self) -> Result<RawSnapshot> {
        Ok(self.with(|(version, map)| RawSnapshot {
            marker: Marker::new(*version),
            entries: map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }))
    }

    async fn last_updated(&self) -> Result<Marker> {
        Ok(self.with(|(version, _)| Marker::new(*version)))
    }
}

async fn open(_keyspace: &str) -> Opener {
    let store = Arc::new(MapBackend::default());
    Arc::new(move || {
        let store = Arc::clone(&store);
        async move { store as Arc<dyn Backend> }.boxed()
    })
}

// Its set_default/pop/compare-and-set defaults are not atomic across clients, but the
// clients here share one process-wide lock, and every change is a full reload.
conformance_suite!(open, delta = false, pushes = false, atomic = false);
