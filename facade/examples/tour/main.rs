//! A short tour of opskit that needs no server: `cargo run -p opskit --example tour`.
//!
//! Each stop is one module: the foundation crates, DynECT through the implicit current session
//! against an in-process simulator, that session kept in a durabledict on SQLite and picked up
//! again, network devices from a testbed, and LXD when a local daemon answers.

#![expect(
    clippy::print_stdout,
    reason = "printing the tour is what this example is for"
)]

mod devices;
mod dns;
mod foundation;
mod lxd;
mod stored_session;

use std::time::Instant;

use anyhow::Result;

#[tokio::main]
async fn main() -> Result<()> {
    let started = Instant::now();
    println!("opskit tour\n");
    foundation::registry().await?;
    foundation::encryption()?;
    let dns = dns::tour().await?;
    stored_session::tour(&dns).await?;
    devices::tour().await?;
    lxd::tour().await;
    dns.simulator.shutdown().await?;
    println!("\ndone in {:.1?}. Next:", started.elapsed());
    println!(
        "  cargo xtask test           every test, against real Redis, PostgreSQL, ZooKeeper, LXD and sshd"
    );
    println!("  cargo xtask bench registry ours vs a Mutex<HashMap> and a thread_local, as ratios");
    println!(
        "  docs/architecture.md       how the crates fit; docs/parity/ for what each one ports"
    );
    Ok(())
}
