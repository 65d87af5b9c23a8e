//! Schema rules and error reporting of the testbed loader, on small inline documents.

use conn_mgr::testbed::{CredentialChain, TestbedLoader};
use conn_mgr::{Error, TestbedError};

fn load(text: &str) -> Result<conn_mgr::TestbedSpec, Error> {
    TestbedLoader::new()
        .without_process_env()
        .env_var("HOST_X", "10.0.0.9")
        .load_str(text, "tb.yaml")
}

fn testbed_error(text: &str) -> TestbedError {
    match load(text) {
        Err(Error::Testbed(e)) => e,
        other => panic!("expected a testbed error, got {other:?}"),
    }
}

#[test]
fn malformed_yaml_names_file_and_line() {
    let e = testbed_error("devices:\n  r1:\n    os: [unclosed\n    type: x\n");
    assert_eq!(e.file(), "tb.yaml");
    assert!(e.line() >= 3, "{e}");
    assert!(e.to_string().starts_with("tb.yaml:"), "{e}");
}

#[test]
fn unknown_device_key_is_rejected_with_key_path() {
    let e = testbed_error("devices:\n  r1:\n    connections: {}\n    bogus: 1\n");
    assert_eq!(e.key_path(), "devices.r1.bogus");
    assert_eq!(e.line(), 4);
    assert!(e.reason().contains("unsupported key 'bogus'"));
}

#[test]
fn unknown_defaults_key_is_rejected() {
    let e = testbed_error("devices:\n  r1:\n    connections:\n      defaults:\n        klass: x\n");
    assert_eq!(e.key_path(), "devices.r1.connections.defaults.klass");
    assert_eq!(e.line(), 5);
}

#[test]
fn device_without_connections_fails_but_empty_connections_load() {
    let e = testbed_error("devices:\n  r1:\n    os: ios\n");
    assert_eq!(e.key_path(), "devices.r1");
    assert!(e.reason().contains("connections"));
    assert!(load("devices:\n  r1:\n    connections: {}\n").is_ok());
}

#[test]
fn bad_port_and_bad_host() {
    let e = testbed_error(
        "devices:\n  r1:\n    connections:\n      cli:\n        ip: 1.1.1.1\n        port: 70000\n",
    );
    assert_eq!(e.key_path(), "devices.r1.connections.cli.port");
    assert_eq!(e.line(), 6);
    let e =
        testbed_error("devices:\n  r1:\n    connections:\n      cli:\n        host: 'bad host!'\n");
    assert_eq!(e.key_path(), "devices.r1.connections.cli.host");
}

#[test]
fn env_and_references_expand() {
    let tb = load(
        "testbed:\n  name: t\ndevices:\n  r1:\n    os: ios\n    connections:\n      cli:\n        ip: '%ENV{HOST_X}'\n        banner: 'on %{self} (%{self.os}) in %{testbed.name}'\n",
    )
    .unwrap();
    let cli = &tb.devices["r1"].connections["cli"];
    assert_eq!(cli.host.as_ref().unwrap().to_string(), "10.0.0.9");
    assert_eq!(cli.extra["banner"].as_str(), Some("on r1 (ios) in t"));
}

#[test]
fn dangling_reference_and_unsupported_markup_fail() {
    let e =
        testbed_error("devices:\n  r1:\n    connections:\n      cli:\n        x: '%{self.nope}'\n");
    assert_eq!(e.key_path(), "devices.r1.connections.cli.x");
    assert!(e.reason().contains("does not exist"));
    let e = testbed_error(
        "devices:\n  r1:\n    connections:\n      cli:\n        x: '%ASK{password}'\n",
    );
    assert!(e.reason().contains("not supported"));
}

#[test]
fn reference_cycle_is_an_error_not_a_hang() {
    let e = testbed_error(
        "testbed:\n  custom:\n    a: '%{testbed.custom.b}'\n    b: '%{testbed.custom.a}'\n",
    );
    assert!(e.reason().contains("cycle"), "{e}");
}

