//! Keyed registries of shared instances and weak identity maps.
//!
//! This is the Rust form of the Python `dyn.core.Singleton` metaclass, which keeps one instance
//! per (class key, thread). Here the key is explicit, the registry is an ordinary value, and the
//! scope is chosen by the caller:
//!
//! | scope | handle | lifetime of entries |
//! |---|---|---|
//! | process-global | [`Registry::global`] (and [`Registry::get`], [`Registry::insert`], …) | until removed |
//! | OS thread | [`Registry::thread`] | until removed or the thread exits |
//! | tokio task | [`Registry::task`] (feature `tokio`) | until removed or the task's [`TaskScope`] ends |
//! | override | [`Registry::with_override`], [`ScopeExt::with_override`] | one closure call / every poll of one future |
//!
//! [`Registry::current`] resolves the innermost entry (override → task → thread → global), in
//! the manner of tracing's dispatcher; inside a tokio task it skips the thread scope, because a
//! worker thread's entries belong to whichever task put them there. Lookups return `Option`; there is no hidden default.
//! [`WeakMap`] is an identity map that hands out the same live `Arc` per key without keeping
//! values alive.
//!
//! # Why task scopes need a wrapper
//! tokio has no hook that runs when a task ends, so an entry keyed by a task id alone would stay
//! forever. A task scope therefore exists only inside a [`TaskScope`] future (made by [`spawn`]
//! or [`ScopeExt::task_scope`]). During each poll it marks the running tokio task as scoped;
//! when it completes or is dropped it removes the task's entries from every registry. Entries
//! are keyed by `tokio::task::try_id()`, so a task keeps its entries when it migrates between
//! worker threads. [`Registry::task`] outside such a wrapper returns [`Error::NoTaskScope`].
//! Thread scopes are cleaned up by a thread-local guard whose destructor runs at thread exit.
//!
//! Spawned tasks inherit nothing. To hand the caller's entry to a child, capture it with
//! [`ScopeExt::with_current`] before spawning, as with tracing's `with_current_subscriber`.
//!
//! # Locks
//! `std::sync::RwLock` guards each registry. No lock is held across `.await`, user closures and
//! values' destructors never run under it, and [`ScopeHandle::get_or_try_init`] runs its
//! initialiser once per key while concurrent callers wait for it.
//!
//! # Example
//! ```
//! use std::sync::Arc;
//! use registry::{Registry, WeakMap};
//!
//! #[derive(Debug, PartialEq)]
//! struct Session(&'static str);
//!
//! let sessions: Registry<&'static str, Session> = Registry::new();
//! assert_eq!(sessions.current(&"tm"), None); // no hidden default
//! sessions.insert("tm", Session("global"));
//!
//! // A thread's own entry wins over the global one, on that thread only.
//! let worker = sessions.clone();
//! std::thread::spawn(move || -> registry::Result<()> {
//!     worker.thread()?.get_or_init("tm", || Session("thread"));
//!     assert_eq!(worker.current(&"tm").as_deref(), Some(&Session("thread")));
//!     Ok(())
//! })
//! .join()
//! .expect("thread ran")?;
//! // The thread exited, so its entry is gone.
//! assert_eq!(sessions.stats().thread_scopes, 0);
//! assert_eq!(sessions.current(&"tm").as_deref(), Some(&Session("global")));
//!
//! // An override wins over everything while the closure runs.
//! sessions.with_override("tm", Session("override"), || {
//!     assert_eq!(sessions.current(&"tm").as_deref(), Some(&Session("override")));
//! });
//!
//! // One live object per key, never kept alive by the map.
//! let zones: WeakMap<String, Session> = WeakMap::new();
//! let zone = zones.get_or_insert_with("example.com".into(), || Session("zone"));
//! assert!(Arc::ptr_eq(&zone, &zones.get(&"example.com".into()).expect("alive")));
//! drop(zone);
//! assert!(zones.is_empty());
//! # Ok::<(), registry::Error>(())
//! ```
//!
//! Task scopes, future overrides and propagation are shown on [`Registry::task`].

mod error;
mod ext;
mod handle;
mod overrides;
mod pending;
mod registry;
mod scope;
#[cfg(feature = "tokio")]
mod task;
mod thread;
mod weak_map;

pub use crate::error::{Error, Result};
pub use crate::ext::ScopeExt;
pub use crate::handle::ScopeHandle;
pub use crate::overrides::WithOverride;
pub use crate::registry::{Registry, Stats};
#[cfg(feature = "tokio")]
pub use crate::task::{TaskScope, spawn};
pub use crate::weak_map::WeakMap;
