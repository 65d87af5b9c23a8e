//! Network devices from a testbed YAML: here a `local` shell, so the tour needs no router.

use anyhow::Result;
use opskit::conn_mgr::{ConnectOptions, Testbed, TestbedLoader};

const TESTBED: &str = "\
testbed:
  name: tour
devices:
  workstation:
    os: linux
    connections:
      defaults: {class: local, via: shell}
      shell: {}
";

pub(crate) async fn tour() -> Result<()> {
    println!("\nconn-mgr: a testbed device, its default connection and a pool of four");
    let testbed = Testbed::new(TestbedLoader::new().load_str(TESTBED, "tour.yaml")?);
    let device = testbed.device("workstation")?;
    device.connect(ConnectOptions::new()).await?;
    println!(
        "  execute uname -s       {}",
        device.execute("uname -s").await?.trim()
    );
    let pool = device
        .connect(ConnectOptions::new().alias("workers").pool(4))
        .await?;
    let mut runs = Vec::new();
    for n in 0..8 {
        let pool = pool.clone();
        runs.push(tokio::spawn(async move {
            pool.execute(&format!("echo job {n}")).await
        }));
    }
    let mut done = 0;
    for run in runs {
        run.await??;
        done += 1;
    }
    println!(
        "  a pool of {} ran       {done} commands",
        pool.pool_size().unwrap_or(1)
    );
    let bad = TestbedLoader::new().load_str(
        "devices:\n  r1:\n    connections: [not, a, map]\n",
        "broken.yaml",
    );
    if let Err(error) = bad {
        println!("  a broken testbed       {error}");
    }
    device.destroy_all().await?;
    Ok(())
}
