//! JSON, the default encoding, readable by Python's `JSONEncoding`.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Encoding;
use crate::EncodingError;

/// JSON through serde (Python's `JSONEncoding`).
///
/// Writes compact UTF-8 JSON, which Python's `json.loads` reads on every version; reads
/// Python's `", "`/`": "` style and `\uXXXX` escapes, and also the non-standard `NaN`,
/// `Infinity` and `-Infinity` tokens Python writes for non-finite floats (into `f64` they
/// come back as such; `serde_json::Value` cannot hold them and makes them `null`). A
/// non-finite float is written as `null`, as `serde_json` does.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl<V: Serialize + DeserializeOwned> Encoding<V> for Json {
    fn encode(&self, value: &V) -> Result<Vec<u8>, EncodingError> {
        serde_json::to_vec(value).map_err(|e| EncodingError::new("json", e))
    }

    fn decode(&self, raw: &[u8]) -> Result<V, EncodingError> {
        serde_json::from_slice(raw).or_else(|strict| {
            if !super::python_json::may_be_python(raw) {
                return Err(EncodingError::new("json", strict));
            }
            super::python_json::from_slice(raw).map_err(|e| EncodingError::new("json", e))
        })
    }
}
