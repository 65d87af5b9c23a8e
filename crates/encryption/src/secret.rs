//! `Secret`: a password kept encrypted in memory under a process-local key.

use std::fmt;
use std::sync::OnceLock;

use zeroize::Zeroizing;

use crate::{Key, Result, Sealed};

/// The key of this process's [`Secret`]s: generated on first use, never exported, never
/// written anywhere. A clone of it lives only as long as the process.
static PROCESS_KEY: OnceLock<Key> = OnceLock::new();

/// Returns the process key, generating it on first use. Two threads racing here may both
/// generate one; only the first to be stored is ever used.
fn process_key() -> Result<&'static Key> {
    if let Some(key) = PROCESS_KEY.get() {
        return Ok(key);
    }
    let fresh = Key::generate()?;
    Ok(PROCESS_KEY.get_or_init(|| fresh))
}

/// A password held encrypted in memory, with a key generated for this process.
///
/// This is `dyn.encrypt`'s "password encrypted in memory with a generated key", done with
/// AES-256-GCM: the plaintext exists only inside the short-lived buffers that
/// [`Secret::expose`] returns (wiped on drop), `Debug`/`Display` print a mask, and the key is
/// never stored next to the ciphertext. There is no `Serialize`: the process key dies with the
/// process, so to store a secret, re-seal it under a key of your own with [`Secret::seal_for`]
/// and load it back with [`Secret::from_sealed`].
#[derive(Clone)]
pub struct Secret {
    sealed: Sealed,
}

impl Secret {
    /// Seals `plaintext` under the process key.
    ///
    /// # Errors
    /// [`Error::Random`](crate::Error::Random) if the OS generator fails.
    pub fn new(plaintext: &str) -> Result<Self> {
        Ok(Self {
            sealed: Sealed::seal(process_key()?, plaintext.as_bytes())?,
        })
    }

    /// The plaintext, in a string wiped on drop. Keep it only as long as you need it.
    pub fn expose(&self) -> Zeroizing<String> {
        let key = PROCESS_KEY
            .get()
            .expect("a Secret exists only after the process key was created");
        self.sealed
            .open_string(key)
            .expect("sealed in this process from a &str under the never-changing process key")
    }

    /// Re-seals the secret under `key`, for storage; the result can be serialized.
    ///
    /// # Errors
    /// [`Error::Random`](crate::Error::Random) if the OS generator fails.
    pub fn seal_for(&self, key: &Key) -> Result<Sealed> {
        Sealed::seal(key, self.expose().as_bytes())
    }

    /// Opens a value made by [`Secret::seal_for`] (or any UTF-8 value sealed without
    /// associated data) and holds it under the process key again.
    ///
    /// # Errors
    /// As [`Sealed::open_string`]: wrong key, tampered data, not UTF-8.
    pub fn from_sealed(sealed: &Sealed, key: &Key) -> Result<Self> {
        Self::new(&sealed.open_string(key)?)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}
