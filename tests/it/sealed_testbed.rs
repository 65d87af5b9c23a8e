//! Testbed credentials sealed with `encryption`, opened by conn-mgr's loader and used to log
//! in to a real OpenSSH sshd (conn-mgr + encryption + test-support's sshd).

use conn_mgr::testbed::{SEALING_KEY_VAR, seal_for_testbed};
use conn_mgr::{ConnectOptions, Error, Testbed, TestbedLoader};
use encryption::Key;
use test_support::sshd::{PASSWORD, PASSWORD_USER, Sshd, SshdOptions};

use crate::support::ScratchDir;

/// Promise: a testbed file whose password is `%SEALED{…}` (sealed by
/// `conn_mgr::testbed::seal_for_testbed` with an `encryption::Key`) holds no plaintext; loaded
/// with the key (here from `OPSKIT_TESTBED_KEY`, as an operator would set it) it logs in to a
/// real sshd by password and runs a command; loaded with another key it fails with a typed
/// testbed error naming the file and the key path of the sealed value, and no secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_password_logs_in_with_the_key_and_fails_typed_without_it() {
    let sshd = Sshd::start_with(SshdOptions::default().with_password_user());
    let key = Key::generate().expect("a key");
    let sealed = seal_for_testbed(&key, PASSWORD).expect("seal the password");
    let yaml = format!(
        "testbed:\n  name: sealed-lab\ndevices:\n  r1:\n    os: iosxe\n    credentials:\n      default:\n        username: {PASSWORD_USER}\n        password: '{sealed}'\n    connections:\n      cli:\n        protocol: ssh\n        ip: 127.0.0.1\n        port: {port}\n        known_hosts: {known_hosts}\n        connection_timeout: 10\n        timeout: 10\n",
        port = sshd.port(),
        known_hosts = sshd.known_hosts().display(),
    );
    assert!(!yaml.contains(PASSWORD), "the file holds only ciphertext");
    let scratch = ScratchDir::new("sealed-testbed");
    let file = scratch.path().join("lab.yaml");
    std::fs::write(&file, &yaml).expect("write the testbed");

    // The right key, given the way an operator would: in the environment.
    let spec = TestbedLoader::new()
        .without_process_env()
        .env_var(SEALING_KEY_VAR, key.to_printable().as_str())
        .load(&file)
        .expect("the key opens the testbed");
    let credential = spec.devices["r1"]
        .credentials
        .get("default")
        .expect("a default credential");
    assert_eq!(
        credential.password.as_ref().map(|secret| secret.expose()),
        Some(PASSWORD),
        "the loader opened the sealed password"
    );
    assert!(
        !format!("{spec:?}").contains(PASSWORD),
        "the opened password stays out of Debug"
    );
    let r1 = Testbed::new(spec).device("r1").expect("device r1");
    r1.connect(ConnectOptions::new())
        .await
        .unwrap_or_else(|e| panic!("password log-in failed: {e:?}\n{}", sshd.log()));
    assert_eq!(
        r1.execute("echo sealed").await.expect("run a command"),
        "sealed\n"
    );
    r1.disconnect(None).await.expect("disconnect");
    assert!(!r1.is_connected(None));

    // Another key: refused while loading, with where and why, and nothing secret.
    let err = TestbedLoader::new()
        .without_process_env()
        .sealing_key(Key::generate().expect("a key"))
        .load(&file)
        .expect_err("another key must not open the testbed");
    match &err {
        Error::Testbed(error) => {
            assert_eq!(error.file(), "lab.yaml", "{error:?}");
            assert_eq!(
                error.key_path(),
                "devices.r1.credentials.default.password",
                "{error:?}"
            );
            assert!(error.reason().contains("SEALED"), "{error:?}");
        }
        other => panic!("expected Error::Testbed, got {other:?}"),
    }
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
}
