//! Integration tests for durabledict: one conformance suite run against every backend
//! (memory, a third-party one defined here, SQLite, Redis, PostgreSQL, ZooKeeper), plus
//! encodings against the bytes Python wrote, Python interop on the real Redis, faults and
//! the blocking facade.
//!
//! The server backends need `cargo xtask services up`; without it they fail saying so.

mod conformance;
mod costs;
mod custom;
#[cfg(feature = "pickle")]
mod encodings;
mod memory;
mod services;

#[cfg(feature = "redis")]
mod blocking;
#[cfg(feature = "redis")]
mod faults;
#[cfg(feature = "redis")]
mod interop;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(all(
    feature = "redis",
    feature = "sqlite",
    feature = "postgres",
    feature = "zookeeper"
))]
mod processes;
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "zookeeper")]
mod zk_faults;
#[cfg(feature = "zookeeper")]
mod zookeeper;

use std::sync::atomic::{AtomicU32, Ordering};

/// A keyspace no other test (or earlier run) uses.
pub(crate) fn unique(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "opskit-test-{prefix}-{}-{nanos}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
