//! Running commands in an instance over LXD's exec websockets.

use std::collections::BTreeMap;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::client::{Client, WebSocket};
use crate::envelope::Envelope;
use crate::error::{Error, Result};
use crate::exec_process::{ExecProcess, PtySession};
use crate::url::ApiUrl;

type Socket = WebSocket;

/// What a finished command left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutput {
    /// The exit code (128 + signal when killed by a signal).
    pub exit_code: i32,
    /// Everything written to stdout.
    pub stdout: Bytes,
    /// Everything written to stderr.
    pub stderr: Bytes,
}

impl ExecOutput {
    /// Whether the exit code is 0.
    pub fn success(&self) -> bool {
        self.exit_code == 0
    }
    /// stdout as text (lossy).
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    /// stderr as text (lossy).
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// A command to run in an instance, built by [`crate::Instance::exec`].
///
/// Driven by LXD's end-of-stream frames and one operation wait: no polling, no sleeps.
#[derive(Debug, Clone)]
#[must_use = "an exec does nothing until `run` is awaited"]
pub struct Exec {
    client: Client,
    instance: ApiUrl,
    command: Vec<String>,
    environment: BTreeMap<String, String>,
    stdin: Bytes,
    cwd: Option<String>,
    user: Option<u32>,
    group: Option<u32>,
    timeout: Option<Duration>,
}

impl Exec {
    pub(crate) fn new(client: Client, instance: ApiUrl, command: Vec<String>) -> Self {
        Self {
            client,
            instance,
            command,
            environment: BTreeMap::new(),
            stdin: Bytes::new(),
            cwd: None,
            user: None,
            group: None,
            timeout: None,
        }
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.environment.insert(key.into(), value.into());
        self
    }
    /// Bytes fed to stdin (then end of file).
    pub fn stdin(mut self, data: impl Into<Bytes>) -> Self {
        self.stdin = data.into();
        self
    }
    /// Working directory.
    pub fn cwd(mut self, dir: impl Into<String>) -> Self {
        self.cwd = Some(dir.into());
        self
    }
    /// Runs as this uid.
    pub fn user(mut self, uid: u32) -> Self {
        self.user = Some(uid);
        self
    }
    /// Runs with this gid.
    pub fn group(mut self, gid: u32) -> Self {
        self.group = Some(gid);
        self
    }
    /// Gives up (with [`Error::Timeout`]) after this long.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = Some(limit);
        self
    }

    /// Runs the command and collects its output and exit code.
    pub async fn run(self) -> Result<ExecOutput> {
        match self.timeout {
            Some(limit) => tokio::time::timeout(limit, self.run_inner())
                .await
                .map_err(|_| Error::Timeout(format!("exec did not finish within {limit:?}")))?,
            None => self.run_inner().await,
        }
    }

    /// Starts the command over websockets; returns the operation id and the fd secrets.
    async fn start(&self, pty: Option<(u16, u16)>) -> Result<Started> {
        let mut body = json!({
            "command": self.command,
            "environment": self.environment,
            "interactive": pty.is_some(),
            "wait-for-websocket": true,
            "record-output": false,
        });
        if let Some((width, height)) = pty {
            body["width"] = json!(width);
            body["height"] = json!(height);
        }
        if let Some(cwd) = &self.cwd {
            body["cwd"] = json!(cwd);
        }
        if let Some(user) = self.user {
            body["user"] = json!(user);
        }
        if let Some(group) = self.group {
            body["group"] = json!(group);
        }
        let url = self.instance.clone().segment("exec");
        let answer = self
            .client
            .call(Method::POST, &url, Some(&body), None)
            .await?;
        let Envelope::Async {
            operation,
            metadata,
        } = answer.envelope
        else {
            return Err(Error::Protocol(
                "exec did not start an operation".to_owned(),
            ));
        };
        Ok(Started {
            id: operation_id(&operation),
            metadata,
        })
    }

    async fn run_inner(self) -> Result<ExecOutput> {
        let process = self.spawn().await?;
        process.wait().await
    }

    /// Starts the command and hands back the running process: more stdin, signals, then
    /// [`ExecProcess::wait`] (which closes stdin). Bytes given to [`Exec::stdin`] are sent first.
    pub async fn spawn(self) -> Result<ExecProcess> {
        let started = self.start(None).await?;
        let (fd0, fd1, fd2, control) = (
            started.secret("0")?,
            started.secret("1")?,
            started.secret("2")?,
            started.secret("control")?,
        );
        let (stdin, stdout, stderr, control) = tokio::try_join!(
            self.connect(&started.id, &fd0),
            self.connect(&started.id, &fd1),
            self.connect(&started.id, &fd2),
            self.connect(&started.id, &control),
        )?;
        let output = tokio::spawn(async move { tokio::try_join!(drain(stdout), drain(stderr)) });
        let mut process = ExecProcess::new(self.client.clone(), started.id, stdin, control, output);
        if !self.stdin.is_empty() {
            process.write_stdin(self.stdin.clone()).await?;
        }
        Ok(process)
    }

    /// Starts the command on a pseudo-terminal of `width` x `height` (interactive mode).
    pub async fn spawn_pty(self, width: u16, height: u16) -> Result<PtySession> {
        let started = self.start(Some((width, height))).await?;
        let (fd0, control) = (started.secret("0")?, started.secret("control")?);
        let (io, control) = tokio::try_join!(
            self.connect(&started.id, &fd0),
            self.connect(&started.id, &control)
        )?;
        Ok(PtySession::new(
            self.client.clone(),
            started.id,
            io,
            control,
        ))
    }

    async fn connect(&self, operation: &str, secret: &str) -> Result<Socket> {
        let url = self
            .client
            .url()
            .operations()
            .name(operation)
            .segment("websocket")
            .query("secret", secret);
        self.client.websocket(&url).await
    }
}

struct Started {
    id: String,
    metadata: Value,
}

impl Started {
    fn secret(&self, fd: &str) -> Result<String> {
        self.metadata
            .pointer(&format!("/metadata/fds/{fd}"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| Error::Protocol(format!("exec operation without secret for fd {fd}")))
    }
}

fn operation_id(operation: &str) -> String {
    let path = operation.split('?').next().unwrap_or(operation);
    path.rsplit('/').next().unwrap_or(path).to_owned()
}

/// Reads binary frames until the barrier or close; hands the socket back open, because LXD
/// kills a command whose output socket is closed under it ("unexpected read on stdout
/// websocket"): it is closed only after the operation has ended.
pub(crate) async fn drain(mut socket: Socket) -> Result<(Bytes, Socket)> {
    let mut out = Vec::new();
    while let Some(message) = socket.next().await {
        match message? {
            Message::Binary(chunk) => out.extend_from_slice(&chunk),
            Message::Text(text) if text.is_empty() => break,
            Message::Text(text) => out.extend_from_slice(text.as_bytes()),
            Message::Close(_) => break,
            _ => {}
        }
    }
    Ok((Bytes::from(out), socket))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids() {
        assert_eq!(operation_id("/1.0/operations/abc-1?project=p"), "abc-1");
        assert_eq!(operation_id("abc"), "abc");
    }
}
