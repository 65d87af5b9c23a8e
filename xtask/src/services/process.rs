//! Running programs, detached daemons, process ids and bounded waits, with std only.

use std::fs::{self, File};
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

/// Whether we run as uid 0 (read from /proc, so no libc is needed).
pub(crate) fn is_root() -> Result<bool> {
    let status = fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let uid = status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|rest| rest.split_whitespace().next())
        .context("no Uid line in /proc/self/status")?;
    Ok(uid == "0")
}

/// Finds `program` on PATH or in the sbin directories a non-root PATH often lacks.
pub(crate) fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/local/sbin", "/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Renders a command for error messages.
pub(crate) fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `cmd` to completion and returns its stdout; a non-zero exit is an error that carries
/// the end of stderr.
pub(crate) fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running `{}`", describe(cmd)))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        bail!(
            "`{}` failed ({}):\n{}",
            describe(cmd),
            out.status,
            tail_of(&format!("{stdout}{stderr}"), 15)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Starts `cmd` in a session of its own (`setsid`, so terminal signals such as Ctrl-C in
/// `cargo xtask test` never reach it), stdin from /dev/null, stdout and stderr appended to
/// `log`, and records its pid in `pid_file`. `setsid` execs in place (our child is never a
/// process-group leader), so the recorded pid is the daemon's own.
pub(crate) fn spawn_detached(cmd: &Command, log: &Path, pid_file: &Path) -> Result<Child> {
    let log_file = File::options()
        .create(true)
        .append(true)
        .open(log)
        .with_context(|| format!("opening {}", log.display()))?;
    let mut detached = Command::new("setsid");
    detached.arg(cmd.get_program()).args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => detached.env(key, value),
            None => detached.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        detached.current_dir(dir);
    }
    let child = detached
        .stdin(Stdio::null())
        .stdout(log_file.try_clone()?)
        .stderr(log_file)
        .spawn()
        .with_context(|| format!("starting `{}`", describe(cmd)))?;
    fs::write(pid_file, format!("{}\n", child.id()))
        .with_context(|| format!("writing {}", pid_file.display()))?;
    Ok(child)
}

/// The pid recorded in `pid_file` if that process is alive and its command line contains
/// `marker` (a recycled pid belongs to someone else and must not be signalled).
pub(crate) fn recorded_pid(pid_file: &Path, marker: &str) -> Option<u32> {
    let pid: u32 = fs::read_to_string(pid_file)
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()?;
    is_alive(pid, marker).then_some(pid)
}

/// Whether `pid` runs (and is no zombie) with `marker` in its command line.
pub(crate) fn is_alive(pid: u32, marker: &str) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // The state follows the parenthesised command name, which may itself hold spaces.
    let state = stat
        .rsplit_once(") ")
        .and_then(|(_, rest)| rest.chars().next());
    if matches!(state, Some('Z' | 'X') | None) {
        return false;
    }
    fs::read(format!("/proc/{pid}/cmdline"))
        .map(|cmdline| {
            String::from_utf8_lossy(&cmdline)
                .replace('\0', " ")
                .contains(marker)
        })
        .unwrap_or(false)
}

/// Sends `signal` (a name such as `TERM`) through the shell's builtin `kill`, which exists
/// on every Debian system, unlike procps' `/bin/kill`.
pub(crate) fn signal(pid: u32, signal: &str) -> Result<()> {
    output(
        Command::new("sh")
            .args(["-c", "kill -s \"$1\" \"$2\"", "kill", signal])
            .arg(pid.to_string()),
    )
    .map(drop)
}

/// Stops `pid` with SIGTERM, then SIGKILL after `grace`; returns once it is gone.
pub(crate) fn terminate(pid: u32, marker: &str, grace: Duration) -> Result<()> {
    if !is_alive(pid, marker) {
        return Ok(());
    }
    signal(pid, "TERM")?;
    if wait_until(grace, || !is_alive(pid, marker)) {
        return Ok(());
    }
    signal(pid, "KILL")?;
    if wait_until(Duration::from_secs(5), || !is_alive(pid, marker)) {
        return Ok(());
    }
    bail!("process {pid} survived SIGKILL")
}

