//! [`RecordType`] (a type name, open to types this crate does not know) and [`OtherRdata`]
//! (the rdata of such a type, as raw JSON fields).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

/// A DNS record type as the API names it (`A`, `MX`, …).
///
/// The known types are constants (`RecordType::MX`, [`RecordType::KNOWN`]); any other name is
/// accepted by [`RecordType::new`], so a type the API gains later still works through
/// [`OtherRdata`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordType(Cow<'static, str>);

impl RecordType {
    pub(crate) const fn known(name: &'static str) -> Self {
        Self(Cow::Borrowed(name))
    }

    /// A type by name (case-insensitive; stored upper-case).
    pub fn new(name: &str) -> Self {
        let upper = name.trim().to_ascii_uppercase();
        Self::KNOWN
            .iter()
            .find(|known| known.as_str() == upper)
            .cloned()
            .unwrap_or(Self(Cow::Owned(upper)))
    }

    /// The name (`MX`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `true` when this crate has typed rdata for the type.
    pub fn is_known(&self) -> bool {
        Self::KNOWN.contains(self)
    }

    /// The API resource of the type (`MXRecord`).
    pub fn resource(&self) -> String {
        format!("{}Record", self.0)
    }

    /// The group key in `AllRecord` answers (`mx_records`).
    pub fn group_key(&self) -> String {
        format!("{}_records", self.0.to_ascii_lowercase())
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordType({})", self.0)
    }
}

impl FromStr for RecordType {
    type Err = crate::Error;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let valid =
            !name.trim().is_empty() && name.trim().bytes().all(|b| b.is_ascii_alphanumeric());
        if valid {
            Ok(Self::new(name))
        } else {
            Err(crate::Error::InvalidArgument(
                "record type must be letters and digits",
            ))
        }
    }
}

/// The rdata of a type without typed support: its fields exactly as the API spells them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherRdata {
    record_type: RecordType,
    fields: Map<String, Value>,
}

impl OtherRdata {
    /// Rdata of `record_type` with `fields`.
    pub fn new(record_type: RecordType, fields: Map<String, Value>) -> Self {
        Self {
            record_type,
            fields,
        }
    }

    /// Reads rdata from a JSON object.
    ///
    /// # Errors
    /// When `value` is not a JSON object.
    pub fn from_value(record_type: RecordType, value: Value) -> Result<Self, serde_json::Error> {
        let fields: Map<String, Value> = serde_json::from_value(value)?;
        Ok(Self::new(record_type, fields))
    }

    /// The record type.
    pub fn record_type(&self) -> &RecordType {
        &self.record_type
    }

    /// The fields.
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }
}
