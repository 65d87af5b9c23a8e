//! Endpoints of the private test services started by `cargo xtask services up`.
//!
//! Each function returns where a service listens: the value of its environment variable when
//! that is set and not empty, otherwise the default that `cargo xtask services up` uses. Before
//! returning, it checks that something answers there (a TCP connect, or a unix socket connect
//! for LXD, each within 2 s) and **panics** otherwise, with a message naming the command that
//! starts the services. A test that needs a service therefore fails loudly instead of being
//! skipped or failing later with a bare I/O error. The check runs once per process per
//! service; later calls return the cached endpoint.
//!
//! | function | default | variable |
//! |---|---|---|
//! | [`redis_url`] | `redis://127.0.0.1:16379/` | `OPSKIT_REDIS_URL` |
//! | [`postgres_url`] | `postgres://opskit@127.0.0.1:15432/opskit` (trust auth) | `OPSKIT_POSTGRES_URL` |
//! | [`zookeeper_addr`] | `127.0.0.1:12181` | `OPSKIT_ZOOKEEPER_ADDR` |
//! | [`lxd_socket`] | `<workspace>/target/services/lxd/var/unix.socket` | `OPSKIT_LXD_SOCKET` |
//!
//! `cargo xtask services env` prints the same values as `export` lines.
//!
//! # Example
//!
//! ```no_run
//! // In a test of a crate that lists `test-support` as a dev-dependency:
//! let url = test_support::services::redis_url();
//! assert!(url.starts_with("redis://"));
//! // connect with the crate's own client, e.g. `durabledict`'s Redis backend, from here.
//! ```

use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// How long a check waits for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// The Redis URL, e.g. `redis://127.0.0.1:16379/`, after checking that Redis accepts
/// connections there.
///
/// # Panics
///
/// When nothing answers at the URL; the message says how to start the services.
pub fn redis_url() -> String {
    static CHECKED: OnceLock<Result<String, String>> = OnceLock::new();
    checked(&REDIS, &CHECKED)
}

/// The PostgreSQL URL, e.g. `postgres://opskit@127.0.0.1:15432/opskit` (user and database
/// `opskit`, trust authentication on loopback), after checking that the server accepts
/// connections there.
///
/// # Panics
///
/// When nothing answers at the URL; the message says how to start the services.
pub fn postgres_url() -> String {
    static CHECKED: OnceLock<Result<String, String>> = OnceLock::new();
    checked(&POSTGRES, &CHECKED)
}

/// The ZooKeeper address, e.g. `127.0.0.1:12181`, after checking that ZooKeeper accepts
/// connections there. A connect string with several hosts (`h1:2181,h2:2181/chroot`) is
/// returned as given; its first host is checked.
///
/// # Panics
///
/// When nothing answers at the address; the message says how to start the services.
pub fn zookeeper_addr() -> String {
    static CHECKED: OnceLock<Result<String, String>> = OnceLock::new();
    checked(&ZOOKEEPER, &CHECKED)
}

/// The path of the LXD daemon's unix socket, after checking that the daemon accepts
/// connections on it. Talking to it needs root, as starting it does.
///
/// # Panics
///
/// When the socket is missing or refuses connections; the message says how to start the
/// services.
pub fn lxd_socket() -> PathBuf {
    static CHECKED: OnceLock<Result<String, String>> = OnceLock::new();
    PathBuf::from(checked(&LXD, &CHECKED))
}

/// One service: how to name it, where it is by default and how to probe it.
#[derive(Debug)]
struct Endpoint {
    service: &'static str,
    var: &'static str,
    default: fn() -> String,
    probe: Probe,
}

#[derive(Debug, Clone, Copy)]
enum Probe {
    /// TCP connect to the host and port of a URL or `host:port`, with this port when the
    /// value names none.
    Tcp { default_port: u16 },
    /// Connect to a unix socket at this path.
    UnixSocket,
}

const REDIS: Endpoint = Endpoint {
    service: "Redis",
    var: "OPSKIT_REDIS_URL",
    default: || "redis://127.0.0.1:16379/".to_owned(),
    probe: Probe::Tcp { default_port: 6379 },
};

