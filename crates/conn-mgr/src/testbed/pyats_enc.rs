//! pyATS' default `%ENC{}` codec: a byte shift by the key `pyats_default_key`, then URL-safe base64.
//!
//! It only obscures; anyone with pyATS can decode it. [`crate::testbed`] also accepts sealed secrets.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE;

/// The key pyATS uses when `pyats.conf` sets none.
pub const PYATS_DEFAULT_KEY: &str = "pyats_default_key";

/// Encodes `plain` the way `pyats secret encode` does with the default key.
pub fn pyats_encode(plain: &str) -> String {
    let key: Vec<char> = PYATS_DEFAULT_KEY.chars().collect();
    let shifted: String = plain
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let code = (u32::from(c) + u32::from(key[i % key.len()])) % 256;
            char::from_u32(code).unwrap_or('\0')
        })
        .collect();
    URL_SAFE.encode(shifted.as_bytes())
}

/// Decodes a `%ENC{}` / `ENC()` payload encoded with the default key; `None` if it is not one.
pub fn pyats_decode(encoded: &str) -> Option<String> {
    let bytes = URL_SAFE.decode(encoded.trim()).ok()?;
    let shifted = String::from_utf8(bytes).ok()?;
    let key: Vec<char> = PYATS_DEFAULT_KEY.chars().collect();
    shifted
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let code = (u32::from(c) + 256 - u32::from(key[i % key.len()]) % 256) % 256;
            char::from_u32(code)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_values_seen_in_real_testbeds() {
        assert_eq!(pyats_decode("w5zDmsOD").as_deref(), Some("lab"));
        assert_eq!(pyats_decode("w5PDosOUw5fDog==").as_deref(), Some("cisco"));
    }

    #[test]
    fn round_trips() {
        for plain in [
            "",
            "lab",
            "MySecretPassword",
            "ünïcødé and a long one past the key length",
        ] {
            assert_eq!(pyats_decode(&pyats_encode(plain)).as_deref(), Some(plain));
        }
        assert_eq!(pyats_encode("cisco"), "w5PDosOUw5fDog==");
    }

    #[test]
    fn rejects_non_base64() {
        assert_eq!(pyats_decode("not base64!"), None);
    }
}
