//! `cargo xtask features`: the facade builds with each feature on its own and with the pairs
//! users commonly combine, so no feature silently depends on another being switched on.

use anyhow::Result;

use crate::cmd::{self, cargo};

/// Every feature of the facade except `full`, which the test run already builds.
const SINGLE: &[&str] = &[
    "registry",
    "encryption",
    "session-core",
    "dyn-tm",
    "dyn-mm",
    "lxd-models",
    "conn-mgr",
    "durabledict",
    "dict-sqlite",
    "dict-redis",
    "dict-postgres",
    "dict-zookeeper",
    "dict-pickle",
    "dict-encryption",
];

/// Combinations that appear together in real programs.
const PAIRS: &[&str] = &[
    "dyn-tm,dyn-mm",
    "dyn-tm,dict-sqlite",
    "conn-mgr,encryption",
    "lxd-models,conn-mgr",
    "dict-redis,dict-encryption",
];

pub(crate) fn check() -> Result<()> {
    cmd::run(&mut cargo([
        "check",
        "--quiet",
        "--locked",
        "-p",
        "opskit",
        "--no-default-features",
    ]))?;
    for features in SINGLE.iter().chain(PAIRS) {
        cmd::run(&mut cargo([
            "check",
            "--quiet",
            "--locked",
            "-p",
            "opskit",
            "--no-default-features",
            "--features",
            features,
        ]))?;
    }
    Ok(())
}
