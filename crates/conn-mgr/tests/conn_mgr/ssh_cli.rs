//! The SSH classes against a real OpenSSH sshd whose ForceCommand is the fake router CLI
//! (test-support's harness): prompts, enable, configure, pager, errors, dialogs, timeouts,
//! dropped sessions, authentication, host keys, pools and fan-out.

use std::time::Duration;

use conn_mgr::{
    ConnectOptions, Device, DialogRule, Error, ExecOptions, Testbed, TestbedLoader, Value,
};
use test_support::sshd::{ENABLE_PASSWORD, PASSWORD, PASSWORD_USER, Sshd, SshdOptions};

/// A testbed with `devices` devices, all pointing at `sshd`, with key auth and the enable password.
fn testbed(sshd: &Sshd, devices: usize, path_extra: &str) -> Testbed {
    let mut yaml = format!(
        "testbed:\n  name: sshlab\n  credentials:\n    default: {{username: {user}}}\n    enable: {{password: {ENABLE_PASSWORD}}}\ndevices:\n",
        user = sshd.user()
    );
    for i in 1..=devices {
        yaml.push_str(&format!(
            "  r{i}:\n    os: iosxe\n    connections:\n      cli:\n        protocol: ssh\n        ip: 127.0.0.1\n        port: {port}\n        key_file: {key}\n        known_hosts: {kh}\n        connection_timeout: 10\n        timeout: 10\n{path_extra}",
            port = sshd.port(),
            key = sshd.client_key().display(),
            kh = sshd.known_hosts().display(),
        ));
    }
    Testbed::new(
        TestbedLoader::new()
            .without_process_env()
            .load_str(&yaml, "sshlab.yaml")
            .expect("valid testbed"),
    )
}

async fn connected(sshd: &Sshd) -> Device {
    let device = testbed(sshd, 1, "").device("r1").expect("device r1");
    device
        .connect(ConnectOptions::new())
        .await
        .unwrap_or_else(|e| panic!("connect failed: {e:?}\n{}", sshd.log()));
    device
}

#[tokio::test]
async fn connect_enters_enable_and_executes_without_echo_or_prompt() {
    let sshd = Sshd::start();
    let r1 = connected(&sshd).await;
    // unicon.Unicon is the default class; like pyATS it is stored under `cli`.
    assert_eq!(r1.default_alias(), "cli");
    assert!(r1.is_connected(None));
    let version = r1.execute("show version").await.unwrap();
    assert_eq!(version.lines().count(), 46, "{version}");
    assert!(version.starts_with("Cisco IOS XE Software"), "{version}");
    assert!(
        !version.contains("R1#") && !version.contains("--More--"),
        "{version}"
    );
    assert_eq!(r1.execute("echo hello").await.unwrap(), "hello\n");
    // show running-config needs enable mode, reached at connect with the `enable` credential.
    assert!(
        r1.execute("show running-config")
            .await
            .unwrap()
            .contains("hostname R1")
    );
    r1.disconnect(None).await.unwrap();
    assert!(!r1.is_connected(None));
    assert!(matches!(
        r1.execute("echo x").await,
        Err(Error::NotConnected { .. })
    ));
}

#[tokio::test]
async fn wrong_enable_password_is_a_typed_error() {
    let sshd = Sshd::start();
    let tb = testbed(&sshd, 1, "");
    let r1 = tb.device("r1").unwrap();
    // Without goto_enable the session stays in exec mode until `enable` is called as a service.
    let h = r1
        .connect(ConnectOptions::new().arg("goto_enable", false))
        .await
        .unwrap();
    assert_eq!(
        h.call("enable", &[]).await.unwrap(),
        Value::String("enable".into())
    );

    let yaml = format!(
        "devices:\n  r1:\n    credentials:\n      default: {{username: {user}}}\n      enable: {{password: wrong}}\n    connections:\n      cli: {{ip: 127.0.0.1, port: {port}, key_file: {key}, known_hosts: {kh}}}\n",
        user = sshd.user(),
        port = sshd.port(),
        key = sshd.client_key().display(),
        kh = sshd.known_hosts().display()
    );
    let bad = Testbed::new(TestbedLoader::new().load_str(&yaml, "bad.yaml").unwrap())
        .device("r1")
        .unwrap();
    let err = bad.connect(ConnectOptions::new()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Enable(reason) if reason.contains("Access denied")),
        "{err:?}"
    );
}

