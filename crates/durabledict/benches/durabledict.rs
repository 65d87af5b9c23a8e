//! `cargo xtask bench durabledict`: our dict, the floor (the same `redis` client doing a
//! raw GET / SET / HGETALL) and Python durabledict 0.9.4 (under `$OPSKIT_BENCH_PYTHON`),
//! side by side on the live Redis in one run, as a markdown table.
#![expect(clippy::print_stdout, reason = "a bench reports its table on stdout")]
#![expect(
    clippy::print_stderr,
    reason = "a bench explains skipped parts on stderr"
)]

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use durabledict::{DurableDict, RedisBackend, SqliteBackend, SyncPolicy};
use serde_json::{Value, json};

type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

fn redis_url() -> String {
    std::env::var("OPSKIT_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:16379/".to_owned())
}

/// Median over 5 runs of the mean time per operation, in microseconds, for `ours` and
/// `floor` measured in alternating runs, so load from other processes hits both alike.
async fn paired<F, Fut, G, Gut>(iterations: u32, mut ours: F, mut floor: G) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
    G: FnMut() -> Gut,
    Gut: Future<Output = ()>,
{
    let mut ours_runs = Vec::new();
    let mut floor_runs = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..iterations {
            ours().await;
        }
        ours_runs.push(start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations));
        let start = Instant::now();
        for _ in 0..iterations {
            floor().await;
        }
        floor_runs.push(start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations));
    }
    (
        percentile(&mut ours_runs, 0.5),
        percentile(&mut floor_runs, 0.5),
    )
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

#[derive(Default)]
struct Row {
    metric: &'static str,
    ours: f64,
    floor: Option<f64>,
    python: Option<f64>,
    note: &'static str,
}

