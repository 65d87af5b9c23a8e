//! `get_or_init` and `get_or_try_init` run the initialiser exactly once per key.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use registry::Registry;

use crate::{Instance, KEY, multi_thread_runtime};

#[test]
fn concurrent_get_or_init_and_get_or_try_init_run_init_once() {
    for round in 0..20 {
        let sessions: Registry<&str, Instance> = Registry::new();
        let inits = Arc::new(AtomicUsize::new(0));
        let start = Arc::new(Barrier::new(16 + 1));
        let runtime = multi_thread_runtime();

        let threads: Vec<_> = (0..16)
            .map(|n| {
                let sessions = sessions.clone();
                let inits = Arc::clone(&inits);
                let start = Arc::clone(&start);
                std::thread::spawn(move || {
                    start.wait();
                    sessions.get_or_init(KEY, || {
                        inits.fetch_add(1, Ordering::SeqCst);
                        // Widen the window in which others must wait.
                        std::thread::sleep(Duration::from_millis(2));
                        Instance(n)
                    })
                })
            })
            .collect();
        let tasks: Vec<_> = (0..64)
            .map(|n| {
                let sessions = sessions.clone();
                let inits = Arc::clone(&inits);
                runtime.spawn(async move {
                    sessions
                        .get_or_try_init(KEY, || async move {
                            inits.fetch_add(1, Ordering::SeqCst);
                            tokio::task::yield_now().await;
                            Ok::<_, ()>(Instance(100 + n))
                        })
                        .await
                })
            })
            .collect();
        start.wait();

        let mut seen = Vec::new();
        for thread in threads {
            seen.push(thread.join().expect("thread ran"));
        }
        runtime.block_on(async {
            for task in tasks {
                seen.push(task.await.expect("task ran").expect("init succeeds"));
            }
        });
        assert_eq!(inits.load(Ordering::SeqCst), 1, "round {round}");
        let stored = sessions.get(&KEY).expect("value stored");
        assert!(
            seen.iter().all(|value| Arc::ptr_eq(value, &stored)),
            "round {round}"
        );
    }
}

#[test]
fn a_failed_init_stores_nothing_and_the_next_caller_retries() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    runtime.block_on(async {
        let failed = sessions
            .get_or_try_init(KEY, || async { Err::<Instance, _>("login refused") })
            .await;
        assert_eq!(failed.err(), Some("login refused"));
        assert_eq!(sessions.get(&KEY), None);
        assert!(sessions.is_empty());

        let value = sessions
            .get_or_try_init(KEY, || async { Ok::<_, &str>(Instance(2)) })
            .await
            .expect("second init succeeds");
        assert_eq!(*value, Instance(2));
        // Present now: init is not called again.
        let again = sessions
            .get_or_try_init(KEY, || async { Err::<Instance, _>("must not run") })
            .await
            .expect("no init needed");
        assert!(Arc::ptr_eq(&value, &again));
    });
}

#[test]
fn a_waiter_takes_over_when_the_initialiser_is_cancelled() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    runtime.block_on(async {
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let stuck = {
            let sessions = sessions.clone();
            tokio::spawn(async move {
                sessions
                    .get_or_try_init(KEY, || async move {
                        let _ = started_tx.send(());
                        std::future::pending::<Result<Instance, ()>>().await
                    })
                    .await
            })
        };
        started_rx.await.expect("first init started");

        let waiter = {
            let sessions = sessions.clone();
            tokio::spawn(async move {
                sessions
                    .get_or_try_init(KEY, || async { Ok::<_, ()>(Instance(9)) })
                    .await
            })
        };
        // The waiter cannot finish while the first initialiser is in flight; cancelling it
        // must hand the key over instead of leaving the waiter stuck.
        tokio::time::sleep(Duration::from_millis(20)).await;
        stuck.abort();
        let value = waiter
            .await
            .expect("waiter ran")
            .expect("waiter's init ran");
        assert_eq!(*value, Instance(9));
        assert!(stuck.await.expect_err("aborted").is_cancelled());
        assert_eq!(sessions.get(&KEY).as_deref(), Some(&Instance(9)));
    });
}

#[test]
fn an_insert_during_init_wins() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    runtime.block_on(async {
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let (release_tx, release_rx) = tokio::sync::oneshot::channel::<()>();
        let initialiser = {
            let sessions = sessions.clone();
            tokio::spawn(async move {
                sessions
                    .get_or_try_init(KEY, || async move {
                        let _ = started_tx.send(());
                        let _ = release_rx.await;
                        Ok::<_, ()>(Instance(1))
                    })
                    .await
            })
        };
        started_rx.await.expect("init started");
        assert_eq!(
            sessions.get(&KEY),
            None,
            "an entry in flight is not visible"
        );
        assert_eq!(sessions.insert(KEY, Instance(2)), None);
        release_tx.send(()).expect("initialiser waits");
        let value = initialiser.await.expect("task ran").expect("init ran");
        assert_eq!(*value, Instance(2));
        assert_eq!(sessions.get(&KEY).as_deref(), Some(&Instance(2)));
    });
}
