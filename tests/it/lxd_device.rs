//! An LXD container as a device in a conn-mgr testbed, through a connection class built here
//! on lxd-models' exec, so that neither crate depends on the other (conn-mgr + lxd-models +
//! a real LXD daemon).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use conn_mgr::{
    Classes, ConnectContext, ConnectOptions, Connection, ConnectionFactory, Error, ExecOptions,
    Testbed, TestbedLoader, TransportError,
};
use lxd_models::{Client, Instance};

use crate::support::unique;

/// The class name the testbed's `class:` key refers to.
const CLASS: &str = "lxd-exec";
/// Bound of one command when the caller gives none.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// `lxd-exec`: each command runs as `sh -c <command>` in a container over LXD's exec API.
///
/// Path keys: `container` (default: the device name) and `socket` (the LXD unix socket).
#[derive(Debug)]
struct LxdExecClass;

impl ConnectionFactory for LxdExecClass {
    fn default_alias(&self) -> Option<&str> {
        Some("shell")
    }

    fn create(&self, context: ConnectContext) -> conn_mgr::Result<Arc<dyn Connection>> {
        let socket = context
            .arg("socket")
            .and_then(|value| value.as_str())
            .ok_or_else(|| Error::Config("lxd-exec needs a 'socket' path key".into()))?;
        let container = context
            .arg("container")
            .and_then(|value| value.as_str())
            .unwrap_or(&context.device)
            .to_owned();
        let client = Client::unix(socket)
            .map_err(|e| Error::Config(format!("lxd-exec: invalid LXD socket: {e}")))?;
        Ok(Arc::new(LxdExec {
            client,
            container,
            timeout: context.duration_arg("timeout")?.unwrap_or(DEFAULT_TIMEOUT),
            instance: Mutex::new(None),
        }))
    }
}

/// One `lxd-exec` connection: the container's model while connected.
#[derive(Debug)]
struct LxdExec {
    client: Client,
    container: String,
    timeout: Duration,
    instance: Mutex<Option<Instance>>,
}

impl LxdExec {
    fn instance(&self) -> Option<Instance> {
        self.instance
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set_instance(&self, instance: Option<Instance>) {
        *self.instance.lock().unwrap_or_else(PoisonError::into_inner) = instance;
    }
}

#[async_trait::async_trait]
impl Connection for LxdExec {
    fn class_name(&self) -> &str {
        CLASS
    }

    fn is_connected(&self) -> bool {
        self.instance().is_some()
    }

    async fn connect(&self) -> conn_mgr::Result<()> {
        if self.is_connected() {
            return Ok(());
        }
        let instance = self
            .client
            .instances()
            .get(&self.container)
            .await
            .map_err(|e| Error::Transport(TransportError::new(e)))?;
        if !instance.is_running() {
            return Err(Error::Config(format!(
                "lxd-exec: container {} is not running",
                self.container
            )));
        }
        self.set_instance(Some(instance));
        Ok(())
    }

    async fn disconnect(&self) -> conn_mgr::Result<()> {
        self.set_instance(None);
        Ok(())
    }

    async fn execute(&self, command: &str, options: &ExecOptions) -> conn_mgr::Result<String> {
        let instance = self.instance().ok_or_else(|| Error::NotConnected {
            device: self.container.clone(),
            alias: String::new(),
        })?;
        let timeout = options.timeout.unwrap_or(self.timeout);
        let output = instance
            .exec(["sh", "-c", command])
            .timeout(timeout)
            .run()
            .await
            .map_err(|e| Error::Transport(TransportError::new(e)))?;
        // Same shape as conn-mgr's own exec classes: stdout then stderr, exit status checked.
        let mut text = output.stdout_text();
        text.push_str(&output.stderr_text());
        if output.success() {
            Ok(text)
        } else {
            Err(Error::ExitStatus {
                command: command.to_owned(),
                status: output.exit_code,
                output: text,
            })
        }
    }
}

/// Promise: conn-mgr drives a device through any class registered by name, and lxd-models'
/// exec is enough to build one — a busybox container launched with lxd-models is a device of
/// a testbed YAML whose path names the class; `connect`, `execute` (output, exit status as
/// conn-mgr's typed error) and `disconnect` behave as for the built-in classes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_lxd_container_is_a_testbed_device_through_a_class_built_on_lxd_exec() {
    let socket = test_support::services::lxd_socket();
    let client = Client::unix(&socket).expect("client for the test LXD");
    let name = unique("dev");
    // The body runs as its own task so a failed assertion still reaches the cleanup below.
    let body = tokio::spawn(drive_container_device(
        client.clone(),
        socket.display().to_string(),
        name.clone(),
    ));
    let outcome = body.await;
    if let Ok(instance) = client.instances().get(&name).await {
        // Cleanup only; a failure here must not hide the test's own result.
        let _ = instance.delete_force().await;
    }
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

async fn drive_container_device(client: Client, socket: String, name: String) {
    let container = client
        .instances()
        .create_from_alias(&name, "busybox")
        .await
        .expect("create a busybox container");
    container.start().await.expect("start the container");

    let yaml = format!(
        "testbed:\n  name: lxd-lab\ndevices:\n  box:\n    os: linux\n    type: container\n    connections:\n      defaults: {{class: {CLASS}}}\n      shell:\n        container: {name}\n        socket: {socket}\n"
    );
    let spec = TestbedLoader::new()
        .without_process_env()
        .load_str(&yaml, "lxd-lab.yaml")
        .expect("a valid testbed");
    let classes = Classes::with_builtins();
    classes.register(CLASS, LxdExecClass);
    let device = Testbed::with_classes(spec, classes)
        .device("box")
        .expect("device box");

    device
        .connect(ConnectOptions::new())
        .await
        .expect("connect to the container");
    assert!(
        device.is_connected(Some("shell")),
        "the class's default alias"
    );
    assert_eq!(device.execute("echo hi").await.expect("echo"), "hi\n");
    assert_eq!(
        device.execute("hostname").await.expect("hostname"),
        format!("{name}\n"),
        "the command ran inside the container"
    );
    let failed = device.execute("echo oops >&2; exit 3").await;
    assert!(
        matches!(&failed, Err(Error::ExitStatus { status: 3, output, .. }) if output == "oops\n"),
        "{failed:?}"
    );
    device.disconnect(None).await.expect("disconnect");
    assert!(!device.is_connected(None));
    let after = device.execute("echo hi").await;
    assert!(
        matches!(after, Err(Error::NotConnected { .. })),
        "{after:?}"
    );
}
