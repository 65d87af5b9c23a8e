//! Adding this client's certificate to the server's trust store.

use base64::Engine as _;
use reqwest::Method;
use serde_json::{Value, json};

use crate::client::Client;
use crate::error::Result;

impl Client {
    /// Whether the server trusts this client (`auth` of `GET /1.0`).
    pub async fn trusted(&self) -> Result<bool> {
        Ok(self.server().await?.get("auth").and_then(Value::as_str) == Some("trusted"))
    }

    /// Asks the server to trust this client's certificate, proving it with a trust password
    /// or a token from `lxc config trust add`. The secret is sent once and never kept.
    ///
    /// Servers with the `explicit_trust_token` extension get a token as `trust_token`; older
    /// ones (LXD 5.0) accept both kinds as `password`.
    pub async fn authenticate(&self, secret: &str) -> Result<()> {
        let mut body = json!({ "type": "client" });
        if looks_like_token(secret) && self.has_api_extension("explicit_trust_token").await? {
            body["trust_token"] = json!(secret);
        } else {
            body["password"] = json!(secret);
        }
        let url = self.url().certificates();
        let answer = self.call(Method::POST, &url, Some(&body), None).await?;
        self.complete(answer).await.map(drop)
    }
}

/// A trust token is base64 of a JSON object with a `secret` key.
fn looks_like_token(secret: &str) -> bool {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(secret.trim())
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(secret.trim()));
    decoded
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .is_some_and(|v| v.get("secret").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_told_from_passwords() {
        let token = base64::engine::general_purpose::STANDARD
            .encode(br#"{"client_name":"x","secret":"s"}"#);
        assert!(looks_like_token(&token));
        assert!(!looks_like_token("hunter2"));
        assert!(!looks_like_token(
            &base64::engine::general_purpose::STANDARD.encode(b"[1]")
        ));
    }
}
