//! Runs the real Python `dyn` 1.8.6 SDK, unmodified, against an in-process simulator.
//!
//! The SDK is installed from PyPI into a venv under `<workspace>/target/py/dyn` (`test_support::python`) on first use
//! (about ten seconds; reused afterwards). The scripts live in `tests/python/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use dyn_sim::Simulator;

/// The SDK version the simulator must satisfy.
const DYN_VERSION: &str = "1.8.6";

/// The venv's python, with `dyn==1.8.6` from `tests/python/requirements.txt`.
pub(crate) fn python() -> PathBuf {
    let requirements = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/requirements.txt");
    let python = test_support::python::venv("dyn", &requirements)
        .unwrap_or_else(|e| panic!("cannot prepare the venv with the Python dyn SDK: {e}"));
    let probe = format!("import dyn; assert dyn.__version__ == '{DYN_VERSION}', dyn.__version__");
    let checked = Command::new(&python).args(["-c", &probe]).output();
    assert!(
        checked.as_ref().is_ok_and(|o| o.status.success()),
        "the venv's dyn is not {DYN_VERSION}: {checked:?}"
    );
    python
}

/// Runs one script of `tests/python/` against the simulator and returns its output; panics
/// with the whole output when the script fails.
pub(crate) async fn script(sim: &Simulator, name: &str) -> String {
    script_with_env(sim, name, Vec::new()).await
}

/// [`script`] with extra environment variables.
pub(crate) async fn script_with_env(
    sim: &Simulator,
    name: &str,
    env: Vec<(String, String)>,
) -> String {
    let python = python();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python");
    let port = sim.port().to_string();
    let name = name.to_owned();
    // The simulator runs on this runtime's workers; the script blocks one other thread.
    tokio::task::spawn_blocking(move || {
        let out = Command::new(python)
            .arg(&name)
            .current_dir(&dir)
            .env("DYN_SIM_PORT", port)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .envs(env)
            .output()
            .unwrap_or_else(|e| panic!("cannot run python {name}: {e}"));
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success(),
            "python {name} failed ({}):\n{text}",
            out.status
        );
        assert!(
            text.lines().any(|l| l == "OK"),
            "python {name} did not finish:\n{text}"
        );
        text
    })
    .await
    .expect("the script runner does not panic")
}
