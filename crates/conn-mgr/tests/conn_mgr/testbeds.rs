//! The eight real pyATS testbeds load (or fail) the way the real pyATS 26.9 loader did (see testbeds/README.md).

use std::net::IpAddr;
use std::path::PathBuf;

use conn_mgr::testbed::{Host, TestbedLoader};
use conn_mgr::{Error, Value};

fn file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/testbeds")
        .join(name)
}

fn loader() -> TestbedLoader {
    TestbedLoader::new().without_process_env()
}

fn ip(s: &str) -> Option<Host> {
    Some(Host::Ip(
        s.parse::<IpAddr>().expect("test IP literals are valid"),
    ))
}

#[test]
fn connection_example_loads() {
    let tb = loader()
        .load(file("examples__connection__testbed.yaml"))
        .unwrap();
    assert_eq!(tb.name, "c9000");
    let d = &tb.devices["cat9500"];
    assert_eq!(d.alias, "cat9500");
    assert_eq!(d.os.as_deref(), Some("iosxe"));
    assert_eq!(d.device_type.as_deref(), Some("c9500"));
    assert_eq!(d.platform.as_deref(), Some("c9500"));
    assert_eq!(d.defaults.class.as_deref(), Some("unicon.Unicon"));
    let cli = &d.connections["cli"];
    assert_eq!(cli.protocol.as_deref(), Some("telnet"));
    assert_eq!(cli.host, ip("172.27.101.31"));
    assert_eq!(cli.port, Some(6052));
    let timeout = cli.extra["service_attributes"]
        .get("execute")
        .and_then(|e| e.get("timeout"));
    assert_eq!(timeout, Some(&Value::Int(600)));
    assert_eq!(
        d.credentials
            .get("enable")
            .unwrap()
            .password
            .as_ref()
            .unwrap()
            .expose(),
        "password"
    );
}

#[test]
fn duplicate_device_alias_fails_with_file_line_and_key_path() {
    let err = loader()
        .load(file("examples__clean__full_clean_multi_os__testbed.yaml"))
        .unwrap_err();
    let Error::Testbed(e) = err else {
        panic!("unexpected error {err:?}")
    };
    assert_eq!(
        e.file(),
        "examples__clean__full_clean_multi_os__testbed.yaml"
    );
    assert!(
        e.reason()
            .contains("device alias 'uut' already exists in this testbed 'SAMPLE-TESTBED'"),
        "{e}"
    );
    // The second `alias: uut` (N7700-1; `the-terminal-server` has none and defaults to its name).
    assert_eq!(e.key_path(), "devices.N7700-1.alias");
    assert_eq!(e.line(), 79);
}

#[test]
fn enc_values_decode_with_the_default_key() {
    // Same file with the duplicate aliases made unique: the %ENC{} passwords decode to `lab`.
    let text = std::fs::read_to_string(file("examples__clean__full_clean_multi_os__testbed.yaml"))
        .unwrap()
        .replacen("alias: uut", "alias: uut1", 1)
        .replacen("alias: uut\n", "alias: uut2\n", 1);
    let tb = loader().load_str(&text, "multi.yaml").unwrap();
    let cred = tb.devices["asr1000"].credentials.get("default").unwrap();
    assert_eq!(cred.password.as_ref().unwrap().expose(), "lab");
    assert!(
        !format!("{cred:?}").contains("lab"),
        "secret leaked in Debug"
    );
    let server_pw = tb.servers["tftp"]
        .get("credentials")
        .and_then(|c| c.get("default"))
        .and_then(|d| d.get("password"));
    assert!(matches!(server_pw, Some(Value::Secret(s)) if s.expose() == "lab"));
    assert_eq!(
        tb.devices["the-terminal-server"].alias,
        "the-terminal-server"
    );
}

#[test]
fn comprehensive_example_expands_self_references() {
    let tb = loader()
        .load(file("examples__comprehensive__etc__example_testbed.yaml"))
        .unwrap();
    assert_eq!(tb.name, "example_testbed");
    let d = &tb.devices["ott-tb1-n7k3"];
    assert_eq!(d.alias, "uut");
    assert_eq!(d.os, None);
    assert_eq!(d.device_type.as_deref(), Some("router"));
    assert_eq!(d.platform.as_deref(), Some("router"));
    let mut paths: Vec<_> = d.connections.keys().cloned().collect();
    paths.sort();
    assert_eq!(paths, ["a", "alt", "b", "clean"]);
    let pre_clean = d.connections["clean"].extra["pre_clean"].as_str().unwrap();
    assert!(
        pre_clean.contains("switchname ott-tb1-n7k3\n"),
        "{pre_clean}"
    );
    assert!(pre_clean.contains("ip addr 5.25.25.3/24"), "{pre_clean}");
    assert!(tb.warnings.iter().any(|w| w.contains("deprecated")));
    // Legacy tacacs/passwords become credentials.
    let default = d.credentials.get("default").unwrap();
    assert_eq!(default.username.as_deref(), Some("admin"));
    assert_eq!(default.password.as_ref().unwrap().expose(), "CSCO12345^");
}

