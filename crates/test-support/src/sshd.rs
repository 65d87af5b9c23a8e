//! A private OpenSSH `sshd` per test, on a loopback port of its own.
//!
//! [`Sshd::start`] generates a host key and a client key with `ssh-keygen` in a temporary
//! directory, writes a config (`ListenAddress 127.0.0.1`, a free port, `UsePAM no`,
//! `StrictModes no`, `MaxSessions 64`) whose `ForceCommand` is the fake router CLI
//! ([`fake_router_path`]), checks it with `sshd -t`, starts `/usr/sbin/sshd -D -e -f <config>` as a
//! child and waits until the port accepts. Dropping the [`Sshd`] kills it and removes the directory.
//!
//! The login user is the current user (key authentication). With
//! [`SshdOptions::password_user`] a dedicated account [`PASSWORD_USER`] with password
//! [`PASSWORD`] is created (root only) and password authentication is enabled.
//! When sshd is missing the harness panics with a message naming `cargo xtask services up`
//! (which installs `openssh-server`).
//!
//! # Example
//!
//! ```no_run
//! let sshd = test_support::sshd::Sshd::start();
//! let addr = format!("127.0.0.1:{}", sshd.port());
//! // connect with the client under test, using sshd.user(), sshd.client_key(), sshd.known_hosts()
//! # let _ = addr;
//! ```

use std::fs;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The sshd binary (Debian `openssh-server`).
pub const SSHD: &str = "/usr/sbin/sshd";
/// Account created for password tests.
pub const PASSWORD_USER: &str = "opskit-ssh";
/// Its password.
pub const PASSWORD: &str = "opskit-test-pw";
/// Enable password of the fake router.
pub const ENABLE_PASSWORD: &str = "enablepw";

/// Path of the compiled fake router CLI (built by test-support's build script).
pub fn fake_router_path() -> &'static Path {
    Path::new(concat!(env!("OUT_DIR"), "/fake-router"))
}

/// Options for [`Sshd::start_with`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SshdOptions {
    /// Enable password authentication for [`PASSWORD_USER`] (creates the account; needs root).
    pub password_user: bool,
    /// Initial hostname of the fake router (default `R1`).
    pub hostname: Option<String>,
}

impl SshdOptions {
    /// Also allow password logins as [`PASSWORD_USER`].
    pub fn with_password_user(mut self) -> Self {
        self.password_user = true;
        self
    }

    /// Sets the fake router's initial hostname.
    pub fn with_hostname(mut self, hostname: &str) -> Self {
        self.hostname = Some(hostname.to_owned());
        self
    }
}

/// A running private sshd; killed on drop.
#[derive(Debug)]
pub struct Sshd {
    child: Child,
    port: u16,
    dir: PathBuf,
    user: String,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

fn missing(what: &str) -> ! {
    panic!("{what}; install OpenSSH with `cargo xtask services up` (it installs openssh-server)")
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| missing(&format!("cannot run {cmd:?}: {e}")));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn is_root() -> bool {
    run(Command::new("id").arg("-u")).trim() == "0"
}

fn ensure_password_user() {
    assert!(
        is_root(),
        "password tests need root: only root can create the {PASSWORD_USER} account"
    );
    let exists = Command::new("id")
        .arg(PASSWORD_USER)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !exists.is_ok_and(|s| s.success()) {
        // A concurrent test may create it first; only a still-missing account is an error.
        let _ = Command::new("useradd")
            .args(["-M", "-s", "/bin/sh", PASSWORD_USER])
            .output();
    }
    let mut chpasswd = Command::new("chpasswd")
        .stdin(Stdio::piped())
        .spawn()
        .expect("chpasswd runs");
    chpasswd
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(format!("{PASSWORD_USER}:{PASSWORD}\n").as_bytes())
        .expect("write to chpasswd");
    assert!(
        chpasswd.wait().is_ok_and(|s| s.success()),
        "chpasswd failed for {PASSWORD_USER}"
    );
}

/// Starts `sshd -D -e -f config` and waits until `port` accepts connections.
fn spawn_ready(dir: &Path, config: &Path, port: u16) -> Result<Child, String> {
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("sshd.log"))
        .expect("create sshd log");
    let mut child = Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| missing(&format!("cannot start {SSHD}: {e}")));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return Err(fs::read_to_string(dir.join("sshd.log")).unwrap_or_default());
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(child);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err("sshd did not accept connections within 10 s".into());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind a loopback port")
}

impl Sshd {
    /// Starts an sshd with key authentication for the current user.
    pub fn start() -> Sshd {
        Self::start_with(SshdOptions::default())
    }

