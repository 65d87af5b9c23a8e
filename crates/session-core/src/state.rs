//! [`SessionState`]: a session written out with serde and restored in another process.

use encryption::{Key, Sealed};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::credentials::{Credentials, secret_error};
use crate::error::{Error, Result};
use crate::options::{Endpoint, Options};
use crate::protocol::Protocol;
use crate::session::Session;
use crate::token::Token;

/// Everything needed to pick a session up again elsewhere: endpoint, identity, options, and
/// the password, token and proxy password sealed under the session's key.
///
/// Serializing it writes no plaintext secret and never the key; restoring needs the same key
/// ([`Credentials::key`]) — the seed's "store session objects in a database" use case, without
/// storing the key next to the ciphertext as dyn-python's pickles did.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionState {
    kind: String,
    endpoint: Endpoint,
    customer: Option<String>,
    user: Option<String>,
    password: Sealed,
    token: Option<Sealed>,
    proxy_password: Option<Sealed>,
    options: Options,
}

impl SessionState {
    /// The session kind it was written from (`"dyn-tm"`).
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The server.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The customer name.
    pub fn customer(&self) -> Option<&str> {
        self.customer.as_deref()
    }

    /// The user name.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// Whether a token was stored (a restored session then works without logging in).
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }
}

const PROXY_AAD: &[u8] = b"opskit-session/v1/proxy-password";

impl<P: Protocol> Session<P> {
    /// Captures the session for storage: secrets sealed under its key, nothing in plain text.
    ///
    /// # Errors
    /// [`Error::Secret`] when sealing fails (the OS random generator failed).
    pub fn to_state(&self) -> Result<SessionState> {
        let credentials = self.credentials();
        let key = credentials.key();
        let token = self
            .token()
            .map(|token| {
                Sealed::seal_with_aad(key, token.expose().as_bytes(), &credentials.token_aad())
                    .map_err(secret_error)
            })
            .transpose()?;
        let proxy_password = self
            .options()
            .proxy
            .as_ref()
            .and_then(|proxy| proxy.password.as_ref())
            .map(|password| {
                Sealed::seal_with_aad(key, password.as_bytes(), PROXY_AAD).map_err(secret_error)
            })
            .transpose()?;
        Ok(SessionState {
            kind: P::KIND.to_owned(),
            endpoint: self.endpoint().clone(),
            customer: credentials.customer().map(str::to_owned),
            user: credentials.user().map(str::to_owned),
            password: credentials.sealed_password().clone(),
            token,
            proxy_password,
            options: self.options().clone(),
        })
    }

    /// Rebuilds a session from `state` with `key`, without logging in when a token was
    /// stored, and makes it current like [`SessionBuilder::log_in`](crate::SessionBuilder::log_in).
    ///
    /// # Errors
    /// [`Error::WrongKind`] for another protocol's state, [`Error::Secret`] when `key` does
    /// not open the stored secrets, [`Error::Config`] as for a new session.
    pub fn restore(protocol: P, state: SessionState, key: Key) -> Result<Self> {
        let session = Self::restore_detached(protocol, state, key)?;
        session.make_current_or_warn();
        Ok(session)
    }

    /// [`Session::restore`] without making the session current.
    ///
    /// # Errors
    /// As [`Session::restore`].
    pub fn restore_detached(protocol: P, state: SessionState, key: Key) -> Result<Self> {
        if state.kind != P::KIND {
            return Err(Error::WrongKind {
                expected: P::KIND,
                found: state.kind,
            });
        }
        let credentials =
            Credentials::from_sealed(state.customer, state.user, state.password, key)?;
        let token = state
            .token
            .map(|sealed| {
                sealed
                    .open_string_with_aad(credentials.key(), &credentials.token_aad())
                    .map(|text| Token::new(text.as_str()))
                    .map_err(secret_error)
            })
            .transpose()?;
        let mut options = state.options;
        if let (Some(proxy), Some(sealed)) = (options.proxy.as_mut(), state.proxy_password) {
            let password = sealed
                .open_string_with_aad(credentials.key(), PROXY_AAD)
                .map_err(secret_error)?;
            proxy.password = Some(Zeroizing::new(password.as_str().to_owned()));
        }
        Self::from_parts(protocol, state.endpoint, credentials, options, token)
    }
}

/// Serializes as [`SessionState`] (secrets sealed, no key); read it back as a `SessionState`
/// and pass it to [`Session::restore`] with the key.
impl<P: Protocol> Serialize for Session<P> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_state()
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}
