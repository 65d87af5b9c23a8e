//! The implicit current session of dyn-tm and dyn-mm, side by side in concurrent tasks
//! (dyn-tm + dyn-mm + session-core + registry's task scopes + dyn-sim).

use std::sync::Arc;

use dyn_mm::{EMail, MMSession};
use dyn_sim::{DEFAULT_APIKEY, DEFAULT_CUSTOMER, DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
use dyn_tm::DynectSession;
use dyn_tm::zones::SerialStyle;
use session_core::Endpoint;
use tokio::sync::Barrier;

/// One customer's identities: a TM user and an MM account, and the names it uses.
#[derive(Debug, Clone, Copy)]
struct Tenant {
    customer: &'static str,
    user: &'static str,
    password: &'static str,
    apikey: &'static str,
    /// The MM account's approved sender (the simulator approves `sender@<owner's domain>`).
    sender: &'static str,
    zone: &'static str,
}

const ACME: Tenant = Tenant {
    customer: DEFAULT_CUSTOMER,
    user: DEFAULT_USER,
    password: DEFAULT_PASSWORD,
    apikey: DEFAULT_APIKEY,
    sender: "sender@example.com",
    zone: "acme-only.example",
};

const GLOBEX: Tenant = Tenant {
    customer: "globex",
    user: "hank",
    password: "globex-pass",
    apikey: "globex-mm-key",
    sender: "sender@globex.example",
    zone: "globex-only.example",
};

/// Promise: logging in with dyn-tm and connecting with dyn-mm make each session current for
/// the calling task only, in separate slots per kind; the free functions of both crates
/// (`dyn_tm::zones::create_zone`, `get_all_zones`, `dyn_mm::message::send_message`) then act
/// for that task's customer even while another task, on the same worker threads, holds other
/// sessions of both kinds; closing one kind leaves the other; a task with no session gets a
/// typed `NoCurrentSession`, never someone else's session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tm_and_mm_free_functions_use_the_sessions_of_their_own_task() {
    let sim = Simulator::builder()
        .user(GLOBEX.customer, GLOBEX.user, GLOBEX.password)
        .mm_account(GLOBEX.apikey, "owner@globex.example")
        .start()
        .await
        .expect("simulator starts");
    let endpoint = Endpoint::http("127.0.0.1", sim.port());
    // Both tasks hold both sessions before either uses a free function.
    let all_logged_in = Arc::new(Barrier::new(2));

    let tasks: Vec<_> = [ACME, GLOBEX]
        .into_iter()
        .map(|tenant| {
            let endpoint = endpoint.clone();
            let all_logged_in = Arc::clone(&all_logged_in);
            session_core::spawn(async move { tenant_task(tenant, endpoint, &all_logged_in).await })
                .expect("a tokio runtime")
        })
        .collect();
    for (task, tenant) in tasks.into_iter().zip([ACME, GLOBEX]) {
        let zones = task.await.expect("the tenant task passes");
        assert_eq!(
            zones,
            [tenant.zone],
            "{} saw only its own zone",
            tenant.customer
        );
    }

    // Each MM account sent exactly the message of its own task.
    for tenant in [ACME, GLOBEX] {
        let subjects: Vec<_> = sim
            .mm_messages(tenant.apikey)
            .iter()
            .map(|message| message["subject"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(subjects, [tenant.zone], "messages of {}", tenant.apikey);
    }

    // A task that logged into nothing sees no session of either kind.
    let bystander = session_core::spawn(async {
        let tm = dyn_tm::zones::get_all_zones().await;
        assert!(matches!(tm, Err(dyn_tm::Error::NoCurrentSession)), "{tm:?}");
        let mm = dyn_mm::senders::get_all_senders().await;
        assert!(matches!(mm, Err(dyn_mm::Error::NoCurrentSession)), "{mm:?}");
    })
    .expect("a tokio runtime");
    bystander.await.expect("the bystander task passes");
    assert!(DynectSession::get_session().is_none());
    assert!(MMSession::get_session().is_none());
    assert_eq!(sim.session_count(), 0, "every TM session was logged out");
}

/// One tenant's task: log in to both APIs, then work only through the free functions.
/// Returns the zone names `get_all_zones` listed.
async fn tenant_task(tenant: Tenant, endpoint: Endpoint, all_logged_in: &Barrier) -> Vec<String> {
    let tm = DynectSession::builder(tenant.customer, tenant.user, tenant.password)
        .endpoint(endpoint.clone())
        .log_in()
        .await
        .expect("TM log-in");
    let mm = MMSession::builder(tenant.apikey)
        .endpoint(endpoint)
        .connect()
        .await
        .expect("MM session");
    all_logged_in.wait().await;

    dyn_tm::zones::create_zone(
        tenant.zone,
        &format!("hostmaster@{}", tenant.zone),
        3600,
        SerialStyle::Increment,
    )
    .await
    .expect("create a zone through the current TM session");
    // Give the other task the thread, and this one a chance to resume on another.
    tokio::task::yield_now().await;
    let zones: Vec<_> = dyn_tm::zones::get_all_zones()
        .await
        .expect("list zones through the current TM session")
        .iter()
        .map(|zone| zone.name().to_owned())
        .collect();
    let email = EMail::new(tenant.sender, "ops@example.org", tenant.zone).text("isolated");
    dyn_mm::message::send_message(&email)
        .await
        .expect("send through the current MM session");
    tokio::task::yield_now().await;
    assert_eq!(DynectSession::current().expect("TM still current"), tm);
    assert_eq!(MMSession::current().expect("MM still current"), mm);

    // Closing the MM session leaves the TM one, and the reverse.
    assert_eq!(
        MMSession::close_session().await.expect("close MM"),
        Some(mm)
    );
    let mm_gone = dyn_mm::senders::get_all_senders().await;
    assert!(
        matches!(mm_gone, Err(dyn_mm::Error::NoCurrentSession)),
        "{mm_gone:?}"
    );
    assert_eq!(DynectSession::current().expect("TM still current"), tm);
    assert_eq!(
        DynectSession::close_session().await.expect("close TM"),
        Some(tm)
    );
    let tm_gone = dyn_tm::zones::get_all_zones().await;
    assert!(
        matches!(tm_gone, Err(dyn_tm::Error::NoCurrentSession)),
        "{tm_gone:?}"
    );
    zones
}
