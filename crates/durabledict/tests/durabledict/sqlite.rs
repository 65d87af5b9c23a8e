//! The conformance suite on SQLite files, each client its own connection.

use std::path::PathBuf;
use std::sync::Arc;

use durabledict::{Backend, SqliteBackend};
use futures_util::FutureExt as _;

use crate::conformance::{Opener, conformance_suite};

pub(crate) fn scratch_file(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("durabledict-sqlite");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir.join(format!("{name}.db"))
}

async fn open(keyspace: &str) -> Opener {
    let path = scratch_file(keyspace);
    let keyspace = keyspace.to_owned();
    Arc::new(move || {
        let path = path.clone();
        let keyspace = keyspace.clone();
        async move {
            Arc::new(
                SqliteBackend::open(&path, &keyspace)
                    .await
                    .expect("sqlite opens"),
            ) as Arc<dyn Backend>
        }
        .boxed()
    })
}

conformance_suite!(open, delta = true, pushes = false, atomic = true);
