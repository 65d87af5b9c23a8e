//! One `services up` or `down` at a time: several `cargo xtask test` runs may start together,
//! and two of them starting the same daemon would race for its port and its pid file.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use super::Ctx;
use super::process::is_alive;

/// How long to wait for another run to finish; a cold start with package installs fits.
const WAIT: Duration = Duration::from_secs(20 * 60);

/// A lock held while it lives: the directory `target/services/.lock` (creating a directory
/// is atomic) holding the owner's pid, so a lock left by a killed run is recognised and taken
/// over.
#[derive(Debug)]
pub(crate) struct Lock {
    dir: PathBuf,
}

impl Lock {
    pub(crate) fn acquire(ctx: &Ctx) -> Result<Self> {
        let dir = ctx.dir.join(".lock");
        let started = Instant::now();
        let mut reported = None;
        loop {
            match fs::create_dir(&dir) {
                Ok(()) => {
                    fs::write(dir.join("pid"), std::process::id().to_string())?;
                    return Ok(Self { dir });
                }
                Err(err) if err.kind() == ErrorKind::AlreadyExists => {}
                Err(err) => return Err(err).with_context(|| format!("creating {}", dir.display())),
            }
            match owner(&dir) {
                Some(pid) if is_alive(pid, "xtask") => {
                    if reported != Some(pid) {
                        ctx.progress.step(
                            "services",
                            format_args!(
                                "waiting for another `cargo xtask services` run (pid {pid})"
                            ),
                        );
                        reported = Some(pid);
                    }
                    if started.elapsed() > WAIT {
                        bail!(
                            "another `cargo xtask services` run (pid {pid}) holds {}",
                            dir.display()
                        );
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
                // Its owner is gone, or it is still writing its pid: take over a stale lock,
                // give a fresh one a moment.
                owner_pid => {
                    if owner_pid.is_some() || age(&dir) > Duration::from_secs(5) {
                        let _ = fs::remove_dir_all(&dir);
                    } else {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn owner(dir: &Path) -> Option<u32> {
    fs::read_to_string(dir.join("pid"))
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn age(dir: &Path) -> Duration {
    fs::metadata(dir)
        .and_then(|meta| meta.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .unwrap_or_default()
}
