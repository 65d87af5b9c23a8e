//! Field checks shared by the service definitions.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value, json};

use crate::tm::args::{as_u64, truthy, yn};
use crate::tm::envelope::{Failure, invalid};

pub(super) fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A field that must be one of `allowed` when present.
pub(super) fn one_of(obj: &Map<String, Value>, key: &str, allowed: &[&str]) -> Result<(), Failure> {
    match text(obj, key) {
        Some(v) if !allowed.iter().any(|a| a.eq_ignore_ascii_case(&v)) => Err(invalid(format!(
            "{key}: Must be one of {}",
            allowed.join(", ")
        ))),
        _ => Ok(()),
    }
}

/// A `Y`/`N` switch, normalised from booleans and strings.
pub(super) fn yes_no(obj: &mut Map<String, Value>, key: &str) -> Result<(), Failure> {
    if let Some(v) = obj.get(key).cloned().filter(|v| !v.is_null()) {
        let s = text(obj, key).unwrap_or_default();
        if !matches!(
            s.to_ascii_uppercase().as_str(),
            "Y" | "N" | "TRUE" | "FALSE" | "1" | "0"
        ) {
            return Err(invalid(format!("{key}: Must be Y or N")));
        }
        obj.insert(key.to_owned(), json!(yn(truthy(&v))));
    }
    Ok(())
}

/// An integer field within bounds, stored as a number.
pub(super) fn int(
    obj: &mut Map<String, Value>,
    key: &str,
    min: u64,
    max: u64,
) -> Result<(), Failure> {
    if let Some(v) = obj
        .get(key)
        .filter(|v| !v.is_null() && v.as_str() != Some(""))
    {
        match as_u64(v) {
            Some(n) if (min..=max).contains(&n) => {
                obj.insert(key.to_owned(), json!(n));
            }
            _ => {
                return Err(invalid(format!(
                    "{key}: Must be an integer between {min} and {max}"
                )));
            }
        }
    }
    Ok(())
}

/// An integer field restricted to a set of values.
pub(super) fn int_in(
    obj: &mut Map<String, Value>,
    key: &str,
    allowed: &[u64],
) -> Result<(), Failure> {
    if let Some(v) = obj
        .get(key)
        .filter(|v| !v.is_null() && v.as_str() != Some(""))
    {
        match as_u64(v) {
            Some(n) if allowed.contains(&n) => {
                obj.insert(key.to_owned(), json!(n));
            }
            _ => {
                let list: Vec<String> = allowed.iter().map(u64::to_string).collect();
                return Err(invalid(format!(
                    "{key}: Must be one of {}",
                    list.join(", ")
                )));
            }
        }
    }
    Ok(())
}

pub(super) enum IpKind {
    Any,
    V4,
    V6,
}

pub(super) fn ip(obj: &Map<String, Value>, key: &str, kind: IpKind) -> Result<(), Failure> {
    if let Some(s) = text(obj, key) {
        let good = match kind {
            IpKind::Any => s.parse::<IpAddr>().is_ok(),
            IpKind::V4 => s.parse::<Ipv4Addr>().is_ok(),
            IpKind::V6 => s.parse::<Ipv6Addr>().is_ok(),
        };
        if !good {
            return Err(invalid(format!("{key}: Not a valid IP address")));
        }
    }
    Ok(())
}

pub(super) fn url(obj: &Map<String, Value>, key: &str) -> Result<(), Failure> {
    match text(obj, key) {
        Some(u) if !(u.starts_with("http://") || u.starts_with("https://")) || u.len() < 9 => Err(
            invalid(format!("{key}: Must start with http:// or https://")),
        ),
        _ => Ok(()),
    }
}
