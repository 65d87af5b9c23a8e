//! A local command's stdin/stdout as a [`ByteStream`] (unicon's `command:` paths, mock devices).

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use super::ByteStream;
use crate::error::TransportError;
use crate::{Error, Result};

pub(crate) struct ProcessStream {
    child: Child,
    stdin: ChildStdin,
    output: Receiver<Vec<u8>>,
    pending: Vec<u8>,
}

impl ProcessStream {
    /// Runs `command` with `sh -c`; standard output and standard error are read together.
    pub(crate) fn spawn(command: &str) -> Result<Self> {
        let mut child = Command::new("/bin/sh")
            .arg("-c")
            .arg(command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::Transport(TransportError::new(e)))?;
        let (tx, output) = mpsc::channel();
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| Error::Config("child stdin is not piped".into()))?;
        let readers: [Option<Box<dyn Read + Send>>; 2] = [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ];
        for mut reader in readers.into_iter().flatten() {
            let tx = tx.clone();
            // Pipes have no read timeout; a reader thread turns them into a channel that has one.
            std::thread::Builder::new()
                .name("command output".into())
                .stack_size(64 * 1024)
                .spawn(move || {
                    let mut chunk = [0u8; 8192];
                    while let Ok(n) = reader.read(&mut chunk) {
                        if n == 0 || tx.send(chunk[..n].to_vec()).is_err() {
                            return;
                        }
                    }
                })
                .map_err(|e| Error::Transport(TransportError::new(e)))?;
        }
        Ok(ProcessStream {
            child,
            stdin,
            output,
            pending: Vec::new(),
        })
    }
}

impl ByteStream for ProcessStream {
    fn write_all(&mut self, data: &[u8]) -> Result<()> {
        self.stdin
            .write_all(data)
            .and_then(|()| self.stdin.flush())
            .map_err(|_| Error::Disconnected)
    }

    fn read(&mut self, buf: &mut [u8], wait: Duration) -> Result<usize> {
        if self.pending.is_empty() {
            match self.output.recv_timeout(wait) {
                Ok(chunk) => self.pending = chunk,
                Err(RecvTimeoutError::Timeout) => return Ok(0),
                Err(RecvTimeoutError::Disconnected) => return Err(Error::Disconnected),
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }

    fn close(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