fn python_anchor(url: &str, prefix: &str) -> Option<HashMap<String, f64>> {
    let python = std::env::var_os("OPSKIT_BENCH_PYTHON")
        .map(PathBuf::from)
        .or_else(|| {
            // The venv the interop tests made, if present.
            let venv = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/py/durabledict/bin/python");
            venv.exists().then_some(venv)
        });
    let Some(python) = python else {
        eprintln!("no OPSKIT_BENCH_PYTHON: the Python column stays empty");
        return None;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/anchor.py");
    let output = std::process::Command::new(&python)
        .arg(script)
        .args([url, prefix])
        .output();
    match output {
        Ok(output) if output.status.success() => serde_json::from_slice(&output.stdout)
            .map_err(|e| eprintln!("anchor output: {e}"))
            .ok(),
        Ok(output) => {
            eprintln!(
                "python anchor failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            None
        }
        Err(e) => {
            eprintln!("cannot run {}: {e}", python.display());
            None
        }
    }
}

async fn run() -> AnyResult<Vec<Row>> {
    let url = redis_url();
    let prefix = format!("opskit-bench-durabledict-{}", std::process::id());
    let client = redis::Client::open(url.as_str())?;
    let mut raw = client
        .get_multiplexed_async_connection()
        .await
        .map_err(|e| {
            format!(
                "Redis is not answering at {url} ({e}); start it with `cargo xtask services up`"
            )
        })?;
    let mut rows = Vec::new();

    // --- reads on a 10-key dict
    let small = format!("{prefix}-small");
    let every_read: DurableDict<Value> =
        DurableDict::builder(RedisBackend::connect(&url, &small).await?)
            .build()
            .await?;
    every_read
        .update((0..10).map(|i| (format!("key{i}"), json!(i))))
        .await?;
    let counter_key = format!("{small}last_updated");
    let (ours, floor) = paired(
        2000,
        || async {
            black_box(every_read.get("key3").await.expect("get"));
        },
        || async {
            let value: Option<String> = redis::cmd("GET")
                .arg(&counter_key)
                .query_async(&mut raw.clone())
                .await
                .expect("GET");
            black_box(value);
        },
    )
    .await;
    rows.push(Row {
        metric: "get, every read (autosync=True)",
        ours,
        floor: Some(floor),
        note: "floor: one raw GET",
        ..Row::default()
    });

    let pushed: DurableDict<Value> =
        DurableDict::builder(RedisBackend::connect(&url, &small).await?)
            .policy(SyncPolicy::Push {
                verify_every: Duration::from_secs(1),
            })
            .build()
            .await?;
    let map: HashMap<String, Value> = (0..10).map(|i| (format!("key{i}"), json!(i))).collect();
    let (ours, floor) = paired(
        1_000_000,
        || async {
            black_box(pushed.get_local(black_box("key3")));
        },
        || async {
            black_box(map.get(black_box("key3")));
        },
    )
    .await;
    rows.push(Row {
        metric: "get, cached (push policy / autosync=False)",
        ours,
        floor: Some(floor),
        note: "floor: HashMap lookup",
        ..Row::default()
    });

    // --- writes
    let set_key = format!("{prefix}-floor-set");
    let mut n = 0_i64;
    let (ours, floor) = paired(
        500,
        || {
            n += 1;
            let value = json!(n);
            let dict = &every_read;
            async move { dict.insert("key3", value).await.expect("insert") }
        },
        || async {
            let _: () = redis::cmd("SET")
                .arg(&set_key)
                .arg("1")
                .query_async(&mut raw.clone())
                .await
                .expect("SET");
        },
    )
    .await;
    rows.push(Row {
        metric: "insert, 10-key dict",
        ours,
        floor: Some(floor),
        note: "ours: one EVALSHA (HSET, INCRBY, log), no reload; floor: one SET",
        ..Row::default()
    });

    // --- sync of a 1,000-key dict after one remote change
    let big = format!("{prefix}-big");
    let writer: DurableDict<Value> = DurableDict::builder(RedisBackend::connect(&url, &big).await?)
        .policy(SyncPolicy::Manual)
        .build()
        .await?;
    writer
        .update((0..1000).map(|i| {
            (
                format!("key{i}"),
                json!({"n": i, "name": format!("value {i}")}),
            )
        }))
        .await?;
    let reader: DurableDict<Value> = DurableDict::builder(RedisBackend::connect(&url, &big).await?)
        .policy(SyncPolicy::Manual)
        .build()
        .await?;
    let mut samples = Vec::new();
    let mut hgetall = Vec::new();
    for i in 0..50 {
        writer.insert("key7", json!({"n": i})).await?;
        let start = Instant::now();
        reader.sync().await?;
        samples.push(start.elapsed().as_secs_f64() * 1e6);
        let start = Instant::now();
        let all: Vec<(String, Vec<u8>)> = redis::cmd("HGETALL")
            .arg(&big)
            .query_async(&mut raw.clone())
            .await?;
        hgetall.push(start.elapsed().as_secs_f64() * 1e6);
        black_box(all);
    }
    rows.push(Row {
        metric: "sync after one change, 1,000 keys (Redis, Python layout + log)",
        ours: percentile(&mut samples, 0.5),
        floor: Some(percentile(&mut hgetall, 0.5)),
        note: "delta via the rs_changes log; floor: raw HGETALL (what Python does)",
        ..Row::default()
    });

    let file = std::env::temp_dir().join(format!("{prefix}.db"));
    let sqlite_writer: DurableDict<Value> =
        DurableDict::builder(SqliteBackend::open(&file, "bench").await?)
            .policy(SyncPolicy::Manual)
            .build()
            .await?;
    sqlite_writer
        .update((0..1000).map(|i| {
            (
                format!("key{i}"),
                json!({"n": i, "name": format!("value {i}")}),
            )
        }))
        .await?;
    let sqlite_reader: DurableDict<Value> =
        DurableDict::builder(SqliteBackend::open(&file, "bench").await?)
            .policy(SyncPolicy::Manual)
            .build()
            .await?;
    let mut samples = Vec::new();
    for i in 0..50 {
        sqlite_writer.insert("key7", json!({"n": i})).await?;
        let start = Instant::now();
        sqlite_reader.sync().await?;
        samples.push(start.elapsed().as_secs_f64() * 1e6);
    }
    rows.push(Row {
        metric: "sync after one change, 1,000 keys (SQLite, delta)",
        ours: percentile(&mut samples, 0.5),
        note: "fetches the one changed row",
        ..Row::default()
    });
    let _ = std::fs::remove_file(&file);

    // --- push latency: a remote write visible to a push-policy reader
    let mut changes = pushed.subscribe();
    let mut latencies = Vec::new();
    for i in 0..200 {
        let start = Instant::now();
        every_read.insert("key5", json!(1000 + i)).await?;
        while pushed.get_local("key5").as_deref() != Some(&json!(1000 + i)) {
            tokio::time::timeout(Duration::from_secs(5), changes.changed()).await??;
        }
        latencies.push(start.elapsed().as_secs_f64() * 1e6);
    }
    let p50 = percentile(&mut latencies, 0.5);
    rows.push(Row {
        metric: "remote write visible to a push reader, p50",
        ours: p50,
        note: "includes the write round trip",
        ..Row::default()
    });
    rows.push(Row {
        metric: "remote write visible to a push reader, p99",
        ours: percentile(&mut latencies, 0.99),
        note: "",
        ..Row::default()
    });

    let _: () = redis::cmd("DEL")
        .arg(&small)
        .arg(&counter_key)
        .arg(&big)
        .arg(format!("{big}last_updated"))
        .arg(&set_key)
        .query_async(&mut raw)
        .await?;

    if let Some(python) = python_anchor(&url, &prefix) {
        let by_metric = [
            (0, "get_every_read"),
            (1, "get_cached"),
            (2, "insert_10_keys"),
            (3, "sync_1000_after_one_change"),
            (4, "sync_1000_after_one_change"),
        ];
        for (row, key) in by_metric {
            rows[row].python = python.get(key).copied();
        }
    }
    Ok(rows)
}

fn ratio(ours: f64, other: Option<f64>) -> String {
    other.map_or_else(|| "–".to_owned(), |o| format!("{:.2}x", ours / o))
}

fn micros(value: Option<f64>) -> String {
    value.map_or_else(
        || "–".to_owned(),
        |v| {
            if v < 1.0 {
                format!("{v:.3}")
            } else {
                format!("{v:.1}")
            }
        },
    )
}

fn main() -> AnyResult<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let rows = runtime.block_on(run())?;
    println!("| metric (µs per op) | ours | floor | python | ours/floor | ours/python | note |");
    println!("|---|---:|---:|---:|---:|---:|---|");
    for row in rows {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.metric,
            micros(Some(row.ours)),
            micros(row.floor),
            micros(row.python),
            ratio(row.ours, row.floor),
            ratio(row.ours, row.python),
            row.note
        );
        let duration = |micros: f64| Duration::from_secs_f64(micros / 1e6);
        test_support::bench::record(&test_support::bench::Row {
            area: "durabledict",
            metric: row.metric,
            ours: duration(row.ours),
            floor: row.floor.map(duration),
            python: row.python.map(duration),
        })?;
    }
    Ok(())
}
