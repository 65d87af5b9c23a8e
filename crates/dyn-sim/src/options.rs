//! Switches for behaviours of the real service that are unknown or that tests want to change.
//!
//! Defaults marked "assumed" in the field docs are design choices (spec §7.6), not observed facts.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How a request promoted to a job is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum JobResponse {
    /// `307` with `Location: /REST/Job/<id>/` and an `incomplete` body (documented form).
    #[default]
    Redirect,
    /// `200` with `{"status": "incomplete", "job_id": <id>}` (form seen by Denominator).
    Incomplete,
}

/// A per-customer token bucket, as the real service enforced (300 requests a minute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    /// Requests allowed per minute and customer, cumulative across its users.
    pub requests_per_minute: u32,
    /// How long every request of the customer is refused once the bucket is empty.
    #[serde(with = "millis")]
    pub lock: Duration,
}

/// Behaviour switches of a running simulator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Options {
    /// A session unused for this long is expired (assumed: 3600 s).
    #[serde(with = "millis")]
    pub session_idle_timeout: Duration,
    /// Reads by the session that made pending changes see them (assumed: on).
    pub pending_visible_to_owner: bool,
    /// Record id 0 never resolves; off means id 0 finds the session's only pending record of
    /// that type at that node, which dyn-python's getters need (assumed: lenient).
    pub strict_record_id_zero: bool,
    /// Answer every failure with HTTP 200 (for legacy clients that read only the envelope).
    pub failures_as_200: bool,
    /// Publishing a published zone with no pending changes of the session fails
    /// (assumed: on; a new zone counts as a change).
    pub publish_requires_changes: bool,
    /// How job promotion is answered.
    pub job_response: JobResponse,
    /// Refuse a request while another request of the same token is being served.
    pub reject_concurrent_requests: bool,
    /// Refuse requests of a session while one of its jobs runs (real behaviour).
    pub reject_while_job_running: bool,
    /// Refuse a token used from another client IP than the one that logged in.
    pub bind_session_to_ip: bool,
    /// Enforce a per-customer rate limit (off by default).
    pub rate_limit: Option<RateLimit>,
    /// Publishing starts a task that blocks writes to the zone for this long (off by default).
    #[serde(with = "opt_millis")]
    pub publish_blocks_for: Option<Duration>,
    /// Every request waits this long before it is processed.
    #[serde(with = "millis")]
    pub response_delay: Duration,
    /// Tokens are `tok-<n>` instead of 172 random characters, for diffable transcripts.
    pub deterministic_tokens: bool,
    /// Rows per page of MM list and report calls (the real API used 500).
    pub mm_page_size: usize,
    /// Most requests kept in the request log; the oldest half is dropped when it is full
    /// (0 keeps none, for long benchmark runs).
    pub request_log_limit: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            session_idle_timeout: Duration::from_secs(3600),
            pending_visible_to_owner: true,
            strict_record_id_zero: false,
            failures_as_200: false,
            publish_requires_changes: true,
            job_response: JobResponse::Redirect,
            reject_concurrent_requests: false,
            reject_while_job_running: true,
            bind_session_to_ip: false,
            rate_limit: None,
            publish_blocks_for: None,
            response_delay: Duration::ZERO,
            deterministic_tokens: false,
            mm_page_size: 500,
            request_log_limit: 100_000,
        }
    }
}

pub(crate) mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

pub(crate) mod opt_millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Duration>, D::Error> {
        Option::<u64>::deserialize(d).map(|o| o.map(Duration::from_millis))
    }
}
