//! PostgreSQL on 127.0.0.1:15432: a cluster of our own made with `initdb`, trust auth,
//! user and database `opskit`.
//!
//! PostgreSQL refuses to run as root. As root we run the server programs as the `postgres`
//! system user (created by the Debian package) through `runuser`; otherwise as ourselves.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use super::process::{log_tails, output, wait_until};
use super::{Ctx, Service};

const PORT: u16 = 15432;
const USER: &str = "opskit";
const DATABASE: &str = "opskit";
const SYSTEM_USER: &str = "postgres";

pub(crate) struct Postgres;

impl Service for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn endpoint(&self, _ctx: &Ctx) -> String {
        format!("postgres://{USER}@127.0.0.1:{PORT}/{DATABASE}")
    }

    fn env_var(&self, ctx: &Ctx) -> Option<(&'static str, String)> {
        Some(("OPSKIT_POSTGRES_URL", self.endpoint(ctx)))
    }

    fn up(&self, ctx: &Ctx) -> Result<()> {
        let cluster = Cluster::locate(ctx)?;
        if !cluster.data.join("PG_VERSION").is_file() {
            cluster.init(ctx)?;
        }
        if cluster.is_running() {
            if !wait_until(Duration::from_secs(10), || is_ready(&cluster.bin).is_ok()) {
                bail!(
                    "the cluster in {} runs but does not answer on port {PORT}{}",
                    cluster.data.display(),
                    log_tails(&[&cluster.log])
                );
            }
            ctx.progress.step(
                "postgres",
                format_args!("already running on 127.0.0.1:{PORT}"),
            );
        } else {
            if is_ready(&cluster.bin).is_ok() {
                bail!("something else already answers on 127.0.0.1:{PORT}");
            }
            ctx.progress.step("postgres", "starting the server");
            cluster
                .as_server_user(&cluster.bin.join("pg_ctl"))
                .arg("-D")
                .arg(&cluster.data)
                .arg("-l")
                .arg(&cluster.log)
                .args(["-w", "-t", "60", "start"])
                .status_with_log(&cluster.log)?;
            ctx.progress
                .step("postgres", format_args!("answering on 127.0.0.1:{PORT}"));
        }
        ensure_database(&cluster.bin)?;
        Ok(())
    }

    fn down(&self, ctx: &Ctx) -> Result<()> {
        let cluster = Cluster::locate(ctx)?;
        if !cluster.is_running() {
            ctx.progress.step("postgres", "not running");
            return Ok(());
        }
        cluster
            .as_server_user(&cluster.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&cluster.data)
            .args(["-m", "fast", "-w", "-t", "60", "stop"])
            .status_with_log(&cluster.log)?;
        ctx.progress.step("postgres", "stopped");
        Ok(())
    }

    fn check(&self, _ctx: &Ctx) -> Result<()> {
        is_ready(&server_bin_dir()?)
    }
}

/// Where our cluster lives and how to run its programs.
struct Cluster {
    /// `/usr/lib/postgresql/<newest version>/bin`.
    bin: PathBuf,
    data: PathBuf,
    log: PathBuf,
    /// Run server programs through `runuser -u postgres` (we are root).
    run_as_postgres: bool,
}

impl Cluster {
    fn locate(ctx: &Ctx) -> Result<Self> {
        let dir = ctx.service_dir("postgres")?;
        let base = if ctx.is_root {
            reachable_base(&dir)?
        } else {
            dir
        };
        Ok(Self {
            bin: server_bin_dir()?,
            data: base.join("data"),
            log: base.join("postgres.log"),
            run_as_postgres: ctx.is_root,
        })
    }

    fn as_server_user(&self, program: &Path) -> Command {
        if self.run_as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", SYSTEM_USER, "--"]).arg(program);
            // runuser keeps our working directory, which the postgres user may not enter.
            cmd.current_dir("/");
            cmd
        } else {
            Command::new(program)
        }
    }

    fn is_running(&self) -> bool {
        let Ok(pid_file) = fs::read_to_string(self.data.join("postmaster.pid")) else {
            return false;
        };
        pid_file
            .lines()
            .next()
            .and_then(|pid| pid.trim().parse::<u32>().ok())
            .is_some_and(|pid| super::process::is_alive(pid, "postgres"))
    }

    fn init(&self, ctx: &Ctx) -> Result<()> {
        ctx.progress
            .step("postgres", format_args!("initdb {}", self.data.display()));
        if self.data.exists() {
            // A PG_VERSION-less data dir is what an interrupted initdb leaves; initdb wants it empty.
            fs::remove_dir_all(&self.data)
                .with_context(|| format!("removing {}", self.data.display()))?;
        }
        fs::create_dir_all(&self.data)
            .with_context(|| format!("creating {}", self.data.display()))?;
        if self.run_as_postgres {
            let base = self.data.parent().context("the data dir has a parent")?;
            output(
                Command::new("chown")
                    .args(["-R", &format!("{SYSTEM_USER}:")])
                    .arg(base),
            )?;
        }
        output(
            self.as_server_user(&self.bin.join("initdb"))
                .arg("-D")
                .arg(&self.data)
                .args([
                    "-U",
                    USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-locale",
                    "--no-sync",
                ]),
        )?;
        let conf = self.data.join("postgresql.conf");
        let mut text =
            fs::read_to_string(&conf).with_context(|| format!("reading {}", conf.display()))?;
        text.push_str(&format!(
            "\n# opskit test cluster (cargo xtask services): loopback only, throwaway data.\n\
             listen_addresses = '127.0.0.1'\n\
             port = {PORT}\n\
             unix_socket_directories = ''\n\
             max_connections = 200\n\
             fsync = off\n\
             synchronous_commit = off\n\
             full_page_writes = off\n"
        ));
        fs::write(&conf, text).with_context(|| format!("writing {}", conf.display()))?;
        Ok(())
    }
}

