//! Running child commands with their command line echoed, so CI logs show what ran.

use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::project_root;

/// `cargo` with the given arguments, run from the workspace root.
pub(crate) fn cargo<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(args).current_dir(project_root());
    command
}

/// Runs `command` to completion, failing with its command line when it exits non-zero.
pub(crate) fn run(command: &mut Command) -> Result<()> {
    let line = describe(command);
    eprintln!("$ {line}");
    let started = Instant::now();
    let status = command
        .status()
        .with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status}) after {:.1?}", started.elapsed());
    }
    Ok(())
}

fn describe(command: &Command) -> String {
    let mut parts = vec![command.get_program().to_string_lossy().into_owned()];
    parts.extend(
        command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned()),
    );
    parts.join(" ")
}
