//! Values sealed with AES-256-GCM before they reach the store.

use std::sync::Arc;

use encryption::{Key, Sealed};

use super::Encoding;
use crate::EncodingError;

/// Wraps another encoding and seals its bytes under a [`Key`] (AES-256-GCM, a fresh nonce
/// per write), so the store only ever holds ciphertext. A value sealed under another key,
/// or altered in the store, is a decode error naming the key, never garbage. The stored
/// form is the `encryption` crate's byte form of [`Sealed`]; Python durabledict cannot read
/// it.
#[derive(Clone)]
pub struct Encrypted<E> {
    inner: E,
    key: Arc<Key>,
}

impl<E> Encrypted<E> {
    /// Seals `inner`'s output under `key`.
    pub fn new(inner: E, key: Key) -> Self {
        Self {
            inner,
            key: Arc::new(key),
        }
    }
}

impl<E: std::fmt::Debug> std::fmt::Debug for Encrypted<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key's Debug shows only its id.
        f.debug_struct("Encrypted")
            .field("inner", &self.inner)
            .field("key", &self.key)
            .finish()
    }
}

/// Binds the ciphertext to this use, so a sealed value from elsewhere is refused.
const AAD: &[u8] = b"durabledict value";

impl<V, E: Encoding<V>> Encoding<V> for Encrypted<E> {
    fn encode(&self, value: &V) -> Result<Vec<u8>, EncodingError> {
        let plain = zeroize::Zeroizing::new(self.inner.encode(value)?);
        let sealed = Sealed::seal_with_aad(&self.key, &plain, AAD)
            .map_err(|e| EncodingError::new("encrypted", e))?;
        Ok(sealed.to_bytes())
    }

    fn decode(&self, raw: &[u8]) -> Result<V, EncodingError> {
        let sealed = Sealed::from_bytes(raw).map_err(|e| EncodingError::new("encrypted", e))?;
        let plain = sealed
            .open_with_aad(&self.key, AAD)
            .map_err(|e| EncodingError::new("encrypted", e))?;
        self.inner.decode(&plain)
    }
}
