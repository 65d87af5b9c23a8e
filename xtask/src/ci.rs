//! `cargo xtask test` and `cargo xtask ci`: the README's test command and the CI checks.

use std::time::Instant;

use anyhow::{Result, bail};

use crate::cmd::{self, cargo};
use crate::{deps, features, services};

/// Starts the test services, then runs every test of the workspace, doctests included.
pub(crate) fn test(args: &[String]) -> Result<()> {
    services::up()?;
    // Extra arguments go to the test harness, e.g. `cargo xtask test -- --nocapture`.
    cmd::run(cargo(["test", "--workspace", "--all-features", "--no-fail-fast"]).args(args))
}

/// One CI check; each reports its own failure.
type Step = fn() -> Result<()>;

/// The CI checks, in the order that fails fastest: formatting, lints, tests, docs, dependency
/// rules, facade features.
pub(crate) fn run(args: &[String]) -> Result<()> {
    let keep_going = args.iter().any(|arg| arg == "--keep-going");
    let steps: [(&str, Step); 6] = [
        ("fmt", || {
            cmd::run(&mut cargo(["fmt", "--all", "--", "--check"]))
        }),
        ("clippy", clippy),
        ("test", || test(&[])),
        ("doc", doc),
        ("deps", deps::check),
        ("features", features::check),
    ];
    let mut failed = Vec::new();
    for (name, step) in steps {
        let started = Instant::now();
        eprintln!("== ci: {name}");
        match step() {
            Ok(()) => eprintln!("== ci: {name} ok in {:.1?}", started.elapsed()),
            Err(error) if keep_going => {
                eprintln!("== ci: {name} FAILED: {error:#}");
                failed.push(name);
            }
            Err(error) => return Err(error.context(format!("ci step `{name}` failed"))),
        }
    }
    if !failed.is_empty() {
        bail!("ci steps failed: {}", failed.join(", "));
    }
    Ok(())
}

fn clippy() -> Result<()> {
    // Default features too: code behind `cfg(not(feature = ..))` only shows up there.
    for features in [&["--all-features"][..], &[]] {
        cmd::run(
            cargo(["clippy", "--workspace", "--all-targets", "--locked"])
                .args(features)
                .args(["--", "-D", "warnings"]),
        )?;
    }
    Ok(())
}

fn doc() -> Result<()> {
    cmd::run(
        cargo([
            "doc",
            "--workspace",
            "--all-features",
            "--no-deps",
            "--locked",
        ])
        .env("RUSTDOCFLAGS", "-D warnings"),
    )
}