const POSTGRES: Endpoint = Endpoint {
    service: "PostgreSQL",
    var: "OPSKIT_POSTGRES_URL",
    default: || "postgres://opskit@127.0.0.1:15432/opskit".to_owned(),
    probe: Probe::Tcp { default_port: 5432 },
};

const ZOOKEEPER: Endpoint = Endpoint {
    service: "ZooKeeper",
    var: "OPSKIT_ZOOKEEPER_ADDR",
    default: || "127.0.0.1:12181".to_owned(),
    probe: Probe::Tcp { default_port: 2181 },
};

const LXD: Endpoint = Endpoint {
    service: "LXD",
    var: "OPSKIT_LXD_SOCKET",
    default: || {
        workspace_root()
            .join("target/services/lxd/var/unix.socket")
            .display()
            .to_string()
    },
    probe: Probe::UnixSocket,
};

/// This crate lives at `<workspace>/crates/test-support`.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("test-support lives two levels below the workspace root")
        .to_path_buf()
}

fn checked(endpoint: &Endpoint, cache: &OnceLock<Result<String, String>>) -> String {
    let outcome = cache.get_or_init(|| {
        let value = resolve(std::env::var(endpoint.var).ok(), endpoint.default);
        check(endpoint, &value).map(|()| value)
    });
    match outcome {
        Ok(value) => value.clone(),
        Err(message) => panic!("{message}"),
    }
}

/// The variable's value when set and not blank, else the default.
fn resolve(from_env: Option<String>, default: fn() -> String) -> String {
    match from_env {
        Some(value) if !value.trim().is_empty() => value.trim().to_owned(),
        _ => default(),
    }
}

/// Ok when the service answers at `value`, else the message a failing test shows.
fn check(endpoint: &Endpoint, value: &str) -> Result<(), String> {
    let outcome = match endpoint.probe {
        Probe::Tcp { default_port } => connect_tcp(value, default_port),
        Probe::UnixSocket => connect_unix(Path::new(value)),
    };
    outcome.map_err(|reason| {
        let root = if matches!(endpoint.probe, Probe::UnixSocket) {
            " as root"
        } else {
            ""
        };
        format!(
            "{} is not answering at {value} ({}): {reason}; start the test services with \
             `cargo xtask services up`{root} (or point {} at a running instance)",
            endpoint.service, endpoint.var, endpoint.var
        )
    })
}

fn connect_tcp(value: &str, default_port: u16) -> Result<(), String> {
    let authority = host_and_port(value, default_port)?;
    let addrs = authority
        .to_socket_addrs()
        .map_err(|err| format!("cannot resolve {authority}: {err}"))?;
    let mut last_error = format!("{authority} resolves to no address");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
            Ok(_) => return Ok(()),
            Err(err) => last_error = format!("connecting to {addr}: {err}"),
        }
    }
    Err(last_error)
}

fn connect_unix(path: &Path) -> Result<(), String> {
    if !path.exists() {
        return Err("the socket does not exist".to_owned());
    }
    UnixStream::connect(path)
        .map(drop)
        .map_err(|err| format!("connecting: {err}"))
}

