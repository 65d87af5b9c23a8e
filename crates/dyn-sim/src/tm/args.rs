//! Request arguments: a JSON body (on any method) merged with the query string, read leniently
//! (numbers as numbers or digit strings, booleans as `true`, `"true"`, `"Y"`).

use serde_json::{Map, Value};

use super::envelope::{Failure, invalid, missing};

/// The merged arguments of one request; body values win over query values.
#[derive(Debug, Clone, Default)]
pub(crate) struct Args(pub(crate) Map<String, Value>);

impl Args {
    /// Merges `query` and a JSON `body`; a body that is not a JSON object is an error.
    pub(crate) fn parse(query: Option<&str>, body: &[u8]) -> Result<Self, Failure> {
        let mut map = Map::new();
        if let Some(q) = query {
            for (k, v) in form_urlencoded::parse(q.as_bytes()) {
                map.insert(k.into_owned(), Value::String(v.into_owned()));
            }
        }
        let trimmed = body.iter().filter(|b| !b.is_ascii_whitespace()).count();
        if trimmed > 0 {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(obj)) => map.extend(obj),
                Ok(_) | Err(_) => {
                    return Err(super::envelope::invalid_request(
                        "request: Could not parse the request body as a JSON object",
                    ));
                }
            }
        }
        Ok(Self(map))
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// A string argument (numbers are turned into their text).
    pub(crate) fn str(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub(crate) fn req_str(&self, key: &str) -> Result<String, Failure> {
        match self.str(key) {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(missing(key)),
        }
    }

    /// An unsigned integer argument; a present but non-numeric value is `INVALID_DATA`.
    pub(crate) fn u64(&self, key: &str) -> Result<Option<u64>, Failure> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => as_u64(v)
                .map(Some)
                .ok_or_else(|| invalid(format!("{key}: Must be an integer"))),
        }
    }

    /// A flag: `true`, `"true"`, `"Y"`, `"y"`, `1`.
    pub(crate) fn flag(&self, key: &str) -> bool {
        self.get(key).is_some_and(truthy)
    }

    /// `detail=Y` on list endpoints.
    pub(crate) fn detail(&self) -> bool {
        self.flag("detail")
    }

    /// A list argument: a JSON array, or one value taken as a one-element list.
    pub(crate) fn list(&self, key: &str) -> Option<Vec<Value>> {
        match self.get(key)? {
            Value::Array(items) => Some(items.clone()),
            Value::String(s) if s.is_empty() => Some(Vec::new()),
            other => Some(vec![other.clone()]),
        }
    }
}

pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => matches!(s.to_ascii_lowercase().as_str(), "true" | "y" | "yes" | "1"),
        Value::Number(n) => n.as_u64().is_some_and(|n| n != 0),
        _ => false,
    }
}

pub(crate) fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `"Y"`/`"N"` from a flag value, as many services report switches.
pub(crate) fn yn(v: bool) -> &'static str {
    if v { "Y" } else { "N" }
}