    /// Starts an sshd with options.
    pub fn start_with(options: SshdOptions) -> Sshd {
        if !Path::new(SSHD).exists() {
            missing(&format!("{SSHD} not found"));
        }
        let dir = std::env::temp_dir().join(format!(
            "opskit-sshd-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sessions")).expect("create sshd temp dir");
        let user = run(Command::new("id").arg("-un")).trim().to_owned();
        if is_root() {
            // Privilege separation directory; Debian creates it only when the service starts.
            let _ = fs::create_dir_all("/run/sshd");
        }
        for key in ["host_key", "client_key"] {
            run(Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", key, "-f"])
                .arg(dir.join(key)));
        }
        fs::copy(dir.join("client_key.pub"), dir.join("authorized_keys"))
            .expect("write authorized_keys");
        let mut users = user.clone();
        if options.password_user {
            ensure_password_user();
            users = format!("{user} {PASSWORD_USER}");
            // The password user's router writes its session file here.
            let _ = Command::new("chmod")
                .arg("0777")
                .arg(dir.join("sessions"))
                .status();
            let _ = Command::new("chmod").arg("0755").arg(&dir).status();
        }
        let mut last_error = String::new();
        for _attempt in 0..5 {
            let port = free_port();
            let config = dir.join("sshd_config");
            let text = format!(
                "ListenAddress 127.0.0.1\nPort {port}\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n\
                 AuthorizedKeysFile {d}/authorized_keys\nAllowUsers {users}\nPermitRootLogin yes\n\
                 PubkeyAuthentication yes\nPasswordAuthentication {pw}\nKbdInteractiveAuthentication no\n\
                 PermitEmptyPasswords no\nUsePAM no\nStrictModes no\nMaxSessions 64\nMaxStartups 64:30:128\n\
                 LogLevel VERBOSE\nPrintMotd no\nPrintLastLog no\nUseDNS no\n\
                 SetEnv FAKE_ROUTER_PIDDIR={d}/sessions FAKE_ROUTER_HOSTNAME={host}\n\
                 ForceCommand {router}\n",
                d = dir.display(),
                pw = if options.password_user { "yes" } else { "no" },
                host = options.hostname.as_deref().unwrap_or("R1"),
                router = fake_router_path().display(),
            );
            fs::write(&config, text).expect("write sshd_config");
            run(Command::new(SSHD).arg("-t").arg("-f").arg(&config));
            match spawn_ready(&dir, &config, port) {
                Ok(child) => {
                    return Sshd {
                        child,
                        port,
                        dir,
                        user,
                    };
                }
                Err(e) => last_error = e,
            }
        }
        panic!("sshd failed to start: {last_error}");
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1`.
    pub fn host(&self) -> &'static str {
        "127.0.0.1"
    }

    /// The user that logs in with [`Sshd::client_key`].
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The client's private key (OpenSSH ed25519, no passphrase).
    pub fn client_key(&self) -> PathBuf {
        self.dir.join("client_key")
    }

    /// A known_hosts file holding this server's host key under `[127.0.0.1]:<port>`.
    pub fn known_hosts(&self) -> PathBuf {
        let path = self.dir.join("known_hosts");
        if !path.exists() {
            let key = fs::read_to_string(self.dir.join("host_key.pub")).expect("host key exists");
            fs::write(&path, format!("[127.0.0.1]:{} {key}", self.port))
                .expect("write known_hosts");
        }
        path
    }

    /// A known_hosts file that pins a *different* key for this server (for mismatch tests).
    pub fn wrong_known_hosts(&self) -> PathBuf {
        let other = self.dir.join("other_key");
        if !other.exists() {
            run(Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-f"])
                .arg(&other));
        }
        let key = fs::read_to_string(self.dir.join("other_key.pub")).expect("other key exists");
        let path = self.dir.join("wrong_known_hosts");
        fs::write(&path, format!("[127.0.0.1]:{} {key}", self.port)).expect("write known_hosts");
        path
    }

    /// A scratch directory that lives as long as the server.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The server's log so far (`-e`, `LogLevel VERBOSE`).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("sshd.log")).unwrap_or_default()
    }

    /// Kills the server and every session (as if the device crashed), then starts it again on the
    /// same port with the same host key.
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.kill_sessions();
        self.child = spawn_ready(&self.dir, &self.dir.join("sshd_config"), self.port)
            .unwrap_or_else(|e| panic!("sshd failed to restart: {e}"));
    }

    /// Kills every fake router session (as if the device dropped the line); returns how many.
    pub fn kill_sessions(&self) -> usize {
        let mut killed = 0;
        for entry in fs::read_dir(self.dir.join("sessions"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let pid = entry.file_name().to_string_lossy().into_owned();
            if pid.parse::<u32>().is_ok()
                && Command::new("kill")
                    .args(["-KILL", &pid])
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            {
                killed += 1;
            }
            let _ = fs::remove_file(entry.path());
        }
        killed
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.kill_sessions();
        let _ = fs::remove_dir_all(&self.dir);
    }
}
