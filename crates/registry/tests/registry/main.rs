//! Integration tests of the `registry` crate: scopes, cleanup, initialisation, overrides,
//! `WeakMap` and auto traits. One binary, one module per topic.

#![cfg(feature = "tokio")]

mod auto_traits;
mod cleanup;
mod init;
mod overrides;
mod scopes;
mod weak_map;

/// What the tests store: an owner tag, so cross-talk is visible.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Instance(pub(crate) usize);

/// The one key all contenders use.
pub(crate) const KEY: &str = "session";

pub(crate) fn multi_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_time()
        .build()
        .expect("a runtime builds")
}
