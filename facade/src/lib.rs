//! opskit: operations automation for Rust, one crate per component, re-exported here behind features.
//!
//! The facade holds no logic of its own. Depend on it with the features you need, or on a
//! component crate directly; both give the same types. No feature is on by default.
//!
//! | feature | module | what it is |
//! |---|---|---|
//! | `registry` | [`registry`] | keyed singleton registries (global, per thread, per task, scoped) and weak identity maps |
//! | `encryption` | [`encryption`] | secrets sealed with AES-256-GCM in memory and at rest; keys and Argon2id derivation |
//! | `session-core` | [`session_core`] | the HTTP session engine behind the DynECT clients: retries, jobs, history, current session |
//! | `dyn-tm` | [`dyn_tm`] | DynECT Traffic Management: zones, ~30 record types, services, accounts, reports |
//! | `dyn-mm` | [`dyn_mm`] | DynECT Message Management: sending, senders, suppressions, paged reports |
//! | `lxd-models` | [`lxd_models`] | LXD: models keeping the whole JSON, managers, `save` with ETag conflicts, exec |
//! | `conn-mgr` | [`conn_mgr`] | network devices: testbed YAML, aliases, paths, pools, an SSH CLI with prompts |
//! | `durabledict` | [`durabledict`] | a dict cached in process, synced from a durable store only when it changed |
//! | `dict-sqlite`, `dict-redis`, `dict-postgres`, `dict-zookeeper` | | durabledict backends |
//! | `dict-pickle`, `dict-encryption` | | durabledict encodings: Python pickle, sealed values |
//! | `full` | all of the above | everything stable |
//!
//! `cargo run -p opskit --example tour` shows the pieces working together without any server.

#![forbid(unsafe_code)]

/// Keyed registries and weak identity maps.
///
/// ```
/// let sessions: opskit::registry::Registry<&str, String> = opskit::registry::Registry::new();
/// sessions.insert("tm", "process default".to_owned());
/// assert_eq!(sessions.current(&"tm").as_deref().map(String::as_str), Some("process default"));
/// ```
#[cfg(feature = "registry")]
pub use registry;

/// Secrets sealed in memory and at rest.
///
/// ```
/// let password = opskit::encryption::Secret::new("hunter2")?;
/// assert_eq!(password.to_string(), "***");
/// # Ok::<(), opskit::encryption::Error>(())
/// ```
#[cfg(feature = "encryption")]
pub use encryption;

/// The HTTP session engine for token-authenticated JSON APIs.
///
/// ```no_run
/// use opskit::session_core::{Credentials, DynTm, Endpoint, Session};
/// # async fn run() -> Result<(), opskit::session_core::Error> {
/// let credentials = Credentials::new("acme", "alice", "s3cret")?;
/// let session = Session::builder(DynTm, Endpoint::https("api.dynect.net"), credentials)
///     .log_in()
///     .await?;
/// session.log_out().await?;
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "session-core")]
pub use session_core;

/// DynECT Traffic Management.
///
/// ```no_run
/// # async fn run() -> opskit::dyn_tm::Result<()> {
/// let session = opskit::dyn_tm::DynectSession::builder("acme", "alice", "s3cret").log_in().await?;
/// for zone in opskit::dyn_tm::zones::get_all_zones().await? {
///     println!("{}", zone.name());
/// }
/// session.log_out().await?;
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "dyn-tm")]
pub use dyn_tm;

/// DynECT Message Management.
///
/// ```no_run
/// use opskit::dyn_mm::{EMail, MMSession};
/// # async fn run() -> opskit::dyn_mm::Result<()> {
/// let session = MMSession::new("my-api-key").await?;
/// session.send(&EMail::new("news@example.com", "ann@example.org", "Hi").text("Hello")).await?;
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "dyn-mm")]
pub use dyn_mm;

/// LXD client.
///
/// ```no_run
/// # async fn run() -> opskit::lxd_models::Result<()> {
/// let client = opskit::lxd_models::Client::local()?;
/// let profile = client.profiles().get("default").await?;
/// profile.set_config("user.note", "managed by opskit");
/// opskit::lxd_models::save(&profile).await?;
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "lxd-models")]
pub use lxd_models;

/// Connection manager for network devices.
///
/// ```no_run
/// use opskit::conn_mgr::{ConnectOptions, Testbed, load_testbed};
/// # async fn run() -> opskit::conn_mgr::Result<()> {
/// let testbed = Testbed::new(load_testbed("testbed.yaml")?);
/// let router = testbed.device("r1")?;
/// router.connect(ConnectOptions::new()).await?;
/// println!("{}", router.execute("show version").await?);
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "conn-mgr")]
pub use conn_mgr;

/// A dict cached in process and backed by a durable store.
///
/// ```
/// use opskit::durabledict::{DurableDict, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> opskit::durabledict::Result<()> {
/// let flags: DurableDict<bool> = DurableDict::builder(MemoryBackend::new()).build().await?;
/// flags.insert("beta", true).await?;
/// assert_eq!(flags.get("beta").await?.as_deref(), Some(&true));
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "durabledict")]
pub use durabledict;
