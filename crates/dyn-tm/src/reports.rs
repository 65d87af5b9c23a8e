//! Reports: permission checks, QPS, zone notes, DNSSEC timeline, RTTM logs.
//! `session.reports()`.

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::session::DynectSession;

/// The report calls of a session.
#[derive(Debug, Clone)]
pub struct Reports {
    session: DynectSession,
}

impl DynectSession {
    /// Reports.
    pub fn reports(&self) -> Reports {
        Reports::of(self)
    }
}

/// Which of the asked permissions the session user holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PermissionCheck {
    /// Permissions held.
    pub allowed: Vec<String>,
    /// Permissions not held.
    pub forbidden: Vec<String>,
}

fn names(data: &Value, key: &str) -> Vec<String> {
    data.get(key)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|entry| entry.get("name").and_then(Value::as_str).or(entry.as_str()))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn list_of(data: Value) -> Result<Vec<Value>> {
    match data {
        Value::Array(items) => Ok(items),
        _ => Err(Error::UnexpectedResponse("expected a list".into())),
    }
}

impl Reports {
    pub(crate) fn of(session: &DynectSession) -> Self {
        Self {
            session: session.clone(),
        }
    }

    /// Checks `permissions` for the session user, optionally on one zone.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn check_permission(
        &self,
        permissions: &[&str],
        zone: Option<&str>,
    ) -> Result<PermissionCheck> {
        let mut args = json!({"permission": permissions});
        if let Some(zone) = zone {
            args["zone_name"] = json!(zone);
        }
        let data = self.session.post("/CheckPermissionReport/", args).await?;
        Ok(PermissionCheck {
            allowed: names(&data, "allowed"),
            forbidden: names(&data, "forbidden"),
        })
    }

    /// Queries per second between two Unix times, as the CSV text the API returns.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn qps(&self, start_ts: u64, end_ts: u64, zones: &[&str]) -> Result<String> {
        let mut args = json!({"start_ts": start_ts, "end_ts": end_ts});
        if !zones.is_empty() {
            args["zones"] = json!(zones);
        }
        let data = self.session.post("/QPSReport/", args).await?;
        data.get("csv")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| Error::UnexpectedResponse("QPS report without csv".into()))
    }

    /// Publish notes of a zone.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn zone_notes(
        &self,
        zone: &str,
        offset: Option<u32>,
        limit: Option<u32>,
    ) -> Result<Vec<Value>> {
        let mut args = json!({"zone": zone});
        if let Some(offset) = offset {
            args["offset"] = json!(offset);
        }
        if let Some(limit) = limit {
            args["limit"] = json!(limit);
        }
        list_of(self.session.post("/ZoneNoteReport/", args).await?)
    }

    /// The DNSSEC key timeline of a zone.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn dnssec_timeline(&self, zone: &str) -> Result<Vec<Value>> {
        list_of(
            self.session
                .post("/DNSSECTimelineReport/", json!({"zone": zone}))
                .await?,
        )
    }

    /// RTTM log entries of a node between two Unix times.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn rttm_log(
        &self,
        zone: &str,
        fqdn: &str,
        start_ts: u64,
        end_ts: u64,
    ) -> Result<Vec<Value>> {
        list_of(
            self.session
                .post(
                    "/RTTMLogReport/",
                    json!({"zone": zone, "fqdn": fqdn, "start_ts": start_ts, "end_ts": end_ts}),
                )
                .await?,
        )
    }

    /// The RTTM record set served at a node at a Unix time.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn rttm_rrset(&self, zone: &str, fqdn: &str, ts: u64) -> Result<Vec<Value>> {
        list_of(
            self.session
                .post(
                    "/RTTMRRSetReport/",
                    json!({"zone": zone, "fqdn": fqdn, "ts": ts}),
                )
                .await?,
        )
    }
}

/// Checks permissions of the current session's user (dyn-python's `get_check_permission`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Reports::check_permission`].
pub async fn get_check_permission(
    permissions: &[&str],
    zone: Option<&str>,
) -> Result<PermissionCheck> {
    DynectSession::current()?
        .reports()
        .check_permission(permissions, zone)
        .await
}

/// QPS CSV through the current session (dyn-python's `get_qps`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Reports::qps`].
pub async fn get_qps(start_ts: u64, end_ts: u64, zones: &[&str]) -> Result<String> {
    DynectSession::current()?
        .reports()
        .qps(start_ts, end_ts, zones)
        .await
}

/// Zone notes through the current session (dyn-python's `get_zone_notes`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Reports::zone_notes`].
pub async fn get_zone_notes(
    zone: &str,
    offset: Option<u32>,
    limit: Option<u32>,
) -> Result<Vec<Value>> {
    DynectSession::current()?
        .reports()
        .zone_notes(zone, offset, limit)
        .await
}
