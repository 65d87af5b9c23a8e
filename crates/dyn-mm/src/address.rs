//! Email address checks done before anything is sent: the service's own check is looser
//! (and dyn-python had none), so a bad address must never cost a request.

use crate::error::{Error, Result};

/// `true` when `text` is a plain address (`user@example.com`) this crate would send.
///
/// ```
/// assert!(dyn_mm::is_valid_address("first.last+tag@mail.example.org"));
/// assert!(!dyn_mm::is_valid_address("no-at-sign.example.org"));
/// assert!(!dyn_mm::is_valid_address("a@localhost"));
/// ```
pub fn is_valid_address(text: &str) -> bool {
    addr_spec(text).is_ok()
}

/// `true` when `text` is a plain address or a mailbox with a display name
/// (`"Ann Example" <ann@example.com>`), as `from`, `to`, `cc` and `bcc` accept.
///
/// ```
/// assert!(dyn_mm::is_valid_mailbox("Ann Example <ann@example.com>"));
/// assert!(!dyn_mm::is_valid_mailbox("Ann <ann@example.com"));
/// ```
pub fn is_valid_mailbox(text: &str) -> bool {
    mailbox(text).is_ok()
}

/// Checks a plain address argument.
pub(crate) fn check_address(field: &'static str, text: &str) -> Result<()> {
    addr_spec(text).map_err(|reason| invalid(field, reason, text))
}

/// Checks a mailbox argument (plain address or `Name <address>`).
pub(crate) fn check_mailbox(field: &'static str, text: &str) -> Result<()> {
    mailbox(text).map_err(|reason| invalid(field, reason, text))
}

/// `{"emailaddress": email}` after checking the address.
pub(crate) fn address_args(
    field: &'static str,
    email: &str,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    check_address(field, email)?;
    let mut args = serde_json::Map::new();
    args.insert("emailaddress".into(), serde_json::Value::from(email));
    Ok(args)
}

fn invalid(field: &'static str, reason: &'static str, text: &str) -> Error {
    Error::InvalidAddress {
        field,
        reason,
        address: text.to_owned(),
    }
}

fn mailbox(text: &str) -> Result<(), &'static str> {
    if text.chars().any(char::is_control) {
        // A CR or LF would let an address smuggle headers into the message.
        return Err("contains control characters");
    }
    let trimmed = text.trim();
    let Some(open) = trimmed.rfind('<') else {
        return addr_spec(trimmed);
    };
    let inner = trimmed[open + 1..]
        .strip_suffix('>')
        .ok_or("display-name form must end with '>'")?;
    let name = trimmed[..open].trim();
    if name.contains(['<', '>']) {
        return Err("display name contains '<' or '>'");
    }
    if name.matches('"').count() % 2 == 1 {
        return Err("display name has an unbalanced quote");
    }
    addr_spec(inner)
}

fn addr_spec(text: &str) -> Result<(), &'static str> {
    if text.is_empty() {
        return Err("is empty");
    }
    if !text.is_ascii() {
        return Err("contains non-ascii characters");
    }
    if text.len() > 254 {
        return Err("is longer than 254 characters");
    }
    let (local, domain) = text.rsplit_once('@').ok_or("has no '@'")?;
    check_local(local)?;
    check_domain(domain)
}

fn check_local(local: &str) -> Result<(), &'static str> {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-.";
    if local.is_empty() {
        return Err("has an empty local part");
    }
    if local.len() > 64 {
        return Err("has a local part longer than 64 characters");
    }
    if !local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || SPECIALS.contains(c))
    {
        return Err("has a character not allowed in a local part");
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("has a misplaced '.' in the local part");
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), &'static str> {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err("has no dot in the domain");
    }
    for label in &labels {
        if label.is_empty() || label.len() > 63 {
            return Err("has an empty or overlong domain label");
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return Err("has an invalid domain label");
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("has a numeric top-level domain");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses() {
        for good in [
            "a@example.com",
            "first.last+tag@sub.example.co.uk",
            "o'hara@example.ie",
            "x_y-z@e-x.org",
        ] {
            assert!(is_valid_address(good), "{good}");
        }
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@localhost",
            "a@.example.com",
            "a@example.com.",
            "a@-ex.com",
            ".a@example.com",
            "a..b@example.com",
            "a b@example.com",
            "a@192.168.0.1",
            "ü@example.com",
            "a@exa_mple.com",
            "a,b@example.com",
        ] {
            assert!(!is_valid_address(bad), "{bad:?}");
        }
        assert!(!is_valid_address(&format!(
            "{}@example.com",
            "a".repeat(65)
        )));
    }

    #[test]
    fn mailboxes() {
        assert!(is_valid_mailbox("Ann <ann@example.com>"));
        assert!(is_valid_mailbox("\"Example, Ann\" <ann@example.com>"));
        assert!(is_valid_mailbox("<ann@example.com>"));
        assert!(!is_valid_mailbox("Ann <ann@example.com"));
        assert!(!is_valid_mailbox("Ann <ann@example.com> trailing"));
        assert!(!is_valid_mailbox(
            "Ann\r\nBcc: x@evil.example <ann@example.com>"
        ));
        assert!(!is_valid_mailbox("ann@example.com\nBcc: x@evil.example"));
        assert!(!is_valid_mailbox("\"Ann <ann@example.com>"));
        let error = check_mailbox("to", "nope").unwrap_err();
        assert!(matches!(error, Error::InvalidAddress { field: "to", .. }));
        assert_eq!(error.to_string(), "invalid to address: has no '@'");
    }
}
