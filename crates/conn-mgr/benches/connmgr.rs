//! Benchmark area `connmgr`: our SSH CLI beside the floor (raw `ssh2` loops and the `ssh` binary)
//! and the Python anchors (netmiko 4.8, scrapli; when `OPSKIT_BENCH_PYTHON` points at a venv with
//! `benches/requirements.txt`), all on one private sshd running the fake router, in one run.
//!
//! Run with `cargo xtask bench connmgr`. Prints a markdown table of medians.
#![expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]
#![expect(clippy::print_stderr, reason = "progress goes to stderr")]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use conn_mgr::{ConnectOptions, ExecOptions, Testbed, TestbedLoader};
use test_support::sshd::{ENABLE_PASSWORD, Sshd};

const COMMANDS: usize = 200;
const DEVICES: usize = 16;
const SSH_BINARY_REPS: usize = 20;
const CONNECT_REPS: usize = 5;

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn ms(seconds: f64) -> String {
    if seconds < 0.01 {
        format!("{:.3} ms", seconds * 1e3)
    } else {
        format!("{:.1} ms", seconds * 1e3)
    }
}

fn testbed(sshd: &Sshd, devices: usize) -> Testbed {
    let mut yaml = String::from("devices:\n");
    for i in 1..=devices {
        yaml.push_str(&format!(
            "  r{i}:\n    os: iosxe\n    credentials:\n      default: {{username: {user}}}\n      enable: {{password: {ENABLE_PASSWORD}}}\n    connections:\n      cli: {{ip: 127.0.0.1, port: {port}, key_file: {key}, known_hosts: {kh}}}\n",
            user = sshd.user(),
            port = sshd.port(),
            key = sshd.client_key().display(),
            kh = sshd.known_hosts().display(),
        ));
    }
    Testbed::new(
        TestbedLoader::new()
            .load_str(&yaml, "bench.yaml")
            .expect("bench testbed is valid"),
    )
}

struct Row {
    name: &'static str,
    ours: f64,
    floor: Option<(f64, &'static str)>,
    netmiko: Option<f64>,
    scrapli: Option<f64>,
}

fn raw_session(sshd: &Sshd) -> ssh2::Session {
    let tcp = TcpStream::connect(("127.0.0.1", sshd.port())).expect("tcp connect");
    tcp.set_nodelay(true).expect("nodelay");
    let mut session = ssh2::Session::new().expect("session");
    session.set_tcp_stream(tcp);
    session.handshake().expect("handshake");
    session
        .userauth_pubkey_file(sshd.user(), None, &sshd.client_key(), None)
        .expect("auth");
    session
}

fn read_until(channel: &mut ssh2::Channel, suffix: &str) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    while !buffer.ends_with(suffix.as_bytes()) {
        let n = channel.read(&mut chunk).expect("read");
        assert!(n > 0, "eof before prompt");
        buffer.extend_from_slice(&chunk[..n]);
    }
}

/// The floor for an interactive CLI: a raw ssh2 shell loop matching the literal prompt.
fn floor_shell(sshd: &Sshd, commands: usize) -> (f64, Vec<f64>) {
    let start = Instant::now();
    let session = raw_session(sshd);
    let mut channel = session.channel_session().expect("channel");
    channel
        .request_pty("vt100", None, Some((511, 24, 0, 0)))
        .expect("pty");
    channel.shell().expect("shell");
    read_until(&mut channel, "R1>");
    channel.write_all(b"terminal length 0\n").expect("write");
    read_until(&mut channel, "R1>");
    let connect = start.elapsed().as_secs_f64();
    let mut times = Vec::with_capacity(commands);
    for i in 0..commands {
        let t = Instant::now();
        channel
            .write_all(format!("echo {i}\n").as_bytes())
            .expect("write");
        read_until(&mut channel, "R1>");
        times.push(t.elapsed().as_secs_f64());
    }
    (connect, times)
}

fn floor_exec(sshd: &Sshd) -> Vec<f64> {
    let session = raw_session(sshd);
    (0..COMMANDS)
        .map(|i| {
            let t = Instant::now();
            let mut channel = session.channel_session().expect("channel");
            channel.exec(&format!("echo {i}")).expect("exec");
            let mut out = String::new();
            channel.read_to_string(&mut out).expect("read");
            channel.wait_close().expect("close");
            assert_eq!(out, format!("{i}\n"));
            t.elapsed().as_secs_f64()
        })
        .collect()
}

