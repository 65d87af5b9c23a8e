//! `cargo xtask bench session`: one authenticated GET (`GET /REST/Session/`, the session
//! check) against dyn-sim, through our engine, through a bare reqwest loop and curl (the
//! floor), and through the Python `dyn` 1.8.6 SDK (the anchor, when `OPSKIT_BENCH_PYTHON`
//! names a Python that has it). Prints a markdown table of ratios.
//!
//! `OPSKIT_BENCH_ITERATIONS` sets the number of calls per client (default 1000).

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark reports on the terminal"
)]

use std::ffi::OsStr;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use dyn_sim::{DEFAULT_CUSTOMER, DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
use serde_json::json;
use session_core::{Credentials, DynTm, Endpoint, Session};

/// Rounds per client, taken in turns; the best round of each counts.
const ROUNDS: usize = 5;

struct Row {
    client: &'static str,
    elapsed: Duration,
}

fn main() -> Result<()> {
    let iterations: u32 = std::env::var("OPSKIT_BENCH_ITERATIONS")
        .ok()
        .map(|text| text.parse())
        .transpose()
        .context("OPSKIT_BENCH_ITERATIONS must be a number")?
        .unwrap_or(1000);

    // The simulator gets a runtime (and a worker thread) of its own, so every client measured
    // shares the machine with it in the same way.
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let sim = server_runtime.block_on(Simulator::start())?;
    let port = sim.port();
    let client_runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;

    // reqwest is built without a default TLS provider in this workspace (rustls on ring, no
    // aws-lc); the floor clients, which build plain `reqwest::Client`s, get ring as default.
    let _ = rustls::crypto::ring::default_provider().install_default();

    let python = std::env::var_os("OPSKIT_BENCH_PYTHON");
    if python.is_none() {
        eprintln!(
            "python row skipped: OPSKIT_BENCH_PYTHON is not set (`cargo xtask bench session` sets it)"
        );
    }
    let token = client_runtime.block_on(raw_log_in(&reqwest::Client::new(), port))?;
    let mut curl_ok = true;

    // The clients take turns for a few rounds and each keeps its best round, so a burst of
    // other work on the machine does not land on one of them only.
    let mut best = [Duration::MAX; 4];
    for _ in 0..ROUNDS {
        best[0] = best[0].min(client_runtime.block_on(bench_ours(port, iterations))?);
        sim.clear_requests();
        best[1] = best[1].min(client_runtime.block_on(bench_reqwest(port, iterations))?);
        sim.clear_requests();
        if curl_ok {
            match bench_curl(port, &token, iterations) {
                Ok(elapsed) => best[2] = best[2].min(elapsed),
                Err(error) => {
                    eprintln!("curl row skipped: {error:#}");
                    curl_ok = false;
                }
            }
            sim.clear_requests();
        }
        if let Some(python) = &python {
            best[3] = best[3].min(bench_python(python, port, iterations)?);
            sim.clear_requests();
        }
    }
    let names = [
        "session-core (ours)",
        "bare reqwest loop (floor)",
        "curl, one process (floor)",
        "dyn 1.8.6 Python SDK (anchor)",
    ];
    let rows: Vec<Row> = names
        .into_iter()
        .zip(best)
        .filter(|(_, elapsed)| *elapsed != Duration::MAX)
        .map(|(client, elapsed)| Row { client, elapsed })
        .collect();
    let (ours, floor) = (best[0], best[1]);
    print_table(&rows, iterations, ours, floor);
    let per_call = |elapsed: Duration| (elapsed != Duration::MAX).then(|| elapsed / iterations);
    test_support::bench::record(&test_support::bench::Row {
        area: "session",
        metric: "GET /REST/Session/ (floor: bare reqwest loop)",
        ours: ours / iterations,
        floor: per_call(floor),
        python: per_call(best[3]),
    })?;
    Ok(())
}

async fn bench_ours(port: u16, iterations: u32) -> Result<Duration> {
    let credentials = Credentials::new(DEFAULT_CUSTOMER, DEFAULT_USER, DEFAULT_PASSWORD)?;
    let session = Session::builder(DynTm, Endpoint::http("127.0.0.1", port), credentials)
        .log_in_detached()
        .await?;
    session.get("/Session/", json!({})).await?;
    let started = Instant::now();
    for _ in 0..iterations {
        session.get("/Session/", json!({})).await?;
    }
    let elapsed = started.elapsed();
    session.log_out().await?;
    Ok(elapsed)
}

async fn raw_log_in(client: &reqwest::Client, port: u16) -> Result<String> {
    let body = json!({
        "customer_name": DEFAULT_CUSTOMER,
        "user_name": DEFAULT_USER,
        "password": DEFAULT_PASSWORD,
    });
    let reply = client
        .post(format!("http://127.0.0.1:{port}/REST/Session/"))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await?
        .bytes()
        .await?;
    let reply: serde_json::Value = serde_json::from_slice(&reply)?;
    Ok(reply["data"]["token"]
        .as_str()
        .context("no token in the log-in reply")?
        .to_owned())
}

/// The least a Rust client can do: same client library, send and read the body, no parsing.
async fn bench_reqwest(port: u16, iterations: u32) -> Result<Duration> {
    let client = reqwest::Client::builder()
        .tcp_nodelay(true)
        .no_proxy()
        .build()?;
    let token = raw_log_in(&client, port).await?;
    let url = format!("http://127.0.0.1:{port}/REST/Session/");
    let get = || {
        client
            .get(&url)
            .header("Auth-Token", &token)
            .header("API-Version", "current")
    };
    get().send().await?.bytes().await?;
    let started = Instant::now();
    for _ in 0..iterations {
        if get().send().await?.bytes().await?.is_empty() {
            bail!("empty reply");
        }
    }
    Ok(started.elapsed())
}

/// curl fetching the same URL `iterations` times over one kept-alive connection.
fn bench_curl(port: u16, token: &str, iterations: u32) -> Result<Duration> {
    let url = format!("http://127.0.0.1:{port}/REST/Session/");
    let mut config = String::new();
    for _ in 0..iterations {
        config.push_str(&format!("url = \"{url}\"\noutput = \"/dev/null\"\n"));
    }
    let mut child = Command::new("curl")
        .args(["--silent", "--fail", "--noproxy", "*"])
        .args(["--header", &format!("Auth-Token: {token}")])
        .args(["--header", "API-Version: current", "--config", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .context("curl could not be started")?;
    let started = Instant::now();
    child
        .stdin
        .take()
        .context("curl stdin")?
        .write_all(config.as_bytes())?;
    let status = child.wait()?;
    let elapsed = started.elapsed();
    if !status.success() {
        bail!("curl exited with {status}");
    }
    Ok(elapsed)
}

fn bench_python(python: &OsStr, port: u16, iterations: u32) -> Result<Duration> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/session_py.py");
    let output = Command::new(python)
        .arg(script)
        .args([
            "127.0.0.1",
            &port.to_string(),
            DEFAULT_CUSTOMER,
            DEFAULT_USER,
        ])
        .args([DEFAULT_PASSWORD, &iterations.to_string()])
        .output()
        .context("the Python anchor could not be started")?;
    if !output.status.success() {
        bail!(
            "the Python anchor failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .context("the Python anchor printed no JSON report")?;
    let seconds = report["seconds"]
        .as_f64()
        .context("the Python report has no `seconds`")?;
    Ok(Duration::from_secs_f64(seconds))
}

fn print_table(rows: &[Row], iterations: u32, ours: Duration, floor: Duration) {
    println!(
        "\n### session: {iterations} × `GET /REST/Session/` on one session against dyn-sim \
         (best of {ROUNDS} rounds each)\n"
    );
    println!("| client | total | per call | calls/s | × floor (reqwest) | ours is × faster |");
    println!("|---|---:|---:|---:|---:|---:|");
    for row in rows {
        let per_call = row.elapsed / iterations;
        let rate = f64::from(iterations) / row.elapsed.as_secs_f64();
        println!(
            "| {} | {:.1} ms | {:.1} µs | {:.0} | {:.2} | {:.2} |",
            row.client,
            row.elapsed.as_secs_f64() * 1e3,
            per_call.as_secs_f64() * 1e6,
            rate,
            row.elapsed.as_secs_f64() / floor.as_secs_f64(),
            row.elapsed.as_secs_f64() / ours.as_secs_f64(),
        );
    }
}
