//! The sshd harness, checked with the OpenSSH client: key login, the fake router over exec and
//! over a pty, session killing, cleanup on drop.

use std::io::Write;
use std::process::{Command, Stdio};

use test_support::sshd::{PASSWORD_USER, Sshd, SshdOptions};

fn ssh(sshd: &Sshd, tty: bool) -> Command {
    let mut cmd = Command::new("ssh");
    cmd.args([
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "LogLevel=ERROR",
    ])
    .arg("-o")
    .arg(format!(
        "UserKnownHostsFile={}",
        sshd.known_hosts().display()
    ))
    .arg("-i")
    .arg(sshd.client_key())
    .args(["-p", &sshd.port().to_string()])
    .arg(if tty { "-tt" } else { "-T" })
    .arg(format!("{}@127.0.0.1", sshd.user()));
    cmd
}

#[test]
fn exec_request_runs_fake_router_commands() {
    let sshd = Sshd::start();
    let out = ssh(&sshd, false)
        .arg("echo hello; show lines 3")
        .output()
        .expect("ssh runs");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        sshd.log()
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello\nline 1\nline 2\nline 3\n"
    );
    let out = ssh(&sshd, false).arg("bogus").output().expect("ssh runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("% Invalid input"));
}

#[test]
fn interactive_session_over_a_pty_shows_prompts_and_modes() {
    let sshd = Sshd::start_with(SshdOptions::default().with_hostname("Edge1"));
    let mut child = ssh(&sshd, true)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("ssh runs");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(b"echo hi\renable\renablepw\rconfigure terminal\rend\rexit\r")
        .expect("write");
    let out = child.wait_with_output().expect("ssh finishes");
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in ["Edge1>", "hi\r\n", "Password: ", "Edge1#", "Edge1(config)#"] {
        assert!(text.contains(expected), "missing {expected:?} in {text:?}");
    }
    // Input typed before the router set raw mode is echoed by the pty itself; the router never echoes
    // the password it reads after `Password: `.
    assert!(
        !text.contains("Password: enablepw"),
        "the enable password must not be echoed: {text:?}"
    );
}

#[test]
fn kill_sessions_ends_a_running_command() {
    let sshd = Sshd::start();
    let child = ssh(&sshd, false)
        .arg("sleep 30")
        .stdout(Stdio::piped())
        .spawn()
        .expect("ssh runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while sshd.kill_sessions() == 0 {
        assert!(std::time::Instant::now() < deadline, "no session appeared");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("ssh finishes");
    assert!(!out.status.success());
}

#[test]
fn wrong_known_hosts_is_refused_by_the_openssh_client() {
    let sshd = Sshd::start();
    let out = Command::new("ssh")
        .args(["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"])
        .arg("-o")
        .arg(format!(
            "UserKnownHostsFile={}",
            sshd.wrong_known_hosts().display()
        ))
        .arg("-i")
        .arg(sshd.client_key())
        .args(["-p", &sshd.port().to_string(), "-T"])
        .arg(format!("{}@127.0.0.1", sshd.user()))
        .arg("echo x")
        .output()
        .expect("ssh runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("HOST IDENTIFICATION HAS CHANGED"));
}

#[test]
fn password_user_is_created_and_server_stops_on_drop() {
    let sshd = Sshd::start_with(SshdOptions::default().with_password_user());
    let port = sshd.port();
    let dir = sshd.dir().to_owned();
    assert!(
        Command::new("id")
            .arg(PASSWORD_USER)
            .output()
            .expect("id runs")
            .status
            .success()
    );
    drop(sshd);
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "sshd still listening"
    );
    assert!(!dir.exists());
}
