//! Records of every type: typed rdata ([`Rdata`], generated from `records.json` by
//! `cargo xtask codegen`), the [`Record`] the API returns, and [`Records`], the manager of one
//! zone's records.
//!
//! Records added or changed in a session stay pending until the zone is published
//! ([`Zone::publish`](crate::zones::Zone::publish)); a pending new record has id 0.

#[rustfmt::skip]
mod generated;
mod lenient;
mod manager;
mod types;

pub use generated::*;
pub use manager::Records;
pub use types::{OtherRdata, RecordType};

use serde_json::Value;

use crate::error::{Error, Result};

/// One record as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Record {
    /// The zone.
    pub zone: String,
    /// The node's FQDN, without the trailing dot.
    pub fqdn: String,
    /// The record id; 0 while the record is an unpublished addition of this session.
    pub record_id: u64,
    /// Time to live in seconds.
    pub ttl: u32,
    /// The data.
    pub rdata: Rdata,
    /// `NS` only: the service class (`Primary` for the zone's Dyn name servers).
    pub service_class: Option<String>,
    /// `SOA` only: how the serial advances on publish.
    pub serial_style: Option<String>,
}

impl Record {
    /// The record type.
    pub fn record_type(&self) -> RecordType {
        self.rdata.record_type()
    }

    /// `false` for an addition of this session that was not published yet.
    pub fn is_published(&self) -> bool {
        self.record_id != 0
    }

    /// Reads a record from the API's JSON.
    ///
    /// # Errors
    /// [`Error::UnexpectedResponse`] when fields are missing or of the wrong kind.
    pub fn from_value(value: &Value) -> Result<Self> {
        let bad = |what: &str| Error::UnexpectedResponse(format!("record without {what}"));
        let text = |key: &str| value.get(key).and_then(Value::as_str);
        let number = |key: &str| match value.get(key) {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        let record_type = RecordType::new(text("record_type").ok_or_else(|| bad("record_type"))?);
        let rdata = Rdata::from_value(
            &record_type,
            value.get("rdata").cloned().ok_or_else(|| bad("rdata"))?,
        )
        .map_err(|error| Error::UnexpectedResponse(format!("{record_type} rdata: {error}")))?;
        Ok(Self {
            zone: text("zone").ok_or_else(|| bad("zone"))?.to_owned(),
            fqdn: text("fqdn")
                .ok_or_else(|| bad("fqdn"))?
                .trim_end_matches('.')
                .to_owned(),
            record_id: number("record_id").unwrap_or(0),
            ttl: number("ttl")
                .and_then(|ttl| u32::try_from(ttl).ok())
                .unwrap_or(0),
            rdata,
            service_class: text("service_class").map(str::to_owned),
            serial_style: text("serial_style").map(str::to_owned),
        })
    }
}
