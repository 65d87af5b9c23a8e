//! Redis on 127.0.0.1:16379 without persistence.

use std::fs;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use super::daemon::Daemon;
use super::process::{find_program, tcp_exchange};
use super::{Ctx, Service};

const PORT: u16 = 16379;

pub(crate) struct Redis;

impl Redis {
    fn daemon(ctx: &Ctx) -> Result<Daemon> {
        let dir = ctx.service_dir("redis")?;
        Ok(Daemon {
            name: "redis",
            log: dir.join("redis.log"),
            extra_logs: Vec::new(),
            dir,
            // Redis rewrites its process title to `redis-server 127.0.0.1:16379`.
            marker: "redis-server",
            endpoint: format!("127.0.0.1:{PORT}"),
            startup_timeout: Duration::from_secs(30),
        })
    }
}

impl Service for Redis {
    fn name(&self) -> &'static str {
        "redis"
    }

    fn endpoint(&self, _ctx: &Ctx) -> String {
        format!("redis://127.0.0.1:{PORT}/")
    }

    fn env_var(&self, ctx: &Ctx) -> Option<(&'static str, String)> {
        Some(("OPSKIT_REDIS_URL", self.endpoint(ctx)))
    }

    fn up(&self, ctx: &Ctx) -> Result<()> {
        let daemon = Self::daemon(ctx)?;
        daemon.up(
            ctx,
            || {
                let conf = daemon.dir.join("redis.conf");
                fs::write(&conf, config(&daemon.dir.display().to_string()))
                    .with_context(|| format!("writing {}", conf.display()))?;
                let program =
                    find_program("redis-server").context("redis-server is not installed")?;
                let mut cmd = Command::new(program);
                cmd.arg(&conf).current_dir(&daemon.dir);
                Ok(cmd)
            },
            ping,
        )
    }

    fn down(&self, ctx: &Ctx) -> Result<()> {
        Self::daemon(ctx)?.down(ctx)
    }

    fn check(&self, _ctx: &Ctx) -> Result<()> {
        ping()
    }
}

/// No snapshots, no append-only file: test data never outlives the process.
fn config(dir: &str) -> String {
    format!(
        "bind 127.0.0.1\n\
         port {PORT}\n\
         protected-mode yes\n\
         daemonize no\n\
         save \"\"\n\
         appendonly no\n\
         dir \"{dir}\"\n\
         logfile \"\"\n\
         databases 16\n"
    )
}

fn ping() -> Result<()> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, PORT));
    let reply = tcp_exchange(addr, b"PING\r\n", Duration::from_secs(2))?;
    if !reply.starts_with("+PONG") {
        bail!("PING answered {reply:?}");
    }
    Ok(())
}
