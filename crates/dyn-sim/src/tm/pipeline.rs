//! The life of one TM request: faults, delay, token, rate limit, job collision, routing,
//! job promotion, and the envelope with its HTTP status.

use std::time::Duration;

use super::args::Args;
use super::envelope::{self, Failure, Msg, TmResult, blocked, job_running, rate_limited};
use super::{Call, Sess, jobs, route, session};
use crate::fault::{Fault, take_matching};
use crate::http::{Incoming, Reply};
use crate::server::Shared;
use crate::world::World;

/// Serves one `/REST/...` request.
pub(crate) async fn handle(shared: &Shared, req: &Incoming) -> Reply {
    let segments = req.segments();
    let resource = segments.get(1).cloned().unwrap_or_default();
    let token = req.header("auth-token").map(str::to_owned);

    // Phase one, before any delay: take the faults and count the request in flight, so that
    // concurrent requests of one token can be detected while this one waits.
    let (job_id, faults, delay, refused, counted) = {
        let mut world = shared.lock();
        let job_id = world.ids.next_job();
        let faults = take_matching(&mut world.faults, &req.method, &req.path);
        let mut delay = world.options.response_delay;
        for fault in &faults {
            if let Fault::Delay { millis } = fault {
                delay = delay.saturating_add(Duration::from_millis(*millis));
            }
        }
        let reject = world.options.reject_concurrent_requests;
        let (mut refused, mut counted) = (false, false);
        if let Some(state) = token.as_deref().and_then(|t| world.sessions.get_mut(t)) {
            if reject && state.in_flight > 0 {
                refused = true;
            } else {
                state.in_flight += 1;
                counted = true;
            }
        }
        (job_id, faults, delay, refused, counted)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }

    let mut world = shared.lock();
    let reply = if refused {
        finish(&world, &Err(job_running()), job_id)
    } else {
        serve(
            &mut world,
            req,
            &resource,
            token.as_deref(),
            job_id,
            &faults,
            &segments,
        )
    };
    if counted && let Some(state) = token.as_deref().and_then(|t| world.sessions.get_mut(t)) {
        state.in_flight = state.in_flight.saturating_sub(1);
    }
    reply
}

