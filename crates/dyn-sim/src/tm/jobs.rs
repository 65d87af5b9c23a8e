//! Jobs: requests promoted to jobs (307 to `/REST/Job/<id>/` or 200 `incomplete`) and
//! `GET /REST/Job/<id>/` polling.

use std::time::Duration;

use serde_json::Value;

use super::envelope::{self, not_found};
use crate::JobResponse;
use crate::http::Reply;
use crate::world::{Job, World};

/// When a promoted request's job completes, and how it is answered meanwhile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JobPlan {
    pub(crate) polls: u32,
    pub(crate) after: Duration,
    pub(crate) response: Option<JobResponse>,
}

/// Stores a finished answer as a job and returns the "not done yet" answer.
pub(crate) fn promote(
    world: &mut World,
    token: &str,
    job_id: u64,
    (http_status, body): (u16, Value),
    plan: JobPlan,
) -> Reply {
    let JobPlan {
        polls,
        after,
        response,
    } = plan;
    let response = response.unwrap_or(world.options.job_response);
    world.jobs.insert(
        job_id,
        Job {
            token: token.to_owned(),
            http_status,
            body,
            polls_left: polls,
            ready_at: world.clock.later(after),
            response,
        },
    );
    running_reply(job_id, response)
}

fn running_reply(job_id: u64, response: JobResponse) -> Reply {
    let body = envelope::incomplete(job_id);
    match response {
        JobResponse::Redirect => {
            Reply::json(307, &body).header("Location", format!("/REST/Job/{job_id}/"))
        }
        JobResponse::Incomplete => Reply::json(200, &body),
    }
}

/// True when the session has a job that is still running (other than `except`).
pub(crate) fn session_busy(world: &World, token: &str, except: Option<u64>) -> bool {
    let now = world.clock.now();
    world
        .jobs
        .iter()
        .any(|(id, job)| Some(*id) != except && job.token == token && job.running(now))
}

/// `GET /REST/Job/<id>/`: still running, or the stored final answer. Jobs are visible only to
/// the session that owns them.
pub(crate) fn poll(world: &mut World, token: &str, id: Option<u64>, reply_job_id: u64) -> Reply {
    let now = world.clock.now();
    let Some(job) = id
        .and_then(|id| world.jobs.get_mut(&id))
        .filter(|j| j.token == token)
    else {
        let failure = not_found("job: No such job");
        return Reply::json(404, &envelope::body(&Err(failure), reply_job_id));
    };
    if job.polls_left > 0 {
        job.polls_left -= 1;
        return running_reply(id.unwrap_or_default(), job.response);
    }
    if now < job.ready_at {
        return running_reply(id.unwrap_or_default(), job.response);
    }
    Reply::json(job.http_status, &job.body)
}
