//! How values become the bytes a backend stores, and back.

#[cfg(feature = "encryption")]
mod encrypted;
mod json;
#[cfg(feature = "pickle")]
mod pickle;
mod python_json;
mod raw;

#[cfg(feature = "encryption")]
pub use encrypted::Encrypted;
pub use json::Json;
#[cfg(feature = "pickle")]
pub use pickle::Pickle;
pub use raw::RawBytes;

use crate::EncodingError;

/// Turns values into stored bytes and back; the analogue of Python's duck-typed
/// `encode`/`decode` encodings.
///
/// Decoding must never execute anything found in the data.
pub trait Encoding<V>: Send + Sync + 'static {
    /// Encodes a value for storage.
    fn encode(&self, value: &V) -> Result<Vec<u8>, EncodingError>;
    /// Decodes stored bytes.
    fn decode(&self, raw: &[u8]) -> Result<V, EncodingError>;
}

/// Decodes with the first encoding and, if that fails, with the second: for migrating a
/// dict from one encoding to another (what Python's dead `old_encoding` meant to do).
/// Writes always use the first.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fallback<A, B>(pub A, pub B);

impl<V, A: Encoding<V>, B: Encoding<V>> Encoding<V> for Fallback<A, B> {
    fn encode(&self, value: &V) -> Result<Vec<u8>, EncodingError> {
        self.0.encode(value)
    }

    fn decode(&self, raw: &[u8]) -> Result<V, EncodingError> {
        self.0.decode(raw).or_else(|first| {
            self.1
                .decode(raw)
                .map_err(|second| EncodingError::new("fallback", format_args!("{first}; {second}")))
        })
    }
}
