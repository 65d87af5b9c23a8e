//! Python pickle as durabledict's `PickleEncoding` stores it, data only.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Encoding;
use crate::EncodingError;

/// Python durabledict's default `PickleEncoding`: MIME base64 (`base64.encodestring`) around
/// a pickle.
///
/// Decoding reads protocols 0 to 5 (what Python 2.7 and 3.x wrote) and executes nothing: a
/// pickle that refers to a class or callable (`GLOBAL`/`REDUCE`) is refused. Encoding writes
/// protocol 2, the only one both Python 2.7 and Python 3 durabledict can read, wrapped at
/// 76 characters with a trailing newline exactly like `encodestring`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pickle;

const LINE: usize = 76;

impl<V: Serialize + DeserializeOwned> Encoding<V> for Pickle {
    fn encode(&self, value: &V) -> Result<Vec<u8>, EncodingError> {
        let pickled = serde_pickle::to_vec(value, serde_pickle::SerOptions::new().proto_v2())
            .map_err(|e| EncodingError::new("pickle", e))?;
        let text = STANDARD.encode(pickled);
        let mut out = Vec::with_capacity(text.len() + text.len() / LINE + 1);
        for line in text.as_bytes().chunks(LINE) {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        Ok(out)
    }

    fn decode(&self, raw: &[u8]) -> Result<V, EncodingError> {
        let compact: Vec<u8> = raw
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        let pickled = STANDARD
            .decode(compact)
            .map_err(|e| EncodingError::new("pickle", format_args!("bad base64: {e}")))?;
        serde_pickle::from_slice(&pickled, serde_pickle::DeOptions::new().decode_strings())
            .map_err(|e| EncodingError::new("pickle", e))
    }
}
