//! What a testbed file describes: devices, their connection paths and credentials.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use crate::{Secret, Value};

/// A loaded testbed: its devices and shared credentials.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TestbedSpec {
    /// `testbed.name`, or the file stem when absent (as pyATS does).
    pub name: String,
    /// `testbed.alias`, defaulting to the name.
    pub alias: String,
    /// `testbed.credentials` (plus credentials derived from the legacy `passwords`/`tacacs` blocks).
    pub credentials: Credentials,
    /// `testbed.servers`, kept opaque.
    pub servers: BTreeMap<String, Value>,
    /// `testbed.custom`, kept opaque.
    pub custom: BTreeMap<String, Value>,
    /// The devices, by name.
    pub devices: BTreeMap<String, DeviceSpec>,
    /// The `topology` block, kept opaque.
    pub topology: Option<Value>,
    /// Deprecations and duplicate keys seen while loading (pyATS prints these).
    pub warnings: Vec<String>,
}

/// One device of a testbed.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct DeviceSpec {
    /// The device's name (its key under `devices`).
    pub name: String,
    /// `alias`, defaulting to the name; unique across the testbed.
    pub alias: String,
    /// `os`, e.g. `iosxe`, `nxos`, `linux`.
    pub os: Option<String>,
    /// `type`.
    pub device_type: Option<String>,
    /// `platform`, falling back to `type`.
    pub platform: Option<String>,
    /// The device's own credentials (the middle of the chain).
    pub credentials: Credentials,
    /// The connection paths, by name (`defaults` is held apart).
    pub connections: BTreeMap<String, PathSpec>,
    /// `connections.defaults`.
    pub defaults: ConnectionDefaults,
    /// `custom`, kept opaque.
    pub custom: BTreeMap<String, Value>,
    /// Other known device keys (`model`, `series`, `role`, `clean`, `peripherals`, …), kept opaque.
    pub extra: BTreeMap<String, Value>,
}

/// `connections.defaults` of a device.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ConnectionDefaults {
    /// Default connection class name.
    pub class: Option<String>,
    /// Default alias (also the device's initial default alias).
    pub alias: Option<String>,
    /// Default path.
    pub via: Option<String>,
    /// `debug`.
    pub debug: bool,
    /// unicon's multi-console list (kept; the manager itself ignores it, as pyATS does).
    pub connections: Vec<String>,
    /// Credential names to try in order.
    pub fallback_credentials: Vec<String>,
    /// `connections_arguments`, kept opaque.
    pub connections_arguments: Option<Value>,
}

/// Where a path points: an IP address, or a host name resolved when connecting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// A literal IPv4 or IPv6 address.
    Ip(IpAddr),
    /// A host name; resolved at connect time (pyATS resolves it while loading).
    Name(String),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ip(ip) => ip.fmt(f),
            Host::Name(n) => f.write_str(n),
        }
    }
}

/// One entry of a device's `connections`: a way to reach it.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PathSpec {
    /// The path's name (`cli`, `vty`, `a`, …).
    pub name: String,
    /// Connection class for this path.
    pub class: Option<String>,
    /// `protocol` (`ssh`, `telnet`, …).
    pub protocol: Option<String>,
    /// `host` or `ip`.
    pub host: Option<Host>,
    /// `port`.
    pub port: Option<u16>,
    /// Path-level credentials (the top of the chain).
    pub credentials: Credentials,
    /// Credential names to try in order.
    pub fallback_credentials: Vec<String>,
    /// Every other key (`command`, `proxy`, `arguments`, `settings`, `ssh_options`, …), for the class.
    pub extra: BTreeMap<String, Value>,
}

/// One named credential.
#[derive(Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Credential {
    /// `username`.
    pub username: Option<String>,
    /// `password`.
    pub password: Option<Secret>,
    /// Other keys (keys containing `password` hold [`Value::Secret`]s).
    pub extra: BTreeMap<String, Value>,
}

impl Credential {
    /// A credential with a user name and a password.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credential {
            username: Some(username.into()),
            password: Some(Secret::new(password)),
            extra: BTreeMap::new(),
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("extra", &self.extra)
            .finish()
    }
}

/// Credentials by name (`default`, `enable`, …) at one level of the chain.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Credentials(pub BTreeMap<String, Credential>);

impl Credentials {
    /// The credential of that name at this level only.
    pub fn get(&self, name: &str) -> Option<&Credential> {
        self.0.get(name)
    }
}

/// The credential chain path → device → testbed: a name is looked up as a whole, level by level,
/// and an unknown name falls back to `default` (pyATS rules).
#[derive(Debug, Clone, Default)]
pub struct CredentialChain {
    levels: Vec<Credentials>,
}

impl CredentialChain {
    /// A chain, most specific level first.
    pub fn new(levels: Vec<Credentials>) -> Self {
        CredentialChain { levels }
    }

    /// The credential called `name`, or `default` when no level defines `name`.
    pub fn get(&self, name: &str) -> Option<&Credential> {
        self.exact(name).or_else(|| self.exact("default"))
    }

    /// The credential called `name`, without falling back to `default`.
    pub fn exact(&self, name: &str) -> Option<&Credential> {
        self.levels.iter().find_map(|level| level.get(name))
    }
}
