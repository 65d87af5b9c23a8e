//! The prompt engine over a local program (a `command:` path, as unicon's mock devices use), driven
//! against the same fake router CLI the SSH tests use, here over pipes with no pty and no echo.

use std::time::Duration;

use conn_mgr::{ConnectOptions, Device, DialogRule, Error, ExecOptions, Testbed, TestbedLoader};
use test_support::sshd::{ENABLE_PASSWORD, fake_router_path};

fn device(extra: &str) -> Device {
    let yaml = format!(
        "devices:\n  r1:\n    os: iosxe\n    credentials:\n      enable: {{password: {ENABLE_PASSWORD}}}\n    connections:\n      defaults: {{class: unicon.Unicon}}\n      a:\n        command: {router}\n        timeout: 10\n{extra}",
        router = fake_router_path().display()
    );
    Testbed::new(
        TestbedLoader::new()
            .without_process_env()
            .load_str(&yaml, "cmd.yaml")
            .expect("valid testbed"),
    )
    .device("r1")
    .expect("device r1")
}

#[tokio::test]
async fn command_path_drives_the_router_over_pipes() {
    let r1 = device("");
    r1.connect(ConnectOptions::new()).await.unwrap();
    assert_eq!(r1.execute("echo piped").await.unwrap(), "piped\n");
    assert_eq!(
        r1.execute("show version").await.unwrap().lines().count(),
        46
    );
    assert!(
        r1.execute("show running-config")
            .await
            .unwrap()
            .contains("hostname R1"),
        "enable reached at connect"
    );
    r1.configure(&["hostname Pipe1", "interface Gi2", "shutdown"])
        .await
        .unwrap();
    let running = r1.execute("show running-config").await.unwrap();
    assert!(
        running.contains("hostname Pipe1") && running.contains("interface Gi2"),
        "{running}"
    );
    assert!(matches!(
        r1.execute("nonsense").await,
        Err(Error::CommandFailed { .. })
    ));
    r1.disconnect(None).await.unwrap();
    assert!(!r1.is_connected(None));
}

#[tokio::test]
async fn pager_dialog_and_timeout_over_pipes() {
    let r1 = device("        init_exec_commands: []\n");
    r1.connect(ConnectOptions::new()).await.unwrap();
    let out = r1.execute("show lines 50").await.unwrap();
    assert_eq!(out.lines().count(), 50, "{out:?}");
    assert!(!out.contains("More"));
    let confirm = ExecOptions::new().reply(
        // `[confirm]` takes one key: a newline after it would be an empty command and a stray prompt.
        DialogRule::new(r"\[confirm\]$", "y")
            .unwrap()
            .without_newline(),
    );
    assert!(
        r1.execute_with("reload", &confirm)
            .await
            .unwrap()
            .contains("Reload scheduled")
    );
    let err = r1
        .execute_with(
            "sleep 20",
            &ExecOptions::new().timeout(Duration::from_millis(300)),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(r1.execute("echo resynced").await.unwrap(), "resynced\n");
}

#[tokio::test]
async fn a_program_that_exits_is_a_transport_error_then_reconnect_works() {
    let r1 = device("");
    r1.connect(ConnectOptions::new()).await.unwrap();
    let err = r1.execute("exit").await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    assert!(!r1.is_connected(None));
    r1.connect(ConnectOptions::new()).await.unwrap();
    assert_eq!(r1.execute("echo back").await.unwrap(), "back\n");
}

#[tokio::test]
async fn the_real_mock_device_path_fails_cleanly_without_unicon() {
    // examples__clean__clean__testbed_cisco_live.yaml: path `a` runs `mock_device_cli`, which is not installed.
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/testbeds/examples__clean__clean__testbed_cisco_live.yaml");
    let tb = Testbed::new(
        TestbedLoader::new()
            .without_process_env()
            .load(file)
            .unwrap(),
    );
    let csr = tb.device("uut").unwrap();
    let err = tokio::time::timeout(
        Duration::from_secs(20),
        csr.connect(ConnectOptions::new().via("a").arg("connection_timeout", 5)),
    )
    .await
    .expect("bounded")
    .unwrap_err();
    assert!(
        err.is_transport() || matches!(err, Error::Timeout { .. }),
        "{err:?}"
    );
}
