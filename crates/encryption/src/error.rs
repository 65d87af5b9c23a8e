//! The crate's error type.

use crate::KeyId;

/// Everything that can go wrong while generating, deriving, parsing, sealing or opening.
///
/// Messages never contain key material, plaintext or the text that failed to parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The value was sealed under another key; nothing was decrypted.
    #[error("wrong key: sealed with key {sealed_with}, opened with key {given}")]
    WrongKey {
        /// Identifier of the key the value was sealed with.
        sealed_with: KeyId,
        /// Identifier of the key that was offered.
        given: KeyId,
    },
    /// The key identifier matched but the authentication tag did not: the ciphertext, nonce,
    /// header or associated data was altered (or different associated data was given).
    #[error("authentication failed: data tampered or associated data differs")]
    Tampered,
    /// A printable key (`opskit-key:v1:…`) could not be parsed.
    #[error("malformed printable key: {reason}")]
    MalformedKey {
        /// What was wrong, without echoing the input.
        reason: &'static str,
    },
    /// A printable salt (`opskit-salt:v1:…`) could not be parsed.
    #[error("malformed printable salt: {reason}")]
    MalformedSalt {
        /// What was wrong, without echoing the input.
        reason: &'static str,
    },
    /// A sealed blob (see [`Sealed::from_bytes`](crate::Sealed::from_bytes)) could not be parsed.
    #[error("malformed sealed value: {reason}")]
    MalformedSealed {
        /// What was wrong.
        reason: &'static str,
    },
    /// The sealed value uses a format version this build does not know.
    #[error("unsupported sealed format version {0}")]
    UnsupportedVersion(u8),
    /// The opened plaintext is not UTF-8, so it cannot be returned as a string.
    #[error("opened secret is not valid utf-8")]
    NotUtf8,
    /// An empty passphrase was given to [`Key::from_passphrase`](crate::Key::from_passphrase).
    #[error("empty passphrase")]
    EmptyPassphrase,
    /// Argon2id refused the input (for example a passphrase longer than 4 GiB).
    #[error("key derivation failed")]
    KeyDerivation,
    /// The plaintext is longer than AES-GCM can seal under one nonce (64 GiB).
    #[error("plaintext too long to seal")]
    TooLong,
    /// The operating system's random number generator failed.
    #[error("os random number generator failed")]
    Random,
}

/// `Result` with this crate's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
