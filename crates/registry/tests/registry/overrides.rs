//! Overrides installed by a future wrapper or a closure, and explicit propagation into tasks.

use std::sync::Arc;

use registry::{Registry, ScopeExt};

use crate::{Instance, KEY, multi_thread_runtime};

#[test]
fn an_override_is_visible_on_every_poll_and_gone_afterwards() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    sessions.insert(KEY, Instance(0));

    runtime.block_on(async {
        let tasks: Vec<_> = (1..=16)
            .map(|n| {
                let sessions = sessions.clone();
                let inside = sessions.clone();
                registry::spawn(async move {
                    inside
                        .task()
                        .expect("task scope")
                        .insert(KEY, Instance(1000 + n));
                    async {
                        for _ in 0..200 {
                            assert_eq!(inside.current(&KEY).as_deref(), Some(&Instance(n)));
                            tokio::task::yield_now().await;
                        }
                    }
                    .with_override(&sessions, KEY, Instance(n))
                    .await;
                    // Outside the wrapper the task's own entry is innermost again.
                    assert_eq!(inside.current(&KEY).as_deref(), Some(&Instance(1000 + n)));
                })
                .expect("inside a runtime")
            })
            .collect();
        for task in tasks {
            task.await.expect("task assertions hold");
        }
    });
    assert_eq!(sessions.current(&KEY).as_deref(), Some(&Instance(0)));
}

#[test]
fn overrides_belong_to_their_registry_and_key() {
    let sessions: Registry<&str, Instance> = Registry::new();
    let others: Registry<&str, Instance> = Registry::new();
    sessions.with_override(KEY, Instance(1), || {
        assert_eq!(sessions.current(&KEY).as_deref(), Some(&Instance(1)));
        assert_eq!(sessions.current(&"other"), None);
        assert_eq!(others.current(&KEY), None);
        // Overrides are never stored entries.
        assert_eq!(sessions.get(&KEY), None);
    });
}

#[test]
fn nested_closure_overrides_resolve_innermost_and_restore() {
    let sessions: Registry<&str, Instance> = Registry::new();
    sessions.with_override(KEY, Instance(1), || {
        sessions.with_override(KEY, Arc::new(Instance(2)), || {
            assert_eq!(sessions.current(&KEY).as_deref(), Some(&Instance(2)));
        });
        assert_eq!(sessions.current(&KEY).as_deref(), Some(&Instance(1)));
    });
    assert_eq!(sessions.current(&KEY), None);
}

#[test]
fn an_override_is_removed_when_the_closure_panics() {
    let sessions: Registry<&str, Instance> = Registry::new();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        sessions.with_override(KEY, Instance(1), || panic!("inside the override"));
    }));
    assert!(panicked.is_err());
    assert_eq!(sessions.current(&KEY), None);
}

#[test]
fn with_current_carries_the_callers_entry_into_a_spawned_task() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    let parent = sessions.clone();
    runtime
        .block_on(async {
            registry::spawn(async move {
                parent.task().expect("task scope").insert(KEY, Instance(5));

                let child = parent.clone();
                let plain = tokio::spawn(async move { child.current(&KEY) });
                assert_eq!(
                    plain.await.expect("child ran"),
                    None,
                    "tasks inherit nothing"
                );

                let child = parent.clone();
                let carried =
                    registry::spawn(async move { child.current(&KEY) }.with_current(&parent, KEY))
                        .expect("inside a runtime");
                assert_eq!(
                    carried.await.expect("child ran").as_deref(),
                    Some(&Instance(5))
                );
            })
            .expect("inside a runtime")
            .await
        })
        .expect("task assertions hold");
}

#[test]
fn with_current_without_an_entry_changes_nothing() {
    let runtime = multi_thread_runtime();
    let sessions: Registry<&str, Instance> = Registry::new();
    let inner = sessions.clone();
    let seen = runtime.block_on(async { inner.current(&KEY) }.with_current(&sessions, KEY));
    assert_eq!(seen, None);
}
