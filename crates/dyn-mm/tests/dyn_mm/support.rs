//! A simulator per test and an MM session on it.

use std::time::Duration;

use dyn_mm::{DateRange, MMSession};
use dyn_sim::{DEFAULT_APIKEY, LoggedRequest, Simulator};
use session_core::{Endpoint, RetryPolicy};

/// The seeded account's approved sender.
pub(crate) const SENDER: &str = "sender@example.com";

pub(crate) async fn sim() -> Simulator {
    Simulator::start().await.expect("simulator starts")
}

pub(crate) fn endpoint(sim: &Simulator) -> Endpoint {
    Endpoint::http("127.0.0.1", sim.port())
}

/// A detached session with the seeded key, history on, quick retries.
pub(crate) async fn mm(sim: &Simulator) -> MMSession {
    mm_with_key(sim, DEFAULT_APIKEY).await
}

pub(crate) async fn mm_with_key(sim: &Simulator, apikey: &str) -> MMSession {
    MMSession::builder(apikey)
        .endpoint(endpoint(sim))
        .history(100)
        .retry(quick_retries())
        .connect_detached()
        .await
        .expect("session builds")
}

pub(crate) fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(4)
        .with_rate_limit_wait(Duration::from_millis(10), Duration::from_millis(50))
}

/// The MM requests the simulator received (API keys masked), oldest first.
pub(crate) fn mm_requests(sim: &Simulator) -> Vec<LoggedRequest> {
    sim.requests()
        .into_iter()
        .filter(|request| request.path.starts_with("/rest/"))
        .collect()
}

/// A range around now that covers everything the simulator records during a test.
pub(crate) fn around_now() -> DateRange {
    let now = std::time::SystemTime::now();
    DateRange::new(
        now - Duration::from_secs(86_400),
        now + Duration::from_secs(86_400),
    )
    .expect("valid range")
}

/// The decoded form pairs of a logged request (query and body).
pub(crate) fn pairs(request: &LoggedRequest) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for text in [request.query.as_deref().unwrap_or_default(), &request.body] {
        pairs.extend(
            url::form_urlencoded::parse(text.as_bytes())
                .map(|(name, value)| (name.into_owned(), value.into_owned())),
        );
    }
    pairs
}

pub(crate) fn values<'a>(pairs: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .collect()
}
