//! `Sealed`: a secret held as AES-256-GCM ciphertext, opened on demand.

use std::fmt;

use zeroize::Zeroizing;

use crate::cipher::{self, NONCE_LEN, TAG_LEN};
use crate::key_id::{KEY_ID_LEN, KeyId};
use crate::{Error, Key, Result, random};

/// The format version this build writes. It is authenticated together with the key id, so a
/// value cannot be relabelled as another version or key without failing to open.
pub(crate) const FORMAT_VERSION: u8 = 1;

/// Length of the authenticated header: version byte and key id.
const HEADER_LEN: usize = 1 + KEY_ID_LEN;

/// A secret (typically a password) held encrypted with AES-256-GCM.
///
/// Each seal draws a fresh random 96-bit nonce from the OS, so sealing the same secret twice
/// gives unrelated values. [`Sealed::open`] checks the [`KeyId`] first (a different key gives
/// [`Error::WrongKey`]) and then the authentication tag (any altered byte, or different
/// associated data, gives [`Error::Tampered`]); it never returns unauthenticated bytes.
///
/// What it holds is not secret, so it is `Clone` and serializable: serde writes the format
/// version, the key id, the nonce and the ciphertext (with tag), base64url-encoded, and never
/// the key or the plaintext. `Debug` and `Display` print a fixed mask.
///
/// The binary form of [`Sealed::to_bytes`] is
/// `version (0x01) || key id (8) || nonce (12) || ciphertext || tag (16)`; the GCM associated
/// data is `version || key id || caller's associated data`.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    key_id: KeyId,
    nonce: [u8; NONCE_LEN],
    ciphertext_and_tag: Vec<u8>,
}

impl Sealed {
    /// Encrypts `plaintext` under `key`.
    ///
    /// # Errors
    /// [`Error::Random`] if the OS generator fails, [`Error::TooLong`] past 64 GiB.
    pub fn seal(key: &Key, plaintext: &[u8]) -> Result<Self> {
        Self::seal_with_aad(key, plaintext, &[])
    }

    /// Encrypts `plaintext` under `key`, binding it to `aad` (associated data: authenticated,
    /// not encrypted, not stored). Opening needs the same `aad`, so a password sealed for
    /// `b"customer/alice"` cannot be replayed as the password of `b"customer/bob"`.
    ///
    /// # Errors
    /// As [`Sealed::seal`].
    pub fn seal_with_aad(key: &Key, plaintext: &[u8], aad: &[u8]) -> Result<Self> {
        let mut nonce = [0_u8; NONCE_LEN];
        random::fill(&mut nonce)?;
        let key_id = key.id();
        let ciphertext_and_tag =
            cipher::seal(key.material(), &nonce, plaintext, &gcm_aad(key_id, aad))
                .map_err(|_| Error::TooLong)?;
        Ok(Self {
            key_id,
            nonce,
            ciphertext_and_tag,
        })
    }

    /// Decrypts into a buffer that is wiped when dropped.
    ///
    /// # Errors
    /// [`Error::WrongKey`] if `key` is not the sealing key, [`Error::Tampered`] if anything
    /// was altered or the value was sealed with associated data.
    pub fn open(&self, key: &Key) -> Result<Zeroizing<Vec<u8>>> {
        self.open_with_aad(key, &[])
    }

    /// Decrypts a value sealed with [`Sealed::seal_with_aad`] and the same `aad`.
    ///
    /// # Errors
    /// As [`Sealed::open`]; a different `aad` gives [`Error::Tampered`].
    pub fn open_with_aad(&self, key: &Key, aad: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if key.id() != self.key_id {
            return Err(Error::WrongKey {
                sealed_with: self.key_id,
                given: key.id(),
            });
        }
        cipher::open(
            key.material(),
            &self.nonce,
            &self.ciphertext_and_tag,
            &gcm_aad(self.key_id, aad),
        )
        .map(Zeroizing::new)
        .map_err(|_| Error::Tampered)
    }

