//! Serde for `Sealed`: version, key id, nonce and ciphertext; never plaintext or key.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::cipher::NONCE_LEN;
use crate::key_id::KeyId;
use crate::sealed::FORMAT_VERSION;
use crate::{Error, Sealed};

/// The serialized shape. Text fields, so JSON, TOML and YAML stay readable and copyable.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire<'a> {
    /// Format version; `1`.
    version: u8,
    /// 16 hex digits.
    #[serde(borrow)]
    key_id: Cow<'a, str>,
    /// base64url without padding, 12 bytes.
    #[serde(borrow)]
    nonce: Cow<'a, str>,
    /// base64url without padding: ciphertext followed by the 16-byte tag.
    #[serde(borrow)]
    ciphertext: Cow<'a, str>,
}

impl Serialize for Sealed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Wire {
            version: FORMAT_VERSION,
            key_id: Cow::Owned(self.key_id().to_string()),
            nonce: Cow::Owned(URL_SAFE_NO_PAD.encode(self.nonce())),
            ciphertext: Cow::Owned(URL_SAFE_NO_PAD.encode(self.ciphertext_and_tag())),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Sealed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(deserializer)?;
        if wire.version != FORMAT_VERSION {
            return Err(D::Error::custom(Error::UnsupportedVersion(wire.version)));
        }
        let key_id = KeyId::from_hex(&wire.key_id)
            .ok_or_else(|| D::Error::custom("key_id is not 16 hex digits"))?;
        let nonce: [u8; NONCE_LEN] = URL_SAFE_NO_PAD
            .decode(wire.nonce.as_bytes())
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| D::Error::custom("nonce is not 12 bytes of base64url"))?;
        let ciphertext = URL_SAFE_NO_PAD
            .decode(wire.ciphertext.as_bytes())
            .map_err(|_| D::Error::custom("ciphertext is not base64url"))?;
        Sealed::from_parts(key_id, nonce, ciphertext).map_err(D::Error::custom)
    }
}
