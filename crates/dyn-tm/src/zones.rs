//! Primary zones: list, get, create (from parameters or a zone file), delete, publish,
//! freeze/thaw, pending changes, SOA settings and the node tree. Free functions use the current
//! session, like dyn-python's `dyn.tm.zones`.

use std::fmt;
use std::str::FromStr;

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::names::{qualify, segment};
use crate::records::{Rdata, Record, RecordType, Records};
use crate::session::DynectSession;

/// How a zone's serial advances on publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SerialStyle {
    /// +1 per publish.
    Increment,
    /// Unix time of the publish.
    Epoch,
    /// `YYYYMMDDnn`.
    Day,
    /// `YYMMDDHHMM`.
    Minute,
}

impl SerialStyle {
    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Increment => "increment",
            Self::Epoch => "epoch",
            Self::Day => "day",
            Self::Minute => "minute",
        }
    }
}

impl fmt::Display for SerialStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SerialStyle {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        match text {
            "increment" => Ok(Self::Increment),
            "epoch" => Ok(Self::Epoch),
            "day" => Ok(Self::Day),
            "minute" => Ok(Self::Minute),
            _ => Err(Error::InvalidArgument(
                "serial style must be increment, epoch, day or minute",
            )),
        }
    }
}

fn text_of(data: &Value, key: &str) -> Option<String> {
    match data.get(key) {
        Some(Value::String(text)) => Some(text.clone()),
        Some(Value::Number(number)) => Some(number.to_string()),
        _ => None,
    }
}

fn number_of(data: &Value, key: &str) -> Option<u64> {
    match data.get(key) {
        Some(Value::Number(number)) => number.as_u64(),
        Some(Value::String(text)) => text.trim().parse().ok(),
        _ => None,
    }
}

/// The zone managers of a session: `session.zones()`.
#[derive(Debug, Clone)]
pub struct Zones {
    session: DynectSession,
}

impl DynectSession {
    /// The primary zones of the account.
    pub fn zones(&self) -> Zones {
        Zones {
            session: self.clone(),
        }
    }
}

impl Zones {
    /// Every zone with its details (`GET /Zone/?detail=Y`).
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list(&self) -> Result<Vec<Zone>> {
        let data = self.session.get("/Zone/", json!({"detail": "Y"})).await?;
        data.as_array()
            .ok_or_else(|| Error::UnexpectedResponse("expected a list of zones".into()))?
            .iter()
            .map(|zone| Zone::from_value(self.session.clone(), zone))
            .collect()
    }

    /// One zone.
    ///
    /// # Errors
    /// [`Error::Session`] (not found for an unknown zone).
    pub async fn get(&self, name: &str) -> Result<Zone> {
        let data = self
            .session
            .get(&format!("/Zone/{}/", segment(name)?), json!({}))
            .await?;
        Zone::from_value(self.session.clone(), &data)
    }

    /// Creates a primary zone with contact (`rname`) `contact`, default TTL `ttl` and
    /// `serial_style`. The new zone holds its SOA and the Dyn NS records and is unpublished.
    ///
    /// # Errors
    /// [`Error::Session`] (already exists, invalid name or contact).
    pub async fn create(
        &self,
        name: &str,
        contact: &str,
        ttl: u32,
        serial_style: SerialStyle,
    ) -> Result<Zone> {
        let data = self
            .session
            .post(
                &format!("/Zone/{}/", segment(name)?),
                json!({"rname": contact, "ttl": ttl, "serial_style": serial_style.as_str()}),
            )
            .await?;
        Zone::from_value(self.session.clone(), &data)
    }

    /// Creates a primary zone from a BIND master file's text (under 1 MiB).
    ///
    /// # Errors
    /// [`Error::Session`] (already exists, unparsable file).
    pub async fn upload(&self, name: &str, zone_file: &str) -> Result<Zone> {
        if zone_file.len() >= 1024 * 1024 {
            return Err(Error::InvalidArgument(
                "zone file must be smaller than 1 MiB",
            ));
        }
        self.session
            .post(
                &format!("/ZoneFile/{}/", segment(name)?),
                json!({"file": zone_file}),
            )
            .await?;
        self.get(name).await
    }

    /// Creates a primary zone by transferring it from `master_ip`.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn transfer(&self, name: &str, master_ip: &str) -> Result<Zone> {
        self.session
            .post(
                &format!("/ZoneTransfer/{}/", segment(name)?),
                json!({"master_ip": master_ip}),
            )
            .await?;
        self.get(name).await
    }

    /// Deletes a zone and everything in it.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete(&self, name: &str) -> Result<()> {
        self.session
            .delete(&format!("/Zone/{}/", segment(name)?), json!({}))
            .await?;
        Ok(())
    }

    /// The zone that holds `node` (the longest matching zone of the account).
    ///
    /// # Errors
    /// [`Error::Session`] (not found when no zone holds the name).
    pub async fn apex(&self, node: &str) -> Result<String> {
        let data = self
            .session
            .get(
                &format!("/Apex/{}/", segment(node.trim_end_matches('.'))?),
                json!({}),
            )
            .await?;
        text_of(&data, "zone")
            .ok_or_else(|| Error::UnexpectedResponse("apex answer without zone".into()))
    }
}

