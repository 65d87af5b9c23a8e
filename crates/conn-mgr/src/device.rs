//! A device with its connection manager; services go to the default connection.

use std::sync::Arc;

use crate::classes::Classes;
use crate::connection::ExecOptions;
use crate::handle::ConnectionHandle;
use crate::manager::{ConnectionManager, validate_alias};
use crate::options::ConnectOptions;
use crate::testbed::{Credentials, DeviceSpec};
use crate::{Error, Result, Value};

/// A device (pyATS `topology.Device`): its spec and its own [`ConnectionManager`]. Cheap to clone;
/// clones share the manager.
#[derive(Debug, Clone)]
pub struct Device {
    spec: Arc<DeviceSpec>,
    manager: Arc<ConnectionManager>,
    /// Set on views made by [`Device::with_default_alias`].
    default_override: Option<String>,
}

impl Device {
    /// A device on its own, with testbed-level credentials and the classes it may use.
    pub fn new(spec: DeviceSpec, testbed_credentials: Credentials, classes: Classes) -> Self {
        let spec = Arc::new(spec);
        let manager = Arc::new(ConnectionManager::new(
            Arc::clone(&spec),
            testbed_credentials,
            classes,
        ));
        Device {
            spec,
            manager,
            default_override: None,
        }
    }

    /// The device's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// What the testbed says about it.
    pub fn spec(&self) -> &DeviceSpec {
        &self.spec
    }

    /// Its connection manager.
    pub fn manager(&self) -> &ConnectionManager {
        &self.manager
    }

    /// The alias that services go to.
    pub fn default_alias(&self) -> String {
        self.default_override
            .clone()
            .unwrap_or_else(|| self.manager.default_alias())
    }

    /// Points the default alias elsewhere, for every clone of this device.
    pub fn set_default_alias(&self, alias: &str) -> Result<()> {
        self.manager.set_default_alias(alias)
    }

    /// A view of this device whose services go to `alias` (pyATS `temp_default_alias`), without
    /// changing the default seen by other tasks.
    pub fn with_default_alias(&self, alias: &str) -> Result<Device> {
        validate_alias(alias)?;
        Ok(Device {
            default_override: Some(alias.to_owned()),
            ..self.clone()
        })
    }

    fn alias_or_default(&self, alias: Option<&str>) -> Option<String> {
        match alias {
            None | Some(crate::manager::DEFAULT_ALIAS) => self.default_override.clone(),
            Some(a) => Some(a.to_owned()),
        }
    }

    /// Builds and registers a connection without connecting.
    pub fn instantiate(&self, options: ConnectOptions) -> Result<ConnectionHandle> {
        self.manager.instantiate(&options)
    }

    /// Connects (see [`ConnectionManager::connect`]).
    pub async fn connect(&self, options: ConnectOptions) -> Result<ConnectionHandle> {
        self.manager.connect(&options).await
    }

    /// Disconnects an alias (`None`: the default); unknown aliases are an error.
    pub async fn disconnect(&self, alias: Option<&str>) -> Result<()> {
        self.manager
            .disconnect(self.alias_or_default(alias).as_deref().or(alias))
            .await
    }

    /// Disconnects and unregisters an alias; unknown aliases are an error.
    pub async fn destroy(&self, alias: Option<&str>) -> Result<()> {
        self.manager
            .destroy(self.alias_or_default(alias).as_deref().or(alias))
            .await
    }

    /// Whether an alias (`None`: the default) is connected; `false` when unknown.
    pub fn is_connected(&self, alias: Option<&str>) -> bool {
        self.manager
            .is_connected(self.alias_or_default(alias).as_deref().or(alias))
    }

    /// Disconnects everything.
    pub async fn disconnect_all(&self) -> Result<()> {
        self.manager.disconnect_all().await
    }

    /// Destroys everything.
    pub async fn destroy_all(&self) -> Result<()> {
        self.manager.destroy_all().await
    }

    /// The connection under `alias` (`default` is the default alias).
    pub fn connection(&self, alias: &str) -> Result<ConnectionHandle> {
        self.manager
            .get(self.alias_or_default(Some(alias)).as_deref())
    }

    /// The default connection; a clear error when there is none yet (pyATS raises `AttributeError`).
    pub fn default_connection(&self) -> Result<ConnectionHandle> {
        let alias = self.default_alias();
        self.manager
            .get(Some(&alias))
            .map_err(|_| Error::NotConnected {
                device: self.spec.name.clone(),
                alias,
            })
    }

    /// Runs a command on the default connection.
    pub async fn execute(&self, command: &str) -> Result<String> {
        self.default_connection()?.execute(command).await
    }

    /// Runs a command on the default connection with options.
    pub async fn execute_with(&self, command: &str, options: &ExecOptions) -> Result<String> {
        self.default_connection()?
            .execute_with(command, options)
            .await
    }

    /// Applies configuration on the default connection.
    pub async fn configure<S: AsRef<str>>(&self, lines: &[S]) -> Result<String> {
        self.default_connection()?.configure(lines).await
    }

    /// Calls any service of the default connection by name.
    pub async fn call(&self, service: &str, args: &[Value]) -> Result<Value> {
        self.default_connection()?.call(service, args).await
    }
}
