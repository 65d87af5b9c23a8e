//! Shared setup: a simulator per test and sessions with fast retry and job policies.

use std::time::Duration;

use dyn_sim::{DEFAULT_CUSTOMER, DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
use session_core::{Credentials, DynTm, Endpoint, JobPolicy, RetryPolicy, Session, SessionBuilder};

pub(crate) async fn simulator() -> Simulator {
    Simulator::start()
        .await
        .expect("simulator starts on a free port")
}

pub(crate) fn endpoint(sim: &Simulator) -> Endpoint {
    Endpoint::http("127.0.0.1", sim.port())
}

/// Waits of milliseconds instead of seconds, so retry tests stay fast.
pub(crate) fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(5)
        .with_deadline(Duration::from_secs(10))
        .with_rate_limit_wait(Duration::from_millis(10), Duration::from_millis(50))
        .with_blocked_wait(Duration::from_millis(10), Duration::from_millis(80))
}

pub(crate) fn fast_jobs() -> JobPolicy {
    JobPolicy::new(Duration::from_millis(20), Duration::from_secs(10))
}

pub(crate) fn builder_for(
    sim: &Simulator,
    customer: &str,
    user: &str,
    password: &str,
) -> SessionBuilder<DynTm> {
    let credentials = Credentials::new(customer, user, password).expect("credentials seal");
    Session::builder(DynTm, endpoint(sim), credentials)
        .retry(fast_retry())
        .jobs(fast_jobs())
        .connect_timeout(Duration::from_secs(2))
        .request_timeout(Duration::from_secs(5))
}

pub(crate) fn builder(sim: &Simulator) -> SessionBuilder<DynTm> {
    builder_for(sim, DEFAULT_CUSTOMER, DEFAULT_USER, DEFAULT_PASSWORD)
}

/// Requests the simulator received for `method path` (path compared exactly).
pub(crate) fn count(sim: &Simulator, method: &str, path: &str) -> usize {
    sim.requests_raw()
        .iter()
        .filter(|request| request.method == method && request.path == path)
        .count()
}
