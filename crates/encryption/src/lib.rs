//! Secrets sealed in memory and at rest: AES-256-GCM, keys from the OS RNG or from
//! passphrases (Argon2id), and types that never print or serialize a plaintext.
//!
//! This is the Rust counterpart of dyn-python's `dyn.encrypt`, which kept passwords under
//! unauthenticated AES-CBC with an unsalted SHA-256 key (and fell back to plain text when its
//! crypto library was missing). Here:
//!
//! - [`Key`]: 256 bits from the OS ([`Key::generate`]) or derived from a passphrase and a
//!   stored [`Salt`] ([`Key::from_passphrase`]); a printable form `opskit-key:v1:…` for config
//!   files ([`Key::to_printable`], [`str::parse`]); a non-secret [`KeyId`]; wiped on drop.
//! - [`Sealed`]: AES-256-GCM ciphertext with a fresh random 96-bit nonce per seal and optional
//!   associated data; opened on demand into wiped-on-drop buffers; a wrong key or any altered
//!   byte is an [`Error`], never garbage. Serde writes version, key id, nonce and ciphertext.
//! - [`Secret`]: a password held under a key generated for this process, re-sealable under a
//!   key of your own for storage.
//!
//! `Debug` and `Display` of keys print only the key id, of sealed values and secrets a mask.
//! The crate does no I/O and needs no async runtime.
//!
//! # Example
//!
//! Seal a password under a key from a config file, store it, load it back, open it:
//!
//! ```
//! use encryption::{Key, Sealed};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Once, at setup: generate a key and keep its printable form somewhere safe.
//! let printable = Key::generate()?.to_printable();
//!
//! // Later: load the key and seal the password, binding it to the account it belongs to.
//! let key: Key = printable.parse()?;
//! let sealed = Sealed::seal_with_aad(&key, b"hunter2", b"account/alice")?;
//! assert_eq!(sealed.to_string(), "***");
//!
//! // Store it: only version, key id, nonce and ciphertext are written.
//! let stored = serde_json::to_string(&sealed)?;
//! assert!(!stored.contains("hunter2"));
//!
//! // Restore and open it on demand; the buffer is wiped when dropped.
//! let restored: Sealed = serde_json::from_str(&stored)?;
//! let password = restored.open_string_with_aad(&key, b"account/alice")?;
//! assert_eq!(password.as_str(), "hunter2");
//!
//! // Another key is refused before any decryption is tried.
//! let other = Key::generate()?;
//! assert!(matches!(
//!     restored.open_with_aad(&other, b"account/alice"),
//!     Err(encryption::Error::WrongKey { .. })
//! ));
//! # Ok(())
//! # }
//! ```
//!
//! A password kept encrypted in memory, and moved to a passphrase-derived key for storage:
//!
//! ```
//! use encryption::{Key, Salt, Secret};
//!
//! # fn main() -> Result<(), encryption::Error> {
//! let password = Secret::new("hunter2")?;
//! assert_eq!(format!("{password:?}"), "Secret(***)");
//! assert_eq!(password.expose().as_str(), "hunter2");
//!
//! let salt = Salt::generate()?; // not secret: store it next to the sealed value
//! let key = Key::from_passphrase("a long passphrase", &salt)?;
//! let sealed = password.seal_for(&key)?;
//! let again = Secret::from_sealed(&sealed, &Key::from_passphrase("a long passphrase", &salt)?)?;
//! assert_eq!(again.expose().as_str(), "hunter2");
//! # Ok(())
//! # }
//! ```

mod cipher;
mod error;
mod key;
mod key_id;
mod passphrase;
mod printable;
mod random;
mod sealed;
mod sealed_serde;
mod secret;

pub use error::{Error, Result};
pub use key::Key;
pub use key_id::KeyId;
pub use passphrase::Salt;
pub use sealed::Sealed;
pub use secret::Secret;
