//! Entries of ended threads and tasks are removed, so registries do not grow over time.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use registry::{Registry, ScopeExt, Stats};

use crate::{Instance, KEY, multi_thread_runtime};

/// Counts live instances, to prove removed entries are really dropped.
struct Tracked(Arc<AtomicUsize>);

impl Tracked {
    fn new(live: &Arc<AtomicUsize>) -> Self {
        live.fetch_add(1, Ordering::SeqCst);
        Self(Arc::clone(live))
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[test]
fn exited_threads_leave_no_entries() {
    let sessions: Registry<&str, Tracked> = Registry::new();
    let live = Arc::new(AtomicUsize::new(0));
    for round in 0..3 {
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let sessions = sessions.clone();
                let live = Arc::clone(&live);
                std::thread::spawn(move || {
                    let scope = sessions.thread().expect("thread is running");
                    scope.insert(KEY, Tracked::new(&live));
                    scope.get_or_init("other", || Tracked::new(&live));
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("thread ran");
        }
        assert_eq!(sessions.stats(), Stats::default(), "round {round}");
        assert_eq!(live.load(Ordering::SeqCst), 0, "round {round}");
    }
}

#[test]
fn finished_and_aborted_tasks_leave_no_entries() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Tracked> = Registry::new();
    let live = Arc::new(AtomicUsize::new(0));

    runtime.block_on(async {
        let finished: Vec<_> = (0..64)
            .map(|_| {
                let sessions = sessions.clone();
                let live = Arc::clone(&live);
                registry::spawn(async move {
                    let scope = sessions.task().expect("task scope");
                    scope.insert(KEY, Tracked::new(&live));
                    tokio::task::yield_now().await;
                    scope
                        .get_or_try_init("other", || async { Ok::<_, ()>(Tracked::new(&live)) })
                        .await
                        .expect("init succeeds");
                })
                .expect("inside a runtime")
            })
            .collect();
        for task in finished {
            task.await.expect("task ran");
        }
        assert_eq!(sessions.stats(), Stats::default());
        assert_eq!(live.load(Ordering::SeqCst), 0);

        // A task that never finishes, aborted from outside: its future is dropped.
        let (inserted_tx, inserted_rx) = tokio::sync::oneshot::channel();
        let blocked = {
            let sessions = sessions.clone();
            let live = Arc::clone(&live);
            registry::spawn(async move {
                sessions
                    .task()
                    .expect("task scope")
                    .insert(KEY, Tracked::new(&live));
                let _ = inserted_tx.send(());
                std::future::pending::<()>().await;
            })
            .expect("inside a runtime")
        };
        inserted_rx.await.expect("task inserted");
        assert_eq!(sessions.stats().task_scopes, 1);
        blocked.abort();
        assert!(blocked.await.expect_err("aborted").is_cancelled());
        assert_eq!(sessions.stats(), Stats::default());
        assert_eq!(live.load(Ordering::SeqCst), 0);
    });
}

#[test]
fn a_dropped_task_scope_future_removes_its_entries() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    let inner = sessions.clone();
    runtime
        .block_on(runtime.spawn(async move {
            let scoped = inner.clone();
            let mut future = Box::pin(
                async move {
                    scoped.task().expect("task scope").insert(KEY, Instance(1));
                    std::future::pending::<()>().await;
                }
                .task_scope(),
            );
            // Poll once so the entry exists, then drop the unfinished future.
            assert!(poll_once(future.as_mut()).await.is_pending());
            assert_eq!(inner.stats().task_scopes, 1);
            drop(future);
            assert_eq!(inner.stats(), Stats::default());
        }))
        .expect("task assertions hold");
}

async fn poll_once<F: std::future::Future + Unpin>(mut future: F) -> std::task::Poll<F::Output> {
    std::future::poll_fn(|cx| std::task::Poll::Ready(std::pin::Pin::new(&mut future).poll(cx)))
        .await
}

#[test]
fn a_handle_that_outlives_its_scope_stores_nothing() {
    let sessions: Registry<&str, Instance> = Registry::new();
    let moved = sessions.clone();
    // Sneak a thread handle out of its thread via a scoped thread borrowing the registry.
    std::thread::scope(|s| {
        let handle = s
            .spawn(|| moved.thread().expect("thread is running"))
            .join()
            .expect("thread ran");
        // The thread has exited, so its scope ended: nothing may be stored for it any more.
        assert_eq!(handle.insert(KEY, Instance(1)), None);
        assert_eq!(*handle.get_or_init(KEY, || Instance(2)), Instance(2));
        assert_eq!(handle.get(&KEY), None);
    });
    assert_eq!(sessions.stats(), Stats::default());
}
