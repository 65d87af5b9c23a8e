//! Each thread and each task sees only its own instance under one key.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};

use registry::{Error, Registry, ScopeExt};

use crate::{Instance, KEY, multi_thread_runtime};

#[test]
fn sixteen_threads_each_keep_their_own_instance() {
    const THREADS: usize = 16;
    let sessions: Registry<&str, Instance> = Registry::new();
    sessions.insert(KEY, Instance(usize::MAX));
    let all_inserted = Arc::new(Barrier::new(THREADS + 1));
    let checked = Arc::new(Barrier::new(THREADS + 1));

    let threads: Vec<_> = (0..THREADS)
        .map(|n| {
            let sessions = sessions.clone();
            let all_inserted = Arc::clone(&all_inserted);
            let checked = Arc::clone(&checked);
            std::thread::spawn(move || {
                let scope = sessions.thread().expect("thread is running");
                assert_eq!(scope.insert(KEY, Instance(n)), None);
                all_inserted.wait();
                // Every other thread has inserted by now: a shared slot would show their values.
                for _ in 0..100 {
                    assert_eq!(scope.get(&KEY).as_deref(), Some(&Instance(n)));
                    assert_eq!(sessions.current(&KEY).as_deref(), Some(&Instance(n)));
                }
                checked.wait();
            })
        })
        .collect();

    all_inserted.wait();
    let stats = sessions.stats();
    assert_eq!(stats.thread_scopes, THREADS);
    assert_eq!(stats.scoped_entries, THREADS);
    checked.wait();
    for thread in threads {
        thread.join().expect("thread assertions hold");
    }
    assert_eq!(sessions.get(&KEY).as_deref(), Some(&Instance(usize::MAX)));
}

#[test]
fn sixty_four_tasks_each_keep_their_own_instance_across_yields() {
    const TASKS: usize = 64;
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();

    runtime.block_on(async {
        let all_inserted = Arc::new(tokio::sync::Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|n| {
                let sessions = sessions.clone();
                let all_inserted = Arc::clone(&all_inserted);
                registry::spawn(async move {
                    let scope = sessions.task().expect("spawned with a task scope");
                    assert_eq!(scope.insert(KEY, Instance(n)), None);
                    all_inserted.wait().await;
                    for _ in 0..300 {
                        tokio::task::yield_now().await;
                        assert_eq!(scope.get(&KEY).as_deref(), Some(&Instance(n)));
                        assert_eq!(sessions.current(&KEY).as_deref(), Some(&Instance(n)));
                    }
                })
                .expect("inside a runtime")
            })
            .collect();
        for task in tasks {
            task.await.expect("task assertions hold");
        }
    });
    assert_eq!(sessions.stats(), registry::Stats::default());
}

#[test]
fn a_task_that_migrates_between_workers_keeps_its_instance() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    let migrated = Arc::new(AtomicBool::new(false));

    runtime.block_on(async {
        // Several busy tasks make idle workers steal, which moves tasks between threads. Each
        // yields at least 300 times, and all keep going until one of them has moved.
        let tasks: Vec<_> = (0..8)
            .map(|n| {
                let sessions = sessions.clone();
                let migrated = Arc::clone(&migrated);
                registry::spawn(async move {
                    sessions.task()?.insert(KEY, Instance(n));
                    let first_worker = std::thread::current().id();
                    let mut yields = 0_u32;
                    while yields < 300 || (!migrated.load(Ordering::Relaxed) && yields < 1_000_000)
                    {
                        tokio::task::yield_now().await;
                        yields += 1;
                        if std::thread::current().id() != first_worker {
                            migrated.store(true, Ordering::Relaxed);
                        }
                        assert_eq!(sessions.current(&KEY).as_deref(), Some(&Instance(n)));
                    }
                    Ok::<_, Error>(())
                })
                .expect("inside a runtime")
            })
            .collect();
        for task in tasks {
            task.await
                .expect("task assertions hold")
                .expect("task scope");
        }
    });
    assert!(
        migrated.load(Ordering::Relaxed),
        "no task ever changed worker thread"
    );
    assert_eq!(sessions.stats(), registry::Stats::default());
}

