//! One API call with the session's retry rules: throttling, blocking tasks, expired tokens.

use std::sync::PoisonError;
use std::time::{Duration, Instant};

use crate::envelope::{Outcome, Reply};
use crate::error::{ApiError, Error, Result, RetriesExhausted};
use crate::options::RetryPolicy;
use crate::protocol::{FailureKind, Protocol, Request};
use crate::session::Session;

/// Most blocking tasks remembered per session; older entries are dropped first.
const MAX_BLOCKED_TASKS: usize = 64;

/// What to do after a failed attempt.
enum Next {
    Wait(Duration),
    LogInAgain,
    GiveUp,
}

impl<P: Protocol> Session<P> {
    /// Sends `request` with the session's token, retrying and following jobs as configured.
    ///
    /// # Errors
    /// As [`Session::call`].
    pub async fn execute(&self, request: Request) -> Result<Reply> {
        let _turn = self.inner.gate.lock().await;
        let policy = self.options().retry.clone();
        let started = Instant::now();
        let mut attempts = 0_u32;
        let mut logged_in_again = false;
        let mut blocked_by = Vec::new();
        loop {
            attempts += 1;
            let token = self.token().ok_or(Error::NotLoggedIn)?;
            let engine = &self.inner.engine;
            let protocol = &self.inner.protocol;
            let api = match engine
                .exchange_once(protocol, &request, Some(&token))
                .await?
            {
                Outcome::Done(reply) => {
                    self.forget_blocks(&blocked_by);
                    return Ok(reply);
                }
                Outcome::Pending(pending) => {
                    let reply = engine.follow_job(protocol, pending, Some(&token)).await;
                    self.forget_blocks(&blocked_by);
                    return reply;
                }
                Outcome::Failed(api) => api,
            };
            let next = match api.kind() {
                FailureKind::RateLimited { retry_after } => Next::Wait(
                    retry_after
                        .unwrap_or(policy.rate_limit_wait)
                        .min(policy.max_rate_limit_wait),
                ),
                FailureKind::BlockedByTask { task_id } => {
                    blocked_by.push(task_id);
                    Next::Wait(self.next_blocked_wait(task_id, &policy))
                }
                FailureKind::TokenExpired if policy.relogin_on_expiry && !logged_in_again => {
                    Next::LogInAgain
                }
                _ => Next::GiveUp,
            };
            let exhausted = |api: ApiError| {
                Error::RetriesExhausted(RetriesExhausted {
                    attempts,
                    elapsed: started.elapsed(),
                    last: api,
                })
            };
            match next {
                Next::GiveUp => return Err(Error::Api(api)),
                _ if attempts >= policy.max_attempts => return Err(exhausted(api)),
                Next::LogInAgain => {
                    tracing::debug!(kind = P::KIND, "token expired; logging in again");
                    logged_in_again = true;
                    self.log_in_locked().await?;
                }
                Next::Wait(wait) => {
                    if started.elapsed() + wait > policy.deadline {
                        return Err(exhausted(api));
                    }
                    tracing::debug!(kind = P::KIND, failure = %api.kind(), wait_ms = wait.as_millis(), "retrying");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// The wait before retrying a call blocked by `task_id`: the policy's first wait, then
    /// `2 × previous + first` per repeat (1, 3, 7, 15, 31 s with the defaults), capped.
    fn next_blocked_wait(&self, task_id: Option<u64>, policy: &RetryPolicy) -> Duration {
        let mut waits = self
            .inner
            .blocked_waits
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let wait = waits
            .get(&task_id)
            .copied()
            .unwrap_or(policy.blocked_initial_wait)
            .min(policy.blocked_max_wait);
        if waits.len() >= MAX_BLOCKED_TASKS && !waits.contains_key(&task_id) {
            waits.clear();
        }
        waits.insert(
            task_id,
            (wait * 2 + policy.blocked_initial_wait).min(policy.blocked_max_wait),
        );
        wait
    }

    fn forget_blocks(&self, blocked_by: &[Option<u64>]) {
        if blocked_by.is_empty() {
            return;
        }
        let mut waits = self
            .inner
            .blocked_waits
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for task in blocked_by {
            waits.remove(task);
        }
    }
}
