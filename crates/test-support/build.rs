//! Compiles `fake-router/main.rs` (std only) with the same rustc, so the sshd harness can run it as
//! sshd's `ForceCommand` without a second package or a cargo call from inside a test.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let source = "fake-router/main.rs";
    println!("cargo::rerun-if-changed={source}");
    let out_dir =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts"));
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let status = Command::new(rustc)
        .args([
            "--edition",
            "2024",
            "-C",
            "opt-level=2",
            "--crate-name",
            "fake_router",
            source,
            "-o",
        ])
        .arg(out_dir.join("fake-router"))
        .status()
        .expect("rustc runs");
    assert!(status.success(), "compiling {source} failed");
}
