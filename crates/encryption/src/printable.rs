//! The `opskit-<kind>:v1:<base64url>` text form shared by keys and salts.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::Zeroizing;

/// The only printable version this build writes and reads.
const VERSION: &str = "v1";

/// Formats `opskit-<kind>:v1:<base64url(bytes)>`; the buffer is wiped on drop because for keys it
/// holds the material.
pub(crate) fn format(kind: &str, bytes: &[u8]) -> Zeroizing<String> {
    let encoded = Zeroizing::new(URL_SAFE_NO_PAD.encode(bytes));
    // Sized up front so no reallocation leaves an unwiped copy behind.
    let mut out = Zeroizing::new(String::with_capacity(
        "opskit-".len() + kind.len() + 1 + VERSION.len() + 1 + encoded.len(),
    ));
    out.push_str("opskit-");
    out.push_str(kind);
    out.push(':');
    out.push_str(VERSION);
    out.push(':');
    out.push_str(&encoded);
    out
}

/// Parses the form written by [`format`] into exactly `N` bytes. Surrounding whitespace (a
/// trailing newline in a config file) is ignored. Errors are static reasons that never echo
/// the input.
pub(crate) fn parse<const N: usize>(
    kind: &str,
    text: &str,
) -> Result<Zeroizing<[u8; N]>, &'static str> {
    let text = text.trim();
    let rest = text
        .strip_prefix("opskit-")
        .and_then(|rest| rest.strip_prefix(kind))
        .and_then(|rest| rest.strip_prefix(':'))
        .ok_or("missing prefix")?;
    let (version, payload) = rest.split_once(':').ok_or("missing version")?;
    if version != VERSION {
        return Err("unsupported version");
    }
    // `decode` allocates its estimate up front, so no reallocation leaves an unwiped copy.
    let decoded = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| "invalid base64url")?,
    );
    if decoded.len() != N {
        return Err("wrong length");
    }
    let mut bytes = Zeroizing::new([0_u8; N]);
    bytes.copy_from_slice(&decoded);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = format("thing", &[1, 2, 3, 250]);
        assert_eq!(text.as_str(), "opskit-thing:v1:AQID-g");
        assert_eq!(
            *parse::<4>("thing", &text).expect("round trip"),
            [1, 2, 3, 250]
        );
        assert_eq!(
            *parse::<4>("thing", " opskit-thing:v1:AQID-g\n").expect("trimmed"),
            [1, 2, 3, 250]
        );
    }

    #[test]
    fn rejects_malformed() {
        assert_eq!(
            parse::<4>("thing", "opskit-other:v1:AQID-g"),
            Err("missing prefix")
        );
        assert_eq!(
            parse::<4>("thing", "opskit-thing:AQID-g"),
            Err("missing version")
        );
        assert_eq!(
            parse::<4>("thing", "opskit-thing:v2:AQID-g"),
            Err("unsupported version")
        );
        assert!(
            parse::<4>("thing", "opskit-thing:v1:AQID").is_err(),
            "too short"
        );
        assert!(
            parse::<4>("thing", "opskit-thing:v1:AQID-gA").is_err(),
            "too long"
        );
        assert!(
            parse::<4>("thing", "opskit-thing:v1:AQID+g").is_err(),
            "standard alphabet"
        );
        assert!(
            parse::<4>("thing", "opskit-thing:v1:AQID-g==").is_err(),
            "padding"
        );
        assert!(
            parse::<4>("thing", "opskit-thing:v1:AQID-h").is_err(),
            "non-canonical trailing bits"
        );
    }
}
