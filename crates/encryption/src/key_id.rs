//! A short, non-secret fingerprint of a key.

use std::fmt;

/// Length of a [`KeyId`] in bytes.
pub(crate) const KEY_ID_LEN: usize = 8;

/// A short non-secret identifier of a [`Key`](crate::Key): the first 8 bytes of
/// HKDF-SHA-256(key, info = `"opskit-encryption key id v1"`).
///
/// It is one-way (it reveals nothing useful about the key) and lets [`Sealed::open`]
/// report "wrong key" before trying to authenticate. Displayed as 16 lowercase hex digits.
///
/// [`Sealed::open`]: crate::Sealed::open
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub(crate) [u8; KEY_ID_LEN]);

impl KeyId {
    /// The identifier's bytes.
    pub fn to_bytes(self) -> [u8; KEY_ID_LEN] {
        self.0
    }

    /// Parses the 16-lowercase-hex-digit form written by `Display`. Uppercase is refused so
    /// that every identifier has exactly one text form.
    pub(crate) fn from_hex(text: &str) -> Option<Self> {
        if !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return None;
        }
        let mut bytes = [0_u8; KEY_ID_LEN];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(Self(bytes))
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let id = KeyId([0, 1, 2, 0xab, 0xcd, 0xef, 0x10, 0xff]);
        assert_eq!(id.to_string(), "000102abcdef10ff");
        assert_eq!(format!("{id:?}"), "KeyId(000102abcdef10ff)");
        assert_eq!(KeyId::from_hex("000102abcdef10ff"), Some(id));
        assert_eq!(KeyId::from_hex("000102abcdef10f"), None);
        assert_eq!(KeyId::from_hex("000102abcdef10ffff"), None);
        assert_eq!(KeyId::from_hex("000102abcdef10fg"), None);
        assert_eq!(KeyId::from_hex("000102ABCDEF10FF"), None);
    }
}
