//! A fake router CLI for SSH tests: run by sshd as `ForceCommand`, std only.
//!
//! Modes `R1>` / `R1#` / `R1(config)#` / `R1(config-if)#`; `enable` with a password; a
//! ` --More-- ` pager (`terminal length N`, default 24; space continues, `q` stops); `% Invalid input`
//! errors; a `[confirm]` dialog (`reload`) and a filename question (`copy running-config
//! startup-config`); `sleep N` interruptible with Ctrl-C; `hostname X` changes the prompt.
//! With a tty it switches the tty to raw mode once and echoes input itself, like a device; without
//! one it reads lines. With `SSH_ORIGINAL_COMMAND` (an exec request) it runs the `;`-separated
//! commands in enable mode and exits with status 1 if any failed.
//! `FAKE_ROUTER_PIDDIR` (set by the harness) receives one file per running session, so tests can
//! kill sessions mid-command.

use std::io::{IsTerminal, Read, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const ENABLE_PASSWORD: &str = "enablepw";
const INVALID: &str = "% Invalid input detected at '^' marker.";

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Exec,
    Enable,
    Config,
    ConfigIf,
}

struct Router {
    hostname: String,
    mode: Mode,
    page: usize,
    tty: bool,
    input: Receiver<u8>,
    pending: Option<u8>,
    out: std::io::Stdout,
    config: Vec<String>,
    failed: bool,
}

enum Line {
    Text(String),
    Interrupted,
    Eof,
}

fn main() {
    let pid_file = std::env::var("FAKE_ROUTER_PIDDIR").ok().map(|dir| {
        let path = std::path::Path::new(&dir).join(std::process::id().to_string());
        let _ = std::fs::write(&path, "");
        path
    });
    let tty = std::io::stdin().is_terminal();
    if tty {
        // Raw mode once, with TCSANOW semantics (stty applies immediately, input typed ahead is kept).
        let _ = std::process::Command::new("stty")
            .args(["raw", "-echo"])
            .stdin(std::process::Stdio::inherit())
            .status();
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = [0u8; 4096];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    for b in &buf[..n] {
                        if tx.send(*b).is_err() {
                            return;
                        }
                    }
                }
            }
        }
    });
    let mut router = Router {
        hostname: std::env::var("FAKE_ROUTER_HOSTNAME").unwrap_or_else(|_| "R1".into()),
        mode: Mode::Exec,
        page: 24,
        tty,
        input: rx,
        pending: None,
        out: std::io::stdout(),
        config: Vec::new(),
        failed: false,
    };
    let code = match std::env::var("SSH_ORIGINAL_COMMAND") {
        Ok(commands) if !commands.trim().is_empty() => {
            router.mode = Mode::Enable;
            router.page = 0;
            for command in commands.split(';') {
                router.run(command.trim());
            }
            i32::from(router.failed)
        }
        _ => {
            router.interactive();
            0
        }
    };
    if let Some(path) = pid_file {
        let _ = std::fs::remove_file(path);
    }
    std::process::exit(code);
}

