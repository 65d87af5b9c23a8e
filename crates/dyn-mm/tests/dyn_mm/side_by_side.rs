//! TM and MM sessions current at the same time, in several tasks at once.

use dyn_mm::{EMail, MMSession};
use dyn_sim::{DEFAULT_APIKEY, DEFAULT_CUSTOMER, DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
use serde_json::json;
use session_core::{Credentials, DynTm, Session};

use crate::support::endpoint;

const SECOND_KEY: &str = "mm-second-key";
const SECOND_SENDER: &str = "sender@example.net";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tm_and_mm_sessions_side_by_side_in_several_tasks() {
    let sim = Simulator::builder()
        .mm_account(SECOND_KEY, "owner@example.net")
        .start()
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for index in 0..6_usize {
        let sim = sim.clone();
        tasks.push(
            session_core::spawn(async move {
                let (apikey, sender) = if index % 2 == 0 {
                    (DEFAULT_APIKEY, crate::support::SENDER)
                } else {
                    (SECOND_KEY, SECOND_SENDER)
                };
                let credentials =
                    Credentials::new(DEFAULT_CUSTOMER, DEFAULT_USER, DEFAULT_PASSWORD).unwrap();
                let tm = Session::builder(DynTm, endpoint(&sim), credentials)
                    .log_in()
                    .await
                    .unwrap();
                let mm = MMSession::builder(apikey)
                    .endpoint(endpoint(&sim))
                    .connect()
                    .await
                    .unwrap();
                for round in 0..3 {
                    // Both are current, each in its own slot, whatever thread runs the task.
                    tokio::task::yield_now().await;
                    assert_eq!(Session::<DynTm>::current().unwrap(), tm);
                    assert_eq!(MMSession::current().unwrap(), mm);
                    Session::<DynTm>::current()
                        .unwrap()
                        .get("/Session/", json!({}))
                        .await
                        .unwrap();
                    let email = EMail::new(sender, format!("r{index}-{round}@example.org"), "s")
                        .text("b")
                        .xheader("X-Task", index.to_string());
                    dyn_mm::message::send_message(&email).await.unwrap();
                }
                // Closing the MM session leaves the TM one in place, and the reverse.
                assert_eq!(MMSession::close_session().await.unwrap(), Some(mm));
                assert!(MMSession::get_session().is_none());
                assert_eq!(Session::<DynTm>::current().unwrap(), tm);
                Session::<DynTm>::close_session().await.unwrap();
                assert!(Session::<DynTm>::get_session().is_none());
                index
            })
            .unwrap(),
        );
    }
    let mut finished = Vec::new();
    for task in tasks {
        finished.push(task.await.unwrap());
    }
    assert_eq!(finished, [0, 1, 2, 3, 4, 5]);
    for key in [DEFAULT_APIKEY, SECOND_KEY] {
        let messages = sim.mm_messages(key);
        assert_eq!(messages.len(), 9, "three tasks × three messages for {key}");
        let parity = usize::from(key == SECOND_KEY);
        for message in &messages {
            let task: usize = message["xheaders"]["X-Task"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(
                task % 2,
                parity,
                "each task sent through its own MM session"
            );
        }
    }
    assert_eq!(sim.session_count(), 0, "every TM session logged out");
    assert!(MMSession::get_session().is_none());
    assert!(Session::<DynTm>::get_session().is_none());
}