/// A zone and the session it was read with.
#[derive(Debug, Clone)]
pub struct Zone {
    session: DynectSession,
    name: String,
    serial: u64,
    serial_style: String,
    zone_type: String,
}

/// What a publish did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Published {
    /// The zone's serial after the publish.
    pub serial: u64,
    /// The task that pushes the zone out, when the service started one.
    pub task_id: Option<u64>,
}

/// One unpublished change of this session (`ZoneChanges`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PendingChange {
    /// `add`, `update` or `delete`.
    pub change_type: String,
    /// The node.
    pub fqdn: String,
    /// The record type.
    pub record_type: RecordType,
    /// The TTL.
    pub ttl: u32,
    /// The rdata as the API spells it.
    pub rdata: Value,
}

impl Zone {
    fn from_value(session: DynectSession, data: &Value) -> Result<Self> {
        Ok(Self {
            session,
            name: text_of(data, "zone")
                .ok_or_else(|| Error::UnexpectedResponse("zone without a name".into()))?,
            serial: number_of(data, "serial").unwrap_or(0),
            serial_style: text_of(data, "serial_style").unwrap_or_default(),
            zone_type: text_of(data, "zone_type").unwrap_or_default(),
        })
    }

    fn path(&self) -> Result<String> {
        Ok(format!("/Zone/{}/", segment(&self.name)?))
    }

    /// The zone name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The serial when the zone was read.
    pub fn serial(&self) -> u64 {
        self.serial
    }

    /// The serial style when the zone was read (`increment`, `epoch`, `day`, `minute`).
    pub fn serial_style(&self) -> &str {
        &self.serial_style
    }

    /// `Primary` or `Secondary`.
    pub fn zone_type(&self) -> &str {
        &self.zone_type
    }

    /// The session this zone was read with.
    pub fn session(&self) -> &DynectSession {
        &self.session
    }

    /// The zone's records.
    pub fn records(&self) -> Records {
        Records::new(self.session.clone(), &self.name)
    }

    /// The FQDN of a node name relative to this zone (`www` → `www.example.com`).
    pub fn fqdn(&self, node: &str) -> String {
        qualify(&self.name, node)
    }