trait StatusWithLog {
    /// Runs the command; on failure the error carries its output and the end of `log`.
    fn status_with_log(&mut self, log: &Path) -> Result<()>;
}

impl StatusWithLog for Command {
    fn status_with_log(&mut self, log: &Path) -> Result<()> {
        output(self)
            .map(drop)
            .map_err(|err| anyhow::anyhow!("{err:#}{}", log_tails(&[log])))
    }
}

/// The postgres user must reach the cluster: under a home directory such as /root (mode 0700)
/// it cannot, so the cluster then lives in /var/tmp under a name derived from our path.
fn reachable_base(dir: &Path) -> Result<PathBuf> {
    let probe = Command::new("runuser")
        .args(["-u", SYSTEM_USER, "--", "test", "-x"])
        .arg(dir.parent().context("target/services has a parent")?)
        .current_dir("/")
        .status()
        .context("running runuser")?;
    if probe.success() {
        return Ok(dir.to_path_buf());
    }
    let flat: String = dir
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let base = PathBuf::from("/var/tmp/opskit-postgres").join(flat.trim_start_matches('_'));
    fs::create_dir_all(&base).with_context(|| format!("creating {}", base.display()))?;
    let note = dir.join("cluster-location.txt");
    fs::write(&note, format!("{}\n", base.display()))?;
    Ok(base)
}

/// The newest installed server version's bin directory.
fn server_bin_dir() -> Result<PathBuf> {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir(root)
        .with_context(|| format!("{} is missing: is postgresql installed?", root.display()))?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).with_context(|| {
        format!(
            "no server under {}: is postgresql installed?",
            root.display()
        )
    })
}

fn is_ready(bin: &Path) -> Result<()> {
    output(Command::new(bin.join("pg_isready")).args([
        "-h",
        "127.0.0.1",
        "-p",
        &PORT.to_string(),
        "-U",
        USER,
        "-d",
        DATABASE,
        "-t",
        "2",
    ]))
    .map(drop)
}

fn ensure_database(bin: &Path) -> Result<()> {
    let exists = output(Command::new(bin.join("psql")).args([
        "-h",
        "127.0.0.1",
        "-p",
        &PORT.to_string(),
        "-U",
        USER,
        "-d",
        "postgres",
        "-tAc",
        &format!("SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"),
    ]))?;
    if exists.trim() != "1" {
        output(Command::new(bin.join("createdb")).args([
            "-h",
            "127.0.0.1",
            "-p",
            &PORT.to_string(),
            "-U",
            USER,
            DATABASE,
        ]))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    #[test]
    fn a_cluster_the_postgres_user_cannot_reach_moves_to_var_tmp() -> Result<()> {
        let private = std::env::temp_dir().join(format!("xtask-pg-private-{}", std::process::id()));
        let dir = private.join("target/services/postgres");
        fs::create_dir_all(&dir)?;
        fs::set_permissions(&private, fs::Permissions::from_mode(0o700))?;
        let base = reachable_base(&dir);
        let note = fs::read_to_string(dir.join("cluster-location.txt"));
        fs::remove_dir_all(&private)?;
        let base = base?;
        let cleanup = fs::remove_dir(&base);
        assert!(
            base.starts_with("/var/tmp/opskit-postgres"),
            "{}",
            base.display()
        );
        let expected = format!(
            "xtask-pg-private-{}_target_services_postgres",
            std::process::id()
        );
        let name = base
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        assert!(
            name.is_some_and(|name| name.ends_with(&expected)),
            "{}",
            base.display()
        );
        assert_eq!(note?.trim(), base.display().to_string());
        cleanup?;
        Ok(())
    }

    #[test]
    fn the_newest_server_version_is_chosen() -> Result<()> {
        let bin = server_bin_dir()?;
        assert!(bin.join("initdb").is_file() && bin.join("pg_ctl").is_file());
        Ok(())
    }
}
