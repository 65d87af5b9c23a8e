//! Where the private test services listen; a missing one fails the test with the command
//! that starts it.
#![cfg(feature = "redis")]

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

fn require(what: &str, addr: &str) {
    let reachable = addr
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|a| TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok());
    assert!(
        reachable,
        "{what} is not answering at {addr}; start it with `cargo xtask services up`"
    );
}

fn host_port(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let rest = rest.rsplit('@').next().unwrap_or(rest);
    rest.split(['/', '?']).next().unwrap_or(rest).to_owned()
}

/// The test Redis URL (`OPSKIT_REDIS_URL`, default `redis://127.0.0.1:16379/`).
pub(crate) fn redis_url() -> String {
    let url =
        std::env::var("OPSKIT_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:16379/".to_owned());
    require("Redis", &host_port(&url));
    url
}
