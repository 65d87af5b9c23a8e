//! SSH connection settings read from the path, credentials and connect arguments.

use std::path::PathBuf;
use std::time::Duration;

use crate::connection::ConnectContext;
use crate::{Error, Result, Secret, Value};

/// How the server's host key is checked against a known_hosts file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HostKeyPolicy {
    /// Refuse unknown and mismatching keys.
    Strict,
    /// Record unknown keys, refuse mismatching ones (OpenSSH `accept-new`).
    AcceptNew,
    /// No check (must be asked for explicitly).
    Off,
}

#[derive(Debug, Clone)]
pub(crate) struct SshSettings {
    pub(crate) device: String,
    pub(crate) alias: String,
    pub(crate) os: Option<String>,
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) user: String,
    pub(crate) password: Option<Secret>,
    pub(crate) key_file: Option<PathBuf>,
    pub(crate) host_key_policy: HostKeyPolicy,
    pub(crate) known_hosts: PathBuf,
    pub(crate) connect_timeout: Duration,
    pub(crate) exec_timeout: Duration,
    pub(crate) keepalive: Duration,
    pub(crate) enable_password: Option<Secret>,
    pub(crate) goto_enable: bool,
    pub(crate) pty: bool,
    pub(crate) init_commands: Option<Vec<String>>,
    /// Configuration applied once after login (unicon `init_config_commands`).
    pub(crate) init_config_commands: Vec<String>,
    pub(crate) prompt_pattern: Option<String>,
    /// A local program to drive instead of SSH (`command:` paths).
    pub(crate) command: Option<String>,
    /// Session log file (appended; device output only).
    pub(crate) log_file: Option<PathBuf>,
}

fn string_arg(ctx: &ConnectContext, name: &str) -> Result<Option<String>> {
    match ctx.arg(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_str()
            .map(|s| Some(s.to_owned()))
            .ok_or_else(|| Error::Config(format!("argument '{name}' must be a string"))),
    }
}

fn string_list(ctx: &ConnectContext, name: &str) -> Result<Option<Vec<String>>> {
    let wrong = || Error::Config(format!("argument '{name}' must be a list of strings"));
    match ctx.arg(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::List(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(wrong),
        Some(_) => Err(wrong()),
    }
}

fn bool_arg(ctx: &ConnectContext, name: &str, default: bool) -> Result<bool> {
    match ctx.arg(name) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_bool()
            .ok_or_else(|| Error::Config(format!("argument '{name}' must be true or false"))),
    }
}

impl SshSettings {
    /// Reads settings; arguments are looked up in connect args, then path keys, then the path's `arguments` block.
    pub(crate) fn from_context(ctx: &ConnectContext) -> Result<Self> {
        let path = ctx.path.as_ref().ok_or_else(|| {
            Error::Config(format!(
                "an SSH connection of device '{}' needs a path (via) with an address",
                ctx.device
            ))
        })?;
        let host = string_arg(ctx, "host")?.or_else(|| path.host.as_ref().map(ToString::to_string));
        // A path with only `command:` runs a local program (unicon mock devices); it needs no address.
        let command = match host {
            Some(_) => None,
            None => string_arg(ctx, "command")?,
        };
        let host = match (host, &command) {
            (Some(h), _) => h,
            (None, Some(_)) => String::new(),
            (None, None) => {
                return Err(Error::Config(format!(
                    "path '{}' of device '{}' has no ip, host or command",
                    path.name, ctx.device
                )));
            }
        };
        if command.is_none() {
            if let Some(protocol) = path.protocol.as_deref().filter(|p| *p != "ssh") {
                return Err(Error::Config(format!(
                    "path '{}' of device '{}' uses protocol '{protocol}'; only ssh is supported",
                    path.name, ctx.device
                )));
            }
            if path.extra.contains_key("proxy") {
                return Err(Error::Config(format!(
                    "path '{}' of device '{}' goes through a proxy, which is not supported yet",
                    path.name, ctx.device
                )));
            }
        }
        let login = ctx.credentials.get("default");
        let user =
            match string_arg(ctx, "username")?.or_else(|| login.and_then(|c| c.username.clone())) {
                Some(user) => user,
                None if command.is_some() => String::new(),
                None => {
                    return Err(Error::Config(format!(
                        "no username for device '{}' (credential 'default')",
                        ctx.device
                    )));
                }
            };
        let password = match ctx.arg("password") {
            Some(v) => v.as_str().map(Secret::new),
            None => login.and_then(|c| c.password.clone()),
        };
        let host_key_policy = match string_arg(ctx, "host_key_policy")?.as_deref() {
            None | Some("strict") => HostKeyPolicy::Strict,
            Some("accept-new") => HostKeyPolicy::AcceptNew,
            Some("off") => HostKeyPolicy::Off,
            Some(other) => {
                return Err(Error::Config(format!(
                    "host_key_policy '{other}' is not one of strict, accept-new, off"
                )));
            }
        };
        let known_hosts = match string_arg(ctx, "known_hosts")? {
            Some(p) => PathBuf::from(p),
            None => std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default()
                .join(".ssh/known_hosts"),
        };
        let init_commands = string_list(ctx, "init_exec_commands")?;
        let init_config_commands = string_list(ctx, "init_config_commands")?.unwrap_or_default();
        let enable_password = ctx
            .credentials
            .exact("enable")
            .and_then(|c| c.password.clone());
        let has_enable = enable_password.is_some();
        Ok(SshSettings {
            device: ctx.device.clone(),
            alias: ctx.alias.clone(),
            os: ctx.os.clone(),
            host,
            port: match ctx.arg("port") {
                Some(v) => v
                    .as_i64()
                    .and_then(|p| u16::try_from(p).ok())
                    .ok_or_else(|| Error::Config("port must be 1-65535".into()))?,
                None => path.port.unwrap_or(22),
            },
            user,
            password,
            key_file: string_arg(ctx, "key_file")?.map(PathBuf::from),
            host_key_policy,
            known_hosts,
            connect_timeout: ctx
                .duration_arg("connection_timeout")?
                .unwrap_or(Duration::from_secs(30)),
            exec_timeout: ctx
                .duration_arg("timeout")?
                .unwrap_or(Duration::from_secs(60)),
            keepalive: ctx
                .duration_arg("keepalive")?
                .unwrap_or(Duration::from_secs(30)),
            enable_password,
            goto_enable: bool_arg(ctx, "goto_enable", has_enable)?,
            pty: bool_arg(ctx, "pty", true)?,
            init_commands,
            init_config_commands,
            prompt_pattern: string_arg(ctx, "prompt_pattern")?,
            log_file: string_arg(ctx, "log_file")?.map(PathBuf::from),
            command,
        })
    }
}
