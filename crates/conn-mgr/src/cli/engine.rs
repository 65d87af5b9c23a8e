//! Blocking prompt engine: sends a command, reads until a prompt, answering the pager and dialogs
//! on the way. Runs on the thread that owns the stream; prompts are matched on each read, at the end
//! of the buffer, with no fixed sleeps.

use std::time::{Duration, Instant};

use regex::Regex;

use super::profile::{Mode, Profile};
use super::text::{command_output, last_line, tail};
use crate::connection::{DialogRule, ExecOptions};
use crate::{Error, Result, Secret};

/// Bytes of recent output kept in timeout and prompt errors.
const TAIL: usize = 400;
/// Longest single blocking read, so deadlines are honoured.
const READ_SLICE: Duration = Duration::from_millis(200);
/// Silence that ends a drain after resynchronising.
const QUIET: Duration = Duration::from_millis(50);

/// A byte pipe to a CLI.
pub(crate) trait ByteStream {
    fn write_all(&mut self, data: &[u8]) -> Result<()>;
    /// Reads what is available, waiting at most `wait`; `Ok(0)` when nothing came in time;
    /// `Err(Error::Disconnected)` at end of stream.
    fn read(&mut self, buf: &mut [u8], wait: Duration) -> Result<usize>;
    /// Keeps an idle connection open; false when it is dead.
    fn keepalive(&mut self) -> bool {
        true
    }
    /// Closes the pipe.
    fn close(&mut self) {}
}

impl ByteStream for Box<dyn ByteStream> {
    fn write_all(&mut self, data: &[u8]) -> Result<()> {
        (**self).write_all(data)
    }
    fn read(&mut self, buf: &mut [u8], wait: Duration) -> Result<usize> {
        (**self).read(buf, wait)
    }
    fn keepalive(&mut self) -> bool {
        (**self).keepalive()
    }
    fn close(&mut self) {
        (**self).close();
    }
}

pub(crate) struct Engine<S> {
    stream: S,
    profile: Profile,
    mode: Mode,
    /// A call was abandoned mid-output; resynchronise before the next one.
    dirty: bool,
    default_timeout: Duration,
    /// Session log: what the device sent, byte for byte (our input appears only as the device echoes
    /// it, so passwords answered to hidden prompts never reach the log).
    log: Option<std::fs::File>,
    /// Bytes of an incomplete UTF-8 character at the end of the last read.
    partial: Vec<u8>,
}

impl<S: ByteStream> Engine<S> {
    pub(crate) fn new(stream: S, profile: Profile, default_timeout: Duration) -> Self {
        Engine {
            stream,
            profile,
            mode: Mode::Exec,
            dirty: false,
            default_timeout,
            log: None,
            partial: Vec::new(),
        }
    }

    pub(crate) fn with_log(mut self, log: Option<std::fs::File>) -> Self {
        self.log = log;
        self
    }