#[test]
fn legacy_enc_form_and_opaque_proxy() {
    let tb = loader()
        .load(file(
            "getting-started__develop-guide__writescripts__script2__testbed.yaml",
        ))
        .unwrap();
    assert_eq!(tb.name, "VIRL-TESTBED1");
    let d = &tb.devices["csr1000v-1"];
    assert_eq!(
        d.credentials
            .get("default")
            .unwrap()
            .password
            .as_ref()
            .unwrap()
            .expose(),
        "cisco"
    );
    assert_eq!(
        d.connections["vty"].extra["proxy"].as_str(),
        Some("jump_host")
    );
    assert_eq!(
        tb.credentials
            .get("enable")
            .unwrap()
            .password
            .as_ref()
            .unwrap()
            .expose(),
        "lab"
    );
    assert!(!tb.warnings.is_empty());
}

#[test]
fn multi_class_device_without_testbed_block_is_named_after_the_file() {
    let tb = loader()
        .load(file(
            "solutions_examples__blitz_cli_rest_netconf_gnmi__testbed.yaml",
        ))
        .unwrap();
    assert_eq!(
        tb.name,
        "solutions_examples__blitz_cli_rest_netconf_gnmi__testbed"
    );
    let d = &tb.devices["N9Kv1"];
    assert_eq!(
        d.connections["rest"].class.as_deref(),
        Some("rest.connector.Rest")
    );
    assert_eq!(
        d.connections["netconf"].class.as_deref(),
        Some("yang.connector.Netconf")
    );
    assert_eq!(d.connections["gnmi"].host, ip("127.0.0.1"));
    assert_eq!(d.connections["cli"].class, None);
    let rest = d.connections["rest"].credentials.get("rest").unwrap();
    assert_eq!(rest.username.as_deref(), Some("<user>"));
    // Plain path-level `password` keys are secrets too.
    assert!(matches!(
        d.connections["netconf"].extra["password"],
        Value::Secret(_)
    ));
}

#[test]
fn unset_env_feeding_ip_fails_and_set_env_loads() {
    let name = "solutions_examples__pyATS_dCloud__dCloud_remote.yaml";
    let err = loader().load(file(name)).unwrap_err();
    let Error::Testbed(e) = err else {
        panic!("unexpected error {err:?}")
    };
    assert_eq!(e.key_path(), "devices.jump_host.connections.mgmt.ip");
    assert_eq!(e.line(), 6); // the file starts with a blank line
    assert!(e.reason().contains("empty address"), "{e}");

    let tb = loader()
        .env_var("VXR_HOST", "127.0.0.1")
        .load(file(name))
        .unwrap();
    assert_eq!(
        tb.devices["jump_host"].connections["mgmt"].host,
        ip("127.0.0.1")
    );
    assert_eq!(
        tb.devices["8000-1"].connections["cli"].extra["arguments"].get("init_config_commands"),
        Some(&Value::List(vec![]))
    );
}

#[test]
fn mock_command_path_and_ipv6() {
    let tb = loader()
        .load(file("examples__clean__clean__testbed_cisco_live.yaml"))
        .unwrap();
    let csr = &tb.devices["csr1000v-1"];
    assert_eq!(csr.connections["a"].host, None);
    assert!(
        csr.connections["a"].extra["command"]
            .as_str()
            .unwrap()
            .starts_with("mock_device_cli")
    );
    assert_eq!(tb.devices["nx-osv-1"].connections["a"].host, ip("::1"));
}

#[test]
fn defaults_with_via_and_no_type() {
    let tb = loader()
        .load(file(
            "examples__clean__viptela__full_clean_controllers__testbed.yaml",
        ))
        .unwrap();
    let d = &tb.devices["vmanage"];
    assert_eq!(d.device_type, None);
    assert_eq!(d.platform.as_deref(), Some("viptela"));
    assert_eq!(d.defaults.via.as_deref(), Some("cli"));
    assert!(d.defaults.debug);
}

#[tokio::test]
async fn unsupported_paths_of_real_testbeds_are_refused_with_a_clear_error() {
    use conn_mgr::{ConnectOptions, Testbed};
    // `cli` is a telnet path: the default class (unicon.Unicon → ssh) refuses it up front.
    let tb = Testbed::new(
        loader()
            .load(file("examples__connection__testbed.yaml"))
            .unwrap(),
    );
    let err = tb
        .device("cat9500")
        .unwrap()
        .connect(ConnectOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("protocol 'telnet'")),
        "{err:?}"
    );
    assert!(tb.device("cat9500").unwrap().manager().aliases().is_empty());

    // `proxy: jump_host` paths are not silently connected directly.
    let spec = loader()
        .env_var("VXR_HOST", "127.0.0.1")
        .load(file("solutions_examples__pyATS_dCloud__dCloud_remote.yaml"))
        .unwrap();
    let err = Testbed::new(spec)
        .device("8000-1")
        .unwrap()
        .connect(ConnectOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("proxy")),
        "{err:?}"
    );
}
