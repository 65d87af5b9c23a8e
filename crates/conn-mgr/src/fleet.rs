//! A testbed's devices together: connect all, execute on all, with a concurrency limit.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::classes::Classes;
use crate::device::Device;
use crate::options::ConnectOptions;
use crate::testbed::TestbedSpec;
use crate::{Error, Result};

/// A loaded testbed with a [`Device`] per device entry. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Testbed {
    spec: Arc<TestbedSpec>,
    devices: Arc<BTreeMap<String, Device>>,
}

impl Testbed {
    /// Devices for every entry of `spec`, using the built-in classes.
    pub fn new(spec: TestbedSpec) -> Self {
        Self::with_classes(spec, Classes::with_builtins())
    }

    /// Devices for every entry of `spec`, using `classes`.
    pub fn with_classes(spec: TestbedSpec, classes: Classes) -> Self {
        let devices = spec
            .devices
            .values()
            .map(|d| {
                (
                    d.name.clone(),
                    Device::new(d.clone(), spec.credentials.clone(), classes.clone()),
                )
            })
            .collect();
        Testbed {
            spec: Arc::new(spec),
            devices: Arc::new(devices),
        }
    }

    /// The testbed's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// What the file said.
    pub fn spec(&self) -> &TestbedSpec {
        &self.spec
    }

    /// A device by name or alias.
    pub fn device(&self, name: &str) -> Result<Device> {
        self.devices
            .get(name)
            .or_else(|| self.devices.values().find(|d| d.spec().alias == name))
            .cloned()
            .ok_or_else(|| Error::UnknownDevice(name.to_owned()))
    }

    /// Every device, by name.
    pub fn devices(&self) -> impl Iterator<Item = &Device> {
        self.devices.values()
    }

    /// Connects every device, at most `limit` at a time; one result per device.
    pub async fn connect_all(
        &self,
        options: ConnectOptions,
        limit: usize,
    ) -> BTreeMap<String, Result<()>> {
        self.for_each(limit, move |d| {
            let options = options.clone();
            async move { d.connect(options).await.map(|_| ()) }
        })
        .await
    }

    /// Runs `command` on every device's default connection, at most `limit` at a time.
    pub async fn execute_all(
        &self,
        command: &str,
        limit: usize,
    ) -> BTreeMap<String, Result<String>> {
        let command: Arc<str> = Arc::from(command);
        self.for_each(limit, move |d| {
            let command = Arc::clone(&command);
            async move { d.execute(&command).await }
        })
        .await
    }

    /// Disconnects every connection of every device.
    pub async fn disconnect_all(&self, limit: usize) -> BTreeMap<String, Result<()>> {
        self.for_each(limit, |d| async move { d.disconnect_all().await })
            .await
    }

    async fn for_each<T, F, Fut>(&self, limit: usize, f: F) -> BTreeMap<String, Result<T>>
    where
        T: Send + 'static,
        F: Fn(Device) -> Fut,
        Fut: Future<Output = Result<T>> + Send + 'static,
    {
        let gate = Arc::new(Semaphore::new(limit.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for device in self.devices.values() {
            let (name, fut, gate) = (
                device.name().to_owned(),
                f(device.clone()),
                Arc::clone(&gate),
            );
            tasks.spawn(async move {
                let _slot = gate.acquire_owned().await;
                (name, fut.await)
            });
        }
        let mut results = BTreeMap::new();
        while let Some(joined) = tasks.join_next().await {
            if let Ok((name, result)) = joined {
                results.insert(name, result);
            }
        }
        for name in self.devices.keys() {
            results
                .entry(name.clone())
                .or_insert_with(|| Err(Error::Config("device task panicked".into())));
        }
        results
    }
}
