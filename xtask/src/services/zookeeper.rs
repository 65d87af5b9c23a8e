//! ZooKeeper, standalone, on 127.0.0.1:12181, from Debian's jars (`libzookeeper-java`).

use std::fs;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use super::daemon::Daemon;
use super::process::{find_program, tcp_exchange};
use super::{Ctx, Service};

const PORT: u16 = 12181;

/// `zookeeper.jar` names its other dependencies in its manifest's Class-Path; the log4j
/// binding is ours to add.
pub(crate) const JARS: [&str; 3] = [
    "/usr/share/java/zookeeper.jar",
    "/usr/share/java/slf4j-log4j12.jar",
    "/usr/share/java/log4j-1.2.jar",
];

pub(crate) struct ZooKeeper;

impl ZooKeeper {
    fn daemon(ctx: &Ctx) -> Result<Daemon> {
        let dir = ctx.service_dir("zookeeper")?;
        Ok(Daemon {
            name: "zookeeper",
            log: dir.join("zookeeper.out"),
            extra_logs: vec![dir.join("zookeeper.log")],
            // Our zoo.cfg path: another ZooKeeper on this machine is not ours to stop.
            marker: dir.join("zoo.cfg").display().to_string(),
            dir,
            endpoint: format!("127.0.0.1:{PORT}"),
            // A cold JVM on two busy cores takes a few seconds.
            startup_timeout: Duration::from_secs(60),
        })
    }
}

impl Service for ZooKeeper {
    fn name(&self) -> &'static str {
        "zookeeper"
    }

    fn endpoint(&self, _ctx: &Ctx) -> String {
        format!("127.0.0.1:{PORT}")
    }

    fn env_var(&self, ctx: &Ctx) -> Option<(&'static str, String)> {
        Some(("OPSKIT_ZOOKEEPER_ADDR", self.endpoint(ctx)))
    }

    fn up(&self, ctx: &Ctx) -> Result<()> {
        let daemon = Self::daemon(ctx)?;
        daemon.up(ctx, || command(&daemon.dir, PORT), || ruok(PORT))
    }

    fn down(&self, ctx: &Ctx) -> Result<()> {
        Self::daemon(ctx)?.down(ctx)
    }

    fn check(&self, _ctx: &Ctx) -> Result<()> {
        ruok(PORT)
    }
}

fn command(dir: &Path, port: u16) -> Result<Command> {
    let data = dir.join("data");
    fs::create_dir_all(&data).with_context(|| format!("creating {}", data.display()))?;
    let zoo_cfg = dir.join("zoo.cfg");
    fs::write(&zoo_cfg, zoo_cfg_text(&data, port))
        .with_context(|| format!("writing {}", zoo_cfg.display()))?;
    let log4j = dir.join("log4j.properties");
    fs::write(&log4j, log4j_text(&dir.join("zookeeper.log")))
        .with_context(|| format!("writing {}", log4j.display()))?;
    for jar in JARS {
        if !Path::new(jar).is_file() {
            bail!("{jar} is missing (package libzookeeper-java and its dependencies)");
        }
    }
    let java = find_program("java").context("java is not installed (default-jre-headless)")?;
    let mut cmd = Command::new(java);
    cmd.args([
        "-Xms32m",
        "-Xmx256m",
        "-XX:+UseSerialGC",
        // No hsperfdata files in /tmp: everything stays under target/services.
        "-XX:-UsePerfData",
        "-Djava.awt.headless=true",
    ])
    .arg(format!("-Dlog4j.configuration=file:{}", log4j.display()))
    .arg("-Dzookeeper.admin.enableServer=false")
    .arg("-cp")
    .arg(JARS.join(":"))
    .arg("org.apache.zookeeper.server.quorum.QuorumPeerMain")
    .arg(&zoo_cfg)
    .current_dir(dir);
    Ok(cmd)
}

fn zoo_cfg_text(data: &Path, port: u16) -> String {
    format!(
        "tickTime=2000\n\
         dataDir={}\n\
         clientPort={port}\n\
         clientPortAddress=127.0.0.1\n\
         # Tests open many sessions from one address; 0 lifts the per-address limit.\n\
         maxClientCnxns=0\n\
         admin.enableServer=false\n\
         4lw.commands.whitelist=ruok,srvr,stat,mntr\n",
        data.display()
    )
}

fn log4j_text(log: &Path) -> String {
    format!(
        "log4j.rootLogger=INFO, FILE\n\
         log4j.appender.FILE=org.apache.log4j.FileAppender\n\
         log4j.appender.FILE.File={}\n\
         log4j.appender.FILE.layout=org.apache.log4j.PatternLayout\n\
         log4j.appender.FILE.layout.ConversionPattern=%d{{ISO8601}} %-5p [%t:%C{{1}}@%L] - %m%n\n",
        log.display()
    )
}

/// The `ruok` four-letter word answers `imok` once the server serves clients.
fn ruok(port: u16) -> Result<()> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let reply = tcp_exchange(addr, b"ruok", Duration::from_secs(2))?;
    if reply != "imok" {
        bail!("ruok answered {reply:?}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use super::*;
    use crate::services::process::{spawn_detached, terminate, wait_for_daemon};

    /// Starts the real server from our classpath and configuration on a spare port: the jars,
    /// the log4j binding and the config file all have to fit for it to answer.
    #[test]
    fn the_server_starts_from_our_configuration_and_logs_to_its_file() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("xtask-zookeeper-{}", std::process::id()));
        fs::create_dir_all(&dir)?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let cmd = command(&dir, port)?;
        let (out, pid_file, log) = (
            dir.join("zookeeper.out"),
            dir.join("zookeeper.pid"),
            dir.join("zookeeper.log"),
        );
        let mut child = spawn_detached(&cmd, &out, &pid_file)?;
        let answered = wait_for_daemon(
            &mut child,
            "zookeeper",
            Duration::from_secs(60),
            &[&out, &log],
            || ruok(port),
        );
        let srvr = answered.and_then(|()| {
            tcp_exchange(
                SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
                b"srvr",
                Duration::from_secs(2),
            )
        });
        terminate(child.id(), "QuorumPeerMain", Duration::from_secs(10))?;
        child.wait()?;
        let server_log = fs::read_to_string(&log);
        fs::remove_dir_all(&dir)?;
        assert!(srvr?.contains("Mode: standalone"));
        assert!(server_log?.contains(&format!("127.0.0.1:{port}")));
        Ok(())
    }
}
