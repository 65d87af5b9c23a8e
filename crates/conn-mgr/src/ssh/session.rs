//! Opening an authenticated `ssh2` session: TCP with `TCP_NODELAY`, handshake, host key, auth.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use ssh2::{CheckResult, KnownHostFileKind, Session};

use super::settings::{HostKeyPolicy, SshSettings};
use crate::error::TransportError;
use crate::{Error, Result};

pub(crate) fn transport(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
    Error::Transport(TransportError::new(e))
}

pub(crate) fn millis(d: Duration) -> u32 {
    // 0 means "no timeout" to libssh2, so never pass it.
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX).max(1)
}

/// Connects, checks the host key and authenticates; all bounded by the connect timeout.
pub(crate) fn open(settings: &SshSettings) -> Result<Session> {
    let timeout = settings.connect_timeout;
    let addrs: Vec<_> = (settings.host.as_str(), settings.port)
        .to_socket_addrs()
        .map_err(transport)?
        .collect();
    let mut last = None;
    let mut tcp = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let tcp = match (tcp, last) {
        (Some(t), _) => t,
        (None, Some(e)) => return Err(transport(e)),
        (None, None) => {
            return Err(Error::Config(format!(
                "'{}' resolves to no address",
                settings.host
            )));
        }
    };
    // Without it every request/response pays a Nagle + delayed-ACK stall (~45 ms measured).
    tcp.set_nodelay(true).map_err(transport)?;
    let mut session = Session::new().map_err(transport)?;
    session.set_timeout(millis(timeout));
    session.set_tcp_stream(tcp);
    session.handshake().map_err(transport)?;
    check_host_key(&session, settings)?;
    authenticate(&session, settings)?;
    session.set_keepalive(
        false,
        u32::try_from(settings.keepalive.as_secs())
            .unwrap_or(u32::MAX)
            .max(1),
    );
    Ok(session)
}

fn check_host_key(session: &Session, settings: &SshSettings) -> Result<()> {
    if settings.host_key_policy == HostKeyPolicy::Off {
        return Ok(());
    }
    let (key, key_type) = session
        .host_key()
        .ok_or_else(|| transport("server sent no host key"))?;
    let mut known = session.known_hosts().map_err(transport)?;
    if settings.known_hosts.exists() {
        known
            .read_file(&settings.known_hosts, KnownHostFileKind::OpenSSH)
            .map_err(transport)?;
    }
    let host = format!("{}:{}", settings.host, settings.port);
    match known.check_port(&settings.host, settings.port, key) {
        CheckResult::Match => Ok(()),
        CheckResult::Mismatch => Err(Error::HostKey {
            host,
            reason: "it does not match known_hosts",
        }),
        CheckResult::NotFound if settings.host_key_policy == HostKeyPolicy::AcceptNew => {
            let name = if settings.port == 22 {
                settings.host.clone()
            } else {
                format!("[{}]:{}", settings.host, settings.port)
            };
            known
                .add(&name, key, "added by conn-mgr", key_type.into())
                .map_err(transport)?;
            known
                .write_file(&settings.known_hosts, KnownHostFileKind::OpenSSH)
                .map_err(transport)?;
            Ok(())
        }
        CheckResult::NotFound => Err(Error::HostKey {
            host,
            reason: "it is not in known_hosts",
        }),
        CheckResult::Failure => Err(transport("known_hosts check failed")),
    }
}

fn authenticate(session: &Session, settings: &SshSettings) -> Result<()> {
    let user = &settings.user;
    if let Some(key) = &settings.key_file {
        // A refused key is not fatal while a password remains to try.
        let _ = session.userauth_pubkey_file(user, None, key, None);
    }
    if !session.authenticated()
        && let Some(password) = &settings.password
    {
        let _ = session.userauth_password(user, password.expose());
    }
    if session.authenticated() {
        Ok(())
    } else {
        Err(Error::Auth { user: user.clone() })
    }
}
