//! Integration tests of `lxd-models` against a real LXD daemon (`cargo xtask services up`).

mod auto_traits;
mod errors;
mod events;
mod https;
mod images;
mod instances;
mod misc;
mod outage;
mod profiles;
mod projects;
mod storage;
mod support;
