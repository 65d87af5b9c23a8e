//! The life cycle shared by the daemons we start ourselves and track by pid (Redis,
//! ZooKeeper): find a running instance, or start one detached and wait until it answers.

use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use anyhow::{Result, bail};

use super::Ctx;
use super::process::{
    log_tails, recorded_pid, spawn_detached, terminate, wait_for_daemon, wait_until,
};

/// A daemon started from `command`, tracked by `<dir>/<name>.pid`.
pub(crate) struct Daemon {
    pub(crate) name: &'static str,
    /// `target/services/<name>`.
    pub(crate) dir: PathBuf,
    /// A string in the daemon's command line, so a recycled pid is never mistaken for it.
    pub(crate) marker: String,
    /// Receives the daemon's stdout and stderr.
    pub(crate) log: PathBuf,
    /// Further logs worth showing when it fails.
    pub(crate) extra_logs: Vec<PathBuf>,
    pub(crate) endpoint: String,
    pub(crate) startup_timeout: Duration,
}

impl Daemon {
    fn pid_file(&self) -> PathBuf {
        self.dir.join(format!("{}.pid", self.name))
    }

    fn logs(&self) -> Vec<&std::path::Path> {
        std::iter::once(self.log.as_path())
            .chain(self.extra_logs.iter().map(PathBuf::as_path))
            .collect()
    }

    /// Makes sure the daemon runs and answers `check`; `command` is only built and run when
    /// no instance is found.
    pub(crate) fn up(
        &self,
        ctx: &Ctx,
        command: impl FnOnce() -> Result<Command>,
        check: impl Fn() -> Result<()>,
    ) -> Result<()> {
        let (name, endpoint) = (self.name, &self.endpoint);
        if let Some(pid) = recorded_pid(&self.pid_file(), &self.marker) {
            if check().is_ok() || wait_until(Duration::from_secs(10), || check().is_ok()) {
                ctx.progress.step(
                    name,
                    format_args!("already running (pid {pid}) on {endpoint}"),
                );
                return Ok(());
            }
            bail!(
                "pid {pid} runs but does not answer on {endpoint}; `cargo xtask services down` stops it{}",
                log_tails(&self.logs())
            );
        }
        if check().is_ok() {
            ctx.progress.step(
                name,
                format_args!(
                    "{endpoint} already answers, started by someone else: leaving it alone"
                ),
            );
            return Ok(());
        }
        let command = command()?;
        let mut child = spawn_detached(&command, &self.log, &self.pid_file())?;
        ctx.progress.step(
            name,
            format_args!("started (pid {}), waiting for {endpoint}", child.id()),
        );
        let result = wait_for_daemon(&mut child, name, self.startup_timeout, &self.logs(), check);
        if result.is_err() {
            // Leave nothing half-started behind; the error already says why.
            let _ = terminate(child.id(), &self.marker, Duration::from_secs(5));
            let _ = child.wait();
            let _ = fs::remove_file(self.pid_file());
        }
        result?;
        ctx.progress
            .step(name, format_args!("answering on {endpoint}"));
        Ok(())
    }

    /// Stops the recorded instance, if any.
    pub(crate) fn down(&self, ctx: &Ctx) -> Result<()> {
        let pid_file = self.pid_file();
        match recorded_pid(&pid_file, &self.marker) {
            Some(pid) => {
                terminate(pid, &self.marker, Duration::from_secs(15))?;
                ctx.progress
                    .step(self.name, format_args!("stopped (pid {pid})"));
            }
            None => ctx.progress.step(self.name, "not running"),
        }
        match fs::remove_file(&pid_file) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err.into()),
            _ => Ok(()),
        }
    }
}
