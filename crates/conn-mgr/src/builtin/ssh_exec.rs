//! `ssh-exec`: one SSH exec channel per command (for Linux hosts), on the session's own thread.

use std::io::{ErrorKind, Read};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ssh2::{ExtendedData, Session};

use crate::connection::{ConnectContext, Connection, ConnectionFactory, ExecOptions};
use crate::ssh::{ActorSlot, Job, SshSettings, Worker, open_session, transport};
use crate::{Error, Result};

/// The `ssh-exec` class.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SshExecClass;

impl ConnectionFactory for SshExecClass {
    fn create(&self, context: ConnectContext) -> Result<Arc<dyn Connection>> {
        Ok(Arc::new(SshExec {
            settings: Arc::new(SshSettings::from_context(&context)?),
            actor: ActorSlot::default(),
        }))
    }
}

#[derive(Debug)]
struct SshExec {
    settings: Arc<SshSettings>,
    actor: ActorSlot,
}

struct ExecWorker {
    session: Session,
    timeout: Duration,
}

impl ExecWorker {
    fn run(&mut self, command: &str, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        let timed_out = |output: &[u8]| Error::Timeout {
            op: format!("exec '{command}'"),
            after: timeout,
            tail: String::from_utf8_lossy(output).into_owned(),
        };
        self.session
            .set_timeout(crate::ssh::session_millis(timeout));
        let mut channel = self.session.channel_session().map_err(transport)?;
        // Standard error interleaved with standard output, as a terminal would show it.
        channel
            .handle_extended_data(ExtendedData::Merge)
            .map_err(transport)?;
        channel.exec(command).map_err(transport)?;
        let mut output = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(timed_out(&output));
            }
            self.session.set_timeout(crate::ssh::session_millis(left));
            match channel.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => output.extend_from_slice(&chunk[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {}
                Err(e) => return Err(transport(e)),
            }
        }
        let _ = channel.wait_close();
        let status = channel.exit_status().map_err(transport)?;
        let text = String::from_utf8_lossy(&output).into_owned();
        if status == 0 {
            Ok(text)
        } else {
            Err(Error::ExitStatus {
                command: command.to_owned(),
                status,
                output: text,
            })
        }
    }
}

impl Worker for ExecWorker {
    fn handle(&mut self, job: Job) -> Result<String> {
        match job {
            Job::Execute { command, options } => {
                self.run(&command, options.timeout.unwrap_or(self.timeout))
            }
            Job::Configure { .. } | Job::Enable => Err(Error::UnknownService {
                service: "configure".into(),
                class: "ssh-exec".into(),
            }),
        }
    }

    fn keepalive(&mut self) -> bool {
        self.session.keepalive_send().is_ok()
    }

    fn close(&mut self) {
        self.session.set_timeout(1000);
        let _ = self.session.disconnect(None, "bye", None);
    }
}

#[async_trait::async_trait]
impl Connection for SshExec {
    fn class_name(&self) -> &str {
        "ssh-exec"
    }

    fn is_connected(&self) -> bool {
        self.actor.is_connected()
    }

    async fn connect(&self) -> Result<()> {
        let settings = Arc::clone(&self.settings);
        self.actor
            .connect(&self.settings, move || {
                Ok(ExecWorker {
                    session: open_session(&settings)?,
                    timeout: settings.exec_timeout,
                })
            })
            .await
    }

    async fn disconnect(&self) -> Result<()> {
        self.actor.disconnect().await;
        Ok(())
    }

    async fn execute(&self, command: &str, options: &ExecOptions) -> Result<String> {
        let actor = self.actor.live(&self.settings)?;
        let (command, options) = (command.to_owned(), options.clone());
        actor.request(Job::Execute { command, options }).await
    }
}
