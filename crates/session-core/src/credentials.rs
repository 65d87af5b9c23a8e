//! Log-in credentials: the password (or API key) sealed with AES-256-GCM from the moment it is
//! handed over, opened only for the instant a log-in request is built.

use std::fmt;

use encryption::{Key, Sealed};
use zeroize::Zeroizing;

use crate::error::{Error, Result, SecretError};

/// Who a session logs in as: customer and user names, and the password (or API key) sealed
/// under a [`Key`].
///
/// The key is yours ([`Credentials::with_key`]) or generated for these credentials
/// ([`Credentials::new`]); either way it never leaves memory unless you export it with
/// [`Key::to_printable`]. The sealed password is bound to the customer and user names, so it
/// cannot be replayed for another account. `Debug` never shows the password.
#[derive(Clone)]
pub struct Credentials {
    customer: Option<String>,
    user: Option<String>,
    password: Sealed,
    key: Key,
}

impl Credentials {
    /// Customer, user and password, sealed under a freshly generated key.
    ///
    /// # Errors
    /// [`Error::Secret`] when the OS random generator fails.
    pub fn new(
        customer: impl Into<String>,
        user: impl Into<String>,
        password: &str,
    ) -> Result<Self> {
        Self::with_key(customer, user, password, generate_key()?)
    }

    /// Customer, user and password, sealed under `key` (so a serialized session can be
    /// restored by whoever holds the same key).
    ///
    /// # Errors
    /// [`Error::Secret`] when the OS random generator fails.
    pub fn with_key(
        customer: impl Into<String>,
        user: impl Into<String>,
        password: &str,
        key: Key,
    ) -> Result<Self> {
        Self::seal(Some(customer.into()), Some(user.into()), password, key)
    }

    /// An API key alone (Message Management), sealed under a freshly generated key.
    ///
    /// # Errors
    /// [`Error::Secret`] when the OS random generator fails.
    pub fn api_key(api_key: &str) -> Result<Self> {
        Self::api_key_with_key(api_key, generate_key()?)
    }

    /// An API key alone, sealed under `key`.
    ///
    /// # Errors
    /// [`Error::Secret`] when the OS random generator fails.
    pub fn api_key_with_key(api_key: &str, key: Key) -> Result<Self> {
        Self::seal(None, None, api_key, key)
    }

    fn seal(
        customer: Option<String>,
        user: Option<String>,
        password: &str,
        key: Key,
    ) -> Result<Self> {
        let aad = password_aad(customer.as_deref(), user.as_deref());
        let password =
            Sealed::seal_with_aad(&key, password.as_bytes(), &aad).map_err(secret_error)?;
        Ok(Self {
            customer,
            user,
            password,
            key,
        })
    }

    /// Rebuilds credentials from a stored sealed password; fails unless `key` opens it.
    pub(crate) fn from_sealed(
        customer: Option<String>,
        user: Option<String>,
        password: Sealed,
        key: Key,
    ) -> Result<Self> {
        let credentials = Self {
            customer,
            user,
            password,
            key,
        };
        credentials.open()?;
        Ok(credentials)
    }

    /// The customer name, if the API has customers.
    pub fn customer(&self) -> Option<&str> {
        self.customer.as_deref()
    }

    /// The user name, if the API has users.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The key the password is sealed under. Treat it as secret: whoever holds it and a
    /// serialized session can log in.
    pub fn key(&self) -> &Key {
        &self.key
    }

    pub(crate) fn sealed_password(&self) -> &Sealed {
        &self.password
    }

    /// Opens the password for one log-in.
    pub(crate) fn open(&self) -> Result<Login<'_>> {
        let aad = password_aad(self.customer.as_deref(), self.user.as_deref());
        let secret = self
            .password
            .open_string_with_aad(&self.key, &aad)
            .map_err(secret_error)?;
        Ok(Login {
            customer: self.customer.as_deref(),
            user: self.user.as_deref(),
            secret,
        })
    }

    /// Associated data binding a sealed token to this identity.
    pub(crate) fn token_aad(&self) -> Vec<u8> {
        identity_aad("token", self.customer.as_deref(), self.user.as_deref())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("customer", &self.customer)
            .field("user", &self.user)
            .field("password", &"***")
            .field("key", &self.key.id())
            .finish()
    }
}

/// The opened credentials of one log-in; the secret is wiped when this is dropped.
pub struct Login<'a> {
    customer: Option<&'a str>,
    user: Option<&'a str>,
    secret: Zeroizing<String>,
}

impl Login<'_> {
    /// The customer name.
    pub fn customer(&self) -> Option<&str> {
        self.customer
    }

    /// The user name.
    pub fn user(&self) -> Option<&str> {
        self.user
    }

    /// The password or API key in plain text.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for Login<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Login")
            .field("customer", &self.customer)
            .field("user", &self.user)
            .field("secret", &"***")
            .finish()
    }
}

/// A new random key for sealing credentials.
///
/// # Errors
/// [`Error::Secret`] when the OS random generator fails.
pub fn generate_key() -> Result<Key> {
    Key::generate().map_err(secret_error)
}

pub(crate) fn secret_error(error: encryption::Error) -> Error {
    Error::Secret(SecretError::new(error))
}

fn password_aad(customer: Option<&str>, user: Option<&str>) -> Vec<u8> {
    identity_aad("password", customer, user)
}

fn identity_aad(what: &str, customer: Option<&str>, user: Option<&str>) -> Vec<u8> {
    // Lengths first, so ("a/b", "c") and ("a", "b/c") can never produce the same bytes.
    let customer = customer.unwrap_or_default();
    let user = user.unwrap_or_default();
    format!(
        "opskit-session/v1/{what}/{}:{customer}/{}:{user}",
        customer.len(),
        user.len()
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_sealed_bound_and_masked() {
        let credentials = Credentials::new("acme", "alice", "s3cret").unwrap();
        assert_eq!(credentials.open().unwrap().secret(), "s3cret");
        let debug = format!("{credentials:?}");
        assert!(!debug.contains("s3cret"), "{debug}");

        // The sealed password cannot be moved to another identity.
        let moved = Credentials::from_sealed(
            Some("acme".to_owned()),
            Some("mallory".to_owned()),
            credentials.sealed_password().clone(),
            credentials.key().clone(),
        );
        assert!(matches!(moved, Err(Error::Secret(_))));
    }

    #[test]
    fn restoring_needs_the_same_key() {
        let key = generate_key().unwrap();
        let credentials = Credentials::with_key("acme", "alice", "s3cret", key.clone()).unwrap();
        let sealed = credentials.sealed_password().clone();
        let restored = Credentials::from_sealed(
            Some("acme".into()),
            Some("alice".into()),
            sealed.clone(),
            key,
        )
        .unwrap();
        assert_eq!(restored.open().unwrap().secret(), "s3cret");
        let other = generate_key().unwrap();
        assert!(
            Credentials::from_sealed(Some("acme".into()), Some("alice".into()), sealed, other)
                .is_err()
        );
    }
}
