//! [`Records`]: get, add, update, delete and replace the records of one zone.

use serde_json::{Map, Value, json};

use super::{Rdata, Record, RecordType};
use crate::error::{Error, Result};
use crate::names::{qualify, segment};
use crate::session::DynectSession;

/// The records of one zone. Cheap to clone.
///
/// Node names may be relative (`www`), the apex (`@` or ``) or fully qualified.
#[derive(Debug, Clone)]
pub struct Records {
    session: DynectSession,
    zone: String,
}

impl Records {
    pub(crate) fn new(session: DynectSession, zone: &str) -> Self {
        Self {
            session,
            zone: zone.trim_end_matches('.').to_ascii_lowercase(),
        }
    }

    /// The zone.
    pub fn zone(&self) -> &str {
        &self.zone
    }

    fn node_path(&self, record_type: &RecordType, node: &str) -> Result<String> {
        let fqdn = qualify(&self.zone, node);
        Ok(format!(
            "/{}/{}/{}/",
            segment(&record_type.resource())?,
            segment(&self.zone)?,
            segment(&fqdn)?
        ))
    }

    fn record_path(&self, record_type: &RecordType, node: &str, id: u64) -> Result<String> {
        Ok(format!("{}{id}/", self.node_path(record_type, node)?))
    }

    /// Adds a record with the zone's default TTL (pending until publish).
    ///
    /// # Errors
    /// [`Error::Session`] when the service refuses it (invalid rdata, duplicate, CNAME
    /// conflict, unknown zone, frozen zone).
    pub async fn add(&self, node: &str, rdata: impl Into<Rdata>) -> Result<Record> {
        self.add_with_ttl(node, rdata, 0).await
    }

    /// Adds a record with a TTL in seconds (0 = the zone's default).
    ///
    /// # Errors
    /// As [`Records::add`].
    pub async fn add_with_ttl(
        &self,
        node: &str,
        rdata: impl Into<Rdata>,
        ttl: u32,
    ) -> Result<Record> {
        let rdata = rdata.into();
        let path = self.node_path(&rdata.record_type(), node)?;
        let data = self
            .session
            .post(&path, json!({"rdata": rdata.to_value()?, "ttl": ttl}))
            .await?;
        Record::from_value(&data)
    }

    /// Adds an `NS` record with a service class (dyn-python's `service_class`).
    ///
    /// # Errors
    /// As [`Records::add`].
    pub async fn add_ns(
        &self,
        node: &str,
        nsdname: &str,
        service_class: &str,
        ttl: u32,
    ) -> Result<Record> {
        let path = self.node_path(&RecordType::NS, node)?;
        let data = self
            .session
            .post(
                &path,
                json!({"rdata": {"nsdname": nsdname}, "ttl": ttl, "service_class": service_class}),
            )
            .await?;
        Record::from_value(&data)
    }

    /// One record by type, node and id.
    ///
    /// # Errors
    /// [`Error::Session`] (not found when the id is unknown).
    pub async fn get(&self, node: &str, record_type: &RecordType, id: u64) -> Result<Record> {
        let data = self
            .session
            .get(&self.record_path(record_type, node, id)?, json!({}))
            .await?;
        Record::from_value(&data)
    }

    /// The records of one type at a node, pending changes of this session included.
    ///
    /// # Errors
    /// [`Error::Session`] (not found when the node does not exist).
    pub async fn list(&self, node: &str, record_type: &RecordType) -> Result<Vec<Record>> {
        let data = self
            .session
            .get(&self.node_path(record_type, node)?, json!({"detail": "Y"}))
            .await?;
        records_of(&data)
    }

