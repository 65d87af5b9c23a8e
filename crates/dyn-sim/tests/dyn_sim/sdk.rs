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
