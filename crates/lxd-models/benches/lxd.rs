//! Benchmark area `lxd`: our client beside the floor (curl on the same socket) and the
//! Python anchor (pylxd 2.4.2, when `OPSKIT_BENCH_PYTHON` is set), on the same daemon, in one run.
//!
//! Run with `cargo xtask bench lxd` (needs `cargo xtask services up`). Prints a markdown table
//! of medians in milliseconds with ratios.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lxd_models::{Client, FileOptions, Profile, save};
use serde_json::{Value, json};

/// Repetitions of the 50-profile suite and of the single-object rows.
const REPS: usize = 3;
const IO_REPS: usize = 15;
const PROFILES: usize = 50;

type Samples = BTreeMap<&'static str, Vec<f64>>;

const ROWS: &[&str] = &[
    "create 50 profiles",
    "list profiles, full objects",
    "fetch 50 profiles one by one",
    "update + save 50 profiles",
    "delete 50 profiles",
    "list instances, full objects",
    "get instance",
    "exec `echo hi`",
    "push 1 MiB",
    "pull 1 MiB",
];

fn main() {
    let socket = std::env::var_os("OPSKIT_LXD_SOCKET")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/services/lxd/var/unix.socket")
        });
    assert!(
        std::os::unix::net::UnixStream::connect(&socket).is_ok(),
        "no LXD on {}: start it with `cargo xtask services up`",
        socket.display()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let prefix = format!("t-bench{}-", std::process::id());
    let container = format!("{prefix}ct");
    let client = Client::unix(&socket).expect("client");

    type Run = (Samples, Samples, Option<BTreeMap<String, f64>>);
    let result: lxd_models::Result<Run> = runtime.block_on(async {
        let instance = client
            .instances()
            .create_from_alias(&container, "busybox")
            .await?;
        instance.start().await?;
        let mut ours = Samples::new();
        let mut floor = Samples::new();
        for _ in 0..REPS {
            profile_suite(&client, &prefix, &mut ours).await?;
            curl_profile_suite(&socket, &prefix, &mut floor);
        }
        let payload: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
        let local = std::env::temp_dir().join(format!("{prefix}payload.bin"));
        std::fs::write(&local, &payload)?;
        for _ in 0..IO_REPS {
            instance_rows(&client, &container, &payload, &mut ours).await?;
            curl_instance_rows(&socket, &container, &local, &mut floor);
        }
        let _ = std::fs::remove_file(&local);
        let python = python_anchor(&socket, &container, &prefix);
        instance.delete_force().await?;
        Ok((ours, floor, python))
    });
    // Cleanup on every path: the container and any profile left by an interrupted suite.
    runtime.block_on(async {
        if let Ok(instance) = client.instances().get(&container).await {
            let _ = instance.delete_force().await;
        }
        if let Ok(names) = client.profiles().names().await {
            for name in names.iter().filter(|n| n.starts_with(&prefix)) {
                let _ = client.profiles().delete(name.as_str()).await;
            }
        }
    });
    let (ours, floor, python) = result.expect("benchmark run");
    print_table(&ours, &floor, python.as_ref());
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied()
}

async fn profile_suite(client: &Client, prefix: &str, out: &mut Samples) -> lxd_models::Result<()> {
    let names: Vec<String> = (0..PROFILES).map(|i| format!("{prefix}rs{i}")).collect();
    let profiles = client.profiles();

    let start = Instant::now();
    let mut created: Vec<Profile> = Vec::new();
    for name in &names {
        created.push(
            profiles
                .create(json!({"name": name, "config": {}, "devices": {}}))
                .await?,
        );
    }
    out.entry(ROWS[0]).or_default().push(ms(start));
    drop(created);

    let start = Instant::now();
    let listed = profiles.list().await?;
    let configs: usize = listed.iter().map(|p| p.config().len()).sum();
    out.entry(ROWS[1]).or_default().push(ms(start));
    std::hint::black_box(configs);
    drop(listed);

    let start = Instant::now();
    let mut fetched = Vec::new();
    for name in &names {
        fetched.push(profiles.get(name).await?);
    }
    out.entry(ROWS[2]).or_default().push(ms(start));

    let start = Instant::now();
    for profile in &fetched {
        profile.set_config("user.bench", "1");
        save(profile).await?;
    }
    out.entry(ROWS[3]).or_default().push(ms(start));

    let start = Instant::now();
    for profile in &fetched {
        lxd_models::delete(profile).await?;
    }
    out.entry(ROWS[4]).or_default().push(ms(start));
    Ok(())
}

