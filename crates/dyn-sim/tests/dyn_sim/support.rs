//! A tiny raw client for the tests: JSON in, status + headers + JSON out.

use dyn_sim::{DEFAULT_CUSTOMER, DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// One answer of the simulator.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Value,
}

impl Answer {
    pub(crate) fn info(&self, i: usize) -> &str {
        self.body["msgs"][i]["INFO"].as_str().unwrap_or_default()
    }
    pub(crate) fn err_cd(&self) -> &str {
        self.body["msgs"][0]["ERR_CD"].as_str().unwrap_or_default()
    }
    pub(crate) fn status_text(&self) -> &str {
        self.body["status"].as_str().unwrap_or_default()
    }
    #[track_caller]
    pub(crate) fn assert_success(&self) -> &Value {
        assert_eq!(
            (self.status, self.status_text()),
            (200, "success"),
            "{:#}",
            self.body
        );
        &self.body["data"]
    }
    /// Every envelope carries the four members and complete messages.
    #[track_caller]
    pub(crate) fn assert_envelope(&self) {
        for key in ["status", "data", "job_id", "msgs"] {
            assert!(
                self.body.get(key).is_some(),
                "missing {key} in {:#}",
                self.body
            );
        }
        assert!(self.body["job_id"].is_u64());
        for msg in self.body["msgs"].as_array().expect("msgs is a list") {
            for key in ["INFO", "SOURCE", "ERR_CD", "LVL"] {
                assert!(msg.get(key).is_some(), "message without {key}: {msg}");
            }
        }
    }
}

/// A reqwest client builder that works in any feature combination of the workspace.
///
/// session-core and lxd-models build reqwest with `rustls-no-provider` and bring their own ring
/// configuration; when cargo unifies features, a plain `reqwest::Client::new()` then finds no
/// process-wide crypto provider and panics. Installing ring as the default first avoids that.
pub(crate) fn http() -> reqwest::ClientBuilder {
    // Err only means another test installed it already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// A raw TM client holding an optional token.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    pub(crate) token: Option<String>,
}

impl Raw {
    pub(crate) fn new(sim: &Simulator) -> Self {
        let http = http()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest client builds");
        Self {
            http,
            base: sim.base_url(),
            token: None,
        }
    }

    pub(crate) async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("valid method");
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.header("Auth-Token", token);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        let response = request.send().await.expect("simulator answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body is readable");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Answer {
            status,
            headers,
            body,
        }
    }

    pub(crate) async fn login_as(&mut self, customer: &str, user: &str, password: &str) -> Answer {
        let answer = self
            .call(
                "POST",
                "/REST/Session/",
                Some(json!({"customer_name": customer, "user_name": user, "password": password})),
            )
            .await;
        self.token = answer.body["data"]["token"].as_str().map(str::to_owned);
        answer
    }

    /// Logs in as the seeded default user and returns the client.
    pub(crate) async fn logged_in(sim: &Simulator) -> Self {
        let mut raw = Self::new(sim);
        raw.login_as(DEFAULT_CUSTOMER, DEFAULT_USER, DEFAULT_PASSWORD)
            .await
            .assert_success();
        raw
    }
}

pub(crate) async fn sim() -> Simulator {
    Simulator::start().await.expect("simulator starts")
}
