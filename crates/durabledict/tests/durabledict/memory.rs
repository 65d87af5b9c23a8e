//! The conformance suite on the in-process backend.

use std::sync::Arc;

use durabledict::{Backend, MemoryBackend};
use futures_util::FutureExt as _;

use crate::conformance::{Opener, conformance_suite};

async fn open(_keyspace: &str) -> Opener {
    let store = MemoryBackend::new();
    Arc::new(move || {
        let store = store.clone();
        async move { Arc::new(store) as Arc<dyn Backend> }.boxed()
    })
}

conformance_suite!(open, delta = true, pushes = true, atomic = true);