impl Router {
    fn nl(&self) -> &'static str {
        if self.tty { "\r\n" } else { "\n" }
    }

    fn write(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    fn line(&mut self, text: &str) {
        let nl = self.nl();
        self.write(&format!("{text}{nl}"));
    }

    fn prompt(&mut self) {
        let p = match self.mode {
            Mode::Exec => format!("{}>", self.hostname),
            Mode::Enable => format!("{}#", self.hostname),
            Mode::Config => format!("{}(config)#", self.hostname),
            Mode::ConfigIf => format!("{}(config-if)#", self.hostname),
        };
        self.write(&p);
    }

    /// Reads one line, echoing it when `echo` (a device echoes what it receives; passwords are not echoed).
    fn read_line(&mut self, echo: bool) -> Line {
        let show = echo && self.tty;
        let mut line = Vec::new();
        let mut echoed: Vec<u8> = Vec::new();
        loop {
            let b = match self.try_recv() {
                Some(b) => b,
                None => {
                    // Echo what was typed so far before waiting for more, as a device does.
                    self.write_bytes(&mut echoed);
                    match self.recv() {
                        Some(b) => b,
                        None => return Line::Eof,
                    }
                }
            };
            match b {
                b'\r' | b'\n' => {
                    if b == b'\r' {
                        self.swallow_lf();
                    }
                    if self.tty {
                        echoed.extend_from_slice(b"\r\n");
                    } else if !echo {
                        // A hidden answer (password) still ends its line, as on a terminal.
                        echoed.push(b'\n');
                    }
                    self.write_bytes(&mut echoed);
                    return Line::Text(String::from_utf8_lossy(&line).into_owned());
                }
                0x03 => {
                    echoed.extend_from_slice(format!("^C{}", self.nl()).as_bytes());
                    self.write_bytes(&mut echoed);
                    return Line::Interrupted;
                }
                0x1a => {
                    if show {
                        echoed.extend_from_slice(b"^Z\r\n");
                    }
                    self.write_bytes(&mut echoed);
                    return Line::Text("end".into());
                }
                0x7f | 0x08 => {
                    if line.pop().is_some() && show {
                        echoed.extend_from_slice(b"\x08 \x08");
                    }
                }
                _ => {
                    line.push(b);
                    if show {
                        echoed.push(b);
                    }
                }
            }
        }
    }

    fn write_bytes(&mut self, data: &mut Vec<u8>) {
        if !data.is_empty() {
            let _ = self.out.write_all(data);
            let _ = self.out.flush();
            data.clear();
        }
    }

    fn try_recv(&mut self) -> Option<u8> {
        self.pending.take().or_else(|| self.input.try_recv().ok())
    }

    fn recv(&mut self) -> Option<u8> {
        self.pending.take().or_else(|| self.input.recv().ok())
    }

    fn recv_timeout(&mut self, timeout: Duration) -> Result<u8, RecvTimeoutError> {
        match self.pending.take() {
            Some(b) => Ok(b),
            None => self.input.recv_timeout(timeout),
        }
    }

    /// After a `\r`, drops a `\n` that belongs to it; any other byte is kept for the next read.
    fn swallow_lf(&mut self) {
        if let Ok(next) = self.input.recv_timeout(Duration::from_millis(2)) {
            if next != b'\n' {
                self.pending = Some(next);
            }
        }
    }

    fn interactive(&mut self) {
        self.prompt();
        loop {
            match self.read_line(true) {
                Line::Eof => return,
                Line::Interrupted => {}
                Line::Text(cmd) => {
                    if !self.run(cmd.trim()) {
                        return;
                    }
                }
            }
            self.prompt();
        }
    }

    fn error(&mut self, message: &str) {
        self.failed = true;
        self.line(message);
    }

    /// Runs one command; false when the session should end.
    fn run(&mut self, cmd: &str) -> bool {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        let enabled = self.mode != Mode::Exec;
        match (self.mode, words.as_slice()) {
            (_, []) => {}
            (Mode::Exec | Mode::Enable, ["exit" | "logout" | "quit"]) => return false,
            (_, ["echo", rest @ ..]) => self.line(&rest.join(" ")),
            (_, ["terminal" | "term", "length" | "len", n]) => match n.parse() {
                Ok(n) => self.page = n,
                Err(_) => self.error(INVALID),
            },
            (_, ["terminal" | "term", "width", _]) => {}
            (_, ["sleep", secs]) => match secs.parse::<f64>() {
                Ok(s) => self.sleep(Duration::from_secs_f64(s)),
                Err(_) => self.error(INVALID),
            },
            (_, ["show", "version"]) => self.paged(show_version(&self.hostname)),
            (_, ["show", "lines", n]) => match n.parse::<usize>() {
                Ok(n) => self.paged((1..=n).map(|i| format!("line {i}")).collect()),
                Err(_) => self.error(INVALID),
            },
            (_, ["show"]) => self.error("% Incomplete command."),
            (Mode::Exec, ["enable"]) => self.enable(),
            (_, ["enable"]) => {}
            (_, ["disable"]) => self.mode = Mode::Exec,
            (Mode::Enable, ["configure", "terminal"] | ["conf", "t"] | ["configure"]) => {
                self.line("Enter configuration commands, one per line.  End with CNTL/Z.");
                self.mode = Mode::Config;
            }
            (Mode::Enable, ["show", "running-config"]) => {
                let mut out = vec![
                    "Building configuration...".to_owned(),
                    String::new(),
                    format!("hostname {}", self.hostname),
                ];
                out.extend(self.config.iter().cloned());
                out.push("end".into());
                self.paged(out);
            }
            (Mode::Enable, ["reload"]) => self.reload(),
            (Mode::Enable, ["copy", "running-config", "startup-config"]) => self.copy(),
            (Mode::Config | Mode::ConfigIf, ["end"]) => self.mode = Mode::Enable,
            (Mode::Config, ["exit"]) => self.mode = Mode::Enable,
            (Mode::ConfigIf, ["exit"]) => self.mode = Mode::Config,
            (Mode::Config | Mode::ConfigIf, ["hostname", name]) => {
                self.hostname = (*name).to_owned()
            }
            (Mode::Config | Mode::ConfigIf, ["interface", _]) => {
                self.config.push(cmd.to_owned());
                self.mode = Mode::ConfigIf;
            }
            (Mode::Config | Mode::ConfigIf, [first, ..])
                if [
                    "ip",
                    "no",
                    "description",
                    "shutdown",
                    "logging",
                    "ntp",
                    "snmp-server",
                    "username",
                ]
                .contains(first) =>
            {
                self.config.push(cmd.to_owned())
            }
            _ => {
                let _ = enabled;
                self.line(&format!("{}^", " ".repeat(self.hostname.len() + 1)));
                self.error(INVALID);
            }
        }
        true
    }

    fn enable(&mut self) {
        self.write("Password: ");
        match self.read_line(false) {
            Line::Text(p) if p == ENABLE_PASSWORD => self.mode = Mode::Enable,
            Line::Text(_) => self.error("% Access denied"),
            Line::Interrupted | Line::Eof => {}
        }
    }

    fn reload(&mut self) {
        self.write("Proceed with reload? [confirm]");
        match self.read_key() {
            Some(b'y' | b'Y' | b'\r' | b'\n') => {
                self.line("");
                self.line("Reload scheduled (fake: nothing happens).");
            }
            _ => {
                self.line("");
                self.line("% Reload cancelled.");
            }
        }
    }

    fn copy(&mut self) {
        self.write("Destination filename [startup-config]? ");
        match self.read_line(true) {
            Line::Text(_) => {
                self.line("Building configuration...");
                self.line("[OK]");
            }
            Line::Interrupted | Line::Eof => {}
        }
    }

    fn read_key(&mut self) -> Option<u8> {
        let key = self.recv()?;
        if key == b'\r' {
            self.swallow_lf();
        }
        Some(key)
    }

    fn sleep(&mut self, total: Duration) {
        let deadline = Instant::now() + total;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            match self.recv_timeout(left) {
                Ok(0x03) => {
                    self.write(&format!("^C{}", self.nl()));
                    return;
                }
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => return,
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(left);
                    return;
                }
            }
        }
    }

    fn paged(&mut self, lines: Vec<String>) {
        let nl = self.nl();
        let mut shown = 0;
        for line in lines {
            if self.page > 0 && shown == self.page.saturating_sub(1) {
                self.write(" --More-- ");
                match self.read_key() {
                    Some(b'q' | b'Q') | None => {
                        self.write(&format!("\r          \r{nl}"));
                        return;
                    }
                    _ => self.write("\r          \r"),
                }
                shown = 0;
            }
            self.write(&format!("{line}{nl}"));
            shown += 1;
        }
    }
}

fn show_version(hostname: &str) -> Vec<String> {
    let mut out = vec![
        "Cisco IOS XE Software, Version 17.09.04a".to_owned(),
        "Cisco IOS Software [Cupertino], Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.9.4a, RELEASE SOFTWARE (fc3)".to_owned(),
        "Technical Support: http://www.cisco.com/techsupport".to_owned(),
        "Copyright (c) 1986-2023 by Cisco Systems, Inc.".to_owned(),
        String::new(),
        format!("{hostname} uptime is 1 day, 2 hours, 3 minutes"),
        "System returned to ROM by reload".to_owned(),
        "System image file is \"bootflash:packages.conf\"".to_owned(),
    ];
    for i in 0..36 {
        out.push(format!("  module {i:02}: fake line of version output"));
    }
    out.push("Configuration register is 0x2102".to_owned());
    out.push(String::new());
    out
}