async fn instance_rows(
    client: &Client,
    container: &str,
    payload: &[u8],
    out: &mut Samples,
) -> lxd_models::Result<()> {
    let start = Instant::now();
    let listed = client.instances().list().await?;
    std::hint::black_box(listed.iter().filter_map(|i| i.status()).count());
    out.entry(ROWS[5]).or_default().push(ms(start));

    let start = Instant::now();
    let instance = client.instances().get(container).await?;
    out.entry(ROWS[6]).or_default().push(ms(start));

    let start = Instant::now();
    let output = instance.exec(["echo", "hi"]).run().await?;
    out.entry(ROWS[7]).or_default().push(ms(start));
    assert_eq!(output.stdout_text(), "hi\n");

    let files = instance.files();
    let start = Instant::now();
    files
        .push("/tmp/bench.bin", payload.to_vec(), FileOptions::default())
        .await?;
    out.entry(ROWS[8]).or_default().push(ms(start));

    let start = Instant::now();
    let back = files.pull("/tmp/bench.bin").await?;
    out.entry(ROWS[9]).or_default().push(ms(start));
    assert_eq!(back.len(), payload.len());
    Ok(())
}

/// Runs one curl process with a config of request blocks separated by `next`.
fn curl_batch(socket: &Path, blocks: &[String]) -> Vec<u8> {
    let socket = socket.display();
    let config: Vec<String> = blocks
        .iter()
        .map(|b| format!("unix-socket = \"{socket}\"\nsilent\noutput = \"/dev/null\"\n{b}"))
        .collect();
    curl(&["-K", "-"], Some(config.join("next\n").as_bytes()))
}