fn ssh_binary(sshd: &Sshd) -> Vec<f64> {
    (0..SSH_BINARY_REPS)
        .map(|i| {
            let t = Instant::now();
            let out = Command::new("ssh")
                .args(["-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-T"])
                .arg("-o")
                .arg(format!(
                    "UserKnownHostsFile={}",
                    sshd.known_hosts().display()
                ))
                .arg("-i")
                .arg(sshd.client_key())
                .args(["-p", &sshd.port().to_string()])
                .arg(format!("{}@127.0.0.1", sshd.user()))
                .arg(format!("echo {i}"))
                .output()
                .expect("ssh runs");
            assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{i}\n"));
            t.elapsed().as_secs_f64()
        })
        .collect()
}

/// (connect seconds, per-command seconds) from the Python anchor, or None when unavailable.
fn python(tool: &str, sshd: &Sshd) -> Option<(f64, f64)> {
    let python = std::env::var_os("OPSKIT_BENCH_PYTHON")?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/connmgr_anchor.py");
    eprintln!("connmgr bench: running {tool}");
    let out = Command::new(python)
        .arg(script)
        .args([tool, "127.0.0.1", &sshd.port().to_string(), sshd.user()])
        .arg(sshd.client_key())
        .arg(sshd.known_hosts())
        .arg(COMMANDS.to_string())
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "connmgr bench: {tool} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let connect = number_after(&text, "\"connect_s\":")?;
    let list = text.split("\"per_command_s\":").nth(1)?;
    let mut samples: Vec<f64> = list
        .trim()
        .trim_start_matches('[')
        .split(']')
        .next()?
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    if samples.is_empty() {
        return None;
    }
    Some((connect, median(&mut samples)))
}

fn number_after(text: &str, key: &str) -> Option<f64> {
    let rest = text.split(key).nth(1)?;
    rest.trim_start()
        .split([',', '}'])
        .next()?
        .trim()
        .parse()
        .ok()
}

/// One row of the combined table of `cargo xtask bench`; times in seconds.
fn record(metric: &str, ours: f64, floor: Option<f64>, python: Option<f64>) {
    test_support::bench::record(&test_support::bench::Row {
        area: "connmgr",
        metric,
        ours: Duration::from_secs_f64(ours),
        floor: floor.map(Duration::from_secs_f64),
        python: python.map(Duration::from_secs_f64),
    })
    .expect("the bench summary file is writable");
}

