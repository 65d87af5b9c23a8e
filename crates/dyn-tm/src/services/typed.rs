//! Typed forms of the most used node services: Dynamic DNS and Active Failover (with its
//! health monitor). Fields the structs do not name stay reachable in `raw`.

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::objects::NodeServices;

fn text(data: &Value, key: &str) -> String {
    match data.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn number(data: &Value, key: &str) -> Option<u64> {
    match data.get(key) {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

fn yes(data: &Value, key: &str) -> bool {
    matches!(text(data, key).as_str(), "Y" | "y" | "true" | "True")
}

/// A Dynamic DNS service at a node.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ddns {
    /// The zone.
    pub zone: String,
    /// The node.
    pub fqdn: String,
    /// `A` or `AAAA`.
    pub record_type: String,
    /// The address served now.
    pub address: String,
    /// Whether updates are accepted.
    pub active: bool,
    /// Abuse counter (reset with [`DdnsServices::reset`]).
    pub abuse_count: u64,
    /// Every field as returned.
    pub raw: Value,
}

impl Ddns {
    fn from_value(data: Value) -> Self {
        Self {
            zone: text(&data, "zone"),
            fqdn: text(&data, "fqdn"),
            record_type: text(&data, "record_type"),
            address: text(&data, "address"),
            active: yes(&data, "active"),
            abuse_count: number(&data, "abuse_count").unwrap_or(0),
            raw: data,
        }
    }
}

/// Typed Dynamic DNS services (`/DDNS/<zone>/<fqdn>/<A|AAAA>/`).
#[derive(Debug, Clone)]
pub struct DdnsServices {
    pub(crate) raw: NodeServices,
}

impl DdnsServices {
    /// The untyped manager underneath.
    pub fn raw(&self) -> &NodeServices {
        &self.raw
    }

    /// Every DDNS service of `zone`.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list(&self, zone: &str) -> Result<Vec<Ddns>> {
        Ok(self
            .raw
            .list(zone)
            .await?
            .into_iter()
            .map(Ddns::from_value)
            .collect())
    }

    /// The service of `record_type` (`A` or `AAAA`) at `node`.
    ///
    /// # Errors
    /// [`Error::Session`] (not found).
    pub async fn get(&self, zone: &str, node: &str, record_type: &str) -> Result<Ddns> {
        Ok(Ddns::from_value(
            self.raw.get(zone, node, &[record_type]).await?,
        ))
    }

    /// Creates a service serving `address`.
    ///
    /// # Errors
    /// [`Error::Session`] (address of the wrong family, exists).
    pub async fn create(
        &self,
        zone: &str,
        node: &str,
        record_type: &str,
        address: &str,
    ) -> Result<Ddns> {
        Ok(Ddns::from_value(
            self.raw
                .create(zone, node, &[record_type], json!({"address": address}))
                .await?,
        ))
    }

    async fn put(&self, zone: &str, node: &str, record_type: &str, args: Value) -> Result<Ddns> {
        Ok(Ddns::from_value(
            self.raw.update(zone, node, &[record_type], args).await?,
        ))
    }

    /// Serves another address.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set_address(
        &self,
        zone: &str,
        node: &str,
        record_type: &str,
        address: &str,
    ) -> Result<Ddns> {
        self.put(zone, node, record_type, json!({"address": address}))
            .await
    }

    /// Accepts updates again.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn activate(&self, zone: &str, node: &str, record_type: &str) -> Result<Ddns> {
        self.put(zone, node, record_type, json!({"activate": true}))
            .await
    }

    /// Stops accepting updates.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn deactivate(&self, zone: &str, node: &str, record_type: &str) -> Result<Ddns> {
        self.put(zone, node, record_type, json!({"deactivate": true}))
            .await
    }

    /// Resets the abuse counter.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn reset(&self, zone: &str, node: &str, record_type: &str) -> Result<Ddns> {
        self.put(zone, node, record_type, json!({"reset": true}))
            .await
    }

    /// Deletes the service.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete(&self, zone: &str, node: &str, record_type: &str) -> Result<()> {
        self.raw.delete(zone, node, &[record_type]).await
    }
}

