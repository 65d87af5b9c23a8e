//! opskit: operations automation for Rust, one crate per component, re-exported here behind features.
//!
//! The facade holds no logic of its own. Depend on it with the features you need,
//! or on a component crate directly; both give the same types.
//!
//! | feature | module | what it is |
//! |---|---|---|
//! | `registry` | [`registry`] | keyed singleton registries (global, per thread, per task, scoped) and weak identity maps |
//! | `encryption` | [`encryption`] | secrets sealed with AES-256-GCM in memory and at rest, keys and key derivation |
//! | `full` | all of the above | everything stable |
//!
//! No feature is on by default.
//!
//! The DynECT clients (`session-core`, `dyn-tm`, `dyn-mm`), `lxd-models`, `conn-mgr` and
//! `durabledict` join this table as they are implemented.

#[cfg(feature = "encryption")]
pub use encryption;
#[cfg(feature = "registry")]
pub use registry;
