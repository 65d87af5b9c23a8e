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

use crate::Result;

/// The live actor in `slot`, if any.
pub(crate) fn current_actor(slot: &Mutex<Option<Arc<Actor>>>) -> Option<Arc<Actor>> {
    slot.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

/// Connects unless already connected: starts a session thread running `start` and stores its handle.
pub(crate) async fn connect_actor<W, F>(
    slot: &Mutex<Option<Arc<Actor>>>,
    settings: &SshSettings,
    start: F,
) -> Result<()>
where
    W: Worker,
    F: FnOnce() -> Result<W> + Send + 'static,
{
    if current_actor(slot).is_some_and(|a| a.is_alive()) {
        return Ok(());
    }
    let name = format!("ssh {}/{}", settings.device, settings.alias);
    let actor = Arc::new(Actor::spawn(name, settings.keepalive, start).await?);
    let old = slot
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .replace(actor);
    // A dead predecessor's thread has already ended; dropping its handle frees it.
    drop(old);
    Ok(())
}
