//! The unmodified Python `dyn` 1.8.6 SDK against the simulator.

use dyn_sim::Simulator;

use crate::python::script;

async fn sim() -> Simulator {
    Simulator::start().await.expect("simulator starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zones_and_records_round_trip_through_the_python_sdk() {
    let sim = sim().await;
    script(&sim, "tm_zones.py").await;
    let log = sim.requests();
    let login = &log[0];
    assert_eq!(
        (login.method.as_str(), login.path.as_str()),
        ("POST", "/REST/Session/")
    );
    assert_eq!(login.header("user-agent"), Some("dyn-py v1.8.6"));
    assert_eq!(login.header("api-version"), Some("current"));
    let list = log
        .iter()
        .find(|e| e.method == "GET" && e.path == "/REST/Zone/")
        .expect("the SDK listed zones");
    assert_eq!(list.json_body(), Some(serde_json::json!({"detail": "Y"})));
    assert!(log.iter().all(|e| e.status != 500));
    assert_eq!(sim.session_count(), 0, "the script logged out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_accounts_and_reports_through_the_python_sdk() {
    let sim = sim().await;
    script(&sim, "tm_services.py").await;
    let log = sim.requests_raw();
    let tsig = log
        .iter()
        .find(|e| e.method == "POST" && e.path == "/REST/TSIGKey/k1/")
        .expect("TSIG created");
    assert_eq!(
        tsig.json_body().map(|b| b["algorithm"].clone()),
        Some(serde_json::json!("hmac-sha256"))
    );
    assert!(log.iter().all(|e| e.status < 500), "no server errors");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_survives_jobs_blocked_tasks_and_rate_limits() {
    use dyn_sim::{Fault, FaultRule, RequestMatch};

    let sim = sim().await;
    sim.blocked_next(1, RequestMatch::new("POST", "/REST/ARecord/"));
    sim.add_fault(FaultRule::next(
        1,
        RequestMatch::new("POST", "/REST/TXTRecord/"),
        Fault::RateLimit {
            retry_after_secs: 5,
        },
    ));
    sim.promote_next_to_job(1, RequestMatch::new("PUT", "/REST/Zone/"), 1);
    script(&sim, "tm_faults.py").await;

    let log = sim.requests_raw();
    let statuses: Vec<(u16, &str)> = log.iter().map(|e| (e.status, e.path.as_str())).collect();
    assert!(
        statuses
            .iter()
            .any(|(s, p)| *s == 307 && p.starts_with("/REST/Zone/")),
        "{statuses:?}"
    );
    let polls: Vec<_> = log
        .iter()
        .filter(|e| e.path.starts_with("/REST/Job/"))
        .collect();
    assert_eq!(
        polls.len(),
        2,
        "one poll still running, one with the result"
    );
    assert_eq!(polls[0].status, 307);
    assert_eq!(polls[1].status, 200);
    assert_eq!(polls[0].header("content-length"), Some("0"));
    assert!(
        polls[0].header("auth-token").is_some(),
        "the SDK polls with its token"
    );
    assert!(statuses.contains(&(429, "/REST/TXTRecord/jobs.example/txt.jobs.example./")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn message_management_reads_through_the_python_sdk() {
    use dyn_sim::{DEFAULT_APIKEY, MmEvent};

    let sim = sim().await;
    let http = crate::support::http()
        .build()
        .expect("reqwest client builds");
    for (rcpt, campaign) in [
        ("rcpt1@example.org", "spring"),
        ("rcpt2@example.org", "summer"),
        ("rcpt3@example.org", ""),
    ] {
        let mut form = vec![
            ("apikey", DEFAULT_APIKEY),
            ("from", "sender@example.com"),
            ("to[]", rcpt),
            ("subject", "hello"),
            ("bodytext", "plain body"),
        ];
        if !campaign.is_empty() {
            form.push(("X-Campaign", campaign));
        }
        let sent = http
            .post(format!("{}/rest/json/send", sim.base_url()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(
                form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&form)
                    .finish(),
            )
            .send()
            .await
            .expect("send answers");
        assert_eq!(sent.status().as_u16(), 200);
    }
    assert!(
        sim.mm_inject(
            DEFAULT_APIKEY,
            MmEvent::new("bounces", "bounced@example.org", "sender@example.com")
                .with("bouncetype", "hard")
        )
    );
    for _ in 0..2 {
        assert!(sim.mm_inject(
            DEFAULT_APIKEY,
            MmEvent::new("opens", "rcpt1@example.org", "sender@example.com")
        ));
    }
    script(&sim, "mm_calls.py").await;
    let log = sim.requests_raw();
    let report = log
        .iter()
        .find(|e| e.path == "/rest/json/reports/sent")
        .expect("report requested");
    assert!(
        report
            .query
            .as_deref()
            .is_some_and(|q| q.contains("apikey=")),
        "apikey travels in the query"
    );
    assert!(!log.iter().any(|e| e.path == "/rest/json/send" && e.header("user-agent") == Some("dyn-py v1.8.6")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_other_services_work_through_the_python_sdk() {
    let sim = sim().await;
    script(&sim, "tm_more_services.py").await;
    let log = sim.requests();
    let failures: Vec<_> = log
        .iter()
        .filter(|e| e.status != 200)
        .map(|e| (e.status, e.path.clone()))
        .collect();
    assert!(failures.is_empty(), "every call succeeded: {failures:?}");
    assert!(
        log.iter()
            .any(|e| e.path == "/REST/GSLB/svc.example/lb.svc.example./" && e.method == "POST")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_waits_out_a_200_incomplete_job() {
    use dyn_sim::{Fault, FaultRule, JobResponse, RequestMatch};

    let sim = sim().await;
    // dyn 1.8.6 sleeps 10 s before each poll of a 200-incomplete job: one poll only.
    sim.add_fault(FaultRule::next(
        1,
        RequestMatch::new("GET", "/REST/Zone/"),
        Fault::PromoteToJob {
            polls: 0,
            after_millis: 0,
            response: Some(JobResponse::Incomplete),
        },
    ));
    script(&sim, "tm_incomplete.py").await;
    let log = sim.requests();
    let list = log
        .iter()
        .find(|e| e.path == "/REST/Zone/")
        .expect("zones listed");
    assert_eq!(
        list.json_response().map(|r| r["status"].clone()),
        Some(serde_json::json!("incomplete"))
    );
    let poll = log
        .iter()
        .find(|e| e.path.starts_with("/REST/Job/"))
        .expect("the SDK polled the job");
    assert_eq!(
        poll.json_body(),
        Some(serde_json::json!({})),
        "the SDK polls through execute, with a body"
    );
    assert_eq!(poll.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zone_files_tools_traffic_director_and_multi_sessions_through_the_python_sdk() {
    let sim = sim().await;
    script(&sim, "tm_extras.py").await;
    let log = sim.requests();
    let failures: Vec<_> = log
        .iter()
        .filter(|e| e.status != 200)
        .map(|e| (e.status, e.path.clone()))
        .collect();
    assert!(failures.is_empty(), "every call succeeded: {failures:?}");
    assert!(
        log.iter()
            .any(|e| e.method == "PUT" && e.path == "/REST/Password/")
    );
}