    pub(crate) fn stream_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    /// Waits for the first prompt (sending a newline if the device stays quiet), then runs init commands.
    pub(crate) fn start(
        &mut self,
        timeout: Duration,
        enable_secret: Option<&Secret>,
        goto_enable: bool,
    ) -> Result<()> {
        let deadline = Instant::now() + timeout;
        let nudge = Instant::now() + (timeout / 4).min(Duration::from_secs(2));
        let mut buffer = String::new();
        let mut nudged = false;
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::Timeout {
                    op: "waiting for the first prompt".into(),
                    after: timeout,
                    tail: tail(&buffer, TAIL),
                });
            }
            if !nudged && now >= nudge {
                self.stream.write_all(b"\n")?;
                nudged = true;
            }
            let wait = deadline
                .min(if nudged { deadline } else { nudge })
                .saturating_duration_since(now)
                .min(READ_SLICE);
            if self.read_into(&mut buffer, wait)? && self.prompt_at_end(&buffer) {
                break;
            }
        }
        // Input typed ahead and echoed by the pty can follow; let it settle.
        self.drain(deadline)?;
        for command in self.profile.init_commands.clone() {
            self.execute(&command, &ExecOptions::default())?;
        }
        if goto_enable && self.mode == Mode::Exec && enable_secret.is_some() {
            self.enable(enable_secret)?;
        }
        Ok(())
    }

    pub(crate) fn mode_name(&self) -> &'static str {
        match self.mode {
            Mode::Exec => "exec",
            Mode::Enable => "enable",
            Mode::Config => "config",
        }
    }

    /// Reads once into `buffer`; true if anything arrived.
    fn read_into(&mut self, buffer: &mut String, wait: Duration) -> Result<bool> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk, wait)?;
        if let (Some(log), true) = (&mut self.log, n > 0) {
            // Logging is best effort: a full disk must not break the session.
            let _ = std::io::Write::write_all(log, &chunk[..n]);
        }
        self.partial.extend_from_slice(&chunk[..n]);
        // A multi-byte character split between two reads is kept until its last byte arrives.
        let complete = match std::str::from_utf8(&self.partial) {
            Ok(_) => self.partial.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.partial.len(),
        };
        buffer.push_str(&String::from_utf8_lossy(&self.partial[..complete]));
        self.partial.drain(..complete);
        Ok(n > 0)
    }

    fn prompt_at_end(&mut self, buffer: &str) -> bool {
        let line = last_line(buffer);
        match self.last_prompt(&line) {
            Some(prompt) => {
                self.mode = self.profile.mode_of(prompt);
                true
            }
            None => false,
        }
    }

    /// The last prompt if `line` is one prompt or several in a row (an extra newline sent while a
    /// prompt was pending makes the device print it twice on one line).
    fn last_prompt<'l>(&self, line: &'l str) -> Option<&'l str> {
        if self.profile.prompt.is_match(line) {
            return Some(line);
        }
        line.char_indices()
            .filter(|&(i, c)| matches!(c, '#' | '>' | '$') && i + 1 < line.len())
            .find_map(|(i, _)| {
                let (head, tail) = line.split_at(i + 1);
                if self.profile.prompt.is_match(head) {
                    self.last_prompt(tail)
                } else {
                    None
                }
            })
    }

    /// Reads until a prompt ends the output, answering the pager and dialogs; returns the raw output.
    fn until_prompt(
        &mut self,
        what: &str,
        timeout: Duration,
        dialogs: &[DialogRule],
    ) -> Result<String> {
        let deadline = Instant::now() + timeout;
        let mut buffer = String::new();
        // Where the next dialog search starts, so an answered question is not answered again.
        let mut answered_up_to = 0;
        let mut used = vec![false; dialogs.len()];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.dirty = true;
                return Err(Error::Timeout {
                    op: what.to_owned(),
                    after: timeout,
                    tail: tail(&buffer, TAIL),
                });
            }
            if !self.read_into(&mut buffer, left.min(READ_SLICE))? {
                continue;
            }
            // The pager marker ends the output, so only the last line is searched (large outputs stay linear).
            let line_start = buffer.rfind('\n').map_or(0, |i| i + 1);
            if let Some(m) = self.profile.pager.find_iter(&buffer[line_start..]).last()
                && buffer[line_start + m.end()..].trim().is_empty()
            {
                buffer.replace_range(line_start + m.start()..line_start + m.end(), "");
                let key = self.profile.pager_continue.clone();
                self.stream.write_all(key.as_bytes())?;
                continue;
            }
            if self.prompt_at_end(&buffer) {
                return Ok(buffer);
            }
            let pending = &buffer[answered_up_to..];
            let line = last_line(pending);
            for (i, rule) in dialogs.iter().enumerate() {
                if (rule.repeat || !used[i]) && rule.pattern.is_match(&line) {
                    used[i] = true;
                    let mut answer = rule.answer.clone();
                    if rule.newline {
                        answer.push('\n');
                    }
                    self.stream.write_all(answer.as_bytes())?;
                    answered_up_to = buffer.len();
                    break;
                }
            }
        }
    }

    /// Reads and discards until the stream has been quiet for a moment.
    fn drain(&mut self, deadline: Instant) -> Result<()> {
        let mut sink = String::new();
        while Instant::now() < deadline && self.read_into(&mut sink, QUIET)? {
            if sink.len() > 64 * 1024 {
                sink.clear();
            }
        }
        Ok(())
    }

    /// After an abandoned call: interrupt, wait for a prompt, drop whatever else arrives.
    fn resync(&mut self) -> Result<()> {
        self.stream.write_all(b"\x03")?;
        let timeout = self.default_timeout;
        self.until_prompt("resynchronising after an interrupted command", timeout, &[])?;
        self.drain(Instant::now() + timeout)?;
        self.dirty = false;
        Ok(())
    }

    fn check_errors(&self, command: &str, output: &str, extra: &[Regex]) -> Result<()> {
        for line in output.lines() {
            if let Some(p) = self
                .profile
                .errors
                .iter()
                .chain(extra)
                .find(|p| p.is_match(line.trim_start()))
            {
                return Err(Error::CommandFailed {
                    command: command.to_owned(),
                    pattern: p.as_str().to_owned(),
                    output: output.to_owned(),
                });
            }
        }
        Ok(())
    }

    fn send_line(&mut self, line: &str) -> Result<()> {
        let mut data = Vec::with_capacity(line.len() + 1);
        data.extend_from_slice(line.as_bytes());
        data.push(b'\n');
        self.stream.write_all(&data)
    }

    pub(crate) fn execute(&mut self, command: &str, options: &ExecOptions) -> Result<String> {
        if self.dirty {
            self.resync()?;
        }
        let extra = compile(&options.error_patterns)?;
        self.send_line(command)?;
        let timeout = options.timeout.unwrap_or(self.default_timeout);
        let raw = self.until_prompt(&format!("execute '{command}'"), timeout, &options.reply)?;
        let output = command_output(&raw, command);
        self.check_errors(command, &output, &extra)?;
        Ok(output)
    }

    pub(crate) fn enable(&mut self, secret: Option<&Secret>) -> Result<()> {
        if !self.profile.has_modes || self.mode != Mode::Exec {
            return Ok(());
        }
        if self.dirty {
            self.resync()?;
        }
        let secret = secret
            .ok_or_else(|| Error::Enable("no enable password (credential 'enable')".into()))?;
        let rule = DialogRule {
            pattern: self.profile.password_prompt.clone(),
            answer: secret.expose().to_owned(),
            newline: true,
            repeat: false,
        };
        let command = self.profile.enable_command.clone();
        self.send_line(&command)?;
        let raw = self.until_prompt("enable", self.default_timeout, std::slice::from_ref(&rule))?;
        if self.mode == Mode::Exec {
            let output = command_output(&raw, &command);
            let reason = output
                .lines()
                .map(str::trim)
                .find(|l| l.starts_with('%'))
                .unwrap_or("still in exec mode");
            return Err(Error::Enable(reason.to_owned()));
        }
        Ok(())
    }

    pub(crate) fn configure(
        &mut self,
        lines: &[String],
        options: &ExecOptions,
        secret: Option<&Secret>,
    ) -> Result<String> {
        if self.profile.has_modes && self.mode == Mode::Exec {
            self.enable(secret)?;
        }
        let mut output = String::new();
        if self.profile.has_modes && self.mode != Mode::Config {
            let command = self.profile.config_command.clone();
            self.execute(&command, options)?;
            if self.mode != Mode::Config {
                return Err(Error::CommandFailed {
                    command,
                    pattern: "config prompt".into(),
                    output: String::new(),
                });
            }
        }
        for line in lines {
            match self.execute(line, options) {
                Ok(out) => output.push_str(&out),
                Err(e) => {
                    // Leave configuration mode so the connection is usable for the next call.
                    if !self.dirty && self.profile.has_modes {
                        let exit = self.profile.config_exit.clone();
                        let _ = self.execute(&exit, &ExecOptions::default());
                    }
                    return Err(e);
                }
            }
        }
        if self.profile.has_modes {
            let exit = self.profile.config_exit.clone();
            self.execute(&exit, options)?;
        }
        Ok(output)
    }
}