/// How a monitored endpoint is probed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HealthMonitor {
    /// `HTTP`, `HTTPS`, `PING`, `SMTP` or `TCP`.
    pub protocol: String,
    /// Minutes between probes: 1, 5, 10 or 15.
    pub interval: u32,
    /// Failed probes before failing over.
    pub retries: Option<u32>,
    /// Seconds before a probe fails: 10, 15, 25 or 30.
    pub timeout: Option<u32>,
    /// Port probed.
    pub port: Option<u16>,
    /// Path requested (HTTP/HTTPS).
    pub path: Option<String>,
    /// Host header (HTTP/HTTPS).
    pub host: Option<String>,
    /// Extra header (HTTP/HTTPS).
    pub header: Option<String>,
    /// Text expected in the answer.
    pub expected: Option<String>,
}

impl HealthMonitor {
    /// A monitor with only protocol and interval.
    pub fn new(protocol: &str, interval: u32) -> Self {
        Self {
            protocol: protocol.to_owned(),
            interval,
            retries: None,
            timeout: None,
            port: None,
            path: None,
            host: None,
            header: None,
            expected: None,
        }
    }

    fn to_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("protocol".into(), json!(self.protocol));
        map.insert("interval".into(), json!(self.interval));
        let numbers = [
            ("retries", self.retries.map(u64::from)),
            ("timeout", self.timeout.map(u64::from)),
            ("port", self.port.map(u64::from)),
        ];
        for (key, value) in numbers {
            if let Some(value) = value {
                map.insert(key.into(), json!(value));
            }
        }
        let texts = [
            ("path", &self.path),
            ("host", &self.host),
            ("header", &self.header),
            ("expected", &self.expected),
        ];
        for (key, value) in texts {
            if let Some(value) = value {
                map.insert(key.into(), json!(value));
            }
        }
        Value::Object(map)
    }

    fn from_value(data: &Value) -> Self {
        let small = |key: &str| number(data, key).and_then(|n| u32::try_from(n).ok());
        let optional = |key: &str| Some(text(data, key)).filter(|t| !t.is_empty());
        Self {
            protocol: text(data, "protocol"),
            interval: small("interval").unwrap_or(0),
            retries: small("retries"),
            timeout: small("timeout"),
            port: number(data, "port").and_then(|n| u16::try_from(n).ok()),
            path: optional("path"),
            host: optional("host"),
            header: optional("header"),
            expected: optional("expected"),
        }
    }
}

/// An Active Failover service at a node.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActiveFailover {
    /// The zone.
    pub zone: String,
    /// The node.
    pub fqdn: String,
    /// The monitored address.
    pub address: String,
    /// `ip` or `cname`.
    pub failover_mode: String,
    /// The address or name served on failure.
    pub failover_data: String,
    /// The health monitor.
    pub monitor: HealthMonitor,
    /// The contact notified.
    pub contact_nickname: String,
    /// Whether the service is active.
    pub active: bool,
    /// `ok`, `down`, …
    pub status: String,
    /// Every field as returned.
    pub raw: Value,
}

impl ActiveFailover {
    fn from_value(data: Value) -> Result<Self> {
        let monitor = data
            .get("monitor")
            .map(HealthMonitor::from_value)
            .ok_or_else(|| Error::UnexpectedResponse("failover without monitor".into()))?;
        Ok(Self {
            zone: text(&data, "zone"),
            fqdn: text(&data, "fqdn"),
            address: text(&data, "address"),
            failover_mode: text(&data, "failover_mode"),
            failover_data: text(&data, "failover_data"),
            contact_nickname: text(&data, "contact_nickname"),
            active: yes(&data, "active"),
            status: text(&data, "status"),
            monitor,
            raw: data,
        })
    }
}