fn curl(args: &[&str], stdin: Option<&[u8]>) -> Vec<u8> {
    let mut child = Command::new("curl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("curl is installed");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(input)
            .expect("curl stdin");
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().expect("curl runs");
    assert!(output.status.success(), "curl failed");
    output.stdout
}

fn curl_profile_suite(socket: &Path, prefix: &str, out: &mut Samples) {
    let names: Vec<String> = (0..PROFILES).map(|i| format!("{prefix}curl{i}")).collect();
    let each = |f: &dyn Fn(&str) -> String| names.iter().map(|n| f(n)).collect::<Vec<_>>();
    let timed = |blocks: Vec<String>| {
        let start = Instant::now();
        curl_batch(socket, &blocks);
        ms(start)
    };
    let created = timed(each(&|n| {
        format!(
            "url = \"http://lxd/1.0/profiles\"\nrequest = \"POST\"\ndata = \"{{\\\"name\\\":\\\"{n}\\\"}}\"\n"
        )
    }));
    out.entry(ROWS[0]).or_default().push(created);
    let listed = timed(vec![
        "url = \"http://lxd/1.0/profiles?recursion=1\"\n".to_owned(),
    ]);
    out.entry(ROWS[1]).or_default().push(listed);
    let fetched = timed(each(&|n| {
        format!("url = \"http://lxd/1.0/profiles/{n}\"\n")
    }));
    out.entry(ROWS[2]).or_default().push(fetched);
    let saved = timed(each(&|n| {
        format!(
            "url = \"http://lxd/1.0/profiles/{n}\"\nrequest = \"PUT\"\ndata = \"{{\\\"config\\\":{{\\\"user.bench\\\":\\\"1\\\"}}}}\"\n"
        )
    }));
    out.entry(ROWS[3]).or_default().push(saved);
    let deleted = timed(each(&|n| {
        format!("url = \"http://lxd/1.0/profiles/{n}\"\nrequest = \"DELETE\"\n")
    }));
    out.entry(ROWS[4]).or_default().push(deleted);
}

fn curl_instance_rows(socket: &Path, container: &str, local: &Path, out: &mut Samples) {
    let sock = socket.display().to_string();
    let timed = |args: &[&str]| {
        let start = Instant::now();
        curl(args, None);
        ms(start)
    };
    let base = ["-s", "-o", "/dev/null", "--unix-socket", sock.as_str()];
    let list = timed(&[&base[..], &["http://lxd/1.0/instances?recursion=1"]].concat());
    out.entry(ROWS[5]).or_default().push(list);
    let url = format!("http://lxd/1.0/instances/{container}");
    out.entry(ROWS[6])
        .or_default()
        .push(timed(&[&base[..], &[url.as_str()]].concat()));

    // curl has no websockets here: exec through record-output, as the spec's floor does.
    let start = Instant::now();
    let exec = r#"{"command":["echo","hi"],"record-output":true,"wait-for-websocket":false,"interactive":false}"#;
    let answer = curl(
        &[
            "-s",
            "--unix-socket",
            &sock,
            "-X",
            "POST",
            "-d",
            exec,
            &format!("http://lxd/1.0/instances/{container}/exec"),
        ],
        None,
    );
    let answer: Value = serde_json::from_slice(&answer).expect("exec answer");
    let id = answer["metadata"]["id"].as_str().expect("operation id");
    let log = format!("/1.0/instances/{container}/logs/exec_{id}");
    curl_batch(
        socket,
        &[
            format!("url = \"http://lxd/1.0/operations/{id}/wait\"\n"),
            format!("url = \"http://lxd{log}.stdout\"\n"),
            format!("url = \"http://lxd{log}.stdout\"\nrequest = \"DELETE\"\n"),
            format!("url = \"http://lxd{log}.stderr\"\nrequest = \"DELETE\"\n"),
        ],
    );
    out.entry(ROWS[7]).or_default().push(ms(start));

    let files = format!("http://lxd/1.0/instances/{container}/files?path=/tmp/curl.bin");
    let data = format!("@{}", local.display());
    let push = timed(
        &[
            &base[..],
            &[
                "-X",
                "POST",
                "-H",
                "Content-Type: application/octet-stream",
                "--data-binary",
                &data,
                &files,
            ],
        ]
        .concat(),
    );
    out.entry(ROWS[8]).or_default().push(push);
    out.entry(ROWS[9])
        .or_default()
        .push(timed(&[&base[..], &[files.as_str()]].concat()));
}

/// Runs the pylxd script under `OPSKIT_BENCH_PYTHON`; medians per row, or `None`.
fn python_anchor(socket: &Path, container: &str, prefix: &str) -> Option<BTreeMap<String, f64>> {
    let python = std::env::var_os("OPSKIT_BENCH_PYTHON")?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/lxd_pylxd.py");
    let started = Instant::now();
    let output = Command::new(python)
        .arg(script)
        .arg(socket)
        .arg(container)
        .arg(prefix)
        .arg(REPS.to_string())
        .arg(IO_REPS.to_string())
        .stderr(Stdio::inherit())
        .output()
        .ok()?;
    let _ = writeln!(
        std::io::stderr(),
        "pylxd run took {:?}",
        Duration::from_secs_f64(started.elapsed().as_secs_f64())
    );
    if !output.status.success() {
        let _ = writeln!(
            std::io::stderr(),
            "pylxd anchor failed; its column stays empty"
        );
        return None;
    }
    serde_json::from_slice(&output.stdout).ok()
}

fn print_table(ours: &Samples, floor: &Samples, python: Option<&BTreeMap<String, f64>>) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "\n### lxd (medians, ms; floor = curl on the same socket)\n"
    );
    let _ = writeln!(
        out,
        "| operation | lxd-models | floor (curl) | pylxd 2.4.2 | ours / floor | pylxd / ours |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    for row in ROWS {
        let o = ours.get(row).and_then(|v| median(v));
        let f = floor.get(row).and_then(|v| median(v));
        let p = python.and_then(|p| p.get(*row).copied());
        let cell = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.1}"));
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}x", a / b),
            _ => "-".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {row} | {} | {} | {} | {} | {} |",
            cell(o),
            cell(f),
            cell(p),
            ratio(o, f),
            ratio(p, o)
        );
        if let Some(ours) = o {
            let duration = |ms: f64| Duration::from_secs_f64(ms / 1000.0);
            test_support::bench::record(&test_support::bench::Row {
                area: "lxd",
                metric: row,
                ours: duration(ours),
                floor: f.map(duration),
                python: p.map(duration),
            })
            .expect("the bench summary file is writable");
        }
    }
}
