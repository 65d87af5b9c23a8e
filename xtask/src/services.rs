//! `cargo xtask services up | down | status | env | packages`: private Redis, ZooKeeper,
//! PostgreSQL and LXD for the tests, plus a check that OpenSSH's `sshd` and `tinyproxy` are
//! installed.
//!
//! Everything lives under `<workspace>/target/services/<name>/` (data, logs, pid files) and
//! listens on 127.0.0.1 only, on ports of its own, so a system-wide instance is never touched.
//! `docs/testing.md` describes the endpoints; `test_support::services` reads the same defaults.

mod daemon;
mod install;
mod lock;
mod lxd;
mod postgres;
mod process;
mod progress;
mod redis;
mod sshd;
mod tinyproxy;
mod zookeeper;

use std::io::Write as _;
use std::path::PathBuf;
use std::thread;

use anyhow::{Context as _, Result, bail};

use self::progress::Progress;

const USAGE: &str = "\
usage: cargo xtask services <command>

commands:
  up        install what is missing (as root, with apt), start every service, wait until each answers
  down      stop what `up` started, by its recorded process ids
  status    print each service, its endpoint and whether it answers (exit 1 if one does not)
  env       print the `export` lines the tests read (they default to the same values)
  packages  print the Debian packages the services need and which are missing (installs nothing)
";

/// Runs `cargo xtask services <args>`.
pub(crate) fn run(args: &[String]) -> Result<()> {
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["up"] => up(),
        ["down"] => down(),
        ["status"] => status(),
        ["env"] => env(),
        ["packages"] => install::report(),
        ["help" | "-h" | "--help"] | [] => {
            write_stdout(USAGE);
            Ok(())
        }
        other => bail!("unknown arguments `{}`\n\n{USAGE}", other.join(" ")),
    }
}

/// Installs missing packages, then starts every service (or finds it running) and waits until
/// each answers. A second call returns in seconds.
pub(crate) fn up() -> Result<()> {
    let ctx = Ctx::new()?;
    let _lock = lock::Lock::acquire(&ctx)?;
    install::ensure_installed(&ctx)?;
    for_each_service(&ctx, "up", |service, ctx| service.up(ctx))?;
    ctx.progress.step(
        "services",
        "all up; `cargo xtask services env` prints the endpoints",
    );
    Ok(())
}

fn down() -> Result<()> {
    let ctx = Ctx::new()?;
    let _lock = lock::Lock::acquire(&ctx)?;
    for_each_service(&ctx, "down", |service, ctx| service.down(ctx))?;
    ctx.progress.step("services", "all down");
    Ok(())
}

fn status() -> Result<()> {
    let ctx = Ctx::new()?;
    let mut failing = Vec::new();
    let mut report = String::new();
    for service in services() {
        let (verdict, ok) = match service.check(&ctx) {
            Ok(()) => ("answering".to_owned(), true),
            Err(err) => (format!("NOT answering: {err:#}"), false),
        };
        report.push_str(&format!(
            "{:<10} {:<52} {verdict}\n",
            service.name(),
            service.endpoint(&ctx)
        ));
        if !ok {
            failing.push(service.name());
        }
    }
    write_stdout(&report);
    if !failing.is_empty() {
        bail!(
            "not answering: {}; start them with `cargo xtask services up`",
            failing.join(", ")
        );
    }
    Ok(())
}

fn env() -> Result<()> {
    let ctx = Ctx::new()?;
    let mut lines = String::new();
    for service in services() {
        if let Some((var, value)) = service.env_var(&ctx) {
            lines.push_str(&format!("export {var}={}\n", shell_quote(&value)));
        }
    }
    write_stdout(&lines);
    Ok(())
}

/// What every service command gets: where things live and how to report progress.
pub(crate) struct Ctx {
    /// `<workspace>/target/services`.
    pub(crate) dir: PathBuf,
    pub(crate) progress: Progress,
    pub(crate) is_root: bool,
}

impl Ctx {
    fn new() -> Result<Self> {
        let dir = crate::project_root().join("target").join("services");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Self {
            dir,
            progress: Progress::start(),
            is_root: process::is_root()?,
        })
    }

    /// `target/services/<name>`, created if missing.
    pub(crate) fn service_dir(&self, name: &str) -> Result<PathBuf> {
        let dir = self.dir.join(name);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(dir)
    }
}

/// One managed service. `up` and `down` must be idempotent.
pub(crate) trait Service: Sync {
    fn name(&self) -> &'static str;
    /// Where tests reach it, as printed by `status`.
    fn endpoint(&self, ctx: &Ctx) -> String;
    /// The variable tests read and its value, if the service has an endpoint at all.
    fn env_var(&self, ctx: &Ctx) -> Option<(&'static str, String)>;
    fn up(&self, ctx: &Ctx) -> Result<()>;
    fn down(&self, ctx: &Ctx) -> Result<()>;
    /// Ok when the service answers right now.
    fn check(&self, ctx: &Ctx) -> Result<()>;
}

fn services() -> [&'static dyn Service; 6] {
    [
        &redis::Redis,
        &zookeeper::ZooKeeper,
        &postgres::Postgres,
        &lxd::Lxd,
        &sshd::Sshd,
        &tinyproxy::Tinyproxy,
    ]
}

/// Runs `action` for every service at once (most of the time goes to waiting for daemons),
/// and reports every failure, not just the first.
fn for_each_service(
    ctx: &Ctx,
    verb: &str,
    action: impl Fn(&dyn Service, &Ctx) -> Result<()> + Sync,
) -> Result<()> {
    let failures: Vec<String> = thread::scope(|scope| {
        let handles: Vec<_> = services()
            .into_iter()
            .map(|service| {
                let action = &action;
                (service.name(), scope.spawn(move || action(service, ctx)))
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|(name, handle)| match handle.join() {
                Ok(Ok(())) => None,
                Ok(Err(err)) => Some(format!("{name}: {err:#}")),
                Err(_) => Some(format!("{name}: panicked")),
            })
            .collect()
    });
    if failures.is_empty() {
        return Ok(());
    }
    bail!("services {verb} failed:\n  {}", failures.join("\n  "))
}

fn write_stdout(text: &str) {
    // A closed pipe (`... | head`) is not worth an error.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Quotes `value` for a POSIX shell when it holds anything beyond a safe set of characters.
fn shell_quote(value: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/:@._-+=,%".contains(c);
    if !value.is_empty() && value.chars().all(safe) {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn shell_quote_leaves_urls_alone_and_quotes_the_rest() {
        assert_eq!(
            shell_quote("redis://127.0.0.1:16379/"),
            "redis://127.0.0.1:16379/"
        );
        assert_eq!(shell_quote("/a b/unix.socket"), "'/a b/unix.socket'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
