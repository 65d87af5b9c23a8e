//! The implicit style: free functions through the current session, per task and thread.

use dyn_sim::UserSeed;
use dyn_tm::records::ARdata;
use dyn_tm::zones::{self, SerialStyle};
use dyn_tm::{DynectSession, Error};

use crate::support::{builder, builder_for, simulator};

#[tokio::test]
async fn free_functions_without_a_session_fail_typed() {
    let error = session_core::spawn(async { zones::get_all_zones().await })
        .unwrap()
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(error, Error::NoCurrentSession), "{error:?}");
    assert!(matches!(
        dyn_tm::tasks::get_tasks().await.unwrap_err(),
        Error::NoCurrentSession
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn implicit_and_explicit_styles_mix_across_tasks() {
    let sim = simulator().await;
    for index in 0..8 {
        sim.add_user(UserSeed::new("acme", &format!("user{index}"), "pw"));
    }
    let tasks: Vec<_> = (0..8)
        .map(|index| {
            let builder = builder_for(&sim, &format!("user{index}"), "pw");
            session_core::spawn(async move {
                let session = builder.log_in().await.unwrap();
                let name = format!("zone{index}.test");
                // Implicit: the free function finds this task's session.
                let mut zone = zones::create_zone(&name, "h@x.test", 300, SerialStyle::Increment)
                    .await
                    .unwrap();
                tokio::task::yield_now().await;
                // Explicit: the handle names the session.
                assert_eq!(zone.session(), &session);
                zone.records()
                    .add("www", ARdata::new([192, 0, 2, index].into()))
                    .await
                    .unwrap();
                zone.publish(None).await.unwrap();
                tokio::task::yield_now().await;
                let current = DynectSession::current().unwrap();
                assert_eq!(current.user(), format!("user{index}"));
                let fetched = zones::get_zone(&name).await.unwrap();
                assert_eq!(fetched.serial(), 1);
                DynectSession::close_session().await.unwrap();
                assert!(matches!(
                    zones::get_zone(&name).await.unwrap_err(),
                    Error::NoCurrentSession
                ));
            })
            .unwrap()
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(sim.session_count(), 0, "every task logged out");
    // All eight zones exist for the customer.
    let checker = builder(&sim).log_in_detached().await.unwrap();
    assert_eq!(checker.zones().list().await.unwrap().len(), 8);
}

#[tokio::test]
async fn session_lifecycle_permissions_and_keep_alive() {
    let sim = simulator().await;
    let key = session_core::generate_key().unwrap();
    let session = builder(&sim).key(key).log_in_detached().await.unwrap();
    assert!(session.is_alive().await.unwrap());
    session.keep_alive().await.unwrap();
    let permissions = session.permissions().await.unwrap();
    assert!(
        permissions.iter().any(|p| p == "ZoneGet"),
        "{permissions:?}"
    );
    assert!(!format!("{session:?}").contains(dyn_sim::DEFAULT_PASSWORD));
    session.log_out().await.unwrap();
    assert!(!session.is_logged_in());
    assert!(!session.is_alive().await.unwrap());
    let refused = crate::support::builder_for(&sim, "alice", "wrong")
        .log_in_detached()
        .await
        .unwrap_err();
    assert!(refused.api_error().is_some());
}

#[tokio::test]
async fn new_session_replaces_and_logs_out_the_old_one() {
    let sim = simulator().await;
    let outcome = session_core::spawn({
        let first = builder(&sim);
        let second = builder(&sim);
        async move {
            let old = first.log_in().await.unwrap();
            let new = second.new_session().await.unwrap();
            (old, new, DynectSession::current().unwrap())
        }
    })
    .unwrap()
    .await
    .unwrap();
    let (old, new, current) = outcome;
    assert_eq!(current, new);
    assert!(!old.is_logged_in(), "the replaced session was logged out");
    assert_eq!(sim.session_count(), 1);
}

#[test]
fn threads_keep_their_own_current_session() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime.block_on(simulator());
    sim.add_user(UserSeed::new("acme", "bob", "pw"));
    let builders = [builder(&sim), builder_for(&sim, "bob", "pw")];
    let handle = runtime.handle().clone();
    let threads: Vec<_> = builders
        .into_iter()
        .enumerate()
        .map(|(index, builder)| {
            let handle = handle.clone();
            std::thread::spawn(move || {
                // Outside any tokio task the current session belongs to the thread.
                handle.block_on(async move {
                    let session = builder.log_in().await.unwrap();
                    let nickname = format!("contact{index}");
                    session
                        .accounts()
                        .contacts()
                        .create(
                            Some(&nickname),
                            serde_json::json!({"email": "c@example.com"}),
                        )
                        .await
                        .unwrap();
                    let contacts = dyn_tm::accounts::get_contacts().await.unwrap();
                    assert!(contacts.iter().any(|c| c["nickname"] == nickname.as_str()));
                    let user = DynectSession::current().unwrap().user().to_owned();
                    assert_eq!(user, session.user());
                    assert!(
                        dyn_tm::services::get_all_dsf_services()
                            .await
                            .unwrap()
                            .is_empty()
                    );
                    let check = dyn_tm::reports::get_check_permission(&["ZoneGet"], None)
                        .await
                        .unwrap();
                    assert_eq!(check.allowed, ["ZoneGet"]);
                    DynectSession::close_session().await.unwrap();
                    user
                })
            })
        })
        .collect();
    let users: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(users, ["alice", "bob"]);
    assert!(
        DynectSession::get_session().is_none(),
        "the main thread never had one"
    );
}
