//! Python venvs for tests that run the original Python libraries beside ours.
//!
//! Each venv lives under `<workspace>/target/py/<name>`, is made from a pinned requirements
//! file on first use, and is reused while that file is unchanged, so only the first run pays for
//! the download from PyPI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// One venv is made at a time in this process; tests of one binary share them.
static MAKING: Mutex<()> = Mutex::new(());

/// The python of the venv `name`, with the packages of `requirements` installed.
///
/// # Errors
/// A message naming the step that failed (no `python3 -m venv`, PyPI unreachable, a package
/// that does not install) with the tool's own output.
///
/// # Example
/// ```no_run
/// let requirements = std::path::Path::new("crates/dyn-sim/tests/python/requirements.txt");
/// let python = test_support::python::venv("dyn", requirements)?;
/// assert!(python.ends_with("bin/python"));
/// # Ok::<(), String>(())
/// ```
pub fn venv(name: &str, requirements: &Path) -> Result<PathBuf, String> {
    let _making = MAKING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = crate::services::workspace_root()
        .join("target/py")
        .join(name);
    let python = dir.join("bin/python");
    let wanted = std::fs::read_to_string(requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let stamp = dir.join("installed-requirements.txt");
    if python.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&*wanted) {
        return Ok(python);
    }
    run(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&dir),
        "creating the venv (needs python3 with the venv module)",
    )?;
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(requirements),
        "installing the packages from PyPI (needs network access to PyPI)",
    )?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(python)
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("{what}: cannot start {command:?}: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what}: {command:?} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}