fn main() {
    let sshd = Sshd::start();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");

    eprintln!("connmgr bench: ours, one device");
    let (ours_connect, mut ours_cmds, ours_exec) = runtime.block_on(async {
        let r1 = testbed(&sshd, 1).device("r1").expect("device");
        let mut connects = Vec::new();
        for _ in 0..CONNECT_REPS {
            let t = Instant::now();
            r1.connect(ConnectOptions::new()).await.expect("connect");
            connects.push(t.elapsed().as_secs_f64());
            r1.disconnect(None).await.expect("disconnect");
        }
        let connect = median(&mut connects);
        r1.connect(ConnectOptions::new()).await.expect("connect");
        let mut times = Vec::with_capacity(COMMANDS);
        for i in 0..COMMANDS {
            let t = Instant::now();
            let out = r1.execute(&format!("echo {i}")).await.expect("execute");
            times.push(t.elapsed().as_secs_f64());
            assert_eq!(out, format!("{i}\n"));
        }
        let exec = r1
            .connect(ConnectOptions::new().class("ssh-exec").alias("exec"))
            .await
            .expect("exec connect");
        let mut exec_times = Vec::with_capacity(COMMANDS);
        for i in 0..COMMANDS {
            let t = Instant::now();
            let out = exec
                .execute_with(&format!("echo {i}"), &ExecOptions::new())
                .await
                .expect("exec");
            exec_times.push(t.elapsed().as_secs_f64());
            assert_eq!(out, format!("{i}\n"));
        }
        r1.destroy_all().await.expect("destroy");
        (connect, times, exec_times)
    });
    let one_device_total: f64 = ours_cmds.iter().sum();

    eprintln!("connmgr bench: ours, {DEVICES} devices in parallel");
    let parallel_wall = runtime.block_on(async {
        let tb = testbed(&sshd, DEVICES);
        let connected = tb.connect_all(ConnectOptions::new(), DEVICES).await;
        assert!(connected.values().all(Result::is_ok), "{connected:?}");
        let t = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for device in tb.devices() {
            let device = device.clone();
            tasks.spawn(async move {
                for i in 0..COMMANDS {
                    let out = device.execute(&format!("echo {i}")).await.expect("execute");
                    assert_eq!(out, format!("{i}\n"));
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("device task");
        }
        let wall = t.elapsed().as_secs_f64();
        let _ = tb.disconnect_all(DEVICES).await;
        wall
    });

    eprintln!("connmgr bench: floor");
    let mut floor_connects: Vec<f64> = (0..CONNECT_REPS - 1)
        .map(|_| floor_shell(&sshd, 0).0)
        .collect();
    let (last_connect, mut floor_cmds) = floor_shell(&sshd, COMMANDS);
    floor_connects.push(last_connect);
    let floor_connect = median(&mut floor_connects);
    let mut floor_exec_times = floor_exec(&sshd);
    let mut ssh_times = ssh_binary(&sshd);
    let netmiko = python("netmiko", &sshd);
    let scrapli = python("scrapli", &sshd);

    let mut ours_exec = ours_exec;
    let rows = [
        Row {
            name: "connect: login, first prompt, init (ours and the anchors also enter enable mode)",
            ours: ours_connect,
            floor: Some((floor_connect, "raw ssh2 shell")),
            netmiko: netmiko.map(|n| n.0),
            scrapli: scrapli.map(|s| s.0),
        },
        Row {
            name: "`echo N` on one device, interactive CLI (median per command)",
            ours: median(&mut ours_cmds),
            floor: Some((median(&mut floor_cmds), "raw ssh2 shell loop")),
            netmiko: netmiko.map(|n| n.1),
            scrapli: scrapli.map(|s| s.1),
        },
        Row {
            name: "`echo N` over an exec channel per command (median)",
            ours: median(&mut ours_exec),
            floor: Some((median(&mut floor_exec_times), "raw ssh2 exec")),
            netmiko: None,
            scrapli: None,
        },
        Row {
            name: "`echo N` via a new `ssh` process per command (median)",
            ours: median(&mut ours_exec),
            floor: Some((median(&mut ssh_times), "OpenSSH `ssh` binary")),
            netmiko: None,
            scrapli: None,
        },
    ];
    let ratio = |anchor: Option<f64>, ours: f64| {
        anchor.map_or("n/a".to_owned(), |a| {
            format!("{} ({:.1}x ours)", ms(a), a / ours)
        })
    };
    println!("\n## connmgr: {COMMANDS} commands, loopback sshd with the fake router\n");
    println!("| workload | ours | floor | ours / floor | netmiko 4.8 | scrapli |");
    println!("|---|---|---|---|---|---|");
    for row in &rows {
        let (floor, floor_name) = row.floor.unwrap_or((f64::NAN, "-"));
        println!(
            "| {} | {} | {} ({floor_name}) | {:.2} | {} | {} |",
            row.name,
            ms(row.ours),
            ms(floor),
            row.ours / floor,
            ratio(row.netmiko, row.ours),
            ratio(row.scrapli, row.ours),
        );
    }
    let per_command_parallel = parallel_wall / (DEVICES * COMMANDS) as f64;
    // The last row shows our exec time again beside a less direct floor (the `ssh` binary),
    // so the combined table takes the exec operation once, beside raw ssh2 exec. Its Python
    // column is the faster anchor of the row: the hardest comparison for us.
    for row in &rows[..3] {
        let mut metric = row.name.to_owned();
        if let Some((_, floor_name)) = row.floor {
            metric.push_str(&format!(" [floor: {floor_name}]"));
        }
        let anchors = [(row.netmiko, "netmiko 4.8"), (row.scrapli, "scrapli")];
        let fastest = anchors
            .into_iter()
            .filter_map(|(time, name)| Some((time?, name)))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, name)) = fastest {
            metric.push_str(&format!(" [Python: {name}]"));
        }
        record(
            &metric,
            row.ours,
            row.floor.map(|(floor, _)| floor),
            fastest.map(|(time, _)| time),
        );
    }
    record(
        &format!("`echo N` per command overall, {DEVICES} devices in parallel"),
        per_command_parallel,
        None,
        None,
    );
    println!(
        "\n{DEVICES} devices × {COMMANDS} commands in parallel: {:.2} s wall, {} per command overall; \
         one device took {:.2} s for {COMMANDS}, so {DEVICES} devices ran {:.1}x the work in {:.1}x the time.",
        parallel_wall,
        ms(per_command_parallel),
        one_device_total,
        DEVICES as f64,
        parallel_wall / one_device_total,
    );
    if std::env::var_os("OPSKIT_BENCH_PYTHON").is_none() {
        println!(
            "\n(Python anchors skipped: run through `cargo xtask bench connmgr` to install netmiko and scrapli.)"
        );
    }
}