/// What a new Active Failover service monitors and serves on failure.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewFailover {
    /// The monitored address.
    pub address: String,
    /// `ip` or `cname`.
    pub failover_mode: String,
    /// The address (mode `ip`) or name (mode `cname`) served on failure.
    pub failover_data: String,
    /// The health monitor.
    pub monitor: HealthMonitor,
    /// The contact notified.
    pub contact_nickname: String,
}

impl NewFailover {
    /// Monitors `address` with `monitor`; fails over to the address `failover_ip`.
    pub fn ip(address: &str, failover_ip: &str, monitor: HealthMonitor, contact: &str) -> Self {
        Self {
            address: address.to_owned(),
            failover_mode: "ip".to_owned(),
            failover_data: failover_ip.to_owned(),
            monitor,
            contact_nickname: contact.to_owned(),
        }
    }

    /// Monitors `address` with `monitor`; fails over to the name `failover_name`.
    pub fn cname(
        address: &str,
        failover_name: &str,
        monitor: HealthMonitor,
        contact: &str,
    ) -> Self {
        Self {
            failover_mode: "cname".to_owned(),
            ..Self::ip(address, failover_name, monitor, contact)
        }
    }
}

/// Typed Active Failover services (`/Failover/<zone>/<fqdn>/`).
#[derive(Debug, Clone)]
pub struct ActiveFailovers {
    pub(crate) raw: NodeServices,
}

impl ActiveFailovers {
    /// The untyped manager underneath (for the syslog, notify and recovery fields).
    pub fn raw(&self) -> &NodeServices {
        &self.raw
    }

    /// Every failover service of `zone`.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list(&self, zone: &str) -> Result<Vec<ActiveFailover>> {
        self.raw
            .list(zone)
            .await?
            .into_iter()
            .map(ActiveFailover::from_value)
            .collect()
    }

    /// The service at `node`.
    ///
    /// # Errors
    /// [`Error::Session`] (not found).
    pub async fn get(&self, zone: &str, node: &str) -> Result<ActiveFailover> {
        ActiveFailover::from_value(self.raw.get(zone, node, &[]).await?)
    }

    /// Creates a service.
    ///
    /// # Errors
    /// [`Error::Session`] (invalid monitor or mode, unknown contact, exists).
    pub async fn create(
        &self,
        zone: &str,
        node: &str,
        failover: &NewFailover,
    ) -> Result<ActiveFailover> {
        let fields = json!({
            "address": failover.address,
            "failover_mode": failover.failover_mode,
            "failover_data": failover.failover_data,
            "monitor": failover.monitor.to_value(),
            "contact_nickname": failover.contact_nickname,
        });
        ActiveFailover::from_value(self.raw.create(zone, node, &[], fields).await?)
    }

    /// Replaces the health monitor.
    ///
    /// # Errors
    /// [`Error::Session`] (invalid monitor).
    pub async fn set_monitor(
        &self,
        zone: &str,
        node: &str,
        monitor: &HealthMonitor,
    ) -> Result<ActiveFailover> {
        ActiveFailover::from_value(
            self.raw
                .update(zone, node, &[], json!({"monitor": monitor.to_value()}))
                .await?,
        )
    }

    /// Activates, deactivates or recovers: `action` is `activate`, `deactivate` or `recover`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for another action; [`Error::Session`].
    pub async fn act(&self, zone: &str, node: &str, action: &str) -> Result<ActiveFailover> {
        let args = match action {
            "activate" | "deactivate" => json!({ action: true }),
            "recover" => json!({"recover": "Y"}),
            _ => {
                return Err(Error::InvalidArgument(
                    "action must be activate, deactivate or recover",
                ));
            }
        };
        ActiveFailover::from_value(self.raw.update(zone, node, &[], args).await?)
    }

    /// Deletes the service.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete(&self, zone: &str, node: &str) -> Result<()> {
        self.raw.delete(zone, node, &[]).await
    }
}
