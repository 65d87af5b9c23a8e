//! TSIG keys (`/TSIGKey/<name>/`), with the secret kept out of `Debug`.

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::objects::Objects;
use crate::session::DynectSession;

/// A TSIG key.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TsigKey {
    /// The key name.
    pub name: String,
    /// The algorithm (`hmac-sha256`, …).
    pub algorithm: String,
    /// The base64 secret (never printed by `Debug`).
    pub secret: String,
}

impl std::fmt::Debug for TsigKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TsigKey")
            .field("name", &self.name)
            .field("algorithm", &self.algorithm)
            .field("secret", &session_core::MASK)
            .finish()
    }
}

impl TsigKey {
    fn from_value(data: &Value) -> Result<Self> {
        let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
        Ok(Self {
            name: text("name")
                .ok_or_else(|| Error::UnexpectedResponse("TSIG key without name".into()))?,
            algorithm: text("algorithm").unwrap_or_default(),
            secret: text("secret").unwrap_or_default(),
        })
    }
}

/// TSIG keys (`/TSIGKey/<name>/`).
#[derive(Debug, Clone)]
pub struct TsigKeys {
    raw: Objects,
}

impl TsigKeys {
    pub(super) fn new(session: &DynectSession) -> Self {
        Self {
            raw: Objects::new(session, "TSIGKey"),
        }
    }

    /// Every key.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list(&self) -> Result<Vec<TsigKey>> {
        self.raw
            .list()
            .await?
            .iter()
            .map(TsigKey::from_value)
            .collect()
    }

    /// One key.
    ///
    /// # Errors
    /// [`Error::Session`] (not found).
    pub async fn get(&self, name: &str) -> Result<TsigKey> {
        TsigKey::from_value(&self.raw.get(name).await?)
    }

    /// Creates a key.
    ///
    /// # Errors
    /// [`Error::Session`] (exists, invalid algorithm or secret).
    pub async fn create(&self, name: &str, algorithm: &str, secret: &str) -> Result<TsigKey> {
        TsigKey::from_value(
            &self
                .raw
                .create(
                    Some(name),
                    json!({"name": name, "algorithm": algorithm, "secret": secret}),
                )
                .await?,
        )
    }

    /// Changes the secret.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set_secret(&self, name: &str, secret: &str) -> Result<TsigKey> {
        TsigKey::from_value(
            &self
                .raw
                .update(name, json!({"name": name, "secret": secret}))
                .await?,
        )
    }

    /// Changes the algorithm.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set_algorithm(&self, name: &str, algorithm: &str) -> Result<TsigKey> {
        TsigKey::from_value(
            &self
                .raw
                .update(name, json!({"name": name, "algorithm": algorithm}))
                .await?,
        )
    }

    /// Deletes a key.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete(&self, name: &str) -> Result<()> {
        self.raw.delete(name).await
    }
}
