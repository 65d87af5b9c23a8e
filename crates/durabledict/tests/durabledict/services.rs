//! The private test services (`cargo xtask services up`); a missing one fails the test
//! with the command that starts it.

pub(crate) use test_support::services::{postgres_url, redis_url, zookeeper_addr};
