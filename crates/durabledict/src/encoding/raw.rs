//! Raw bytes, stored as given.

use super::Encoding;
use crate::EncodingError;

/// Stores `Vec<u8>` values unchanged (Python's `NoOpEncoding` for byte values).
#[derive(Debug, Clone, Copy, Default)]
pub struct RawBytes;

impl Encoding<Vec<u8>> for RawBytes {
    fn encode(&self, value: &Vec<u8>) -> Result<Vec<u8>, EncodingError> {
        Ok(value.clone())
    }

    fn decode(&self, raw: &[u8]) -> Result<Vec<u8>, EncodingError> {
        Ok(raw.to_vec())
    }
}
