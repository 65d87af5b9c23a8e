//! `%SEALED{…}`: secrets sealed with the `encryption` crate (AES-256-GCM), opened while loading.
//!
//! Unlike pyATS' `%ENC{}` (an obscuring shift anyone can undo), a sealed value is useless without
//! the key, which lives outside the testbed: given to [`super::TestbedLoader::sealing_key`] or in
//! the environment variable [`SEALING_KEY_VAR`] as a printable key (`opskit-key:v1:…`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use encryption::{Key, Sealed};

use crate::Secret;

/// Environment variable holding the printable key for `%SEALED{}` values.
pub const SEALING_KEY_VAR: &str = "OPSKIT_TESTBED_KEY";

/// Associated data binding sealed values to testbeds, so a value sealed for another purpose is refused.
const AAD: &[u8] = b"opskit/conn-mgr/testbed";

/// Seals `plaintext` and returns the markup to paste into a testbed: `%SEALED{…}`.
pub fn seal_for_testbed(key: &Key, plaintext: &str) -> crate::Result<String> {
    let sealed = Sealed::seal_with_aad(key, plaintext.as_bytes(), AAD)
        .map_err(|e| crate::Error::Config(format!("cannot seal: {e}")))?;
    Ok(format!(
        "%SEALED{{{}}}",
        URL_SAFE_NO_PAD.encode(sealed.to_bytes())
    ))
}

pub(crate) fn key_from(printable: &Option<String>) -> Result<Option<Key>, String> {
    match printable.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse::<Key>()
            .map(Some)
            .map_err(|e| format!("{SEALING_KEY_VAR} is not a valid key: {e}")),
    }
}

pub(crate) fn open(payload: &str, key: Option<&Key>) -> Result<Secret, String> {
    let key = key.ok_or_else(|| {
        format!("%SEALED{{}} needs a key: set {SEALING_KEY_VAR} or TestbedLoader::sealing_key")
    })?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim())
        .map_err(|_| "%SEALED{} value is not base64".to_owned())?;
    let sealed =
        Sealed::from_bytes(&bytes).map_err(|e| format!("%SEALED{{}} value is malformed: {e}"))?;
    let plain = sealed
        .open_string_with_aad(key, AAD)
        .map_err(|e| format!("cannot open %SEALED{{}} value: {e}"))?;
    Ok(Secret::new(plain.as_str()))
}