#[tokio::test]
async fn configure_enters_and_leaves_config_mode_and_follows_a_hostname_change() {
    let sshd = Sshd::start();
    let r1 = connected(&sshd).await;
    r1.configure(&[
        "hostname Core9",
        "interface Gi1",
        "description uplink",
        "ip address 10.0.0.1 255.255.255.0",
    ])
    .await
    .unwrap();
    let running = r1.execute("show running-config").await.unwrap();
    assert!(running.contains("hostname Core9"), "{running}");
    assert!(
        running.contains("interface Gi1") && running.contains("description uplink"),
        "{running}"
    );
    // Back in enable mode under the new prompt: further commands work.
    assert_eq!(r1.execute("echo still here").await.unwrap(), "still here\n");

    let err = r1
        .configure(&["hostname X1", "frobnicate everything"])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::CommandFailed { command, .. } if command == "frobnicate everything"),
        "{err:?}"
    );
    // The failed configure left configuration mode.
    assert!(
        r1.execute("show running-config")
            .await
            .unwrap()
            .contains("hostname X1")
    );
}

#[tokio::test]
async fn pager_is_answered_when_paging_is_left_on() {
    let sshd = Sshd::start();
    let tb = testbed(&sshd, 1, "        init_exec_commands: []\n");
    let r1 = tb.device("r1").unwrap();
    r1.connect(ConnectOptions::new()).await.unwrap();
    let out = r1.execute("show lines 60").await.unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 60, "{out:?}");
    assert_eq!(lines[0], "line 1");
    assert_eq!(lines[59], "line 60");
    assert!(!out.contains("More"), "{out:?}");
}

