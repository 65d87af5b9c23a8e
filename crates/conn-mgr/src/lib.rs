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
//!
//! # The built-in classes
//!
//! | class | what it is |
//! |---|---|
//! | `ssh` (also `cli`, `unicon.Unicon`, the default) | interactive CLI over one SSH shell channel; default alias `cli` |
//! | `ssh-exec` | one SSH exec channel per command (Linux hosts); non-zero exit is [`Error::ExitStatus`] |
//! | `local` | `sh -c` per command on this machine |
//! | [`FakeClass`] | scripted, in memory, for unit tests (register it under a name of your choice) |
//!
//! The SSH classes read these options from `connect` arguments ([`ConnectOptions::arg`]), then
//! the path's keys, then the path's `arguments:` block: `host`, `port`, `username`, `password`,
//! `key_file`, `known_hosts` (default `~/.ssh/known_hosts`), `host_key_policy` (`strict`,
//! `accept-new`, `off`; default `strict`), `connection_timeout` (s, default 30), `timeout` (s,
//! default 60), `keepalive` (s, default 30), `pty` (default true), `goto_enable` (default: when an
//! `enable` credential exists), `init_exec_commands` (default `terminal length 0`, `terminal width 0`),
//! `init_config_commands`, `prompt_pattern`, `log_file`. The login comes from the `default`
//! credential and the enable password from `enable` (chained path → device → testbed).
//!
//! Each SSH session is owned by one OS thread (libssh2 sessions are not safe to share) that the
//! async API talks to through channels; `TCP_NODELAY` is set; prompts are matched at the end of the
//! output on every read, with no fixed sleeps. A call that times out or is cancelled leaves the
//! thread to interrupt the command (Ctrl-C) and find the prompt again before the next call.
//!
//! ```no_run
//! use conn_mgr::{ConnectOptions, DialogRule, ExecOptions, Testbed, load_testbed};
//!
//! # async fn run() -> conn_mgr::Result<()> {
//! let testbed = Testbed::new(load_testbed("testbed.yaml")?);
//! let r1 = testbed.device("r1")?;
//! r1.connect(ConnectOptions::new().via("cli")).await?;
//! let version = r1.execute("show version").await?;
//! r1.configure(&["interface Gi1", "description uplink"]).await?;
//! let confirm = ExecOptions::new().reply(DialogRule::new(r"\[confirm\]$", "y")?.without_newline());
//! r1.execute_with("reload", &confirm).await?;
//! // A pool of four separate sessions under one alias.
//! let pool = r1.connect(ConnectOptions::new().alias("vty").pool(4)).await?;
//! let results = testbed.execute_all("show clock", 8).await; // per-device results
//! # let _ = (version, pool, results);
//! # Ok(())
//! # }
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
