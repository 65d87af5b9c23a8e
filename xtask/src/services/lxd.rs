//! LXD with its own `LXD_DIR` (`target/services/lxd/var`), a `dir` storage pool, a root disk
//! in the default profile and a busybox image aliased `busybox`
//! (`../shared/specs/lxd.md` §5). LXD needs root.

use std::fs;
use std::io::{Read as _, Write as _};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result, bail};

use super::process::{
    find_program, log_tails, output, recorded_pid, spawn_detached, terminate, wait_for_daemon,
    wait_until,
};
use super::{Ctx, Service};

const POOL: &str = "default";
const IMAGE_ALIAS: &str = "busybox";
/// `sockaddr_un.sun_path` holds 108 bytes including the terminating NUL.
const MAX_SOCKET_PATH: usize = 107;

pub(crate) struct Lxd;

/// Paths of our LXD instance.
struct Layout {
    dir: PathBuf,
    /// `LXD_DIR`.
    var: PathBuf,
    socket: PathBuf,
    pid_file: PathBuf,
    log: PathBuf,
    out: PathBuf,
}

impl Layout {
    fn new(ctx: &Ctx) -> Result<Self> {
        let dir = ctx.service_dir("lxd")?;
        let var = dir.join("var");
        Ok(Self {
            socket: var.join("unix.socket"),
            pid_file: dir.join("lxd.pid"),
            log: dir.join("lxd.log"),
            out: dir.join("lxd.out"),
            var,
            dir,
        })
    }

    /// A command with `LXD_DIR` pointing at our daemon and the client's config kept with it.
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("LXD_DIR", &self.var)
            .env("LXD_CONF", self.dir.join("client"));
        cmd
    }

    /// Our daemon's command line names our log file; another LXD on this machine is not ours.
    fn marker(&self) -> String {
        self.log.display().to_string()
    }

    fn lxc(&self, args: &[&str]) -> Result<String> {
        output(self.command("lxc").args(args))
    }
}

impl Service for Lxd {
    fn name(&self) -> &'static str {
        "lxd"
    }

    fn endpoint(&self, ctx: &Ctx) -> String {
        socket_path(ctx).display().to_string()
    }

    fn env_var(&self, ctx: &Ctx) -> Option<(&'static str, String)> {
        Some(("OPSKIT_LXD_SOCKET", self.endpoint(ctx)))
    }

    fn up(&self, ctx: &Ctx) -> Result<()> {
        let layout = Layout::new(ctx)?;
        if !ctx.is_root {
            bail!("LXD needs root: run `cargo xtask services up` as root");
        }
        let socket_len = layout.socket.as_os_str().len();
        if socket_len > MAX_SOCKET_PATH {
            bail!(
                "{} is {socket_len} bytes, longer than a unix socket path may be ({MAX_SOCKET_PATH}); \
                 use a checkout with a shorter path",
                layout.socket.display()
            );
        }
        start_daemon(ctx, &layout)?;
        ensure_storage(ctx, &layout)?;
        ensure_image(ctx, &layout)?;
        Ok(())
    }

    fn down(&self, ctx: &Ctx) -> Result<()> {
        let layout = Layout::new(ctx)?;
        let pid = recorded_pid(&layout.pid_file, &layout.marker());
        if pid.is_some() || api_get(&layout.socket).is_ok() {
            // Instances left by tests would each get a graceful stop otherwise.
            let _ = layout.lxc(&["stop", "--all", "--force"]);
            if let Err(err) = output(layout.command("lxd").args(["shutdown", "--timeout=60"])) {
                ctx.progress.step(
                    "lxd",
                    format_args!("lxd shutdown failed, terminating: {err:#}"),
                );
            }
        }
        match pid {
            Some(pid) => {
                if !wait_until(Duration::from_secs(30), || {
                    recorded_pid(&layout.pid_file, &layout.marker()).is_none()
                }) {
                    terminate(pid, &layout.marker(), Duration::from_secs(10))?;
                }
                ctx.progress
                    .step("lxd", format_args!("stopped (pid {pid})"));
            }
            None => ctx.progress.step("lxd", "not running"),
        }
        let unmounted = unmount_under(&layout.dir)?;
        if unmounted > 0 {
            ctx.progress
                .step("lxd", format_args!("unmounted {unmounted} leftover mounts"));
        }
        let _ = fs::remove_file(&layout.pid_file);
        Ok(())
    }

    fn check(&self, ctx: &Ctx) -> Result<()> {
        let answer = api_get(&socket_path(ctx)).map(drop);
        if ctx.is_root {
            answer
        } else {
            answer.context("LXD needs root")
        }
    }
}

