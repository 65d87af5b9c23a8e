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
                    .find(|area| area.name == name)
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
    for area in selected {
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
        eprintln!("== bench: {}", area.name);
        cmd::run(&mut command)?;
    }
    Ok(())
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
