//! SSH over `ssh2`: one OS thread owns each session; async callers talk to it through channels.

mod actor;
mod session;
mod settings;
mod shell;

use std::sync::{Arc, Mutex};

pub(crate) use actor::{Actor, Job, Worker};
pub(crate) use session::{millis as session_millis, open as open_session, transport};
pub(crate) use settings::SshSettings;
pub(crate) use shell::ShellStream;

use crate::{Error, Result};

/// Where an SSH connection keeps its session thread's handle.
#[derive(Debug, Default)]
pub(crate) struct ActorSlot {
    actor: Mutex<Option<Arc<Actor>>>,
    /// Serialises connects, so two concurrent `connect()` calls open one session, not two.
    connecting: tokio::sync::Mutex<()>,
}

impl ActorSlot {
    fn current(&self) -> Option<Arc<Actor>> {
        self.actor
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn is_connected(&self) -> bool {
        self.current().is_some_and(|a| a.is_alive())
    }

    /// The live session, or `NotConnected`.
    pub(crate) fn live(&self, settings: &SshSettings) -> Result<Arc<Actor>> {
        self.current().ok_or_else(|| Error::NotConnected {
            device: settings.device.clone(),
            alias: settings.alias.clone(),
        })
    }

    /// Connects unless already connected: starts a session thread running `start`.
    pub(crate) async fn connect<W, F>(&self, settings: &SshSettings, start: F) -> Result<()>
    where
        W: Worker,
        F: FnOnce() -> Result<W> + Send + 'static,
    {
        let _one_at_a_time = self.connecting.lock().await;
        if self.is_connected() {
            return Ok(());
        }
        let name = format!("ssh {}/{}", settings.device, settings.alias);
        let actor = Arc::new(Actor::spawn(name, settings.keepalive, start).await?);
        // A dead predecessor's thread has already ended; dropping its handle frees it.
        let _old = self
            .actor
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .replace(actor);
        Ok(())
    }

    /// Closes the session, waiting for its thread to finish the current job.
    pub(crate) async fn disconnect(&self) {
        let actor = self
            .actor
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(actor) = actor {
            actor.close().await;
        }
    }
}