#[test]
fn duplicate_keys_warn_and_last_wins() {
    let tb = load("devices:\n  r1:\n    os: ios\n    os: nxos\n    connections: {}\n").unwrap();
    assert_eq!(tb.devices["r1"].os.as_deref(), Some("nxos"));
    assert!(
        tb.warnings
            .iter()
            .any(|w| w.contains("duplicate 'os' key") && w.contains("line 4")),
        "{:?}",
        tb.warnings
    );
}

#[test]
fn credentials_chain_by_name_with_default_fallback() {
    let tb = load(
        "testbed:\n  credentials:\n    default: {username: tbuser, password: tbpass}\n    enable: {password: tbenable}\n\
         devices:\n  r1:\n    credentials:\n      default: {username: devuser}\n    connections:\n      cli:\n        ip: 1.1.1.1\n        credentials:\n          special: {password: connpass}\n",
    )
    .unwrap();
    let d = &tb.devices["r1"];
    let chain = CredentialChain::new(vec![
        d.connections["cli"].credentials.clone(),
        d.credentials.clone(),
        tb.credentials.clone(),
    ]);
    // The device's `default` hides the testbed's as a whole: no password inherited.
    let default = chain.get("default").unwrap();
    assert_eq!(default.username.as_deref(), Some("devuser"));
    assert!(default.password.is_none());
    assert_eq!(
        chain
            .get("enable")
            .unwrap()
            .password
            .as_ref()
            .unwrap()
            .expose(),
        "tbenable"
    );
    assert_eq!(
        chain
            .get("special")
            .unwrap()
            .password
            .as_ref()
            .unwrap()
            .expose(),
        "connpass"
    );
    // Unknown names fall back to `default`.
    assert_eq!(
        chain.get("nope").unwrap().username.as_deref(),
        Some("devuser")
    );
}

#[test]
fn anchors_and_aliases_are_followed() {
    let tb = load(
        "devices:\n  r1:\n    credentials: &c\n      default: {username: u, password: p}\n    connections: {}\n  r2:\n    credentials: *c\n    connections: {}\n",
    )
    .unwrap();
    assert_eq!(
        tb.devices["r2"]
            .credentials
            .get("default")
            .unwrap()
            .username
            .as_deref(),
        Some("u")
    );
}

#[test]
fn sealed_secrets_open_with_the_key_and_fail_clearly_without_it() {
    use conn_mgr::testbed::seal_for_testbed;
    let key = encryption::Key::generate().unwrap();
    let sealed = seal_for_testbed(&key, "s3cret!").unwrap();
    assert!(!sealed.contains("s3cret"));
    let text = format!(
        "devices:\n  r1:\n    credentials:\n      default: {{username: u, password: '{sealed}'}}\n    connections: {{}}\n"
    );
    let tb = TestbedLoader::new()
        .without_process_env()
        .sealing_key(key.clone())
        .load_str(&text, "s.yaml")
        .unwrap();
    let cred = tb.devices["r1"].credentials.get("default").unwrap();
    assert_eq!(cred.password.as_ref().unwrap().expose(), "s3cret!");

    // The key can come from the environment variable as a printable key.
    let printable = key.to_printable();
    let tb = TestbedLoader::new()
        .without_process_env()
        .env_var(conn_mgr::testbed::SEALING_KEY_VAR, printable.as_str())
        .load_str(&text, "s.yaml")
        .unwrap();
    assert_eq!(
        tb.devices["r1"]
            .credentials
            .get("default")
            .unwrap()
            .password
            .as_ref()
            .unwrap()
            .expose(),
        "s3cret!"
    );

    let e = match TestbedLoader::new()
        .without_process_env()
        .load_str(&text, "s.yaml")
    {
        Err(Error::Testbed(e)) => e,
        other => panic!("{other:?}"),
    };
    assert_eq!(e.key_path(), "devices.r1.credentials.default.password");
    assert!(e.reason().contains("needs a key"), "{e}");

    let other = encryption::Key::generate().unwrap();
    let e = match TestbedLoader::new()
        .without_process_env()
        .sealing_key(other)
        .load_str(&text, "s.yaml")
    {
        Err(Error::Testbed(e)) => e,
        other => panic!("{other:?}"),
    };
    assert!(e.reason().contains("cannot open"), "{e}");
}
