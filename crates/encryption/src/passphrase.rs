//! Keys derived from passphrases with Argon2id, and the salt stored next to them.

use std::fmt;
use std::str::FromStr;

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::key::KEY_LEN;
use crate::{Error, Key, Result, printable, random};

/// Length of a [`Salt`] in bytes.
const SALT_LEN: usize = 16;

/// The `kind` part of the printable form `opskit-salt:v1:…`.
const PRINTABLE_KIND: &str = "salt";

/// Argon2id memory cost in KiB (19 MiB), time cost and parallelism: OWASP's first recommended
/// configuration. They are fixed for salts of printable version `v1`, so a stored salt always
/// re-derives the same key; stronger parameters would come with a new salt version.
const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
/// Argon2id passes over memory.
const ARGON2_ITERATIONS: u32 = 2;
/// Argon2id lanes.
const ARGON2_PARALLELISM: u32 = 1;

/// A random 128-bit salt for [`Key::from_passphrase`].
///
/// Not secret: store it next to whatever the derived key protects (for example in the same
/// config file as the [`Sealed`](crate::Sealed) password). Its printable form is
/// `opskit-salt:v1:<base64url>`, written by `Display` and serde, read by `FromStr` and serde.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Salt([u8; SALT_LEN]);

impl Salt {
    /// A fresh salt from the operating system's random number generator.
    ///
    /// # Errors
    /// [`Error::Random`] if the OS generator fails.
    pub fn generate() -> Result<Self> {
        let mut bytes = [0_u8; SALT_LEN];
        random::fill(&mut bytes)?;
        Ok(Self(bytes))
    }
}

impl Key {
    /// Derives a key from a passphrase with Argon2id (version 0x13, 19 MiB, 2 iterations,
    /// 1 lane, 32-byte output) and the given salt. The same passphrase and salt always give
    /// the same key; a different salt gives an unrelated key. Takes tens of milliseconds by
    /// design: that is what makes guessing passphrases offline expensive.
    ///
    /// # Errors
    /// [`Error::EmptyPassphrase`] for `""`; [`Error::KeyDerivation`] if Argon2 rejects the input
    /// (a passphrase over 4 GiB).
    pub fn from_passphrase(passphrase: &str, salt: &Salt) -> Result<Self> {
        if passphrase.is_empty() {
            return Err(Error::EmptyPassphrase);
        }
        let params = Params::new(
            ARGON2_MEMORY_KIB,
            ARGON2_ITERATIONS,
            ARGON2_PARALLELISM,
            Some(KEY_LEN),
        )
        .map_err(|_| Error::KeyDerivation)?;
        let mut material = Box::new(Zeroizing::new([0_u8; KEY_LEN]));
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &salt.0, material.as_mut_slice())
            .map_err(|_| Error::KeyDerivation)?;
        Ok(Key::from_material(material))
    }
}

impl fmt::Display for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&printable::format(PRINTABLE_KIND, &self.0))
    }
}

impl fmt::Debug for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Salt({self})")
    }
}

impl FromStr for Salt {
    type Err = Error;

    /// Parses the form written by `Display`; surrounding whitespace is ignored.
    fn from_str(text: &str) -> Result<Self> {
        let bytes = printable::parse::<SALT_LEN>(PRINTABLE_KIND, text)
            .map_err(|reason| Error::MalformedSalt { reason })?;
        Ok(Self(*bytes))
    }
}

impl serde::Serialize for Salt {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Salt {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the derivation (algorithm, version, parameters, output length): if any of them
    /// changed, keys derived from stored salts would silently stop opening old values. The
    /// expected bytes come from the Argon2 reference C implementation (Debian's libargon2,
    /// `argon2id_hash_raw(t=2, m=19456, p=1, pwd, salt, 32)`), not from the crate under test.
    #[test]
    fn derivation_matches_reference_implementation() {
        let salt = Salt([0x5a; SALT_LEN]);
        let key = Key::from_passphrase("correct horse battery staple", &salt).expect("derive");
        assert_eq!(
            hex::encode(key.material()),
            "27e243dea797c62dfcb35d571c67988e6567ded1f467720dc9255193d984b018"
        );
    }

    #[test]
    fn empty_passphrase_is_refused() {
        let salt = Salt([1; SALT_LEN]);
        assert_eq!(
            Key::from_passphrase("", &salt).err(),
            Some(Error::EmptyPassphrase)
        );
    }
}
