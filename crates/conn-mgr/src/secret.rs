//! A secret string that never prints itself.

use std::fmt;
use zeroize::Zeroizing;

/// A password or other secret: `Debug` and `Display` print `***`, memory is wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a plaintext secret.
    pub fn new(plain: impl Into<String>) -> Self {
        Secret(Zeroizing::new(plain.into()))
    }

    /// The plaintext, for the code that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s)
    }
}