fn socket_path(ctx: &Ctx) -> PathBuf {
    ctx.dir.join("lxd").join("var").join("unix.socket")
}

fn start_daemon(ctx: &Ctx, layout: &Layout) -> Result<()> {
    if let Some(pid) = recorded_pid(&layout.pid_file, &layout.marker()) {
        output(layout.command("lxd").args(["waitready", "--timeout=60"])).with_context(|| {
            format!(
                "LXD (pid {pid}) runs but is not ready{}",
                log_tails(&[&layout.log])
            )
        })?;
        ctx.progress
            .step("lxd", format_args!("already running (pid {pid})"));
        return Ok(());
    }
    if api_get(&layout.socket).is_ok() {
        bail!(
            "an LXD not started by xtask serves {}; stop it first",
            layout.socket.display()
        );
    }
    // A daemon killed uncleanly leaves its tmpfs mounts behind; a new one must not stack on them.
    let leftovers = unmount_under(&layout.var)?;
    if leftovers > 0 {
        ctx.progress.step(
            "lxd",
            format_args!("unmounted {leftovers} mounts left by a crashed daemon"),
        );
    }
    fs::create_dir_all(&layout.var)?;
    let program = find_program("lxd").context("lxd is not installed")?;
    let mut cmd = layout.command(&program.to_string_lossy());
    cmd.args(["--group", "root", "--logfile"]).arg(&layout.log);
    let mut child = spawn_detached(&cmd, &layout.out, &layout.pid_file)?;
    ctx.progress.step(
        "lxd",
        format_args!("started (pid {}), waiting for its socket", child.id()),
    );
    let logs = [layout.log.as_path(), layout.out.as_path()];
    let socket = layout.socket.clone();
    wait_for_daemon(&mut child, "lxd", Duration::from_secs(60), &logs, || {
        api_get(&socket).map(drop)
    })?;
    output(layout.command("lxd").args(["waitready", "--timeout=60"]))
        .with_context(|| format!("waiting for LXD to be ready{}", log_tails(&logs)))?;
    ctx.progress
        .step("lxd", format_args!("ready on {}", layout.socket.display()));
    Ok(())
}

fn ensure_storage(ctx: &Ctx, layout: &Layout) -> Result<()> {
    let pools = layout.lxc(&["storage", "list", "--format", "csv"])?;
    if !pools
        .lines()
        .any(|line| line.split(',').next() == Some(POOL))
    {
        layout.lxc(&["storage", "create", POOL, "dir"])?;
        ctx.progress.step(
            "lxd",
            format_args!("created the `dir` storage pool `{POOL}`"),
        );
    }
    let devices = layout.lxc(&["profile", "device", "list", "default"])?;
    if !devices.lines().any(|line| line.trim() == "root") {
        layout.lxc(&[
            "profile",
            "device",
            "add",
            "default",
            "root",
            "disk",
            "path=/",
            &format!("pool={POOL}"),
        ])?;
        ctx.progress
            .step("lxd", "added a root disk to the default profile");
    }
    Ok(())
}

fn ensure_image(ctx: &Ctx, layout: &Layout) -> Result<()> {
    let aliases = layout.lxc(&["image", "alias", "list", "--format", "csv"])?;
    if aliases
        .lines()
        .any(|line| line.split(',').next() == Some(IMAGE_ALIAS))
    {
        ctx.progress
            .step("lxd", format_args!("image `{IMAGE_ALIAS}` present"));
        return Ok(());
    }
    let tarball = build_busybox_image(&layout.dir.join("image"))?;
    ctx.progress
        .step("lxd", format_args!("built {}", tarball.display()));
    let tarball = tarball.to_string_lossy();
    layout.lxc(&["image", "import", &tarball, "--alias", IMAGE_ALIAS])?;
    ctx.progress
        .step("lxd", format_args!("imported image `{IMAGE_ALIAS}`"));
    smoke_test(ctx, layout)
}

/// Launches, runs a command in and deletes one container, once per new daemon, so a daemon
/// that cannot run containers fails here, with LXD's message, rather than in the tests.
fn smoke_test(ctx: &Ctx, layout: &Layout) -> Result<()> {
    let name = format!("opskit-smoke-{}", std::process::id());
    let outcome = layout
        .lxc(&["launch", IMAGE_ALIAS, &name])
        .and_then(|_| layout.lxc(&["exec", &name, "--", "echo", "ready"]));
    let _ = layout.lxc(&["delete", "--force", &name]);
    let said = outcome.context("LXD could not run a busybox container")?;
    if said.trim() != "ready" {
        bail!("LXD smoke test: `echo ready` in a container printed {said:?}");
    }
    ctx.progress.step(
        "lxd",
        format_args!("a busybox container launched, ran `echo` and was deleted"),
    );
    Ok(())
}

