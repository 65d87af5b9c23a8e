//! The credential a protocol attaches to each request, kept out of `Debug` and logs.

use std::fmt;

use zeroize::Zeroizing;

/// A session token (TM's `Auth-Token`) or API key (MM's `apikey`).
///
/// `Debug` prints `Token(***)`; the text is wiped from memory when the token is dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Zeroizing<String>);

impl Token {
    /// Wraps the credential text.
    pub fn new(text: impl Into<String>) -> Self {
        Self(Zeroizing::new(text.into()))
    }

    /// The credential text, for putting it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}
