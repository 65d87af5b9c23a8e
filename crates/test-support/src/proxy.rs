//! A private `tinyproxy` (an HTTP proxy) per test, on a loopback port of its own.
//!
//! [`Tinyproxy::start`] writes a config (`Listen 127.0.0.1`, a free `Port`, `Allow 127.0.0.1`,
//! `LogLevel Info`, and `BasicAuth user password` with [`Tinyproxy::start_with_basic_auth`])
//! into a temporary directory, runs `/usr/bin/tinyproxy -d -c <config>` in the foreground as a
//! child and waits until the port accepts. [`Tinyproxy::log`] returns what it logged, so a test
//! can prove its requests went through the proxy. Dropping the [`Tinyproxy`] kills it and
//! removes the directory.
//!
//! tinyproxy refuses to run as root, so as root the config names `User nobody` / `Group
//! nogroup` and the directory and log are made writable for that user.
//! When tinyproxy is missing the harness panics with a message naming `cargo xtask services up`
//! (which installs the Debian package `tinyproxy`).
//!
//! # Example
//!
//! ```no_run
//! let proxy = test_support::proxy::Tinyproxy::start_with_basic_auth("puser", "ppass");
//! // point the client under test at proxy.url() (or 127.0.0.1:proxy.port()), then:
//! assert!(proxy.log().contains("Request (file descriptor"));
//! ```

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The tinyproxy binary (Debian `tinyproxy`).
pub const TINYPROXY: &str = "/usr/bin/tinyproxy";

/// A running private tinyproxy; killed on drop.
#[derive(Debug)]
pub struct Tinyproxy {
    child: Child,
    port: u16,
    dir: PathBuf,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind a loopback port")
}

impl Tinyproxy {
    /// Starts a tinyproxy that forwards for anyone on loopback, without authentication.
    pub fn start() -> Tinyproxy {
        Self::spawn(None)
    }

    /// Starts a tinyproxy that demands Basic authentication as `user` / `password`.
    pub fn start_with_basic_auth(user: &str, password: &str) -> Tinyproxy {
        Self::spawn(Some((user, password)))
    }

    fn spawn(basic_auth: Option<(&str, &str)>) -> Tinyproxy {
        assert!(
            fs::metadata(TINYPROXY).is_ok_and(|m| m.is_file()),
            "tinyproxy is not installed: run `cargo xtask services up`"
        );
        let dir = std::env::temp_dir().join(format!(
            "opskit-tinyproxy-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create tinyproxy temp dir");
        let log = dir.join("tinyproxy.log");
        fs::write(&log, "").expect("create tinyproxy log");
        let root = is_root();
        if root {
            // tinyproxy drops to `nobody` before it opens the log.
            for (path, mode) in [(&dir, 0o777), (&log, 0o666)] {
                fs::set_permissions(path, fs::Permissions::from_mode(mode))
                    .expect("open up the tinyproxy temp dir");
            }
        }
        let mut last_error = String::new();
        for _attempt in 0..5 {
            let port = free_port();
            let mut config = format!(
                "Port {port}\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 30\nMaxClients 64\n\
                 LogLevel Info\nLogFile \"{log}\"\n",
                log = log.display(),
            );
            if root {
                config.push_str("User nobody\nGroup nogroup\n");
            }
            if let Some((user, password)) = basic_auth {
                config.push_str(&format!("BasicAuth {user} {password}\n"));
            }
            let config_path = dir.join("tinyproxy.conf");
            fs::write(&config_path, config).expect("write tinyproxy.conf");
            let mut child = Command::new(TINYPROXY)
                .arg("-d")
                .arg("-c")
                .arg(&config_path)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("tinyproxy is not installed: run `cargo xtask services up` ({e})")
                });
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if let Ok(Some(status)) = child.try_wait() {
                    last_error = format!(
                        "tinyproxy exited ({status}): {}",
                        fs::read_to_string(&log).unwrap_or_default()
                    );
                    break;
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Tinyproxy { child, port, dir };
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    last_error = "tinyproxy did not accept connections within 10 s".into();
                    break;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        let _ = fs::remove_dir_all(&dir);
        panic!("tinyproxy failed to start: {last_error}");
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1`.
    pub fn host(&self) -> &'static str {
        "127.0.0.1"
    }

    /// `http://127.0.0.1:<port>` (without credentials).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The proxy's log so far (`LogLevel Info`: one `Request` line per forwarded request,
    /// `Connect` lines, and authentication failures).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("tinyproxy.log")).unwrap_or_default()
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}