    /// Every record at and below `node` (`None`: the whole zone), grouped by the API per
    /// type and flattened here.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn all(&self, node: Option<&str>) -> Result<Vec<Record>> {
        let path = match node {
            None => format!("/AllRecord/{}/", segment(&self.zone)?),
            Some(node) => format!(
                "/AllRecord/{}/{}/",
                segment(&self.zone)?,
                segment(&qualify(&self.zone, node))?
            ),
        };
        let data = self.session.get(&path, json!({"detail": "Y"})).await?;
        grouped_records(&data)
    }

    /// Every record at exactly `node` (`ANYRecord`).
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn at(&self, node: &str) -> Result<Vec<Record>> {
        let path = format!(
            "/ANYRecord/{}/{}/",
            segment(&self.zone)?,
            segment(&qualify(&self.zone, node))?
        );
        let data = self.session.get(&path, json!({"detail": "Y"})).await?;
        grouped_records(&data)
    }

    /// Changes a record's rdata and/or TTL (pending until publish); returns the new state.
    ///
    /// # Errors
    /// [`Error::UnpublishedRecord`] when `record` is pending and not alone of its type at the
    /// node; [`Error::Session`]; [`Error::InvalidArgument`] when `rdata` is of another type.
    pub async fn update(
        &self,
        record: &Record,
        rdata: Option<Rdata>,
        ttl: Option<u32>,
    ) -> Result<Record> {
        let record_type = record.record_type();
        let mut args = Map::new();
        if let Some(rdata) = rdata {
            if rdata.record_type() != record_type {
                return Err(Error::InvalidArgument("rdata is of another record type"));
            }
            args.insert("rdata".into(), rdata.to_value()?);
        }
        if let Some(ttl) = ttl {
            args.insert("ttl".into(), json!(ttl));
        }
        let id = self.resolve_id(record).await?;
        let data = self
            .session
            .put(
                &self.record_path(&record_type, &record.fqdn, id)?,
                Value::Object(args),
            )
            .await?;
        Record::from_value(&data)
    }

    /// Deletes exactly this record (pending until publish).
    ///
    /// A record added in this session and not yet published has id 0; dyn-python then sent
    /// the id-less `DELETE` that removes every record of the type at the node. Here the
    /// record is looked up again: a published record is deleted by its id, a pending one only
    /// when it is the node's sole pending record of its type, and
    /// [`Error::UnpublishedRecord`] is returned otherwise. Nothing else is ever removed.
    ///
    /// # Errors
    /// [`Error::UnpublishedRecord`], [`Error::Session`].
    pub async fn delete(&self, record: &Record) -> Result<()> {
        let id = self.resolve_id(record).await?;
        self.session
            .delete(
                &self.record_path(&record.record_type(), &record.fqdn, id)?,
                json!({}),
            )
            .await?;
        Ok(())
    }

    /// Deletes every record of `record_type` at `node` (the explicit form of what
    /// dyn-python's delete did by accident).
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete_all(&self, node: &str, record_type: &RecordType) -> Result<()> {
        self.session
            .delete(&self.node_path(record_type, node)?, json!({}))
            .await?;
        Ok(())
    }

    /// Replaces the whole record set of `record_type` at `node` with `rdata` (one record per
    /// entry, all with `ttl`; 0 = zone default). An empty list removes the set.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when an entry is of another type; [`Error::Session`].
    pub async fn replace(
        &self,
        node: &str,
        record_type: &RecordType,
        rdata: &[Rdata],
        ttl: u32,
    ) -> Result<Vec<Record>> {
        let mut items = Vec::with_capacity(rdata.len());
        for entry in rdata {
            if entry.record_type() != *record_type {
                return Err(Error::InvalidArgument("rdata is of another record type"));
            }
            items.push(json!({"rdata": entry.to_value()?, "ttl": ttl}));
        }
        let key = format!("{record_type}Records");
        let data = self
            .session
            .put(
                &self.node_path(record_type, node)?,
                json!({ key: Value::Array(items) }),
            )
            .await?;
        records_of(&data)
    }

    /// Finds the id to address `record` by: its own, or the one it got when published since,
    /// or 0 when it is the node's only pending record of its type.
    async fn resolve_id(&self, record: &Record) -> Result<u64> {
        if !record.zone.eq_ignore_ascii_case(&self.zone) {
            return Err(Error::InvalidArgument("record belongs to another zone"));
        }
        if record.is_published() {
            return Ok(record.record_id);
        }
        let record_type = record.record_type();
        let current = self.list(&record.fqdn, &record_type).await?;
        let same: Vec<&Record> = current
            .iter()
            .filter(|other| other.rdata == record.rdata)
            .collect();
        if let [only] = same.as_slice()
            && only.is_published()
        {
            return Ok(only.record_id);
        }
        let pending = current.iter().filter(|other| !other.is_published()).count();
        if same.len() == 1 && pending == 1 {
            return Ok(0);
        }
        Err(Error::UnpublishedRecord)
    }
}

/// Records from a list answer.
fn records_of(data: &Value) -> Result<Vec<Record>> {
    data.as_array()
        .ok_or_else(|| Error::UnexpectedResponse("expected a list of records".into()))?
        .iter()
        .map(Record::from_value)
        .collect()
}

/// Records from an `AllRecord`/`ANYRecord` answer: `{"a_records": [...], ...}`.
fn grouped_records(data: &Value) -> Result<Vec<Record>> {
    let groups = data
        .as_object()
        .ok_or_else(|| Error::UnexpectedResponse("expected records grouped by type".into()))?;
    let mut records = Vec::new();
    for (key, list) in groups {
        if !key.ends_with("_records") {
            continue;
        }
        records.extend(records_of(list)?);
    }
    Ok(records)
}
