//! The tinyproxy harness, checked with curl against a small origin server: Basic auth is
//! enforced, forwarded requests show in the log, and the proxy is gone after drop.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::thread;

use test_support::proxy::Tinyproxy;

/// Answers every request on a loopback port with `200 hello`; returns the port.
fn origin() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind origin");
    let port = listener.local_addr().expect("origin address").port();
    thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello",
            );
        }
    });
    port
}

/// `curl -x <proxy> <url>`: the status code and the body.
fn curl_via(proxy: &str, url: &str) -> (String, String) {
    let out = Command::new("curl")
        .args([
            "-s",
            "--noproxy",
            "",
            "-w",
            "\n%{http_code}",
            "-x",
            proxy,
            url,
        ])
        .output()
        .expect("curl runs (installed by `cargo xtask services up`)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').expect("curl printed a status code");
    (code.to_owned(), body.to_owned())
}

#[test]
fn forwards_with_the_right_credentials_and_logs_each_request() {
    let origin = origin();
    let proxy = Tinyproxy::start_with_basic_auth("puser", "ppass");
    let authed = format!("http://puser:ppass@127.0.0.1:{}", proxy.port());
    let url = format!("http://127.0.0.1:{origin}/through-the-proxy");

    assert_eq!(
        curl_via(&authed, &url),
        ("200".to_owned(), "hello".to_owned())
    );
    assert!(
        proxy.log().contains(&format!(
            "GET http://127.0.0.1:{origin}/through-the-proxy HTTP/1.1"
        )),
        "{}",
        proxy.log()
    );

    let wrong = format!("http://puser:wrong@127.0.0.1:{}", proxy.port());
    let (code, body) = curl_via(&wrong, &url);
    assert!(matches!(code.as_str(), "401" | "407"), "{code} {body}");
    assert_ne!(body, "hello");
    let (code, _) = curl_via(&proxy.url(), &url);
    assert!(matches!(code.as_str(), "401" | "407"), "{code}");
}

#[test]
fn without_auth_anyone_on_loopback_may_use_it() {
    let origin = origin();
    let proxy = Tinyproxy::start();
    assert_eq!(proxy.url(), format!("http://127.0.0.1:{}", proxy.port()));
    let url = format!("http://127.0.0.1:{origin}/open");
    assert_eq!(
        curl_via(&proxy.url(), &url),
        ("200".to_owned(), "hello".to_owned())
    );
    assert!(proxy.log().contains("/open HTTP/1.1"), "{}", proxy.log());
}

#[test]
fn drop_stops_the_proxy() {
    let proxy = Tinyproxy::start();
    let port = proxy.port();
    assert!(TcpStream::connect(("127.0.0.1", port)).is_ok());
    drop(proxy);
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
}