    /// Decrypts a UTF-8 secret (a password) into a string that is wiped when dropped.
    ///
    /// # Errors
    /// As [`Sealed::open`], plus [`Error::NotUtf8`].
    pub fn open_string(&self, key: &Key) -> Result<Zeroizing<String>> {
        self.open_string_with_aad(key, &[])
    }

    /// [`Sealed::open_string`] for a value sealed with associated data.
    ///
    /// # Errors
    /// As [`Sealed::open_with_aad`], plus [`Error::NotUtf8`].
    pub fn open_string_with_aad(&self, key: &Key, aad: &[u8]) -> Result<Zeroizing<String>> {
        let mut bytes = self.open_with_aad(key, aad)?;
        // Moving the buffer into the String keeps one allocation, so there is no unwiped copy;
        // on failure `bytes` still owns it and wipes it.
        match String::from_utf8(std::mem::take(&mut *bytes)) {
            Ok(text) => Ok(Zeroizing::new(text)),
            Err(not_utf8) => {
                *bytes = not_utf8.into_bytes();
                Err(Error::NotUtf8)
            }
        }
    }

    /// Identifier of the key this value was sealed with.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// The binary form: `0x01 || key id (8) || nonce (12) || ciphertext || tag (16)`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + NONCE_LEN + self.ciphertext_and_tag.len());
        out.push(FORMAT_VERSION);
        out.extend_from_slice(&self.key_id.0);
        out.extend_from_slice(&self.nonce);
        out.extend_from_slice(&self.ciphertext_and_tag);
        out
    }

    /// Parses the form written by [`Sealed::to_bytes`]. Only the layout is checked here;
    /// authenticity is checked by [`Sealed::open`].
    ///
    /// # Errors
    /// [`Error::UnsupportedVersion`] or [`Error::MalformedSealed`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let (&version, rest) = bytes.split_first().ok_or(Error::MalformedSealed {
            reason: "empty input",
        })?;
        if version != FORMAT_VERSION {
            return Err(Error::UnsupportedVersion(version));
        }
        let (key_id, rest) =
            rest.split_first_chunk::<KEY_ID_LEN>()
                .ok_or(Error::MalformedSealed {
                    reason: "truncated key id",
                })?;
        let (nonce, ciphertext_and_tag) =
            rest.split_first_chunk::<NONCE_LEN>()
                .ok_or(Error::MalformedSealed {
                    reason: "truncated nonce",
                })?;
        Self::from_parts(KeyId(*key_id), *nonce, ciphertext_and_tag.to_vec())
    }

    /// Builds a value from its parsed parts, checking what can be checked without the key.
    pub(crate) fn from_parts(
        key_id: KeyId,
        nonce: [u8; NONCE_LEN],
        ciphertext_and_tag: Vec<u8>,
    ) -> Result<Self> {
        if ciphertext_and_tag.len() < TAG_LEN {
            return Err(Error::MalformedSealed {
                reason: "ciphertext shorter than the authentication tag",
            });
        }
        Ok(Self {
            key_id,
            nonce,
            ciphertext_and_tag,
        })
    }

    /// The nonce, for serialization.
    pub(crate) fn nonce(&self) -> &[u8; NONCE_LEN] {
        &self.nonce
    }

    /// Ciphertext followed by the tag, for serialization.
    pub(crate) fn ciphertext_and_tag(&self) -> &[u8] {
        &self.ciphertext_and_tag
    }
}

/// The associated data given to GCM: the header, then the caller's data. The header has a
/// fixed length, so the concatenation is unambiguous.
fn gcm_aad(key_id: KeyId, aad: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + aad.len());
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&key_id.0);
    out.extend_from_slice(aad);
    out
}

/// The mask printed instead of the secret.
const MASK: &str = "***";

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sealed({MASK})")
    }
}

impl fmt::Display for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}
