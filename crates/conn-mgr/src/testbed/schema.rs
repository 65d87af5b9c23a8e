//! Walks the YAML tree into a [`TestbedSpec`], expanding markup and naming file, line and key path on errors.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use super::markup::{Expanded, Markup};
use super::model::{
    ConnectionDefaults, Credential, Credentials, DeviceSpec, Host, PathSpec, TestbedSpec,
};
use super::yaml::{Kind, Node};
use crate::error::TestbedError;
use crate::{Error, Result, Secret, Value};

const TOP_KEYS: &[&str] = &["testbed", "devices", "topology", "extends"];
const TESTBED_KEYS: &[&str] = &[
    "name",
    "alias",
    "class",
    "credentials",
    "servers",
    "custom",
    "tacacs",
    "passwords",
    "network",
];
const DEVICE_KEYS: &[&str] = &[
    "alias",
    "class",
    "type",
    "os",
    "os_flavor",
    "platform",
    "model",
    "series",
    "submodel",
    "version",
    "role",
    "region",
    "pid",
    "chassis_type",
    "hardware",
    "power",
    "credentials",
    "connections",
    "custom",
    "clean",
    "management",
    "peripherals",
    "tacacs",
    "passwords",
];
const DEFAULTS_KEYS: &[&str] = &[
    "class",
    "alias",
    "via",
    "debug",
    "connections",
    "connections_arguments",
    "fallback_credentials",
];

pub(crate) struct Walker<'a> {
    pub(crate) file: &'a str,
    pub(crate) markup: Markup<'a>,
    pub(crate) warnings: Vec<String>,
}

type Entries = [(String, Node)];