fn compile(patterns: &[String]) -> Result<Vec<Regex>> {
    patterns
        .iter()
        .map(|p| {
            Regex::new(p).map_err(|e| Error::Config(format!("invalid error pattern '{p}': {e}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;

    /// Answers reads from a script; records writes.
    struct Script {
        reads: VecDeque<Vec<u8>>,
        written: Vec<u8>,
    }

    impl ByteStream for Script {
        fn write_all(&mut self, data: &[u8]) -> Result<()> {
            self.written.extend_from_slice(data);
            Ok(())
        }

        fn read(&mut self, buf: &mut [u8], wait: Duration) -> Result<usize> {
            match self.reads.pop_front() {
                Some(chunk) => {
                    buf[..chunk.len()].copy_from_slice(&chunk);
                    Ok(chunk.len())
                }
                None => {
                    std::thread::sleep(wait.min(Duration::from_millis(5)));
                    Ok(0)
                }
            }
        }
    }

    fn engine(chunks: &[&[u8]]) -> Engine<Script> {
        let script = Script {
            reads: chunks.iter().map(|c| c.to_vec()).collect(),
            written: Vec::new(),
        };
        Engine::new(script, Profile::router(), Duration::from_secs(5))
    }

    #[test]
    fn split_characters_pager_and_echo_are_handled() {
        let mut e = engine(&[
            b"show x\r\nh\xc3",
            b"\xa9llo\r\n --More-- ",
            b"\r          \rline 2\r\nR1#",
        ]);
        assert_eq!(
            e.execute("show x", &ExecOptions::default()).unwrap(),
            "h\u{e9}llo\nline 2\n"
        );
        assert_eq!(e.stream.written, b"show x\n ");
    }

    #[test]
    fn two_prompts_on_one_line_end_the_output_and_set_the_mode() {
        let mut e = engine(&[b"x\r\nout\r\nR1(config)#R1#"]);
        assert_eq!(e.execute("x", &ExecOptions::default()).unwrap(), "out\n");
        assert_eq!(e.mode_name(), "enable");
    }

    #[test]
    fn a_timed_out_call_is_interrupted_before_the_next_one() {
        let mut e = engine(&[b"sleep 9\r\n"]);
        let options = ExecOptions::new().timeout(Duration::from_millis(30));
        assert!(matches!(
            e.execute("sleep 9", &options),
            Err(Error::Timeout { .. })
        ));
        e.stream
            .reads
            .extend([b"^C\r\nR1#".to_vec(), b"echo hi\r\nhi\r\nR1#".to_vec()]);
        // The resync consumes the interrupt's prompt; the second chunk is only read after `echo hi`
        // is sent, because the drain stops at the first quiet read.
        e.stream.reads.insert(1, Vec::new());
        assert_eq!(
            e.execute("echo hi", &ExecOptions::default()).unwrap(),
            "hi\n"
        );
        assert!(
            e.stream.written.ends_with(b"\x03echo hi\n"),
            "{:?}",
            e.stream.written
        );
    }

    #[test]
    fn dialog_rules_answer_once_when_asked() {
        let rule = DialogRule::new(r"\[yes/no\]: ?$", "yes").unwrap().once();
        let mut e = engine(&[b"erase\r\nProceed? [yes/no]: ", b"yes\r\nErased\r\nR1#"]);
        let out = e.execute("erase", &ExecOptions::new().reply(rule)).unwrap();
        assert!(out.contains("Erased"), "{out}");
        assert_eq!(e.stream.written, b"erase\nyes\n");
    }
}
