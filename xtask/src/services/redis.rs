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
            marker: "redis-server".to_owned(),
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
            || ping(PORT),
        )
    }

    fn down(&self, ctx: &Ctx) -> Result<()> {
        Self::daemon(ctx)?.down(ctx)
    }

    fn check(&self, _ctx: &Ctx) -> Result<()> {
        ping(PORT)
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

fn ping(port: u16) -> Result<()> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let reply = tcp_exchange(addr, b"PING\r\n", Duration::from_secs(2))?;
    if !reply.starts_with("+PONG") {
        bail!("PING answered {reply:?}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use super::*;
    use crate::services::process::{spawn_detached, terminate, wait_for_daemon};

    /// Starts the real redis-server with our configuration on a spare port and asks it what it
    /// runs with.
    #[test]
    fn the_configuration_disables_persistence() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("xtask-redis-{}", std::process::id()));
        fs::create_dir_all(&dir)?;
        let conf = dir.join("redis.conf");
        fs::write(&conf, config(&dir.display().to_string()))?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let program = find_program("redis-server").context("redis-server is not installed")?;
        let mut cmd = Command::new(program);
        cmd.arg(&conf).args(["--port", &port.to_string()]);
        let (log, pid_file) = (dir.join("redis.log"), dir.join("redis.pid"));
        let mut child = spawn_detached(&cmd, &log, &pid_file)?;
        let answered = wait_for_daemon(
            &mut child,
            "redis",
            Duration::from_secs(20),
            &[&log],
            || ping(port),
        );
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let ask = |key: &str| {
            tcp_exchange(
                addr,
                format!("CONFIG GET {key}\r\n").as_bytes(),
                Duration::from_secs(2),
            )
        };
        let replies = answered.and_then(|()| Ok((ask("save")?, ask("appendonly")?)));
        terminate(child.id(), "redis-server", Duration::from_secs(5))?;
        child.wait()?;
        fs::remove_dir_all(&dir)?;
        let (save, appendonly) = replies?;
        assert_eq!(save, "*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
        assert_eq!(appendonly, "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
        Ok(())
    }
}
