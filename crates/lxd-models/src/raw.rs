//! Raw API access for anything the models do not cover.

use bytes::Bytes;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Client;
use crate::envelope::Envelope;
use crate::error::{Error, Result};
use crate::url::ApiUrl;

/// Raw requests on a client: any method, any [`ApiUrl`], the answer as it came.
#[derive(Debug, Clone)]
pub struct Raw {
    client: Client,
}

/// One raw answer: status, headers, ETag and body; errors are not turned into `Err`.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers (lowercase names).
    pub headers: Vec<(String, String)>,
    /// The `ETag` header, if any.
    pub etag: Option<String>,
    /// The body.
    pub body: Bytes,
}

impl RawResponse {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as an LXD envelope, if it is one.
    pub fn envelope(&self) -> Option<Envelope> {
        Envelope::decode(self.status, &self.body)
    }

    /// The body as JSON of type `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| Error::Protocol(format!("raw body: {e}")))
    }
}

impl Client {
    /// Raw API access: `client.raw().get(&client.url().segment("resources"))`.
    pub fn raw(&self) -> Raw {
        Raw {
            client: self.clone(),
        }
    }
}

impl Raw {
    /// Sends `method` to `url` with an optional JSON body.
    pub async fn request(
        &self,
        method: Method,
        url: &ApiUrl,
        body: Option<&Value>,
    ) -> Result<RawResponse> {
        let mut request = self.client.request(method, url);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let etag = headers
            .iter()
            .find(|(k, _)| k == "etag")
            .map(|(_, v)| v.clone());
        let body = response.bytes().await?;
        Ok(RawResponse {
            status,
            headers,
            etag,
            body,
        })
    }

    /// `GET`.
    pub async fn get(&self, url: &ApiUrl) -> Result<RawResponse> {
        self.request(Method::GET, url, None).await
    }
    /// `PUT` with a JSON body.
    pub async fn put(&self, url: &ApiUrl, body: &Value) -> Result<RawResponse> {
        self.request(Method::PUT, url, Some(body)).await
    }
    /// `PATCH` with a JSON body.
    pub async fn patch(&self, url: &ApiUrl, body: &Value) -> Result<RawResponse> {
        self.request(Method::PATCH, url, Some(body)).await
    }
    /// `POST` with a JSON body.
    pub async fn post(&self, url: &ApiUrl, body: &Value) -> Result<RawResponse> {
        self.request(Method::POST, url, Some(body)).await
    }
    /// `DELETE`.
    pub async fn delete(&self, url: &ApiUrl) -> Result<RawResponse> {
        self.request(Method::DELETE, url, None).await
    }

    /// Waits for the operation of an `async` answer (no-op for `sync`) and returns the final
    /// metadata; error answers become typed errors.
    pub async fn finish(&self, response: &RawResponse) -> Result<Value> {
        match response.envelope() {
            Some(Envelope::Sync { metadata }) => Ok(metadata),
            Some(Envelope::Async { operation, .. }) => {
                self.client.wait_operation(&operation, None).await
            }
            Some(Envelope::Error { code, message }) => {
                Err(Error::from_api(code, "raw", "", message))
            }
            None => Err(Error::Protocol(format!(
                "raw answer (http {}) is not an lxd envelope",
                response.status
            ))),
        }
    }
}
