//! Node names: relative (`www`), apex (`@`, empty) or fully qualified, with or without the
//! trailing dot, all resolved to the FQDN form the API answers with.

/// The FQDN of `node` in `zone`: `www` → `www.example.com`, `@` or `` → `example.com`;
/// names already inside the zone are kept; the trailing dot is dropped.
pub(crate) fn qualify(zone: &str, node: &str) -> String {
    let zone = zone.trim_end_matches('.').to_ascii_lowercase();
    let node = node.trim().trim_end_matches('.').to_ascii_lowercase();
    if node.is_empty() || node == "@" {
        return zone;
    }
    if node == zone || node.ends_with(&format!(".{zone}")) {
        node
    } else {
        format!("{node}.{zone}")
    }
}

/// A path segment: characters that would end or confuse a path are refused by the caller,
/// the rest is sent as is (DNS names are path-safe).
pub(crate) fn segment(value: &str) -> crate::Result<&str> {
    let bad = value.is_empty()
        || value
            .chars()
            .any(|c| matches!(c, '/' | '?' | '#' | '%') || c.is_whitespace() || c.is_control());
    if bad {
        Err(crate::Error::InvalidArgument(
            "names must be non-empty and free of '/', '?', '#', '%' and spaces",
        ))
    } else {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_relative_apex_and_absolute() {
        assert_eq!(qualify("example.com", "www"), "www.example.com");
        assert_eq!(qualify("example.com.", "@"), "example.com");
        assert_eq!(qualify("example.com", ""), "example.com");
        assert_eq!(
            qualify("example.com", "WWW.Example.com."),
            "www.example.com"
        );
        assert_eq!(
            qualify("example.com", "notexample.com"),
            "notexample.com.example.com"
        );
        assert!(segment("a/b").is_err());
        assert!(segment("www.example.com").is_ok());
    }
}
