//! HTTPS: a certificate made with the `openssl` command, the simulator serving TLS, and the
//! Python SDK on its default `ssl=True` transport trusting that certificate.

use std::path::PathBuf;
use std::process::Command;

use dyn_sim::Simulator;

use crate::python::script_with_env;

/// A self-signed certificate for 127.0.0.1 in a fresh directory under `target/`.
fn certificate() -> (PathBuf, Vec<u8>, Vec<u8>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/dyn-sim-tls")
        .join(
            format!("{}-{:?}", std::process::id(), std::thread::current().id())
                .replace(['(', ')'], ""),
        );
    std::fs::create_dir_all(&dir).expect("certificate directory");
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
        ])
        .args([
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        .arg("-keyout")
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .output()
        .expect("the openssl command (Debian package openssl) makes the test certificate");
    assert!(
        status.status.success(),
        "openssl failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let cert = std::fs::read(dir.join("cert.pem")).expect("certificate written");
    let key = std::fs::read(dir.join("key.pem")).expect("key written");
    (dir.join("cert.pem"), cert, key)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_talks_https_to_a_tls_simulator() {
    let (cert_path, cert, key) = certificate();
    let sim = Simulator::builder()
        .tls(cert, key)
        .start()
        .await
        .expect("TLS simulator starts");
    assert!(sim.base_url().starts_with("https://"));
    let env = vec![
        ("DYN_SIM_SSL".to_owned(), "1".to_owned()),
        ("SSL_CERT_FILE".to_owned(), cert_path.display().to_string()),
    ];
    script_with_env(&sim, "tm_tls.py", env).await;
    assert!(sim.requests().iter().all(|e| e.status == 200));
    if let Some(dir) = cert_path.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[tokio::test]
async fn bad_pem_is_refused_at_start() {
    let result = Simulator::builder()
        .tls("not a certificate", "not a key")
        .start()
        .await;
    assert!(
        matches!(result, Err(dyn_sim::Error::Invalid(_))),
        "{result:?}"
    );
}