/// A unified LXD image tarball: `metadata.yaml` plus a rootfs of Debian's static busybox with
/// one symlink per applet and an inittab, so `init` idles instead of spawning shells on ttys
/// the container lacks.
fn build_busybox_image(dir: &Path) -> Result<PathBuf> {
    let busybox = Path::new("/bin/busybox");
    if !busybox.is_file() {
        bail!("/bin/busybox is missing (package busybox-static)");
    }
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    let rootfs = dir.join("rootfs");
    for sub in [
        "bin", "sbin", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp", "root", "etc", "run",
        "var/tmp",
    ] {
        fs::create_dir_all(rootfs.join(sub))?;
    }
    fs::copy(busybox, rootfs.join("bin/busybox")).context("copying /bin/busybox")?;
    for applet in output(Command::new(busybox).arg("--list-full"))?.lines() {
        let link = rootfs.join(applet.trim().trim_start_matches('/'));
        if applet.trim().is_empty() || link == rootfs.join("bin/busybox") || link.exists() {
            continue;
        }
        if let Some(parent) = link.parent() {
            fs::create_dir_all(parent)?;
        }
        std::os::unix::fs::symlink("/bin/busybox", &link)
            .with_context(|| format!("linking {}", link.display()))?;
    }
    fs::write(
        rootfs.join("etc/inittab"),
        "::sysinit:/bin/mount -t tmpfs tmpfs /tmp\n",
    )?;
    fs::write(rootfs.join("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n")?;
    fs::write(rootfs.join("etc/group"), "root:x:0:\n")?;
    let created = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let arch = output(Command::new("uname").arg("-m"))?;
    fs::write(
        dir.join("metadata.yaml"),
        format!(
            "architecture: {}\ncreation_date: {created}\nproperties:\n  \
             description: busybox (opskit test image)\n  os: busybox\n  release: static\n",
            arch.trim()
        ),
    )?;
    let tarball = dir.join("busybox.tar.gz");
    output(
        Command::new("tar")
            .arg("-C")
            .arg(dir)
            .args(["--numeric-owner", "-czf"])
            .arg(&tarball)
            .args(["metadata.yaml", "rootfs"]),
    )?;
    Ok(tarball)
}

/// `GET /1.0` over the unix socket: answers 200 once the API serves requests.
fn api_get(socket: &Path) -> Result<String> {
    let mut stream = UnixStream::connect(socket)
        .with_context(|| format!("connecting to {}", socket.display()))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    stream.set_write_timeout(Some(Duration::from_secs(2)))?;
    stream.write_all(b"GET /1.0 HTTP/1.0\r\nHost: lxd\r\n\r\n")?;
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .context("reading the LXD API reply")?;
    let status = reply.lines().next().unwrap_or_default();
    if !status.contains(" 200 ") {
        bail!("GET /1.0 answered {status:?}");
    }
    Ok(reply)
}

/// Lazily unmounts everything mounted at or below `dir`, deepest first; returns how many.
fn unmount_under(dir: &Path) -> Result<usize> {
    let mountinfo =
        fs::read_to_string("/proc/self/mountinfo").context("reading /proc/self/mountinfo")?;
    let mut mounts: Vec<PathBuf> = mountinfo
        .lines()
        .filter_map(|line| line.split(' ').nth(4))
        .map(|point| PathBuf::from(unescape_mount_point(point)))
        .filter(|point| point.starts_with(dir))
        .collect();
    mounts.sort_by_key(|point| std::cmp::Reverse(point.components().count()));
    mounts.dedup();
    for point in &mounts {
        output(Command::new("umount").arg("-l").arg(point))?;
    }
    Ok(mounts.len())
}

/// mountinfo writes space, tab, newline and backslash as three-digit octal escapes.
fn unescape_mount_point(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        let code = rest
            .get(pos + 1..pos + 4)
            .and_then(|digits| u8::from_str_radix(digits, 8).ok());
        match code {
            Some(byte) => {
                out.push(char::from(byte));
                rest = &rest[pos + 4..];
            }
            None => {
                out.push('\\');
                rest = &rest[pos + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::unescape_mount_point;

    #[test]
    fn mount_points_are_unescaped() {
        assert_eq!(unescape_mount_point("/a\\040b/c"), "/a b/c");
        assert_eq!(unescape_mount_point("/plain"), "/plain");
        assert_eq!(unescape_mount_point("/odd\\x"), "/odd\\x");
    }
}
