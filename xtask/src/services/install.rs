//! Finds which Debian packages the services lack and installs them with one `apt-get` call
//! when we are root, keeping package scripts from starting system-wide daemons.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, Result, bail};

use super::Ctx;
use super::process::{describe, find_program};

/// Something the services need, and the package that provides it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Need {
    pub(crate) what: &'static str,
    pub(crate) package: &'static str,
    probe: Probe,
}

#[derive(Debug, Clone, Copy)]
enum Probe {
    /// A program on PATH (or in an sbin directory).
    Program(&'static str),
    /// A file at a fixed path.
    File(&'static str),
    /// A server version under /usr/lib/postgresql.
    PostgresServer,
    /// A package dpkg reports installed; used where a file check cannot tell packages apart
    /// (`busybox` and `busybox-static` both ship /bin/busybox; only the static one runs in a
    /// bare container rootfs).
    Package(&'static str),
}

const fn need(what: &'static str, package: &'static str, probe: Probe) -> Need {
    Need {
        what,
        package,
        probe,
    }
}

/// Everything `services up` uses. ZooKeeper comes from its jars and a headless JRE rather
/// than the `zookeeper` package, which would add a system user, a service and a desktop JRE.
pub(crate) const NEEDS: &[Need] = &[
    need(
        "redis-server",
        "redis-server",
        Probe::Program("redis-server"),
    ),
    need(
        "zookeeper.jar",
        "libzookeeper-java",
        Probe::File("/usr/share/java/zookeeper.jar"),
    ),
    need(
        "slf4j-log4j12.jar",
        "libslf4j-java",
        Probe::File("/usr/share/java/slf4j-log4j12.jar"),
    ),
    need(
        "log4j-1.2.jar",
        "liblog4j1.2-java",
        Probe::File("/usr/share/java/log4j-1.2.jar"),
    ),
    need("java", "default-jre-headless", Probe::Program("java")),
    need("postgresql server", "postgresql", Probe::PostgresServer),
    need(
        "pg_isready",
        "postgresql-client",
        Probe::Program("pg_isready"),
    ),
    need("lxd", "lxd", Probe::Program("lxd")),
    need("lxc", "lxd-client", Probe::Program("lxc")),
    // LXD runs `ip` at startup but only recommends iproute2; minimal images lack it.
    need("ip", "iproute2", Probe::Program("ip")),
    need(
        "static busybox",
        "busybox-static",
        Probe::Package("busybox-static"),
    ),
    need("sshd", "openssh-server", Probe::Program("sshd")),
    need("ssh-keygen", "openssh-client", Probe::Program("ssh-keygen")),
    need(
        "tinyproxy",
        "tinyproxy",
        Probe::File(super::tinyproxy::TINYPROXY),
    ),
    need("curl", "curl", Probe::Program("curl")),
    need(
        "CA certificates",
        "ca-certificates",
        Probe::File("/etc/ssl/certs/ca-certificates.crt"),
    ),
    need("runuser", "util-linux", Probe::Program("runuser")),
    need("setsid", "util-linux", Probe::Program("setsid")),
    need("tar", "tar", Probe::Program("tar")),
    need("gzip", "gzip", Probe::Program("gzip")),
];

impl Need {
    fn is_present(&self) -> bool {
        match self.probe {
            Probe::Program(program) => find_program(program).is_some(),
            Probe::File(path) => Path::new(path).is_file(),
            Probe::PostgresServer => fs::read_dir("/usr/lib/postgresql").is_ok_and(|versions| {
                versions
                    .flatten()
                    .any(|version| version.path().join("bin/initdb").is_file())
            }),
            Probe::Package(package) => Command::new("dpkg-query")
                .args(["-W", "-f", "${db:Status-Status}", package])
                .output()
                .is_ok_and(|out| out.status.success() && out.stdout == b"installed"),
        }
    }
}

/// The packages to install for the needs that `is_present` rejects, each once, in order.
pub(crate) fn missing_packages(
    needs: &[Need],
    is_present: impl Fn(&Need) -> bool,
) -> Vec<&'static str> {
    let mut packages = Vec::new();
    for need in needs {
        if !is_present(need) && !packages.contains(&need.package) {
            packages.push(need.package);
        }
    }
    packages
}

/// `cargo xtask services packages`: what is needed, what is missing, what `up` would run.
pub(crate) fn report() -> Result<()> {
    let mut text = String::new();
    for need in NEEDS {
        let state = if need.is_present() { "ok" } else { "MISSING" };
        text.push_str(&format!("{:<20} {:<22} {state}\n", need.what, need.package));
    }
    let missing = missing_packages(NEEDS, Need::is_present);
    if missing.is_empty() {
        text.push_str("nothing to install\n");
    } else {
        text.push_str(&format!(
            "`services up` would run: {}\n",
            describe(&install_command(&missing))
        ));
    }
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// A fresh VM often runs unattended-upgrades at boot; wait for its dpkg lock instead of failing.
const LOCK_TIMEOUT: &str = "DPkg::Lock::Timeout=600";

fn install_command(packages: &[&str]) -> Command {
    let mut cmd = Command::new("apt-get");
    cmd.env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages);
    cmd
}

/// Installs whatever is missing (root) or says exactly what to install (not root).
pub(crate) fn ensure_installed(ctx: &Ctx) -> Result<()> {
    let missing = missing_packages(NEEDS, Need::is_present);
    if missing.is_empty() {
        ctx.progress.step("packages", "all installed");
        return Ok(());
    }
    let list = missing.join(" ");
    if !ctx.is_root {
        bail!(
            "missing packages: {list}\ninstall them as root, then run this again:\n  \
             sudo apt-get install -y --no-install-recommends {list}"
        );
    }
    ctx.progress
        .step("packages", format_args!("installing {list}"));
    let policy = PolicyRcGuard::install()?;
    let result = apt(ctx, &missing);
    drop(policy);
    result?;
    let still_missing = missing_packages(NEEDS, Need::is_present);
    if !still_missing.is_empty() {
        bail!(
            "still missing after apt-get install: {}",
            still_missing.join(" ")
        );
    }
    ctx.progress.step("packages", "installed");
    Ok(())
}

fn apt(ctx: &Ctx, packages: &[&str]) -> Result<()> {
    let update = Command::new("apt-get")
        .args(["-q", "-o", LOCK_TIMEOUT, "update"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("running apt-get update")?;
    if !update.success() {
        bail!("apt-get update failed ({update})");
    }
    ctx.progress.step("packages", "apt-get update done");
    let mut install = install_command(packages);
    let status = install
        .arg("-q")
        .status()
        .with_context(|| format!("running `{}`", describe(&install)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(&install));
    }
    Ok(())
}

/// `/usr/sbin/policy-rc.d` exiting 101 tells `invoke-rc.d` not to start the daemons being
/// installed (redis, postgresql, lxd would otherwise start system-wide instances). It is
/// removed afterwards only if we created it.
struct PolicyRcGuard {
    created: bool,
}

const POLICY_RC: &str = "/usr/sbin/policy-rc.d";

impl PolicyRcGuard {
    fn install() -> Result<Self> {
        let path = Path::new(POLICY_RC);
        if path.exists() {
            return Ok(Self { created: false });
        }
        fs::write(
            path,
            "#!/bin/sh\n# written by `cargo xtask services up` during apt-get install\nexit 101\n",
        )
        .with_context(|| format!("writing {POLICY_RC}"))?;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755))?;
        Ok(Self { created: true })
    }
}

impl Drop for PolicyRcGuard {
    fn drop(&mut self) {
        if self.created {
            let _ = fs::remove_file(POLICY_RC);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_missing_when_everything_is_present() {
        assert!(missing_packages(NEEDS, |_| true).is_empty());
    }

    #[test]
    fn a_fresh_machine_installs_each_package_once() {
        let packages = missing_packages(NEEDS, |_| false);
        let mut deduplicated = packages.clone();
        deduplicated.sort_unstable();
        deduplicated.dedup();
        assert_eq!(packages.len(), deduplicated.len());
        for expected in [
            "redis-server",
            "libzookeeper-java",
            "postgresql",
            "lxd",
            "busybox-static",
            "openssh-server",
            "tinyproxy",
        ] {
            assert!(
                packages.contains(&expected),
                "{expected} missing from {packages:?}"
            );
        }
        assert_eq!(packages.iter().filter(|p| **p == "util-linux").count(), 1);
    }

    #[test]
    fn only_the_missing_packages_are_installed() {
        let packages = missing_packages(NEEDS, |need| !matches!(need.what, "java" | "sshd"));
        assert_eq!(packages, ["default-jre-headless", "openssh-server"]);
    }

    #[test]
    fn the_install_command_is_one_noninteractive_apt_call() {
        let cmd = install_command(&["redis-server", "lxd"]);
        assert_eq!(
            describe(&cmd),
            "apt-get install -y --no-install-recommends redis-server lxd"
        );
        assert!(
            cmd.get_envs()
                .any(|(k, v)| k == "DEBIAN_FRONTEND" && v.is_some_and(|v| v == "noninteractive"))
        );
    }
}
