//! 256-bit keys: generation, printable form, identifier.

use std::fmt;
use std::str::FromStr;

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::key_id::{KEY_ID_LEN, KeyId};
use crate::{Error, Result, printable, random};

/// Length of a key in bytes (AES-256).
pub(crate) const KEY_LEN: usize = 32;

/// The `kind` part of the printable form `opskit-key:v1:…`.
const PRINTABLE_KIND: &str = "key";

/// A 256-bit secret key for [`Sealed`](crate::Sealed) values.
///
/// Make one with [`Key::generate`] (OS random), [`Key::from_passphrase`] (Argon2id) or by
/// parsing its printable form (`"opskit-key:v1:…".parse::<Key>()`). The material lives on
/// the heap (moves copy only a pointer) and is wiped when the key is dropped.
///
/// `Debug` and `Display` show only the [`KeyId`]; the material is reachable only through the
/// explicit [`Key::to_printable`]. There is deliberately no `Serialize`: writing a key out
/// should be a visible decision, not a side effect of serializing a struct.
#[derive(Clone)]
pub struct Key {
    material: Box<Zeroizing<[u8; KEY_LEN]>>,
    id: KeyId,
}

impl Key {
    /// Generates a fresh key from the operating system's random number generator.
    ///
    /// # Errors
    /// [`Error::Random`] if the OS generator fails.
    pub fn generate() -> Result<Self> {
        let mut material = Box::new(Zeroizing::new([0_u8; KEY_LEN]));
        random::fill(material.as_mut_slice())?;
        Ok(Self::from_material(material))
    }

    /// Wraps material that already sits in its final, wiped-on-drop heap slot.
    pub(crate) fn from_material(material: Box<Zeroizing<[u8; KEY_LEN]>>) -> Self {
        let id = derive_id(&material);
        Self { material, id }
    }

    /// The key's non-secret identifier.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The printable form `opskit-key:v1:<base64url, 43 characters>`, for config files and
    /// secret stores; parse it back with [`str::parse`]. This is the key itself: treat it as
    /// secret. The returned string is wiped on drop.
    pub fn to_printable(&self) -> Zeroizing<String> {
        printable::format(PRINTABLE_KIND, self.material.as_slice())
    }

    /// The raw key bytes, for the cipher only.
    pub(crate) fn material(&self) -> &[u8; KEY_LEN] {
        &self.material
    }
}

/// HKDF-SHA-256 with a fixed label, so the identifier is one-way and can never be mistaken for
/// (or used as) key material for anything else.
fn derive_id(material: &[u8; KEY_LEN]) -> KeyId {
    let mut id = [0_u8; KEY_ID_LEN];
    Hkdf::<Sha256>::new(None, material)
        .expand(b"opskit-encryption key id v1", &mut id)
        .expect("8 bytes is far below HKDF-SHA-256's 8160-byte output limit");
    KeyId(id)
}

impl FromStr for Key {
    type Err = Error;

    /// Parses the form written by [`Key::to_printable`]; surrounding whitespace is ignored.
    fn from_str(text: &str) -> Result<Self> {
        let bytes = printable::parse::<KEY_LEN>(PRINTABLE_KIND, text)
            .map_err(|reason| Error::MalformedKey { reason })?;
        Ok(Self::from_material(Box::new(bytes)))
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key {}", self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_derived_not_copied() {
        let key = Key::from_material(Box::new(Zeroizing::new([7_u8; KEY_LEN])));
        assert_ne!(key.id().to_bytes(), [7_u8; KEY_ID_LEN]);
        // Same material, same id: ids are stable across processes.
        let again = Key::from_material(Box::new(Zeroizing::new([7_u8; KEY_LEN])));
        assert_eq!(key.id(), again.id());
    }

    #[test]
    fn generated_keys_differ() {
        let a = Key::generate().expect("os rng");
        let b = Key::generate().expect("os rng");
        assert_ne!(a.material(), b.material());
        assert_ne!(a.id(), b.id());
    }
}
