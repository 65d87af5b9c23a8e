//! Compile-time checks: public handles are `Send + Sync`, public futures are `Send`.

use std::future::Future;

use registry::{Error, Registry, ScopeExt, ScopeHandle, Stats, TaskScope, WeakMap, WithOverride};

use crate::Instance;

fn send_sync<T: Send + Sync>() {}
fn send<T: Send>(_: &T) {}

#[test]
fn handles_are_send_and_sync() {
    send_sync::<Registry<String, Instance>>();
    send_sync::<ScopeHandle<'static, String, Instance>>();
    send_sync::<WeakMap<String, Instance>>();
    send_sync::<Error>();
    send_sync::<Stats>();
    send_sync::<TaskScope<std::future::Ready<()>>>();
    send_sync::<WithOverride<std::future::Ready<()>>>();
}

#[test]
fn futures_are_send() {
    let sessions: Registry<String, Instance> = Registry::new();
    let init = sessions.get_or_try_init("k".to_owned(), || async { Ok::<_, Error>(Instance(1)) });
    send(&init);
    let global = sessions.global();
    let scoped = global.get_or_try_init("k".to_owned(), || async { Ok::<_, Error>(Instance(1)) });
    send(&scoped);
    let wrapped = async {}
        .task_scope()
        .with_override(&sessions, "k".to_owned(), Instance(1));
    send(&wrapped);
    let carried = async {}.with_current(&sessions, "k".to_owned());
    send(&carried);
    assert_send_future(wrapped);
}

fn assert_send_future<F: Future + Send>(_: F) {}