fn serve(
    world: &mut World,
    req: &Incoming,
    resource: &str,
    token: Option<&str>,
    job_id: u64,
    faults: &[Fault],
    segments: &[String],
) -> Reply {
    let args = match Args::parse(req.query.as_deref(), &req.body) {
        Ok(args) => args,
        Err(failure) => return finish(world, &Err(failure), job_id),
    };
    let mut promotion = None;
    for fault in faults {
        let failure = match fault {
            Fault::RateLimit { retry_after_secs } => rate_limited(*retry_after_secs),
            Fault::Fail {
                http_status,
                err_cd,
                info,
            } => Failure::new(
                *http_status,
                vec![Msg::error(err_cd, "API-B", info.clone())],
            ),
            Fault::Raw { http_status, body } => return Reply::raw(*http_status, body.clone()),
            Fault::JobRunning => job_running(),
            Fault::BlockedByTask => {
                let customer = token
                    .and_then(|t| world.sessions.get(t))
                    .map(|s| s.customer.clone());
                let zone = segments
                    .get(2)
                    .map(|z| super::names::norm(z))
                    .unwrap_or_default();
                let id = world.start_task(
                    &customer.unwrap_or_default(),
                    &zone,
                    "ProvisionZone",
                    Some(Duration::ZERO),
                );
                blocked("ProvisionZone", id)
            }
            Fault::ExpireToken => {
                if let Some(t) = token {
                    world.sessions.remove(t);
                }
                continue;
            }
            Fault::Delay { .. } => continue,
            Fault::PromoteToJob {
                polls,
                after_millis,
                response,
            } => {
                promotion = Some(jobs::JobPlan {
                    polls: *polls,
                    after: Duration::from_millis(*after_millis),
                    response: *response,
                });
                continue;
            }
        };
        return finish(world, &Err(failure), job_id);
    }

    if let Some(version) = req.header("api-version")
        && !valid_version(version)
    {
        let failure = Failure::new(
            400,
            vec![Msg::error(
                "INVALID_VERSION",
                "API-A",
                "version: Invalid API version",
            )],
        );
        return finish(world, &Err(failure), job_id);
    }

    let is_login = resource.eq_ignore_ascii_case("session") && req.method == "POST";
    let sess = if is_login {
        None
    } else {
        match session::authenticate(world, token, req.peer.ip()) {
            Ok(sess) => Some(sess),
            Err(failure) => return finish(world, &Err(failure), job_id),
        }
    };
    let customer = sess
        .as_ref()
        .map(|s| s.customer.clone())
        .or_else(|| args.str("customer_name"));
    if let Some(customer) = customer
        && let Err(failure) = check_rate(world, &customer)
    {
        return finish(world, &Err(failure), job_id);
    }

    let is_job = resource.eq_ignore_ascii_case("job");
    if let Some(s) = &sess {
        let exempt = resource.eq_ignore_ascii_case("session") || is_job;
        if world.options.reject_while_job_running
            && !exempt
            && jobs::session_busy(world, &s.token, None)
        {
            return finish(world, &Err(job_running()), job_id);
        }
        if is_job && req.method == "GET" {
            let id = segments.get(2).and_then(|p| p.parse().ok());
            return jobs::poll(world, &s.token, id, job_id);
        }
    }

    let call = Call {
        method: req.method.clone(),
        resource: resource.to_owned(),
        parts: segments.iter().skip(2).cloned().collect(),
        args,
        session: sess.clone(),
        ip: req.peer.ip(),
    };
    let result = route(world, &call);
    if let (Some(plan), Some(Sess { token, .. })) = (promotion, &sess) {
        let http = http_status(world, &result);
        let body = envelope::body(&result, job_id);
        return jobs::promote(world, token, job_id, (http, body), plan);
    }
    finish(world, &result, job_id)
}

fn http_status(world: &World, result: &TmResult) -> u16 {
    match result {
        Ok(_) => 200,
        Err(_) if world.options.failures_as_200 => 200,
        Err(f) => f.http,
    }
}

fn finish(world: &World, result: &TmResult, job_id: u64) -> Reply {
    let reply = Reply::json(http_status(world, result), &envelope::body(result, job_id));
    match result {
        Err(Failure {
            retry_after: Some(secs),
            ..
        }) => reply.header("Retry-After", secs.to_string()),
        _ => reply,
    }
}

/// The per-customer token bucket of [`crate::Options::rate_limit`].
fn check_rate(world: &mut World, customer: &str) -> Result<(), Failure> {
    let Some(limit) = world.options.rate_limit else {
        return Ok(());
    };
    let now = world.clock.now();
    let Some(c) = world.customer_mut(customer) else {
        return Ok(());
    };
    let bucket = &mut c.bucket;
    if let Some(until) = bucket.locked_until {
        if now < until {
            let secs = (until - now).as_secs_f64().ceil();
            return Err(rate_limited(secs as u64));
        }
        bucket.locked_until = None;
        bucket.window_start = None;
    }
    if bucket
        .window_start
        .is_none_or(|start| now.saturating_duration_since(start) >= Duration::from_secs(60))
    {
        bucket.window_start = Some(now);
        bucket.count = 0;
    }
    bucket.count = bucket.count.saturating_add(1);
    if bucket.count > limit.requests_per_minute {
        bucket.locked_until = Some(now.checked_add(limit.lock).unwrap_or(now));
        return Err(rate_limited(limit.lock.as_secs_f64().ceil() as u64));
    }
    Ok(())
}

/// `current`, or a dotted version number such as `3.7.9`.
fn valid_version(version: &str) -> bool {
    let v = version.trim();
    v.eq_ignore_ascii_case("current")
        || (!v.is_empty()
            && v.split('.')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit())))
}
