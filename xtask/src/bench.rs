//! `cargo xtask bench [area...]`: side-by-side benchmarks of our code, the Python anchor and the floor.
//!
//! Each area is a `harness = false` bench target in its crate that measures all three on the
//! same live service in one run and prints a markdown table of ratios. This module prepares
//! what the targets need: the test services, and a Python venv per area holding the anchor
//! packages listed in the crate's `benches/requirements.txt`, passed as `OPSKIT_BENCH_PYTHON`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cmd::{self, cargo};
use crate::{project_root, services};

struct Area {
    name: &'static str,
    package: &'static str,
    bench: &'static str,
    needs_services: bool,
}

const AREAS: &[Area] = &[
    Area {
        name: "registry",
        package: "registry",
        bench: "lookup",
        needs_services: false,
    },
    Area {
        name: "durabledict",
        package: "durabledict",
        bench: "durabledict",
        needs_services: true,
    },
    Area {
        name: "session",
        package: "session-core",
        bench: "session",
        needs_services: false,
    },
    Area {
        name: "dyn-tm",
        package: "dyn-tm",
        bench: "dyn_tm",
        needs_services: false,
    },
    Area {
        name: "lxd",
        package: "lxd-models",
        bench: "lxd",
        needs_services: true,
    },
    Area {
        name: "connmgr",
        package: "conn-mgr",
        bench: "connmgr",
        needs_services: false,
    },
];

pub(crate) fn run(args: &[String]) -> Result<()> {
    let selected: Vec<&Area> = if args.is_empty() {
        AREAS.iter().filter(|area| bench_exists(area)).collect()
    } else {
        args.iter()
            .map(|name| {
                AREAS
                    .iter()
                    .find(|area| area.name == canonical(name))
                    .with_context(|| {
                        let names: Vec<_> = AREAS.iter().map(|area| area.name).collect();
                        format!("unknown bench area `{name}`; areas: {}", names.join(", "))
                    })
            })
            .collect::<Result<_>>()?
    };
    if selected.iter().any(|area| area.needs_services) {
        services::up()?;
    }
    let summary = project_root().join("target").join("bench-summary.jsonl");
    // A stale summary would mix old rows into this run's table.
    let _ = std::fs::remove_file(&summary);
    for area in &selected {
        if !bench_exists(area) {
            bail!(
                "bench area `{}` has no bench target yet ({})",
                area.name,
                bench_path(area).display()
            );
        }
        let mut command = cargo([
            "bench",
            "--quiet",
            "--package",
            area.package,
            "--bench",
            area.bench,
        ]);
        if let Some(python) = anchor_python(area)? {
            command.env("OPSKIT_BENCH_PYTHON", python);
        }
        command.env("OPSKIT_BENCH_SUMMARY", &summary);
        eprintln!("== bench: {}", area.name);
        cmd::run(&mut command)?;
    }
    if selected.len() > 1 {
        print_summary(&summary)?;
    }
    Ok(())
}

/// One table for all areas, from the rows each bench appended to the summary file.
fn print_summary(summary: &Path) -> Result<()> {
    let text = std::fs::read_to_string(summary).unwrap_or_default();
    println!("\n## All areas: time per operation, and our time as a multiple of the others\n");
    println!("| area | operation | ours | floor | Python | ours / floor | ours / Python |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for line in text.lines() {
        let row: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("bad summary row: {line}"))?;
        let nanos = |field: &str| row[field].as_f64();
        let ours = nanos("ours_ns").context("a summary row has no `ours_ns`")?;
        let shown = |value: Option<f64>| value.map_or("—".to_owned(), human);
        let ratio = |other: Option<f64>| {
            other.map_or("—".to_owned(), |other| format!("{:.2}", ours / other))
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            row["area"].as_str().unwrap_or("?"),
            row["metric"].as_str().unwrap_or("?"),
            human(ours),
            shown(nanos("floor_ns")),
            shown(nanos("python_ns")),
            ratio(nanos("floor_ns")),
            ratio(nanos("python_ns")),
        );
    }
    Ok(())
}

fn human(nanos: f64) -> String {
    match nanos {
        n if n >= 1e6 => format!("{:.2} ms", n / 1e6),
        n if n >= 1e3 => format!("{:.1} µs", n / 1e3),
        n => format!("{n:.1} ns"),
    }
}

/// The names the issues use for some areas.
fn canonical(name: &str) -> &str {
    match name {
        "dyn" => "session",
        "dict" => "durabledict",
        "conn" => "connmgr",
        other => other,
    }
}

fn crate_dir(area: &Area) -> PathBuf {
    project_root().join("crates").join(area.package)
}

fn bench_path(area: &Area) -> PathBuf {
    crate_dir(area)
        .join("benches")
        .join(format!("{}.rs", area.bench))
}

fn bench_exists(area: &Area) -> bool {
    bench_path(area).is_file()
}

/// A venv under `target/bench-venv/<area>` with the anchor packages, made once and reused.
fn anchor_python(area: &Area) -> Result<Option<PathBuf>> {
    let requirements = crate_dir(area).join("benches").join("requirements.txt");
    if !requirements.is_file() {
        return Ok(None);
    }
    let venv = project_root()
        .join("target")
        .join("bench-venv")
        .join(area.name);
    let python = venv.join("bin").join("python");
    let stamp = venv.join("requirements.installed");
    let wanted = std::fs::read_to_string(&requirements)?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(Some(python));
    }
    eprintln!(
        "bench: installing the Python anchor for `{}` into {}",
        area.name,
        venv.display()
    );
    cmd::run(
        std::process::Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv),
    )?;
    pip_install(&python, &requirements)?;
    std::fs::write(&stamp, wanted)?;
    Ok(Some(python))
}

fn pip_install(python: &Path, requirements: &Path) -> Result<()> {
    cmd::run(
        std::process::Command::new(python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(requirements),
    )
}
