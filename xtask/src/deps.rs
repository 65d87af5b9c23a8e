//! `cargo xtask deps`: the dependency rules of `docs/architecture.md`, checked on `cargo metadata`.
//!
//! Edges point down: `registry` and `encryption` at the bottom, `session-core` above them, the
//! product crates above that, the facade on top. Siblings never depend on each other, nothing
//! depends on the facade, and `xtask` depends on no workspace crate. Test peers (`dyn-sim`,
//! `test-support`) may only appear as dev-dependencies of library crates.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::cmd::cargo;

/// Which workspace crates each workspace crate may use as a normal (or build) dependency.
fn allowed_normal(package: &str) -> Option<&'static [&'static str]> {
    const FOUNDATION: &[&str] = &["registry", "encryption"];
    const LIBRARIES: &[&str] = &[
        "registry",
        "encryption",
        "session-core",
        "dyn-tm",
        "dyn-mm",
        "lxd-models",
        "conn-mgr",
        "durabledict",
    ];
    Some(match package {
        "registry" | "encryption" => &[],
        "session-core" | "lxd-models" | "conn-mgr" | "durabledict" => FOUNDATION,
        "dyn-tm" | "dyn-mm" => &["registry", "encryption", "session-core"],
        "dyn-sim" | "xtask" => &[],
        "test-support" => FOUNDATION,
        "opskit" => LIBRARIES,
        "integration-tests" => return None, // the cross-crate scenarios may use anything
        _ => return None,
    })
}

/// Workspace crates any crate may use for its own tests.
const TEST_PEERS: &[&str] = &["test-support", "dyn-sim"];

/// External crates that must never be reachable from the foundation crates, which do no I/O.
const NO_IO_CRATES: &[&str] = &["registry", "encryption"];
const IO_DEPENDENCIES: &[&str] = &["reqwest", "hyper", "mio", "redis", "ssh2", "rusqlite"];

pub(crate) fn check() -> Result<()> {
    let output = cargo([
        "metadata",
        "--format-version",
        "1",
        "--all-features",
        "--locked",
    ])
    .output()
    .context("could not run `cargo metadata`")?;
    if !output.status.success() {
        bail!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: Value =
        serde_json::from_slice(&output.stdout).context("parsing cargo metadata")?;
    let violations = violations(&metadata)?;
    if violations.is_empty() {
        eprintln!("deps: every dependency edge follows the rules");
        return Ok(());
    }
    for violation in &violations {
        eprintln!("deps: {violation}");
    }
    bail!(
        "{} forbidden dependency edge(s); see the dependency rules in docs/architecture.md",
        violations.len()
    )
}

fn violations(metadata: &Value) -> Result<Vec<String>> {
    let members: BTreeSet<&str> = metadata["workspace_members"]
        .as_array()
        .context("cargo metadata has no workspace_members")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let packages = metadata["packages"]
        .as_array()
        .context("cargo metadata has no packages")?;
    let workspace: BTreeMap<&str, &Value> = packages
        .iter()
        .filter(|package| {
            package["id"]
                .as_str()
                .is_some_and(|id| members.contains(id))
        })
        .filter_map(|package| Some((package["name"].as_str()?, package)))
        .collect();

    let mut found = Vec::new();
    for (&name, package) in &workspace {
        for dependency in package["dependencies"].as_array().into_iter().flatten() {
            let Some(target) = dependency["name"].as_str() else {
                continue;
            };
            if !workspace.contains_key(target) || target == name {
                continue;
            }
            let is_dev = dependency["kind"].as_str() == Some("dev");
            let problem = if target == "opskit" && name != "integration-tests" {
                "depends on the facade, which nothing below it may use"
            } else if name == "xtask" {
                "is a dependency of xtask, which must build without the libraries"
            } else if is_dev && !(TEST_PEERS.contains(&target) || allowed(name, target)) {
                "is a dev-dependency on a sibling"
            } else if !is_dev && !allowed(name, target) {
                "is not below it"
            } else {
                continue;
            };
            found.push(format!("`{name}` -> `{target}`: {problem}"));
        }
    }
    found.extend(io_in_foundation()?);
    Ok(found)
}

fn allowed(package: &str, target: &str) -> bool {
    allowed_normal(package).is_none_or(|allowed| allowed.contains(&target))
}

/// Lists each foundation crate's normal dependencies as cargo resolves them for that crate alone
/// (`cargo metadata` unifies features across the workspace, which would blame the foundation for
/// what its neighbours switch on).
fn io_in_foundation() -> Result<Vec<String>> {
    let mut found = Vec::new();
    for crate_name in NO_IO_CRATES {
        let output = cargo([
            "tree", "--locked", "-e", "normal", "--prefix", "none", "-f", "{p}", "-p",
        ])
        .arg(crate_name)
        .output()
        .with_context(|| format!("could not run `cargo tree -p {crate_name}`"))?;
        if !output.status.success() {
            bail!(
                "`cargo tree -p {crate_name}` failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let tree = String::from_utf8_lossy(&output.stdout);
        let reached: BTreeSet<&str> = tree
            .lines()
            .filter_map(|line| line.split_whitespace().next())
            .collect();
        for io in IO_DEPENDENCIES.iter().filter(|io| reached.contains(*io)) {
            found.push(format!(
                "`{crate_name}` reaches `{io}`; foundation crates do no I/O"
            ));
        }
    }
    Ok(found)
}
