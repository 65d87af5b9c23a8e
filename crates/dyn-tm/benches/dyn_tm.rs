//! `cargo xtask bench dyn-tm` (or `cargo bench -p dyn-tm --bench dyn_tm`): the zone workflow
//! of issue 4 against dyn-sim — create a zone, add 500 records over the common types,
//! publish, list all records, delete the zone — through dyn-tm and through the Python `dyn`
//! 1.8.6 SDK (the anchor, when `OPSKIT_BENCH_PYTHON` names a Python that has it). Then the
//! same workflow on 32 zones with 32 concurrent sessions: throughput and the simulator's
//! share of the CPU (Linux, from `/proc`).
//!
//! `OPSKIT_BENCH_RECORDS` sets the records per zone (default 500).

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    reason = "a benchmark reports on the terminal and fails loudly"
)]

use std::ffi::OsStr;
use std::process::Command;
use std::time::{Duration, Instant};

use dyn_sim::{DEFAULT_CUSTOMER, DEFAULT_PASSWORD, DEFAULT_USER, Simulator, UserSeed};
use dyn_tm::records::{ARdata, AaaaRdata, CnameRdata, MxRdata, SrvRdata, TxtRdata};
use dyn_tm::zones::SerialStyle;
use dyn_tm::{DynectSession, Rdata};
use session_core::Endpoint;

const SESSIONS: usize = 32;
const SIM_THREAD: &str = "dyn-sim-bench";

/// The same mix as the Python side: node and rdata of record `index`.
fn record(zone: &str, index: u32) -> (String, Rdata) {
    match index % 6 {
        0 => (
            format!("h{index}"),
            ARdata::new([10, (index >> 16) as u8, (index >> 8) as u8, index as u8].into()).into(),
        ),
        1 => (
            format!("h{index}"),
            AaaaRdata::new(format!("2001:db8::{index:x}").parse().unwrap()).into(),
        ),
        2 => (
            format!("t{index}"),
            TxtRdata::new(format!("text record {index}")).into(),
        ),
        3 => {
            let mut mx = MxRdata::new(format!("mail{index}.{zone}."));
            mx.preference = 10;
            (format!("m{index}"), mx.into())
        }
        4 => (
            format!("c{index}"),
            CnameRdata::new(format!("h0.{zone}.")).into(),
        ),
        _ => (
            format!("_s{index}._tcp"),
            SrvRdata::new(5060, 10, format!("sip{index}.{zone}."), 5).into(),
        ),
    }
}

async fn workflow(session: &DynectSession, zone_name: &str, records: u32) -> usize {
    let mut zone = session
        .zones()
        .create(
            zone_name,
            &format!("hostmaster@{zone_name}"),
            3600,
            SerialStyle::Increment,
        )
        .await
        .unwrap();
    let manager = zone.records();
    for index in 0..records {
        let (node, rdata) = record(zone_name, index);
        manager.add(&node, rdata).await.unwrap();
    }
    zone.publish(None).await.unwrap();
    let listed = manager.all(None).await.unwrap().len();
    zone.delete().await.unwrap();
    listed
}

fn log_in(port: u16, user: &str) -> dyn_tm::DynectSessionBuilder {
    DynectSession::builder(DEFAULT_CUSTOMER, user, DEFAULT_PASSWORD)
        .endpoint(Endpoint::http("127.0.0.1", port))
}

/// CPU seconds used so far by the threads whose name starts with `prefix` (all threads when
/// `None`), from `/proc/self/task/*/stat`; `None` off Linux.
fn cpu_seconds(prefix: Option<&str>) -> Option<f64> {
    let ticks_per_second = 100.0;
    let mut total = 0_u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let dir = task.ok()?.path();
        if let Some(prefix) = prefix {
            let name = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
            if !name.starts_with(prefix) {
                continue;
            }
        }
        let stat = std::fs::read_to_string(dir.join("stat")).unwrap_or_default();
        // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
        let after = stat
            .rsplit_once(") ")
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        let fields: Vec<&str> = after.split_whitespace().collect();
        let utime: u64 = fields.get(11).and_then(|f| f.parse().ok()).unwrap_or(0);
        let stime: u64 = fields.get(12).and_then(|f| f.parse().ok()).unwrap_or(0);
        total += utime + stime;
    }
    Some(total as f64 / ticks_per_second)
}

/// Wall time and client CPU time of one workflow.
struct Run {
    wall: Duration,
    cpu: Option<f64>,
}

fn python(python: &OsStr, port: u16, records: u32) -> Option<Run> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/dyn_tm_py.py");
    let output = Command::new(python)
        .arg(script)
        .args([
            "127.0.0.1",
            &port.to_string(),
            DEFAULT_CUSTOMER,
            DEFAULT_USER,
        ])
        .args([DEFAULT_PASSWORD, "python.test", &records.to_string()])
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!(
            "python anchor failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    let line: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    Some(Run {
        wall: Duration::from_secs_f64(line["seconds"].as_f64()?),
        cpu: line["cpu"].as_f64(),
    })
}

/// CPU seconds of this process outside the simulator's threads.
fn client_cpu() -> Option<f64> {
    Some(cpu_seconds(None)? - cpu_seconds(Some(SIM_THREAD))?)
}