#[tokio::test]
async fn error_patterns_raise_and_the_connection_stays_usable() {
    let sshd = Sshd::start();
    let r1 = connected(&sshd).await;
    let err = r1.execute("show bogus things").await.unwrap_err();
    let Error::CommandFailed {
        pattern, output, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(pattern.contains("Invalid input"), "{pattern}");
    assert!(output.contains("% Invalid input detected"), "{output}");
    assert!(matches!(
        r1.execute("show").await,
        Err(Error::CommandFailed { .. })
    ));
    // A caller's own pattern.
    let opts = ExecOptions::new().error_pattern("^hello");
    assert!(matches!(
        r1.execute_with("echo hello", &opts).await,
        Err(Error::CommandFailed { .. })
    ));
    assert_eq!(r1.execute("echo ok").await.unwrap(), "ok\n");
}

#[tokio::test]
async fn dialogs_are_answered_by_rules() {
    let sshd = Sshd::start();
    let r1 = connected(&sshd).await;
    let confirm = ExecOptions::new().reply(
        DialogRule::new(r"\[confirm\]$", "y")
            .unwrap()
            .without_newline(),
    );
    let out = r1.execute_with("reload", &confirm).await.unwrap();
    assert!(out.contains("Reload scheduled"), "{out}");
    let filename = ExecOptions::new().reply(
        DialogRule::new(r"Destination filename \[.*\]\? ?$", "")
            .unwrap()
            .once(),
    );
    let out = r1
        .execute_with("copy running-config startup-config", &filename)
        .await
        .unwrap();
    assert!(out.contains("[OK]"), "{out}");
}

#[tokio::test]
async fn a_command_whose_prompt_never_returns_times_out_then_the_connection_is_usable() {
    let sshd = Sshd::start();
    let r1 = connected(&sshd).await;
    let err = r1
        .execute_with(
            "sleep 30",
            &ExecOptions::new().timeout(Duration::from_millis(500)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Timeout { after, .. } if *after == Duration::from_millis(500)),
        "{err:?}"
    );
    // An unanswered dialog also times out, with the question in the error's tail.
    let err = r1
        .execute_with(
            "reload",
            &ExecOptions::new().timeout(Duration::from_millis(500)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Timeout { tail, .. } if tail.contains("[confirm]")),
        "{err:?}"
    );
    assert_eq!(r1.execute("echo back").await.unwrap(), "back\n");
    assert!(
        r1.execute("show running-config")
            .await
            .unwrap()
            .contains("hostname R1")
    );
}

#[tokio::test]
async fn a_cancelled_call_does_not_corrupt_the_next_one() {
    let sshd = Sshd::start();
    let r1 = connected(&sshd).await;
    let cancelled = tokio::time::timeout(Duration::from_millis(100), r1.execute("sleep 0.5")).await;
    assert!(cancelled.is_err());
    assert_eq!(r1.execute("echo next").await.unwrap(), "next\n");
}

#[tokio::test]
async fn session_killed_mid_command_is_an_error_and_reconnect_works() {
    let sshd = Sshd::start();
    let r1 = connected(&sshd).await;
    let running = tokio::spawn({
        let r1 = r1.clone();
        async move { r1.execute("sleep 20").await }
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while sshd.kill_sessions() == 0 {
        assert!(std::time::Instant::now() < deadline, "no session to kill");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let err = running.await.unwrap().unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    assert!(!r1.is_connected(None));
    r1.connect(ConnectOptions::new()).await.unwrap();
    assert_eq!(r1.execute("echo again").await.unwrap(), "again\n");
}

fn password_device(sshd: &Sshd, password: &str) -> Device {
    let yaml = format!(
        "devices:\n  r1:\n    credentials:\n      default: {{username: {PASSWORD_USER}, password: '{password}'}}\n    connections:\n      cli: {{ip: 127.0.0.1, port: {port}, known_hosts: {kh}, connection_timeout: 10}}\n",
        port = sshd.port(),
        kh = sshd.known_hosts().display()
    );
    Testbed::new(
        TestbedLoader::new()
            .load_str(&yaml, "pw.yaml")
            .expect("valid testbed"),
    )
    .device("r1")
    .expect("device r1")
}

#[tokio::test]
async fn password_authentication_right_and_wrong() {
    let sshd = Sshd::start_with(SshdOptions::default().with_password_user());
    let good = password_device(&sshd, PASSWORD);
    good.connect(ConnectOptions::new())
        .await
        .unwrap_or_else(|e| panic!("{e:?}\n{}", sshd.log()));
    assert_eq!(good.execute("echo pw").await.unwrap(), "pw\n");

    let bad = password_device(&sshd, "not-the-password");
    let err = tokio::time::timeout(Duration::from_secs(15), bad.connect(ConnectOptions::new()))
        .await
        .expect("a wrong password fails within the connect timeout")
        .unwrap_err();
    assert!(
        matches!(&err, Error::Auth { user } if user == PASSWORD_USER),
        "{err:?}"
    );
    assert!(!format!("{err:?} {err}").contains("not-the-password"));
}

#[tokio::test]
async fn host_key_policies() {
    let sshd = Sshd::start();
    let r1 = testbed(&sshd, 1, "").device("r1").unwrap();
    let wrong = sshd.wrong_known_hosts().display().to_string();
    let err = r1
        .connect(ConnectOptions::new().arg("known_hosts", wrong.as_str()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::HostKey { reason, .. } if reason.contains("does not match")),
        "{err:?}"
    );

    let fresh = sshd.dir().join("fresh_known_hosts").display().to_string();
    let err = r1
        .connect(
            ConnectOptions::new()
                .alias("strict")
                .arg("known_hosts", fresh.as_str()),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::HostKey { reason, .. } if reason.contains("not in known_hosts")),
        "{err:?}"
    );

    let accept = ConnectOptions::new()
        .alias("tofu")
        .arg("known_hosts", fresh.as_str())
        .arg("host_key_policy", "accept-new");
    r1.connect(accept).await.unwrap();
    assert!(
        std::fs::read_to_string(&fresh)
            .unwrap()
            .contains(&format!("[127.0.0.1]:{}", sshd.port()))
    );
    // Now recorded: strict accepts it.
    r1.connect(
        ConnectOptions::new()
            .alias("strict2")
            .arg("known_hosts", fresh.as_str()),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn connect_timeout_bounds_a_server_that_never_answers() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let yaml = format!(
        "devices:\n  r1:\n    credentials:\n      default: {{username: x, password: y}}\n    connections:\n      cli: {{ip: 127.0.0.1, port: {port}, connection_timeout: 1}}\n"
    );
    let r1 = Testbed::new(TestbedLoader::new().load_str(&yaml, "t.yaml").unwrap())
        .device("r1")
        .unwrap();
    let err = tokio::time::timeout(Duration::from_secs(10), r1.connect(ConnectOptions::new()))
        .await
        .unwrap()
        .unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    drop(silent);
}

#[tokio::test]
async fn pool_of_separate_ssh_connections() {
    let sshd = Sshd::start();
    let r1 = testbed(&sshd, 1, "").device("r1").unwrap();
    let pool = r1
        .connect(ConnectOptions::new().alias("pool").pool(4))
        .await
        .unwrap();
    assert_eq!(pool.healthy(), 4);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            (i, pool.execute(&format!("echo n{i}")).await)
        }));
    }
    for t in tasks {
        let (i, out) = t.await.unwrap();
        assert_eq!(out.unwrap(), format!("n{i}\n"));
    }
    r1.destroy(Some("pool")).await.unwrap();
}

