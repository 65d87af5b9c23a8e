//! The thread that owns one SSH session (libssh2 sessions must not be shared between threads),
//! and the async handle that sends it jobs.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::connection::ExecOptions;
use crate::{Error, Result};

/// Stack of session threads: the engine keeps its buffers on the heap.
const STACK: usize = 512 * 1024;

/// Work for the session thread; its result goes back through the message's reply channel.
pub(crate) enum Job {
    Execute {
        command: String,
        options: ExecOptions,
    },
    Configure {
        lines: Vec<String>,
        options: ExecOptions,
    },
    Enable,
}

/// What runs on the session thread.
pub(crate) trait Worker: 'static {
    /// Handles one job; a transport error means the session is dead.
    fn handle(&mut self, job: Job) -> Result<String>;
    /// Sends a keepalive; returns false when the session is dead.
    fn keepalive(&mut self) -> bool;
    /// Closes the session.
    fn close(&mut self);
}

/// Handle to a running session thread. Dropping it (or [`Actor::close`]) ends the thread.
#[derive(Debug)]
pub(crate) struct Actor {
    jobs: mpsc::Sender<Message>,
    alive: Arc<AtomicBool>,
}

enum Message {
    Job(Job, oneshot::Sender<Result<String>>),
    Close(oneshot::Sender<()>),
}

impl Actor {
    /// Starts a thread that runs `start` (connect, authenticate, first prompt) and then serves jobs.
    pub(crate) async fn spawn<W, F>(name: String, keepalive: Duration, start: F) -> Result<Actor>
    where
        W: Worker,
        F: FnOnce() -> Result<W> + Send + 'static,
    {
        let (ready_tx, ready_rx) = oneshot::channel();
        let (jobs, inbox) = mpsc::channel::<Message>();
        let alive = Arc::new(AtomicBool::new(false));
        let thread_alive = Arc::clone(&alive);
        std::thread::Builder::new()
            .name(name)
            .stack_size(STACK)
            .spawn(move || {
                let mut worker = match start() {
                    Ok(w) => w,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                thread_alive.store(true, Ordering::SeqCst);
                if ready_tx.send(Ok(())).is_err() {
                    worker.close();
                    return;
                }
                serve(&mut worker, &inbox, keepalive, &thread_alive);
            })
            .map_err(|e| Error::Transport(crate::TransportError::new(e)))?;
        ready_rx.await.map_err(|_| Error::Disconnected)??;
        Ok(Actor { jobs, alive })
    }

    pub(crate) fn is_alive(&self) -> bool {
        self.alive.load(Ordering::SeqCst)
    }

    /// Sends a job and waits for its result. If the caller gives up, the thread still finishes
    /// the job (bounded by its timeout), so the session is never left mid-command.
    pub(crate) async fn request(&self, job: Job) -> Result<String> {
        if !self.is_alive() {
            return Err(Error::Disconnected);
        }
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Message::Job(job, tx))
            .map_err(|_| Error::Disconnected)?;
        rx.await.map_err(|_| Error::Disconnected)?
    }

    /// Asks the thread to close the session and waits until it has.
    pub(crate) async fn close(&self) {
        let (tx, rx) = oneshot::channel();
        if self.jobs.send(Message::Close(tx)).is_ok() {
            let _ = rx.await;
        }
    }
}

fn serve<W: Worker>(
    worker: &mut W,
    inbox: &mpsc::Receiver<Message>,
    keepalive: Duration,
    alive: &AtomicBool,
) {
    loop {
        match inbox.recv_timeout(keepalive) {
            Ok(Message::Job(job, reply)) => {
                let result = worker.handle(job);
                let dead = matches!(&result, Err(e) if e.is_transport());
                if dead {
                    // Before replying, so a caller that sees the error also sees `is_connected() == false`.
                    alive.store(false, Ordering::SeqCst);
                }
                let _ = reply.send(result);
                if dead {
                    break;
                }
            }
            Ok(Message::Close(done)) => {
                alive.store(false, Ordering::SeqCst);
                worker.close();
                let _ = done.send(());
                return;
            }
            Err(RecvTimeoutError::Timeout) => {
                if !worker.keepalive() {
                    break;
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    alive.store(false, Ordering::SeqCst);
    worker.close();
    // Answer whatever is still queued so no caller waits forever.
    while let Ok(message) = inbox.try_recv() {
        match message {
            Message::Job(_, reply) => {
                let _ = reply.send(Err(Error::Disconnected));
            }
            Message::Close(done) => {
                let _ = done.send(());
            }
        }
    }
}