fn main() {
    let records: u32 = std::env::var("OPSKIT_BENCH_RECORDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(500);
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(SIM_THREAD)
        .enable_all()
        .build()
        .unwrap();
    let sim = server.block_on(Simulator::start()).unwrap();
    for index in 0..SESSIONS {
        sim.add_user(UserSeed::new(
            DEFAULT_CUSTOMER,
            &format!("bench{index}"),
            DEFAULT_PASSWORD,
        ));
    }
    let port = sim.port();
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();

    // One zone, one session, on a current-thread runtime like the Python client's blocking
    // socket (no hop between threads per request): best of three.
    let single = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let ours = single.block_on(async {
        let session = log_in(port, DEFAULT_USER).log_in_detached().await.unwrap();
        let mut best = Run {
            wall: Duration::MAX,
            cpu: None,
        };
        for round in 0..3 {
            let cpu_before = client_cpu();
            let started = Instant::now();
            let listed = workflow(&session, &format!("round{round}.test"), records).await;
            let wall = started.elapsed();
            assert_eq!(listed, records as usize + 5, "records plus SOA and 4 NS");
            if wall < best.wall {
                best = Run {
                    wall,
                    cpu: cpu_before.zip(client_cpu()).map(|(a, b)| b - a),
                };
            }
        }
        session.log_out().await.unwrap();
        best
    });
    sim.clear_requests();
    let anchor = std::env::var_os("OPSKIT_BENCH_PYTHON").and_then(|py| python(&py, port, records));
    sim.clear_requests();

    // 32 zones, 32 sessions at once.
    let sim_cpu_before = cpu_seconds(Some(SIM_THREAD));
    let all_cpu_before = cpu_seconds(None);
    let started = Instant::now();
    client.block_on(async {
        let tasks: Vec<_> = (0..SESSIONS)
            .map(|index| {
                let builder = log_in(port, &format!("bench{index}"));
                tokio::spawn(async move {
                    let session = builder.log_in_detached().await.unwrap();
                    workflow(&session, &format!("zone{index}.test"), records).await;
                    session.log_out().await.unwrap();
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
    let concurrent = started.elapsed();
    let refused = sim
        .requests_raw()
        .iter()
        .filter(|r| r.status != 200)
        .count();
    if refused > 0 {
        eprintln!("note: {refused} requests were refused and retried (throttling, blocking tasks)");
    }
    let sim_cpu = sim_cpu_before
        .zip(cpu_seconds(Some(SIM_THREAD)))
        .map(|(a, b)| b - a);
    let all_cpu = all_cpu_before.zip(cpu_seconds(None)).map(|(a, b)| b - a);

    // Requests per workflow: log-in excluded; create, adds, publish, list, delete.
    let requests = f64::from(records + 4);
    let python_wall = anchor.as_ref().map(|py| py.wall);
    println!("\n### dyn-tm: create zone, add {records} records, publish, list all, delete\n");
    let cpu_ms =
        |cpu: Option<f64>| cpu.map_or_else(|| "?".to_owned(), |s| format!("{:.0} ms", s * 1e3));
    println!("| client | one workflow (wall) | requests/s | wall vs ours | client CPU |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| dyn-tm (ours) | {:.1} ms | {:.0} | 1.0x | {} |",
        ours.wall.as_secs_f64() * 1e3,
        requests / ours.wall.as_secs_f64(),
        cpu_ms(ours.cpu)
    );
    match anchor {
        Some(py) => println!(
            "| dyn 1.8.6 Python SDK (anchor) | {:.1} ms | {:.0} | {:.1}x slower | {} |",
            py.wall.as_secs_f64() * 1e3,
            requests / py.wall.as_secs_f64(),
            py.wall.as_secs_f64() / ours.wall.as_secs_f64(),
            cpu_ms(py.cpu)
        ),
        None => {
            eprintln!("python row skipped: set OPSKIT_BENCH_PYTHON to a Python with dyn==1.8.6")
        }
    }
    println!(
        "\n{SESSIONS} sessions x {SESSIONS} zones at once: {:.2} s, {:.0} workflows/min, {:.0} requests/s",
        concurrent.as_secs_f64(),
        SESSIONS as f64 * 60.0 / concurrent.as_secs_f64(),
        requests * SESSIONS as f64 / concurrent.as_secs_f64()
    );
    if let (Some(sim_cpu), Some(all_cpu)) = (sim_cpu, all_cpu) {
        println!(
            "simulator CPU: {sim_cpu:.2} s of {all_cpu:.2} s process CPU ({:.0}%), {:.0}% of one core over the run",
            100.0 * sim_cpu / all_cpu.max(f64::EPSILON),
            100.0 * sim_cpu / concurrent.as_secs_f64()
        );
    }
    let rows = [
        (
            format!("zone workflow, {records} records, one session"),
            ours.wall,
            python_wall,
        ),
        (
            format!("{SESSIONS} zone workflows on {SESSIONS} sessions at once"),
            concurrent,
            None,
        ),
    ];
    for (metric, ours, python) in &rows {
        test_support::bench::record(&test_support::bench::Row {
            area: "dyn-tm",
            metric,
            ours: *ours,
            floor: None,
            python: *python,
        })
        .expect("the bench summary file is writable");
    }
}
