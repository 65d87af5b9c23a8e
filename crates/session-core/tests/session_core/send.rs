//! Auto traits: handles and futures are `Send` (and handles `Sync`), checked at compile time.

use serde_json::json;
use session_core::{DynMm, DynTm, Error, Session, SessionBuilder, SessionFutureExt};

fn is_send<T: Send>(_: &T) {}
fn is_send_sync_clone<T: Send + Sync + Clone>() {}

#[test]
fn handles_are_send_sync_and_clone() {
    is_send_sync_clone::<Session<DynTm>>();
    is_send_sync_clone::<Session<DynMm>>();
    is_send_sync_clone::<session_core::Credentials>();
    is_send_sync_clone::<session_core::SessionState>();
    fn error_is_send_sync<T: Send + Sync + std::error::Error + 'static>() {}
    error_is_send_sync::<Error>();
}

#[test]
fn futures_are_send() {
    let credentials = session_core::Credentials::new("acme", "alice", "pw").unwrap();
    let builder: SessionBuilder<DynTm> = Session::builder(
        DynTm,
        session_core::Endpoint::http("127.0.0.1", 9),
        credentials,
    );
    let session = builder.build().unwrap();
    let builder = Session::builder(
        DynTm,
        session_core::Endpoint::http("127.0.0.1", 9),
        session.credentials().clone(),
    );
    is_send(&session.get("/Zone/", json!({})));
    is_send(&session.log_in());
    is_send(&session.log_out());
    is_send(&session.keep_alive());
    is_send(&Session::<DynTm>::close_session());
    is_send(&async {}.with_session(session.clone()));
    is_send(&async {}.with_current_session::<DynTm>());
    is_send(&Session::new_session(builder));
}
