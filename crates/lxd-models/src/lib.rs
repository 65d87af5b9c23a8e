//! An LXD REST client in the shape of the pylxd 3.0 proposal.
//!
//! - **Models keep the whole JSON.** Every object ([`Instance`], [`Profile`], [`Image`], ...)
//!   holds LXD's complete `metadata`, so fields from newer servers are never dropped. Typed
//!   accessors cover the known fields; [`Handle::get`] and [`Handle::pointer`] reach the rest.
//!   Local edits are tracked per top-level key.
//! - **Data, not clients.** Writing goes through top-level functions: [`save`], [`sync`],
//!   [`rollback`], [`delete`], [`patch`]. `save` sends the ETag as `If-Match`, so a concurrent
//!   change is an [`Error::Conflict`] instead of a silent overwrite; asynchronous writes wait
//!   for their operation and surface its error.
//! - **Managers** ([`Manager`]) list with one `?recursion=1` request, get by name or
//!   position, create and delete.
//! - **Identity map.** While any handle is alive, the same URL gives the same object
//!   ([`Handle::ptr_eq`]); a rename re-keys it, a delete evicts it.
//! - **Relations are models**: [`Instance::profiles`], [`Profile::used_by`].
//! - **Raw API** with a URL builder ([`Client::url`], [`Client::raw`]).
//! - **Exec** over websockets ([`Instance::exec`]: collected output, a spawned process with
//!   stdin and signals, or a PTY session with resize); **files** streamed
//!   ([`Instance::files`]); **events** as an async stream ([`Client::events`]).
//! - **Transports**: the local unix socket ([`Client::local`] finds it) or HTTPS with a
//!   client certificate ([`ClientBuilder::https`]); server verification by CA or pinned
//!   fingerprint is required, and websockets use the same TLS identity.
//!
//! ```no_run
//! use lxd_models::{Client, save};
//!
//! # async fn demo() -> lxd_models::Result<()> {
//! let client = Client::local()?;
//! let profile = client.profiles().get("default").await?;
//! profile.set_config("user.note", "managed by opskit");
//! save(&profile).await?; // Error::Conflict if someone changed it meanwhile
//!
//! let c1 = client.instances().create_from_alias("c1", "busybox").await?;
//! c1.start().await?;
//! let out = c1.exec(["echo", "hi"]).run().await?;
//! assert_eq!(out.stdout_text(), "hi\n");
//! c1.stop(true).await?;
//! lxd_models::delete(&c1).await?;
//! # Ok(()) }
//! ```

mod auth;
mod client;
mod envelope;
mod error;
mod events;
mod exec;
mod exec_process;
mod files;
mod identity;
mod kinds;
mod manager;
mod model;
mod ops;
mod raw;
mod socket;
mod tls;
mod url;
mod used_by;

pub use client::{Client, ClientBuilder};
pub use envelope::Envelope;
pub use error::{Error, Result, Transport};
pub use events::{Event, EventKind, EventStream, Events};
pub use exec::{Exec, ExecOutput};
pub use exec_process::{ExecProcess, PtySession};
pub use files::{FileInfo, FileKind, FileOptions, Files};
pub use kinds::{
    Certificate, ClusterMember, Image, ImageAlias, ImportOptions, Instance, Network, Operation,
    Profile, Project, Snapshot, StateAction, StoragePool, StorageVolume, VolumeSnapshot, Warning,
};
pub use manager::{Manager, Target};
pub use model::{Handle, Model};
pub use ops::{delete, patch, rollback, save, save_force, sync};
pub use raw::{Raw, RawResponse};
pub use reqwest::Method;
pub use socket::discover_socket;
pub use tls::{ClientIdentity, ServerVerification};
pub use url::ApiUrl;
pub use used_by::{RefKind, ResourceRef, UsedBy};