#[tokio::test]
async fn exec_channel_class_runs_commands_and_reports_exit_status() {
    let sshd = Sshd::start();
    let r1 = testbed(&sshd, 1, "").device("r1").unwrap();
    let exec = r1
        .connect(ConnectOptions::new().class("ssh-exec").alias("exec"))
        .await
        .unwrap();
    assert_eq!(
        exec.execute("echo a; show lines 2").await.unwrap(),
        "a\nline 1\nline 2\n"
    );
    let err = exec.execute("bogus").await.unwrap_err();
    assert!(
        matches!(&err, Error::ExitStatus { status: 1, output, .. } if output.contains("Invalid input")),
        "{err:?}"
    );
    let err = exec
        .execute_with(
            "sleep 5",
            &ExecOptions::new().timeout(Duration::from_millis(300)),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(exec.execute("echo fine").await.unwrap(), "fine\n");
}

#[tokio::test]
async fn fan_out_over_a_testbed() {
    let sshd = Sshd::start();
    let tb = testbed(&sshd, 4, "");
    let connected = tb.connect_all(ConnectOptions::new(), 2).await;
    assert!(connected.values().all(Result::is_ok), "{connected:?}");
    let outputs = tb.execute_all("echo fan", 4).await;
    assert_eq!(outputs.len(), 4);
    for (name, out) in outputs {
        assert_eq!(out.unwrap(), "fan\n", "{name}");
    }
    let disconnected = tb.disconnect_all(4).await;
    assert!(disconnected.values().all(Result::is_ok));
}

#[tokio::test]
async fn works_without_a_pty() {
    // Without a pty the router neither echoes nor uses \r\n; the engine copes with both.
    let sshd = Sshd::start();
    let r1 = testbed(&sshd, 1, "        pty: false\n")
        .device("r1")
        .unwrap();
    r1.connect(ConnectOptions::new()).await.unwrap();
    assert_eq!(r1.execute("echo plain").await.unwrap(), "plain\n");
    assert_eq!(
        r1.execute("show version").await.unwrap().lines().count(),
        46
    );
    r1.configure(&["hostname NoPty"]).await.unwrap();
    assert!(
        r1.execute("show running-config")
            .await
            .unwrap()
            .contains("hostname NoPty")
    );
}

#[tokio::test]
async fn init_config_commands_from_the_arguments_block_run_after_login() {
    let sshd = Sshd::start();
    let extra = "        arguments:\n          init_config_commands: [hostname Booted, ntp server 192.0.2.1]\n";
    let r1 = testbed(&sshd, 1, extra).device("r1").unwrap();
    r1.connect(ConnectOptions::new()).await.unwrap();
    let running = r1.execute("show running-config").await.unwrap();
    assert!(
        running.contains("hostname Booted") && running.contains("ntp server 192.0.2.1"),
        "{running}"
    );
}

#[tokio::test]
async fn concurrent_connects_open_one_session() {
    let sshd = Sshd::start();
    let r1 = testbed(&sshd, 1, "").device("r1").unwrap();
    let h = r1.instantiate(ConnectOptions::new()).unwrap();
    let (a, b) = tokio::join!(h.connect(), h.connect());
    a.unwrap();
    b.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let sessions = loop {
        let n = std::fs::read_dir(sshd.dir().join("sessions"))
            .unwrap()
            .count();
        if n > 0 || std::time::Instant::now() > deadline {
            break n;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(sessions, 1);
}

#[tokio::test]
async fn session_log_records_device_output_but_not_the_enable_password() {
    let sshd = Sshd::start();
    let log = sshd.dir().join("session.log");
    let extra = format!("        log_file: {}\n", log.display());
    let r1 = testbed(&sshd, 1, &extra).device("r1").unwrap();
    r1.connect(ConnectOptions::new()).await.unwrap();
    r1.execute("show version").await.unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("Password: ")
            && text.contains("R1#")
            && text.contains("Cisco IOS XE Software"),
        "{text}"
    );
    assert!(!text.contains(ENABLE_PASSWORD), "{text}");
}

#[tokio::test]
async fn sshd_killed_mid_command_then_restarted_reconnect_works() {
    let mut sshd = Sshd::start();
    let r1 = connected(&sshd).await;
    let running = tokio::spawn({
        let r1 = r1.clone();
        async move { r1.execute("sleep 20").await }
    });
    // Let the command reach the router before the server dies.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::fs::read_dir(sshd.dir().join("sessions"))
        .unwrap()
        .count()
        == 0
    {
        assert!(std::time::Instant::now() < deadline, "no session appeared");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    sshd.restart();
    let err = running.await.unwrap().unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    r1.connect(ConnectOptions::new()).await.unwrap();
    assert_eq!(r1.execute("echo revived").await.unwrap(), "revived\n");
}