/// `host:port` of a URL (`scheme://user:pass@host:port/path?query`) or of a bare address or
/// connect string (`host[:port][,host2...][/chroot]`), adding `default_port` when none is given.
fn host_and_port(value: &str, default_port: u16) -> Result<String, String> {
    let rest = value.split_once("://").map_or(value, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#', ',']).next().unwrap_or_default();
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host_port.is_empty() {
        return Err(format!("no host in {value:?}"));
    }
    // `[::1]:6379` has a port; `[::1]` and `::1`-style hosts without brackets do not.
    let has_port = match host_port.rsplit_once(':') {
        Some((host, port)) => {
            (!host.contains(':') || host.ends_with(']')) && port.parse::<u16>().is_ok()
        }
        None => false,
    };
    Ok(if has_port {
        host_port.to_owned()
    } else {
        format!("{host_port}:{default_port}")
    })
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use super::*;

    #[test]
    fn the_environment_overrides_the_default() {
        let default = || "redis://127.0.0.1:16379/".to_owned();
        assert_eq!(
            resolve(Some("redis://10.0.0.5:7000/2".to_owned()), default),
            "redis://10.0.0.5:7000/2"
        );
        assert_eq!(
            resolve(Some(" 127.0.0.1:1 \n".to_owned()), default),
            "127.0.0.1:1"
        );
        assert_eq!(resolve(None, default), "redis://127.0.0.1:16379/");
        assert_eq!(
            resolve(Some("  ".to_owned()), default),
            "redis://127.0.0.1:16379/"
        );
    }

    #[test]
    fn defaults_match_cargo_xtask_services() {
        assert_eq!((REDIS.default)(), "redis://127.0.0.1:16379/");
        assert_eq!(
            (POSTGRES.default)(),
            "postgres://opskit@127.0.0.1:15432/opskit"
        );
        assert_eq!((ZOOKEEPER.default)(), "127.0.0.1:12181");
        let socket = PathBuf::from((LXD.default)());
        assert!(socket.ends_with("target/services/lxd/var/unix.socket"));
        assert!(socket.starts_with(workspace_root()));
        assert!(workspace_root().join("Cargo.toml").is_file());
    }

    #[test]
    fn host_and_port_come_from_urls_and_addresses() {
        let cases = [
            ("redis://127.0.0.1:16379/", 6379, "127.0.0.1:16379"),
            (
                "redis://:secret@cache.example:7000/3",
                6379,
                "cache.example:7000",
            ),
            ("redis://localhost", 6379, "localhost:6379"),
            (
                "postgres://opskit@127.0.0.1:15432/opskit?sslmode=disable",
                5432,
                "127.0.0.1:15432",
            ),
            ("postgres://u:p@db/x", 5432, "db:5432"),
            ("127.0.0.1:12181", 2181, "127.0.0.1:12181"),
            ("zk1:2181,zk2:2181/app", 2181, "zk1:2181"),
            ("[::1]:6380", 6379, "[::1]:6380"),
            ("redis://[::1]/", 6379, "[::1]:6379"),
        ];
        for (value, default_port, expected) in cases {
            assert_eq!(
                host_and_port(value, default_port).as_deref(),
                Ok(expected),
                "{value}"
            );
        }
        assert!(host_and_port("redis:///0", 6379).is_err());
    }

    #[test]
    fn a_listening_port_passes_the_check() -> std::io::Result<()> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let url = format!("redis://127.0.0.1:{}/", listener.local_addr()?.port());
        assert_eq!(check(&REDIS, &url), Ok(()));
        Ok(())
    }

    #[test]
    fn a_closed_port_fails_with_the_command_that_starts_the_services() -> std::io::Result<()> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let url = format!("postgres://opskit@127.0.0.1:{port}/opskit");
        let message = check(&POSTGRES, &url).expect_err("nothing listens on a port just released");
        assert!(
            message.starts_with(&format!(
                "PostgreSQL is not answering at {url} (OPSKIT_POSTGRES_URL)"
            )),
            "{message}"
        );
        assert!(message.contains("`cargo xtask services up`"), "{message}");
        Ok(())
    }

    #[test]
    fn a_missing_lxd_socket_fails_the_check() {
        let message = check(&LXD, "/nonexistent/unix.socket").expect_err("no such socket");
        assert!(message.contains("the socket does not exist"), "{message}");
        assert!(
            message.contains("`cargo xtask services up` as root"),
            "{message}"
        );
    }

    /// The real services, as every service-backed test uses them.
    #[test]
    fn the_services_started_by_xtask_answer() {
        assert!(redis_url().starts_with("redis://"));
        assert!(postgres_url().starts_with("postgres://"));
        assert!(!zookeeper_addr().is_empty());
        assert!(lxd_socket().is_absolute());
        // Cached: the second call returns the same value without a new check.
        assert_eq!(redis_url(), redis_url());
    }
}