impl Walker<'_> {
    fn err(&self, line: usize, path: &str, reason: impl Into<String>) -> Error {
        Error::Testbed(TestbedError {
            file: self.file.to_owned(),
            line,
            path: path.to_owned(),
            reason: reason.into(),
        })
    }

    fn entries<'n>(&self, node: &'n Node, path: &str) -> Result<&'n Entries> {
        match &node.kind {
            Kind::Map(entries) => Ok(entries),
            _ if node.is_null() => Ok(&[]),
            _ => Err(self.err(node.line, path, "expected a mapping")),
        }
    }

    fn closed(&self, entries: &Entries, allowed: &[&str], path: &str) -> Result<()> {
        for (key, node) in entries {
            if !allowed.contains(&key.as_str()) {
                let at = join(path, key);
                return Err(self.err(
                    node.line,
                    &at,
                    format!("unsupported key '{key}' (allowed: {})", allowed.join(", ")),
                ));
            }
        }
        Ok(())
    }

    /// A scalar as text with markup expanded; `None` for null.
    fn text(&self, node: &Node, path: &str, device: Option<&str>) -> Result<Option<String>> {
        match self.scalar(node, path, device)? {
            None => Ok(None),
            Some(Expanded::Text(t)) => Ok(Some(t)),
            Some(Expanded::Secret(s)) => Ok(Some(s.expose().to_owned())),
        }
    }

    fn scalar(&self, node: &Node, path: &str, device: Option<&str>) -> Result<Option<Expanded>> {
        match &node.kind {
            _ if node.is_null() => Ok(None),
            Kind::Scalar { text, .. } => self
                .markup
                .expand(text, device)
                .map(Some)
                .map_err(|reason| self.err(node.line, path, reason)),
            _ => Err(self.err(node.line, path, "expected a single value")),
        }
    }

    fn strings(&self, node: &Node, path: &str, device: Option<&str>) -> Result<Vec<String>> {
        match &node.kind {
            Kind::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let at = format!("{path}[{i}]");
                    self.text(item, &at, device)?
                        .ok_or_else(|| self.err(item.line, &at, "expected a value"))
                })
                .collect(),
            _ if node.is_null() => Ok(Vec::new()),
            _ => Err(self.err(node.line, path, "expected a list")),
        }
    }

    /// Any node as an opaque [`Value`]; strings under `password` keys become secrets.
    pub(crate) fn value(
        &self,
        node: &Node,
        path: &str,
        device: Option<&str>,
        secret: bool,
    ) -> Result<Value> {
        Ok(match &node.kind {
            Kind::Seq(items) => Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.value(item, &format!("{path}[{i}]"), device, secret))
                    .collect::<Result<_>>()?,
            ),
            Kind::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        Ok((
                            k.clone(),
                            self.value(v, &join(path, k), device, k.contains("password"))?,
                        ))
                    })
                    .collect::<Result<_>>()?,
            ),
            Kind::Scalar { text, plain } => {
                let expanded = self.scalar(node, path, device)?;
                match expanded {
                    None => Value::Null,
                    Some(Expanded::Secret(s)) => Value::Secret(s),
                    Some(Expanded::Text(t)) if secret => Value::Secret(Secret::new(t)),
                    Some(Expanded::Text(t)) if *plain && t == *text => resolve_plain(t),
                    Some(Expanded::Text(t)) => Value::String(t),
                }
            }
        })
    }

    fn map(
        &self,
        node: &Node,
        path: &str,
        device: Option<&str>,
    ) -> Result<BTreeMap<String, Value>> {
        self.entries(node, path)?
            .iter()
            .map(|(k, v)| {
                Ok((
                    k.clone(),
                    self.value(v, &join(path, k), device, k.contains("password"))?,
                ))
            })
            .collect()
    }

    fn credentials(&self, node: &Node, path: &str, device: Option<&str>) -> Result<Credentials> {
        let mut out = BTreeMap::new();
        for (name, cred) in self.entries(node, path)? {
            let at = join(path, name);
            let mut credential = Credential::default();
            for (key, value) in self.entries(cred, &at)? {
                let key_at = join(&at, key);
                match key.as_str() {
                    "username" => credential.username = self.text(value, &key_at, device)?,
                    "password" => {
                        credential.password = match self.scalar(value, &key_at, device)? {
                            None => None,
                            Some(Expanded::Text(t)) => Some(Secret::new(t)),
                            Some(Expanded::Secret(s)) => Some(s),
                        }
                    }
                    _ => {
                        let v = self.value(value, &key_at, device, key.contains("password"))?;
                        credential.extra.insert(key.clone(), v);
                    }
                }
            }
            out.insert(name.clone(), credential);
        }
        Ok(Credentials(out))
    }

    /// Credentials derived from the deprecated `tacacs` / `passwords` blocks.
    fn legacy_credentials(
        &mut self,
        entries: &Entries,
        path: &str,
        device: Option<&str>,
    ) -> Result<Credentials> {
        let find = |key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        let (tacacs, passwords) = (find("tacacs"), find("passwords"));
        if tacacs.is_none() && passwords.is_none() {
            return Ok(Credentials::default());
        }
        self.warnings.push(format!(
            "{path}: 'tacacs' and 'passwords' are deprecated, use 'credentials'"
        ));
        let mut creds = BTreeMap::new();
        let username = match tacacs {
            Some(t) => t
                .get("username")
                .map(|u| self.text(u, &join(path, "tacacs.username"), device))
                .transpose()?
                .flatten(),
            None => None,
        };
        let password = |name: &str| -> Result<Option<Secret>> {
            let Some(node) = passwords.and_then(|p| p.get(name)) else {
                return Ok(None);
            };
            Ok(
                match self.scalar(node, &join(path, &format!("passwords.{name}")), device)? {
                    None => None,
                    Some(Expanded::Text(t)) => Some(Secret::new(t)),
                    Some(Expanded::Secret(s)) => Some(s),
                },
            )
        };
        let login = password("tacacs")?;
        if username.is_some() || login.is_some() {
            creds.insert(
                "default".to_owned(),
                Credential {
                    username: username.clone(),
                    password: login,
                    ..Default::default()
                },
            );
        }
        if let Some(enable) = password("enable")? {
            creds.insert(
                "enable".to_owned(),
                Credential {
                    password: Some(enable),
                    ..Default::default()
                },
            );
        }
        if let Some(line) = password("line")? {
            creds.insert(
                "line".to_owned(),
                Credential {
                    password: Some(line),
                    ..Default::default()
                },
            );
        }
        Ok(Credentials(creds))
    }

    pub(crate) fn testbed(&mut self, root: &Node, stem: &str) -> Result<TestbedSpec> {
        let top = self.entries(root, "")?;
        self.closed(top, TOP_KEYS, "")?;
        if let Some(ext) = root.get("extends") {
            return Err(self.err(ext.line, "extends", "'extends' is not supported yet"));
        }
        let mut spec = TestbedSpec {
            name: stem.to_owned(),
            alias: String::new(),
            credentials: Credentials::default(),
            servers: BTreeMap::new(),
            custom: BTreeMap::new(),
            devices: BTreeMap::new(),
            topology: None,
            warnings: Vec::new(),
        };
        if let Some(tb) = root.get("testbed") {
            let entries = self.entries(tb, "testbed")?;
            self.closed(entries, TESTBED_KEYS, "testbed")?;
            let legacy = self.legacy_credentials(entries, "testbed", None)?;
            for (key, node) in entries {
                let at = join("testbed", key);
                match key.as_str() {
                    "name" => spec.name = self.text(node, &at, None)?.unwrap_or(spec.name),
                    "alias" => spec.alias = self.text(node, &at, None)?.unwrap_or_default(),
                    "credentials" => spec.credentials = self.credentials(node, &at, None)?,
                    "servers" => spec.servers = self.map(node, &at, None)?,
                    "custom" => spec.custom = self.map(node, &at, None)?,
                    _ => {}
                }
            }
            merge_missing(&mut spec.credentials, legacy);
        }
        if spec.alias.is_empty() {
            spec.alias = spec.name.clone();
        }
        let mut aliases: HashMap<String, String> = HashMap::new();
        if let Some(devices) = root.get("devices") {
            for (name, node) in self.entries(devices, "devices")? {
                let device = self.device(name, node)?;
                if let Some(other) = aliases.insert(device.alias.clone(), name.clone()) {
                    let at = format!("devices.{name}.alias");
                    let line = node.get("alias").map_or(node.line, |a| a.line);
                    return Err(self.err(
                        line,
                        &at,
                        format!(
                            "device alias '{}' already exists in this testbed '{}' (used by '{other}')",
                            device.alias, spec.name
                        ),
                    ));
                }
                spec.devices.insert(name.clone(), device);
            }
        }
        if let Some(topology) = root.get("topology") {
            spec.topology = Some(self.value(topology, "topology", None, false)?);
        }
        spec.warnings = std::mem::take(&mut self.warnings);
        Ok(spec)
    }

    fn device(&mut self, name: &str, node: &Node) -> Result<DeviceSpec> {
        let path = format!("devices.{name}");
        let entries = self.entries(node, &path)?;
        self.closed(entries, DEVICE_KEYS, &path)?;
        let dev = Some(name);
        let legacy = self.legacy_credentials(entries, &path, dev)?;
        let mut spec = DeviceSpec {
            name: name.to_owned(),
            alias: name.to_owned(),
            ..Default::default()
        };
        let mut connections = None;
        for (key, value) in entries {
            let at = join(&path, key);
            match key.as_str() {
                "alias" => {
                    spec.alias = self
                        .text(value, &at, dev)?
                        .unwrap_or_else(|| name.to_owned())
                }
                "os" => spec.os = self.text(value, &at, dev)?,
                "type" => spec.device_type = self.text(value, &at, dev)?,
                "platform" => spec.platform = self.text(value, &at, dev)?,
                "credentials" => spec.credentials = self.credentials(value, &at, dev)?,
                "connections" => connections = Some((value, at)),
                "custom" => spec.custom = self.map(value, &at, dev)?,
                "tacacs" | "passwords" => {}
                _ => {
                    let v = self.value(value, &at, dev, false)?;
                    spec.extra.insert(key.clone(), v);
                }
            }
        }
        merge_missing(&mut spec.credentials, legacy);
        if spec.platform.is_none() {
            spec.platform = spec.device_type.clone();
        }
        let Some((connections, at)) = connections else {
            return Err(self.err(node.line, &path, "missing key 'connections'"));
        };
        for (path_name, path_node) in self.entries(connections, &at)? {
            let path_at = join(&at, path_name);
            if path_name == "defaults" {
                spec.defaults = self.defaults(path_node, &path_at, dev)?;
            } else if matches!(path_node.kind, Kind::Map(_)) {
                spec.connections.insert(
                    path_name.clone(),
                    self.path(path_name, path_node, &path_at, dev)?,
                );
            } else {
                // pyATS keeps non-mapping entries too; they cannot be used as a `via`, so record them opaquely.
                self.warnings.push(format!(
                    "{path_at}: not a connection path (not a mapping); ignored"
                ));
            }
        }
        Ok(spec)
    }

    fn defaults(&self, node: &Node, path: &str, dev: Option<&str>) -> Result<ConnectionDefaults> {
        let entries = self.entries(node, path)?;
        self.closed(entries, DEFAULTS_KEYS, path)?;
        let mut d = ConnectionDefaults::default();
        for (key, value) in entries {
            let at = join(path, key);
            match key.as_str() {
                "class" => d.class = self.text(value, &at, dev)?,
                "alias" => d.alias = self.text(value, &at, dev)?,
                "via" => d.via = self.text(value, &at, dev)?,
                "debug" => {
                    d.debug = self
                        .value(value, &at, dev, false)?
                        .as_bool()
                        .ok_or_else(|| self.err(value.line, &at, "expected true or false"))?
                }
                "connections" => d.connections = self.strings(value, &at, dev)?,
                "fallback_credentials" => d.fallback_credentials = self.strings(value, &at, dev)?,
                _ => d.connections_arguments = Some(self.value(value, &at, dev, false)?),
            }
        }
        Ok(d)
    }

    fn path(&self, name: &str, node: &Node, path: &str, dev: Option<&str>) -> Result<PathSpec> {
        let mut spec = PathSpec {
            name: name.to_owned(),
            ..Default::default()
        };
        for (key, value) in self.entries(node, path)? {
            let at = join(path, key);
            match key.as_str() {
                "class" => spec.class = self.text(value, &at, dev)?,
                "protocol" => spec.protocol = self.text(value, &at, dev)?,
                "host" | "ip" => {
                    let text = self.text(value, &at, dev)?.unwrap_or_default();
                    spec.host = Some(self.host(&text, value.line, &at)?);
                }
                "port" => {
                    let port = self.value(value, &at, dev, false)?.as_i64();
                    spec.port = Some(
                        port.and_then(|p| u16::try_from(p).ok())
                            .filter(|p| *p != 0)
                            .ok_or_else(|| {
                                self.err(value.line, &at, "port must be a number from 1 to 65535")
                            })?,
                    );
                }
                "credentials" => spec.credentials = self.credentials(value, &at, dev)?,
                "fallback_credentials" => {
                    spec.fallback_credentials = self.strings(value, &at, dev)?
                }
                _ => {
                    let v = self.value(value, &at, dev, key.contains("password"))?;
                    spec.extra.insert(key.clone(), v);
                }
            }
        }
        Ok(spec)
    }

    fn host(&self, text: &str, line: usize, path: &str) -> Result<Host> {
        let text = text.trim();
        if text.is_empty() {
            return Err(self.err(
                line,
                path,
                "empty address (an unset %ENV{} variable expands to an empty string)",
            ));
        }
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Ok(Host::Ip(ip));
        }
        let valid = text.len() <= 253
            && text.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
        if valid {
            Ok(Host::Name(text.to_owned()))
        } else {
            Err(self.err(
                line,
                path,
                format!("'{text}' is neither an IP address nor a host name"),
            ))
        }
    }
}

fn merge_missing(into: &mut Credentials, legacy: Credentials) {
    for (name, cred) in legacy.0 {
        into.0.entry(name).or_insert(cred);
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Plain scalars typed the way PyYAML (YAML 1.1) reads them.
fn resolve_plain(text: String) -> Value {
    match text.as_str() {
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
            return Value::Bool(true);
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        _ => {}
    }
    if let Ok(i) = text.parse::<i64>() {
        return Value::Int(i);
    }
    if text.chars().any(|c| c.is_ascii_digit())
        && !text.contains(':')
        && let Ok(f) = text.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::String(text)
}
