//! Traces: a span per request with method, path and status, and never a secret.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use dyn_sim::DEFAULT_PASSWORD;
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use crate::support::{builder, simulator};

/// Records every span and event, with all fields, as text.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct Text<'a>(&'a mut String);

impl Visit for Text<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Capture {
    fn push(&self, head: &str, record: impl FnOnce(&mut Text<'_>)) {
        let mut line = head.to_owned();
        record(&mut Text(&mut line));
        self.lines.lock().unwrap().push(line);
    }

    fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.push(&format!("span {}", span.metadata().name()), |text| {
            span.record(text)
        });
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        self.push("record", |text| values.record(text));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        self.push(&format!("event {}", event.metadata().target()), |text| {
            event.record(text)
        });
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[test]
fn traces_name_requests_and_never_hold_secrets() {
    let capture = Capture::default();
    // Process-wide: a thread-local default races with the callsite interest cache while the
    // other tests of this binary run. Their traces are captured too, and must be clean as well.
    tracing::subscriber::set_global_default(capture.clone()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let token = runtime.block_on(async {
        let sim = simulator().await;
        let session = builder(&sim).history(4).log_in_detached().await.unwrap();
        sim.rate_limit_next(1, 0);
        session.get("/Session/", json!({})).await.unwrap();
        session
            .put("/Session/", json!({"password": "n3w-secret"}))
            .await
            .unwrap();
        let token = sim.requests_raw()[0].json_response().unwrap()["data"]["token"]
            .as_str()
            .unwrap()
            .to_owned();
        session.log_out().await.unwrap();
        token
    });
    let text = capture.text();
    assert!(text.contains("span session_core.request"), "{text}");
    assert!(text.contains("path=/REST/Session/"), "{text}");
    assert!(
        text.contains("method=GET") && text.contains("method=POST"),
        "{text}"
    );
    assert!(
        text.contains("status=429") && text.contains("status=200"),
        "{text}"
    );
    assert!(
        text.contains("retrying"),
        "the rate-limit retry is traced: {text}"
    );
    for secret in [DEFAULT_PASSWORD, "n3w-secret", token.as_str()] {
        assert!(
            !text.contains(secret),
            "a secret reached the traces: {text}"
        );
    }
}
