//! The conformance suite on the real PostgreSQL.

use std::sync::Arc;

use durabledict::{Backend, PostgresBackend};
use futures_util::FutureExt as _;

use crate::conformance::{Opener, conformance_suite};
use crate::services::postgres_url;

async fn open(keyspace: &str) -> Opener {
    let url = postgres_url();
    let keyspace = keyspace.to_owned();
    Arc::new(move || {
        let url = url.clone();
        let keyspace = keyspace.clone();
        async move {
            Arc::new(
                PostgresBackend::connect(&url, &keyspace)
                    .await
                    .expect("postgres connects"),
            ) as Arc<dyn Backend>
        }
        .boxed()
    })
}

conformance_suite!(open, delta = true, pushes = true, atomic = true);
