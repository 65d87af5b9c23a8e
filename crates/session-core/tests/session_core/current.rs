//! The current session per kind: tasks and threads never see each other's.

use std::time::Duration;

use async_trait::async_trait;
use dyn_sim::{Simulator, UserSeed};
use serde_json::json;
use session_core::{
    ArgEncoding, Connection, DynTm, Error, Login, Method, Outcome, Protocol, RawResponse, Request,
    Session, SessionFutureExt, Token,
};

use crate::support::{builder, builder_for, count, simulator};

fn user_name(session: &Session<DynTm>) -> String {
    session.credentials().user().unwrap().to_owned()
}

fn add_users(sim: &Simulator, prefix: &str, n: usize) {
    for index in 0..n {
        sim.add_user(UserSeed::new("acme", &format!("{prefix}{index}"), "pw"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_tasks_each_keep_their_own_session() {
    let sim = simulator().await;
    add_users(&sim, "task", 64);
    let tasks: Vec<_> = (0..64)
        .map(|index| {
            let builder = builder_for(&sim, "acme", &format!("task{index}"), "pw");
            session_core::spawn(async move {
                assert!(
                    Session::<DynTm>::get_session().is_none(),
                    "a new task starts without one"
                );
                let session = builder.log_in().await.unwrap();
                for round in 0..5 {
                    // Yield and sleep so tasks migrate between workers and interleave.
                    tokio::time::sleep(Duration::from_millis((index % 3 + round) as u64)).await;
                    tokio::task::yield_now().await;
                    let current = Session::<DynTm>::current().unwrap();
                    assert_eq!(current, session);
                    assert_eq!(user_name(&current), format!("task{index}"));
                    current.get("/Session/", json!({})).await.unwrap();
                }
                let closed = Session::<DynTm>::close_session().await.unwrap();
                assert_eq!(closed, Some(session));
                assert!(Session::<DynTm>::get_session().is_none());
            })
            .unwrap()
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(sim.session_count(), 0, "every task logged its session out");
    assert_eq!(count(&sim, "GET", "/REST/Session/"), 64 * 5);
}

#[test]
fn sixteen_threads_each_keep_their_own_session() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime.block_on(simulator());
    add_users(&sim, "thread", 16);
    let threads: Vec<_> = (0..16)
        .map(|index| {
            let builder = builder_for(&sim, "acme", &format!("thread{index}"), "pw");
            std::thread::spawn(move || {
                // Outside any tokio task, the current session belongs to the thread.
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                assert!(Session::<DynTm>::get_session().is_none());
                let session = runtime.block_on(builder.log_in()).unwrap();
                for _ in 0..3 {
                    let current = Session::<DynTm>::current().unwrap();
                    assert_eq!(user_name(&current), format!("thread{index}"));
                    runtime
                        .block_on(current.get("/Session/", json!({})))
                        .unwrap();
                }
                runtime.block_on(session.log_out()).unwrap();
                assert!(
                    Session::<DynTm>::get_session().is_none(),
                    "log_out forgets the current session"
                );
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(sim.session_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawned_tasks_inherit_only_when_asked() {
    let sim = simulator().await;
    let builder = builder(&sim);
    session_core::spawn(async move {
        let session = builder.log_in().await.unwrap();
        let plain = session_core::spawn(async { Session::<DynTm>::get_session() })
            .unwrap()
            .await
            .unwrap();
        assert!(plain.is_none(), "nothing is inherited implicitly");
        let inherited =
            tokio::spawn(async { Session::<DynTm>::get_session() }.with_current_session::<DynTm>())
                .await
                .unwrap();
        assert_eq!(inherited, Some(session.clone()));
        let explicit =
            tokio::spawn(async { Session::<DynTm>::current() }.with_session(session.clone()))
                .await
                .unwrap()
                .unwrap();
        assert_eq!(explicit, session);
    })
    .unwrap()
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_session_logs_out_the_old_one_and_close_removes_it() {
    let sim = simulator().await;
    add_users(&sim, "next", 1);
    let first = builder(&sim);
    let second = builder_for(&sim, "acme", "next0", "pw");
    session_core::spawn(async move {
        let old = first.log_in().await.unwrap();
        let new = Session::new_session(second).await.unwrap();
        assert_ne!(old, new);
        assert!(!old.is_logged_in(), "the replaced session was logged out");
        assert_eq!(Session::<DynTm>::current().unwrap(), new);
        let closed = Session::<DynTm>::close_session().await.unwrap().unwrap();
        assert_eq!(closed, new);
        assert!(!new.is_logged_in());
        assert!(matches!(
            Session::<DynTm>::current(),
            Err(Error::NoCurrentSession("dyn-tm"))
        ));
        assert_eq!(Session::<DynTm>::close_session().await.unwrap(), None);
    })
    .unwrap()
    .await
    .unwrap();
    assert_eq!(count(&sim, "DELETE", "/REST/Session/"), 2);
    assert_eq!(sim.session_count(), 0);
}

#[tokio::test]
async fn plain_tokio_task_without_scope_gets_no_current_session() {
    let sim = simulator().await;
    let builder = builder(&sim);
    let replacement = crate::support::builder(&sim);
    tokio::spawn(async move {
        let session = builder.log_in().await.unwrap();
        assert!(matches!(session.make_current(), Err(Error::NoTaskScope)));
        assert!(Session::<DynTm>::get_session().is_none());
        let refused = Session::new_session(replacement).await;
        assert!(matches!(refused, Err(Error::NoTaskScope)), "{refused:?}");
    })
    .await
    .unwrap();
    // The first session is still logged in; the refused replacement was logged out again.
    assert_eq!(sim.session_count(), 1);
}

/// A protocol of a kind of its own (so the process-wide default set here cannot disturb other
/// tests): Traffic Management under another name, as an API crate would write one.
#[derive(Debug, Clone, Copy)]
struct GlobalTm;

#[async_trait]
impl Protocol for GlobalTm {
    const KIND: &'static str = "test-global-tm";

    fn base_path(&self) -> &str {
        DynTm.base_path()
    }

    fn encoding(&self, method: Method) -> ArgEncoding {
        DynTm.encoding(method)
    }

    fn authorize(&self, request: &mut Request, token: &Token) {
        DynTm.authorize(request, token);
    }

    fn read(&self, response: &RawResponse) -> Result<Outcome, session_core::InvalidResponse> {
        DynTm.read(response)
    }

    async fn log_in(
        &self,
        connection: &Connection<'_, Self>,
        login: &Login<'_>,
    ) -> session_core::Result<Token> {
        let request = Request::new(
            Method::Post,
            "/Session/",
            json!({"customer_name": login.customer(), "user_name": login.user(), "password": login.secret()}),
        );
        let reply = connection.exchange(&request, None).await?;
        Ok(Token::new(
            reply.data()["token"].as_str().unwrap_or_default(),
        ))
    }

    async fn log_out(
        &self,
        connection: &Connection<'_, Self>,
        token: &Token,
    ) -> session_core::Result<()> {
        connection
            .exchange(
                &Request::new(Method::Delete, "/Session/", json!(null)),
                Some(token),
            )
            .await
            .map(drop)
    }

    async fn keep_alive(
        &self,
        connection: &Connection<'_, Self>,
        token: &Token,
    ) -> session_core::Result<()> {
        connection
            .exchange(
                &Request::new(Method::Put, "/Session/", json!(null)),
                Some(token),
            )
            .await
            .map(drop)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_default_is_set_once_and_seen_everywhere() {
    let sim = simulator().await;
    let credentials =
        session_core::Credentials::new("acme", "alice", dyn_sim::DEFAULT_PASSWORD).unwrap();
    let endpoint = crate::support::endpoint(&sim);
    let session = Session::builder(GlobalTm, endpoint.clone(), credentials.clone())
        .log_in_detached()
        .await
        .unwrap();
    Session::set_global_default(session.clone()).unwrap();
    let other = Session::builder(GlobalTm, endpoint, credentials)
        .build()
        .unwrap();
    assert!(matches!(
        Session::set_global_default(other),
        Err(Error::GlobalDefaultAlreadySet(_))
    ));

    let seen = tokio::spawn(async { Session::<GlobalTm>::current() })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen, session);
    let on_thread = std::thread::spawn(Session::<GlobalTm>::get_session)
        .join()
        .unwrap();
    assert_eq!(on_thread, Some(session.clone()));
    seen.get("/Session/", json!({})).await.unwrap();
    // The kinds are separate: no Traffic Management session became current.
    assert!(
        std::thread::spawn(Session::<DynTm>::get_session)
            .join()
            .unwrap()
            .is_none()
    );
}