    /// Reads the zone again.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn refresh(&mut self) -> Result<()> {
        let data = self.session.get(&self.path()?, json!({})).await?;
        *self = Self::from_value(self.session.clone(), &data)?;
        Ok(())
    }

    /// Publishes this session's pending changes, with optional notes.
    ///
    /// # Errors
    /// [`Error::Session`] (nothing to publish, frozen zone, blocked by a task).
    pub async fn publish(&mut self, notes: Option<&str>) -> Result<Published> {
        let mut args = json!({"publish": true});
        if let Some(notes) = notes {
            args["notes"] = json!(notes);
        }
        let data = self.session.put(&self.path()?, args).await?;
        let task_id = number_of(&data, "task_id");
        *self = Self::from_value(self.session.clone(), &data)?;
        Ok(Published {
            serial: self.serial,
            task_id,
        })
    }

    /// Freezes the zone: no changes until [`thaw`](Self::thaw).
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn freeze(&self) -> Result<()> {
        self.session
            .put(&self.path()?, json!({"freeze": true}))
            .await?;
        Ok(())
    }

    /// Thaws a frozen zone.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn thaw(&self) -> Result<()> {
        self.session
            .put(&self.path()?, json!({"thaw": true}))
            .await?;
        Ok(())
    }

    /// Deletes the zone.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete(self) -> Result<()> {
        self.session.zones().delete(&self.name).await
    }

    /// This session's unpublished changes to the zone.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn changes(&self) -> Result<Vec<PendingChange>> {
        let data = self
            .session
            .get(
                &format!("/ZoneChanges/{}/", segment(&self.name)?),
                json!({}),
            )
            .await?;
        let list = data
            .as_array()
            .ok_or_else(|| Error::UnexpectedResponse("expected a list of changes".into()))?;
        Ok(list
            .iter()
            .map(|change| {
                let record_type =
                    RecordType::new(&text_of(change, "rdata_type").unwrap_or_default());
                let key = format!("rdata_{}", record_type.as_str().to_ascii_lowercase());
                let rdata = change
                    .get("rdata")
                    .and_then(|rdata| rdata.get(&key).or(Some(rdata)))
                    .cloned()
                    .unwrap_or(Value::Null);
                PendingChange {
                    change_type: text_of(change, "change_type").unwrap_or_default(),
                    fqdn: text_of(change, "fqdn").unwrap_or_default(),
                    ttl: number_of(change, "ttl")
                        .and_then(|ttl| u32::try_from(ttl).ok())
                        .unwrap_or(0),
                    record_type,
                    rdata,
                }
            })
            .collect())
    }

    /// Discards this session's unpublished changes to the zone.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn discard_changes(&self) -> Result<()> {
        self.session
            .delete(
                &format!("/ZoneChanges/{}/", segment(&self.name)?),
                json!({}),
            )
            .await?;
        Ok(())
    }

    /// The zone's SOA record.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`] when the zone has none.
    pub async fn soa(&self) -> Result<Record> {
        self.records()
            .list(&self.name, &RecordType::SOA)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::UnexpectedResponse("zone without an SOA record".into()))
    }

    async fn update_soa(&self, args: Value) -> Result<Record> {
        let soa = self.soa().await?;
        let path = format!(
            "/SOARecord/{}/{}/{}/",
            segment(&self.name)?,
            segment(&self.name)?,
            soa.record_id
        );
        let data = self.session.put(&path, args).await?;
        Record::from_value(&data)
    }

    /// The zone's contact (the SOA `rname`; `hostmaster.example.com.`).
    ///
    /// # Errors
    /// As [`Zone::soa`].
    pub async fn contact(&self) -> Result<String> {
        match self.soa().await?.rdata {
            Rdata::Soa(soa) => Ok(soa.rname),
            _ => Err(Error::UnexpectedResponse(
                "SOA record of another type".into(),
            )),
        }
    }

    /// Changes the contact (pending until publish).
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set_contact(&self, contact: &str) -> Result<Record> {
        self.update_soa(json!({"rdata": {"rname": contact}})).await
    }

    /// The zone's default TTL (the SOA record's TTL).
    ///
    /// # Errors
    /// As [`Zone::soa`].
    pub async fn ttl(&self) -> Result<u32> {
        Ok(self.soa().await?.ttl)
    }

    /// Changes the default TTL (pending until publish).
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set_ttl(&self, ttl: u32) -> Result<Record> {
        self.update_soa(json!({"ttl": ttl})).await
    }

    /// Changes the serial style (pending until publish).
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set_serial_style(&self, style: SerialStyle) -> Result<Record> {
        self.update_soa(json!({"serial_style": style.as_str()}))
            .await
    }

    /// The FQDNs of every node at and below `node` (`None`: the whole zone).
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn nodes(&self, node: Option<&str>) -> Result<Vec<String>> {
        let path = match node {
            None => format!("/NodeList/{}/", segment(&self.name)?),
            Some(node) => format!(
                "/NodeList/{}/{}/",
                segment(&self.name)?,
                segment(&self.fqdn(node))?
            ),
        };
        let data = self.session.get(&path, json!({})).await?;
        Ok(data
            .as_array()
            .ok_or_else(|| Error::UnexpectedResponse("expected a list of nodes".into()))?
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect())
    }

    /// Deletes a node, its records and every node below it (pending until publish).
    ///
    /// # Errors
    /// [`Error::Session`] (the apex cannot be deleted).
    pub async fn delete_node(&self, node: &str) -> Result<()> {
        let path = format!(
            "/Node/{}/{}/",
            segment(&self.name)?,
            segment(&self.fqdn(node))?
        );
        self.session.delete(&path, json!({})).await?;
        Ok(())
    }

    /// Publish notes, newest last (`ZoneNoteReport`).
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn notes(&self, offset: Option<u32>, limit: Option<u32>) -> Result<Vec<Value>> {
        crate::reports::Reports::of(&self.session)
            .zone_notes(&self.name, offset, limit)
            .await
    }
}

/// Every primary zone, through the current session (dyn-python's `get_all_zones`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Zones::list`].
pub async fn get_all_zones() -> Result<Vec<Zone>> {
    DynectSession::current()?.zones().list().await
}

/// One zone, through the current session (dyn-python's `Zone(name)`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Zones::get`].
pub async fn get_zone(name: &str) -> Result<Zone> {
    DynectSession::current()?.zones().get(name).await
}

/// Creates a primary zone through the current session (dyn-python's
/// `Zone(name, contact, ttl, serial_style)`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Zones::create`].
pub async fn create_zone(
    name: &str,
    contact: &str,
    ttl: u32,
    serial_style: SerialStyle,
) -> Result<Zone> {
    DynectSession::current()?
        .zones()
        .create(name, contact, ttl, serial_style)
        .await
}

/// Deletes a zone through the current session.
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Zones::delete`].
pub async fn delete_zone(name: &str) -> Result<()> {
    DynectSession::current()?.zones().delete(name).await
}

/// The zone holding `node`, through the current session (dyn-python's `get_apex`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Zones::apex`].
pub async fn get_apex(node: &str) -> Result<String> {
    DynectSession::current()?.zones().apex(node).await
}

pub use crate::secondary::{SecondaryZone, SecondaryZones, get_all_secondary_zones};
