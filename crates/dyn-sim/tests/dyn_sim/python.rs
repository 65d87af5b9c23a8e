//! Runs the real Python `dyn` 1.8.6 SDK, unmodified, against an in-process simulator.
//!
//! The SDK is installed from PyPI into a venv under `<workspace>/target/py-dyn` on first use
//! (about ten seconds; reused afterwards). The scripts live in `tests/python/`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use dyn_sim::Simulator;

/// The SDK version the simulator must satisfy.
const DYN_VERSION: &str = "1.8.6";

static VENV_LOCK: Mutex<()> = Mutex::new(());

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start {cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{text}",
        out.status
    );
    text
}

/// The venv's python, created and filled with `dyn==1.8.6` when missing.
pub(crate) fn python() -> PathBuf {
    let _guard = VENV_LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let venv = workspace().join("target/py-dyn");
    let python = venv.join("bin/python");
    let probe = format!("import dyn; assert dyn.__version__ == '{DYN_VERSION}', dyn.__version__");
    let ready = python.exists()
        && Command::new(&python)
            .args(["-c", &probe])
            .output()
            .is_ok_and(|o| o.status.success());
    if !ready {
        run(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "creating the venv for the Python dyn SDK (needs python3 with the venv module)",
        );
        run(
            Command::new(venv.join("bin/pip"))
                .args(["install", "--disable-pip-version-check", "-q"])
                .arg(format!("dyn=={DYN_VERSION}")),
            "installing dyn from PyPI into target/py-dyn (needs network access to PyPI)",
        );
        run(
            Command::new(&python).args(["-c", &probe]),
            "checking the installed dyn version",
        );
    }
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
