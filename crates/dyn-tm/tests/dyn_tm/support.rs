//! Shared setup: a simulator per test and sessions with fast retry and job policies.

use std::time::Duration;

use dyn_sim::{DEFAULT_CUSTOMER, DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
use dyn_tm::zones::SerialStyle;
use dyn_tm::{DynectSession, DynectSessionBuilder, Zone};
use session_core::{Endpoint, JobPolicy, RetryPolicy};

pub(crate) async fn simulator() -> Simulator {
    Simulator::start()
        .await
        .expect("simulator starts on a free port")
}

pub(crate) fn builder_for(sim: &Simulator, user: &str, password: &str) -> DynectSessionBuilder {
    DynectSession::builder(DEFAULT_CUSTOMER, user, password)
        .endpoint(Endpoint::http("127.0.0.1", sim.port()))
        .retry(
            RetryPolicy::default()
                .with_max_attempts(5)
                .with_deadline(Duration::from_secs(10))
                .with_rate_limit_wait(Duration::from_millis(10), Duration::from_millis(50))
                .with_blocked_wait(Duration::from_millis(10), Duration::from_millis(80)),
        )
        .jobs(JobPolicy::new(
            Duration::from_millis(20),
            Duration::from_secs(10),
        ))
        .request_timeout(Duration::from_secs(5))
}

pub(crate) fn builder(sim: &Simulator) -> DynectSessionBuilder {
    builder_for(sim, DEFAULT_USER, DEFAULT_PASSWORD)
}

/// A detached session (not current anywhere).
pub(crate) async fn session(sim: &Simulator) -> DynectSession {
    builder(sim).log_in_detached().await.unwrap()
}

pub(crate) async fn zone(session: &DynectSession, name: &str) -> Zone {
    session
        .zones()
        .create(
            name,
            &format!("hostmaster@{name}"),
            3600,
            SerialStyle::Increment,
        )
        .await
        .unwrap()
}
