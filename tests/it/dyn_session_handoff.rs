//! A DynECT session saved in a durabledict by one process and used by another without
//! logging in again (dyn-tm + session-core + encryption + durabledict on SQLite + dyn-sim).

use std::path::Path;
use std::process::Command;

use dyn_sim::Simulator;
use dyn_tm::DynectSession;
use dyn_tm::zones::SerialStyle;
use encryption::Key;
use session_core::{DynTm, Endpoint, SessionState, TmSession};

use crate::support::ScratchDir;

/// Set in the second process: the SQLite file holding the dict.
const CHILD_DB: &str = "OPSKIT_IT_HANDOFF_DB";
/// Set in the second process: the printable key that opens the stored session.
const CHILD_KEY: &str = "OPSKIT_IT_HANDOFF_KEY";
/// This test's path inside the binary, so the second process runs exactly this test.
const TEST_PATH: &str =
    "dyn_session_handoff::a_second_process_uses_the_stored_session_without_logging_in";
/// Marks the second process' report on stdout (libtest may print the test name before it).
const REPORT: &str = "HANDOFF-ZONES ";

const KEYSPACE: &str = "dyn-sessions";
const CUSTOMER: &str = "handoff-co";
const USER: &str = "hank";
/// Long and distinctive, so finding it in the database file cannot be a coincidence.
const PASSWORD: &str = "correct-horse-battery-staple-0451";
const ZONE: &str = "handoff.example";

/// The dict of stored sessions, keyed by `customer/user`, in the SQLite file at `db`.
async fn sessions(db: &Path) -> durabledict::DurableDict<SessionState> {
    let backend = durabledict::SqliteBackend::open(db, KEYSPACE)
        .await
        .expect("open the SQLite dict");
    durabledict::DurableDict::builder(backend)
        .build()
        .await
        .expect("build the dict")
}

fn entry() -> String {
    format!("{CUSTOMER}/{USER}")
}

/// Promise: a logged-in `DynectSession` written to a durabledict (password and token sealed
/// with `encryption` under the caller's key) is picked up by a second OS process, which
/// restores it with the key and uses it through the implicit current session — with the
/// same token and no second log-in. A wrong key is a typed error, and the database file
/// holds neither the password nor the token in plain text.
///
/// The test binary runs this test twice: as the parent (which owns the simulator) and, in a
/// child process started with [`CHILD_DB`] and [`CHILD_KEY`], as the second process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_uses_the_stored_session_without_logging_in() {
    if let (Ok(db), Ok(printable)) = (std::env::var(CHILD_DB), std::env::var(CHILD_KEY)) {
        return second_process(Path::new(&db), &printable).await;
    }

    let sim = Simulator::builder()
        .user(CUSTOMER, USER, PASSWORD)
        .start()
        .await
        .expect("simulator starts");
    let scratch = ScratchDir::new("handoff");
    let db = scratch.path().join("sessions.sqlite");
    let key = Key::generate().expect("a key");

    // First process: log in once, create a zone, store the session.
    let session = DynectSession::builder(CUSTOMER, USER, PASSWORD)
        .endpoint(Endpoint::http("127.0.0.1", sim.port()))
        .key(key.clone())
        .log_in_detached()
        .await
        .expect("log in");
    session
        .zones()
        .create(
            ZONE,
            "hostmaster@handoff.example",
            3600,
            SerialStyle::Increment,
        )
        .await
        .expect("create a zone");
    let stored = session.raw().to_state().expect("session state");
    assert!(stored.has_token(), "the token is stored with the session");
    sessions(&db)
        .await
        .insert(&entry(), stored)
        .await
        .expect("store the session");

    // Second process: the same test binary, running only this test in child mode.
    let printable = key.to_printable().as_str().to_owned();
    let child_db = db.clone();
    let output = tokio::task::spawn_blocking(move || {
        // Off the runtime's worker threads: the simulator runs here and must keep serving.
        Command::new(std::env::current_exe().expect("the test binary"))
            .args([TEST_PATH, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_DB, &child_db)
            .env(CHILD_KEY, printable)
            .output()
            .expect("start the second process")
    })
    .await
    .expect("wait for the second process");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "second process failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let zones = stdout
        .lines()
        .find_map(|line| line.split_once(REPORT).map(|(_, zones)| zones))
        .unwrap_or_else(|| panic!("the second process reported no zones:\n{stdout}"));
    assert_eq!(
        zones, ZONE,
        "the second process listed the first one's zone"
    );

    // The simulator saw one log-in; the second process' listing carried that log-in's token.
    let requests = sim.requests_raw();
    let logins: Vec<_> = requests
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/REST/Session/")
        .collect();
    assert_eq!(logins.len(), 1, "exactly one log-in in both processes");
    let token = logins[0]
        .json_response()
        .and_then(|reply| reply["data"]["token"].as_str().map(str::to_owned))
        .expect("the log-in reply carries a token");
    let listings: Vec<_> = requests
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/REST/Zone/")
        .collect();
    assert_eq!(listings.len(), 1, "only the second process listed zones");
    assert_eq!(
        listings[0].header("auth-token"),
        Some(token.as_str()),
        "the second process reused the stored token"
    );
    assert_eq!(sim.session_count(), 1, "one server-side session in all");

    // Neither the password nor the token is in the database files (WAL and shm included).
    let mut files = 0;
    for file in std::fs::read_dir(scratch.path()).expect("list the scratch dir") {
        let path = file.expect("a directory entry").path();
        let bytes = std::fs::read(&path).expect("read a database file");
        for secret in [PASSWORD, token.as_str()] {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{} holds a secret in plain text",
                path.display()
            );
        }
        files += 1;
    }
    assert!(files >= 1, "the dict wrote its SQLite file");

    // Another key does not open the stored session: a typed error, from the sealed password.
    let stored = sessions(&db)
        .await
        .get(&entry())
        .await
        .expect("read the dict")
        .expect("the session is stored");
    let wrong =
        TmSession::restore_detached(DynTm, (*stored).clone(), Key::generate().expect("a key"));
    match wrong {
        Err(session_core::Error::Secret(error)) => {
            let cause = std::error::Error::source(&error)
                .and_then(|source| source.downcast_ref::<encryption::Error>());
            assert!(
                matches!(cause, Some(encryption::Error::WrongKey { .. })),
                "the cause is encryption's WrongKey: {cause:?}"
            );
        }
        other => panic!("a wrong key must fail with Error::Secret, got {other:?}"),
    }

    session.log_out().await.expect("log out");
    assert_eq!(sim.session_count(), 0);
}

/// The second process: open the dict, restore the session with the key, list zones through
/// the implicit current session (dyn-python's `get_all_zones()`), report them on stdout.
#[expect(
    clippy::print_stdout,
    reason = "the second process reports to its parent on stdout"
)]
async fn second_process(db: &Path, printable: &str) {
    let key: Key = printable.parse().expect("a printable key");
    let stored = sessions(db)
        .await
        .get(&entry())
        .await
        .expect("read the dict")
        .expect("the first process stored the session");
    let names = session_core::spawn(async move {
        // Restoring makes the session current for this task, as logging in would.
        let restored = TmSession::restore(DynTm, (*stored).clone(), key).expect("restore");
        assert!(restored.is_logged_in(), "restored with its token");
        dyn_tm::zones::get_all_zones()
            .await
            .expect("list zones with the restored session")
            .iter()
            .map(|zone| zone.name().to_owned())
            .collect::<Vec<_>>()
    })
    .expect("a tokio runtime")
    .await
    .expect("the task finishes");
    println!("{REPORT}{}", names.join(","));
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
