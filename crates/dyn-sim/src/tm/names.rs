//! Zone and node names: case-insensitive, stored lower-case without the trailing dot.

use super::envelope::{Failure, not_found};

/// Normalises a zone or FQDN as the API stores it.
pub(crate) fn norm(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// True when `fqdn` is `zone` or below it.
pub(crate) fn in_zone(fqdn: &str, zone: &str) -> bool {
    fqdn == zone
        || fqdn
            .strip_suffix(zone)
            .is_some_and(|head| head.ends_with('.'))
}

/// Checks that an FQDN belongs to the zone (`node: Not in zone` otherwise).
pub(crate) fn node_in_zone(fqdn: &str, zone: &str) -> Result<(), Failure> {
    if in_zone(fqdn, zone) {
        Ok(())
    } else {
        Err(not_found("node: Not in zone").and("detail: Host is not in this zone"))
    }
}

/// True when `host` is a syntactically valid host name (labels of letters, digits, `-`, `_`,
/// `*` as a whole first label; trailing dot allowed).
pub(crate) fn valid_hostname(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').enumerate().all(|(i, label)| {
            (label == "*" && i == 0)
                || (!label.is_empty()
                    && label.len() <= 63
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    && !label.starts_with('-')
                    && !label.ends_with('-'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_and_nest() {
        assert_eq!(norm("WWW.Example.COM."), "www.example.com");
        assert!(in_zone("a.b.example.com", "example.com"));
        assert!(in_zone("example.com", "example.com"));
        assert!(!in_zone("badexample.com", "example.com"));
        assert!(valid_hostname("mail.example.com."));
        assert!(valid_hostname("*.example.com"));
        assert!(!valid_hostname("bad..name"));
        assert!(!valid_hostname("sp ace.example.com"));
    }
}
