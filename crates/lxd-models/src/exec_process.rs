//! A running exec: stdin, signals and window size while it runs, then its exit code.

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use crate::client::{Client, WebSocket};
use crate::error::{Error, Result};
use crate::exec::ExecOutput;

type Output = JoinHandle<Result<((Bytes, WebSocket), (Bytes, WebSocket))>>;

/// A non-interactive command started by [`crate::Exec::spawn`]; stdout and stderr are
/// collected in the background.
pub struct ExecProcess {
    client: Client,
    operation: String,
    stdin: Option<WebSocket>,
    control: WebSocket,
    output: Output,
}

impl ExecProcess {
    pub(crate) fn new(
        client: Client,
        operation: String,
        stdin: WebSocket,
        control: WebSocket,
        output: Output,
    ) -> Self {
        Self {
            client,
            operation,
            stdin: Some(stdin),
            control,
            output,
        }
    }

    /// Writes to the command's stdin (an error once stdin is closed).
    pub async fn write_stdin(&mut self, data: impl Into<Bytes>) -> Result<()> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| Error::Protocol("stdin is closed".to_owned()))?;
        stdin.send(Message::Binary(data.into())).await?;
        Ok(())
    }

    /// Sends end-of-file on stdin (LXD's barrier: an empty text frame) and closes it.
    pub async fn close_stdin(&mut self) -> Result<()> {
        if let Some(mut stdin) = self.stdin.take() {
            match stdin.send(Message::text("")).await {
                // A command that has already exited may have had its stdin socket closed by
                // the daemon: the end of file has no reader left, and nothing is lost.
                Err(err) if peer_gone(&err) => {}
                sent => sent?,
            }
            // The daemon may close first once the process has exited.
            let _ = stdin.close(None).await;
        }
        Ok(())
    }

    /// Sends a signal (15 = SIGTERM, 9 = SIGKILL) to the command.
    pub async fn signal(&mut self, signal: i32) -> Result<()> {
        send_control(
            &mut self.control,
            json!({"command": "signal", "signal": signal}),
        )
        .await
    }

    /// The operation id of this exec.
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// Waits for the command to end; returns its output and exit code.
    pub async fn wait(mut self) -> Result<ExecOutput> {
        self.close_stdin().await?;
        let ((stdout, mut out_socket), (stderr, mut err_socket)) = self
            .output
            .await
            .map_err(|e| Error::Protocol(format!("exec output task: {e}")))??;
        let exit_code = exit_code(&self.client, &self.operation).await;
        // Only now that the command has ended may the output sockets close.
        let _ = out_socket.close(None).await;
        let _ = err_socket.close(None).await;
        let _ = self.control.close(None).await;
        let exit_code = exit_code?;
        Ok(ExecOutput {
            exit_code,
            stdout,
            stderr,
        })
    }
}

/// An interactive command on a pseudo-terminal, started by [`crate::Exec::spawn_pty`].
/// One stream carries input and output both ways.
pub struct PtySession {
    client: Client,
    operation: String,
    io: Option<WebSocket>,
    control: WebSocket,
}

impl PtySession {
    pub(crate) fn new(
        client: Client,
        operation: String,
        io: WebSocket,
        control: WebSocket,
    ) -> Self {
        Self {
            client,
            operation,
            io: Some(io),
            control,
        }
    }

    /// Types `data` into the terminal.
    pub async fn write(&mut self, data: impl Into<Bytes>) -> Result<()> {
        let io = self
            .io
            .as_mut()
            .ok_or_else(|| Error::Protocol("terminal is closed".to_owned()))?;
        io.send(Message::Binary(data.into())).await?;
        Ok(())
    }

    /// The next chunk of terminal output; `None` once the command has exited.
    pub async fn read(&mut self) -> Result<Option<Bytes>> {
        let Some(io) = self.io.as_mut() else {
            return Ok(None);
        };
        while let Some(message) = io.next().await {
            match message? {
                Message::Binary(chunk) => return Ok(Some(chunk)),
                Message::Text(text) if !text.is_empty() => {
                    return Ok(Some(Bytes::from(text.as_bytes().to_vec())));
                }
                Message::Text(_) | Message::Close(_) => break,
                _ => {}
            }
        }
        // The barrier: LXD keeps the operation running until our side closes too.
        if let Some(mut io) = self.io.take() {
            let _ = io.close(None).await;
        }
        Ok(None)
    }

    /// Reads until the command exits; returns everything it printed.
    pub async fn read_to_end(&mut self) -> Result<Bytes> {
        let mut out = Vec::new();
        while let Some(chunk) = self.read().await? {
            out.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(out))
    }

    /// Changes the terminal size.
    pub async fn resize(&mut self, width: u16, height: u16) -> Result<()> {
        let args = json!({"width": width.to_string(), "height": height.to_string()});
        send_control(
            &mut self.control,
            json!({"command": "window-resize", "args": args}),
        )
        .await
    }

    /// Sends a signal to the command.
    pub async fn signal(&mut self, signal: i32) -> Result<()> {
        send_control(
            &mut self.control,
            json!({"command": "signal", "signal": signal}),
        )
        .await
    }

    /// Waits for the command to end (closing the terminal) and returns its exit code.
    pub async fn wait(mut self) -> Result<i32> {
        if let Some(mut io) = self.io.take() {
            let _ = io.close(None).await;
        }
        let code = exit_code(&self.client, &self.operation).await?;
        let _ = self.control.close(None).await;
        Ok(code)
    }
}

impl std::fmt::Debug for ExecProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecProcess")
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for PtySession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PtySession")
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

/// Whether a websocket write failed only because the daemon had already closed the socket.
fn peer_gone(err: &WsError) -> bool {
    match err {
        WsError::ConnectionClosed | WsError::AlreadyClosed => true,
        WsError::Io(io) => matches!(
            io.kind(),
            std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
        ),
        _ => false,
    }
}

async fn send_control(control: &mut WebSocket, message: Value) -> Result<()> {
    control.send(Message::text(message.to_string())).await?;
    Ok(())
}

async fn exit_code(client: &Client, operation: &str) -> Result<i32> {
    let op = client.wait_operation(operation, None).await?;
    op.pointer("/metadata/return")
        .and_then(Value::as_i64)
        .and_then(|c| i32::try_from(c).ok())
        .ok_or_else(|| Error::Protocol("exec operation finished without a return code".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_closed_peer_excuses_a_failed_end_of_file() {
        let io = |kind| WsError::Io(std::io::Error::from(kind));
        assert!(peer_gone(&io(std::io::ErrorKind::BrokenPipe)));
        assert!(peer_gone(&io(std::io::ErrorKind::ConnectionReset)));
        assert!(peer_gone(&WsError::ConnectionClosed));
        assert!(!peer_gone(&io(std::io::ErrorKind::PermissionDenied)));
        assert!(!peer_gone(&WsError::Utf8("bad".into())));
    }
}