/// Polls `ready` every 50-250 ms until it holds or `timeout` passes; returns whether it held.
pub(crate) fn wait_until(timeout: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(50);
    loop {
        if ready() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(250));
    }
}

/// Waits for a daemon we just started to pass `check`, failing early if it exits; errors carry
/// the end of its log.
pub(crate) fn wait_for_daemon(
    child: &mut Child,
    what: &str,
    timeout: Duration,
    logs: &[&Path],
    mut check: impl FnMut() -> Result<()>,
) -> Result<()> {
    let mut exited = None;
    let mut last_error = None;
    let ready = wait_until(timeout, || {
        match check() {
            Ok(()) => return true,
            Err(err) => last_error = Some(err),
        }
        if let Ok(Some(status)) = child.try_wait() {
            exited = Some(status);
            return true;
        }
        false
    });
    if let Some(status) = exited {
        bail!("{what} exited during startup ({status}){}", log_tails(logs));
    }
    if !ready {
        let reason = last_error.map(|err| format!("{err:#}")).unwrap_or_default();
        bail!(
            "{what} did not answer within {}s: {reason}{}",
            timeout.as_secs(),
            log_tails(logs)
        );
    }
    Ok(())
}

/// The last lines of each log, for error messages.
pub(crate) fn log_tails(logs: &[&Path]) -> String {
    let mut text = String::new();
    for log in logs {
        if let Ok(content) = fs::read(log) {
            let content = String::from_utf8_lossy(&content);
            if !content.trim().is_empty() {
                text.push_str(&format!(
                    "\n--- last lines of {} ---\n{}",
                    log.display(),
                    tail_of(&content, 20)
                ));
            }
        }
    }
    text
}

fn tail_of(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.trim_end().lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Connects to `addr` within `timeout`, sends `request` and returns what the peer sent back
/// before closing or going quiet for `timeout`.
pub(crate) fn tcp_exchange(addr: SocketAddr, request: &[u8], timeout: Duration) -> Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, timeout)
        .with_context(|| format!("connecting to {addr}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(request)?;
    let mut reply = Vec::new();
    let mut buf = [0_u8; 512];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                reply.extend_from_slice(&buf[..n]);
                if reply.ends_with(b"\r\n") || reply.len() > 4096 {
                    break;
                }
            }
            Err(err) if reply.is_empty() => {
                return Err(err).with_context(|| format!("reading from {addr}"));
            }
            Err(_) => break,
        }
    }
    Ok(String::from_utf8_lossy(&reply).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail_of("a\nb\nc\n", 2), "b\nc");
        assert_eq!(tail_of("a", 5), "a");
    }

    #[test]
    fn our_own_process_is_alive_and_a_wrong_marker_is_not() {
        let me = std::process::id();
        assert!(is_alive(me, "xtask"));
        assert!(!is_alive(me, "definitely-not-this-process"));
    }

    #[test]
    fn a_detached_child_is_recorded_and_terminated() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("xtask-detach-{}", std::process::id()));
        fs::create_dir_all(&dir)?;
        let (log, pid_file) = (dir.join("sleep.log"), dir.join("sleep.pid"));
        let mut cmd = Command::new("sleep");
        cmd.arg("30");
        let mut child = spawn_detached(&cmd, &log, &pid_file)?;
        // Between fork and exec the child still shows our own command line.
        assert!(wait_until(Duration::from_secs(5), || recorded_pid(
            &pid_file, "sleep"
        )
        .is_some()));
        let pid = recorded_pid(&pid_file, "sleep").context("sleep should be alive")?;
        assert_eq!(pid, child.id());
        signal(pid, "TERM")?;
        // Our own child stays a zombie until reaped.
        child.wait()?;
        assert_eq!(recorded_pid(&pid_file, "sleep"), None);
        fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
