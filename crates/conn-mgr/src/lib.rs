//! A pyATS-style connection manager for network devices.
//!
//! - [`TestbedSpec`]: pyATS testbed YAML (credentials chained testbed → device → path,
//!   `%{…}` references, `%ENV{…}`, pyATS' default `%ENC{…}` codec, and `%SEALED{…}` secrets
//!   sealed with the `encryption` crate); errors name file, line and key path.
//! - [`Testbed`] and [`Device`]: each device has its own [`ConnectionManager`], which keeps
//!   connections under aliases, each on a path (`via`), made by a class registered in [`Classes`].
//! - Built-in classes: an interactive SSH CLI with a prompt engine, an SSH exec channel, a local
//!   shell and a scripted [`FakeClass`].
//!
//! ```
//! use conn_mgr::{Classes, ConnectOptions, FakeClass, Testbed, TestbedLoader};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let spec = TestbedLoader::new().load_str(
//!     "devices:\n  r1:\n    os: iosxe\n    connections:\n      defaults: {class: fake}\n      cli: {ip: 192.0.2.1}\n",
//!     "lab.yaml",
//! )?;
//! let classes = Classes::with_builtins();
//! classes.register("fake", FakeClass::new().with_default_alias("cli"));
//! let testbed = Testbed::with_classes(spec, classes);
//! let r1 = testbed.device("r1")?;
//! r1.connect(ConnectOptions::new()).await?;          // alias `cli`, via the only path
//! assert_eq!(r1.execute("show version").await?, "cli/cli:show version");
//! assert!(r1.connection("nope").is_err());             // typed error, not silence
//! # Ok::<(), conn_mgr::Error>(())
//! # }).unwrap();
//! ```

mod builtin;
mod classes;
mod cli;
mod connection;
mod device;
mod error;
mod fleet;
mod handle;
mod manager;
mod options;
mod pool;
mod secret;
mod ssh;
pub mod testbed;
mod value;

pub use builtin::fake::FakeClass;
pub use classes::{Classes, DEFAULT_CLASS};
pub use connection::{ConnectContext, Connection, ConnectionFactory, DialogRule, ExecOptions};
pub use device::Device;
pub use error::{Error, Result, TestbedError, TransportError};
pub use fleet::Testbed;
pub use handle::ConnectionHandle;
pub use manager::{ConnectionManager, DEFAULT_ALIAS};
pub use options::ConnectOptions;
pub use secret::Secret;
pub use testbed::{TestbedLoader, TestbedSpec, load_testbed};
pub use value::Value;
