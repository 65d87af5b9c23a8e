//! `local`: a local shell, each command run by `sh -c` (for the tour and for tests without a device).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::connection::{ConnectContext, Connection, ConnectionFactory, ExecOptions};
use crate::{Error, Result};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The `local` class.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LocalClass;

impl ConnectionFactory for LocalClass {
    fn create(&self, context: ConnectContext) -> Result<Arc<dyn Connection>> {
        let timeout = context.duration_arg("timeout")?.unwrap_or(DEFAULT_TIMEOUT);
        let shell = context
            .arg("shell")
            .and_then(|v| v.as_str())
            .unwrap_or("/bin/sh")
            .to_owned();
        Ok(Arc::new(LocalShell {
            shell,
            timeout,
            connected: AtomicBool::new(false),
        }))
    }
}

#[derive(Debug)]
struct LocalShell {
    shell: String,
    timeout: Duration,
    connected: AtomicBool,
}

#[async_trait::async_trait]
impl Connection for LocalShell {
    fn class_name(&self) -> &str {
        "local"
    }

    fn is_connected(&self) -> bool {
        self.connected.load(Ordering::SeqCst)
    }

    async fn connect(&self) -> Result<()> {
        if !std::path::Path::new(&self.shell).exists() {
            return Err(Error::Config(format!(
                "shell '{}' does not exist",
                self.shell
            )));
        }
        self.connected.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn disconnect(&self) -> Result<()> {
        self.connected.store(false, Ordering::SeqCst);
        Ok(())
    }

    async fn execute(&self, command: &str, options: &ExecOptions) -> Result<String> {
        if !self.is_connected() {
            return Err(Error::NotConnected {
                device: "local".into(),
                alias: String::new(),
            });
        }
        let timeout = options.timeout.unwrap_or(self.timeout);
        let child = tokio::process::Command::new(&self.shell)
            .arg("-c")
            .arg(command)
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true)
            .output();
        let output = tokio::time::timeout(timeout, child)
            .await
            .map_err(|_| Error::Timeout {
                op: format!("execute '{command}'"),
                after: timeout,
                tail: String::new(),
            })?
            .map_err(|e| Error::Transport(crate::error::TransportError::new(e)))?;
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        match output.status.code() {
            Some(0) => Ok(text),
            status => Err(Error::ExitStatus {
                command: command.into(),
                status: status.unwrap_or(-1),
                output: text,
            }),
        }
    }
}
