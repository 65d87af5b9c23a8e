//! `cargo xtask`: opskit's build tasks. Run `cargo xtask help` for the list.

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "xtask is a command-line tool: its output is the point"
)]

mod bench;
mod ci;
mod cmd;
mod codegen;
mod deps;
mod features;
mod services;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};

const HELP: &str = "\
usage: cargo xtask <command>

commands:
  test                          start the test services, then run every test of the workspace
  ci                            what CI checks: fmt, clippy, tests, docs, dependency rules,
                                facade features
  deps                          fail on a dependency edge that docs/architecture.md forbids
  features                      build the facade with each feature alone and common pairs
  bench [area...]               side-by-side benchmarks (ours, Python anchor, floor); areas:
                                registry, durabledict (dict), session (dyn), dyn-tm, lxd,
                                connmgr (conn)
                                (default: all, then one table of every area)
  services up|down|status|env   private Redis, ZooKeeper, PostgreSQL and LXD for the tests
  codegen [--check]             regenerate dyn-tm record types from crates/dyn-tm/records.json
  help                          this text
";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("help", &[][..]),
    };
    match command {
        "test" => ci::test(rest),
        "ci" => ci::run(rest),
        "deps" => deps::check(),
        "features" => features::check(),
        "bench" => bench::run(rest),
        "services" => services::run(rest),
        "codegen" => codegen::run(rest),
        "help" | "-h" | "--help" => {
            print!("{HELP}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n\n{HELP}"),
    }
}

/// The workspace root, whatever directory `cargo xtask` was started from.
pub(crate) fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