#[test]
fn scopes_are_separate_and_current_prefers_the_innermost() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    assert_eq!(sessions.current(&KEY), None);
    sessions.insert(KEY, Instance(0));
    assert_eq!(sessions.current(&KEY).as_deref(), Some(&Instance(0)));

    let inner = sessions.clone();
    runtime
        .block_on(async {
            registry::spawn(async move {
                let thread = inner.thread().expect("thread is running");
                let task = inner.task().expect("task scope");
                task.insert(KEY, Instance(2));
                assert_eq!(inner.current(&KEY).as_deref(), Some(&Instance(2)));
                assert_eq!(thread.get(&KEY), None);
                assert_eq!(inner.get(&KEY).as_deref(), Some(&Instance(0)));
                assert_eq!(task.remove(&KEY).as_deref(), Some(&Instance(2)));
                assert_eq!(inner.current(&KEY).as_deref(), Some(&Instance(0)));
            })
            .expect("inside a runtime")
            .await
        })
        .expect("task assertions hold");

    let thread = sessions.thread().expect("thread is running");
    thread.insert(KEY, Instance(1));
    assert_eq!(sessions.current(&KEY).as_deref(), Some(&Instance(1)));
    assert_eq!(thread.remove(&KEY).as_deref(), Some(&Instance(1)));
    assert_eq!(sessions.current(&KEY).as_deref(), Some(&Instance(0)));
}

#[test]
fn insert_replace_and_remove_return_the_previous_value() {
    let sessions: Registry<&str, Instance> = Registry::new();
    assert!(sessions.is_empty());
    assert_eq!(sessions.insert(KEY, Instance(1)), None);
    let old = sessions.insert(KEY, Arc::new(Instance(2)));
    assert_eq!(old.as_deref(), Some(&Instance(1)));
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions.remove(&KEY).as_deref(), Some(&Instance(2)));
    assert_eq!(sessions.remove(&KEY), None);
    assert_eq!(sessions.get(&KEY), None);
}

#[test]
fn task_scope_is_refused_outside_the_wrapper() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    assert_eq!(sessions.task().err(), Some(Error::NoTaskScope));
    assert_eq!(registry::spawn(async {}).err(), Some(Error::NoRuntime));

    let plain = sessions.clone();
    let refused = runtime
        .block_on(runtime.spawn(async move { plain.task().err() }))
        .expect("task ran");
    assert_eq!(refused, Some(Error::NoTaskScope));
    let message = Error::NoTaskScope.to_string();
    assert!(message.contains("registry::spawn"), "{message}");
}

#[test]
fn a_nested_task_scope_defers_to_the_outer_one() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    let inner = sessions.clone();
    runtime
        .block_on(async {
            registry::spawn(async move {
                let nested = inner.clone();
                async move {
                    nested.task().expect("task scope").insert(KEY, Instance(7));
                }
                .task_scope()
                .await;
                // The nested wrapper ended but owns nothing: the task's entry is still there.
                assert_eq!(inner.current(&KEY).as_deref(), Some(&Instance(7)));
                assert_eq!(inner.stats().task_scopes, 1);
            })
            .expect("inside a runtime")
            .await
        })
        .expect("task assertions hold");
    assert_eq!(sessions.stats(), registry::Stats::default());
}

#[test]
fn current_ignores_the_worker_threads_entries_inside_a_task() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    sessions.insert(KEY, Instance(0));
    let inner = sessions.clone();
    runtime
        .block_on(runtime.spawn(async move {
            let worker = inner.thread().expect("worker is running");
            worker.insert(KEY, Instance(1));
            // Another task on this worker must not pick this up as "its" entry.
            assert_eq!(inner.current(&KEY).as_deref(), Some(&Instance(0)));
            assert_eq!(worker.remove(&KEY).as_deref(), Some(&Instance(1)));
        }))
        .expect("task assertions hold");
}
