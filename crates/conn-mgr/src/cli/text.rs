//! Turning raw terminal output into clean text.

/// The visible text of one line: a carriage return moves back to the start, so only what follows
/// the last non-final `\r` is kept (pager erasures, progress output); backspaces delete.
pub(crate) fn visible_line(raw: &str) -> String {
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    let tail = raw
        .rsplit('\r')
        .find(|s| !s.trim().is_empty())
        .unwrap_or("");
    let mut out = String::with_capacity(tail.len());
    for c in tail.chars() {
        match c {
            '\u{8}' => {
                out.pop();
            }
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// The last line of a buffer as it would be displayed.
pub(crate) fn last_line(buffer: &str) -> String {
    visible_line(buffer.rsplit('\n').next().unwrap_or(""))
}

/// The last `max` characters, for error messages.
pub(crate) fn tail(buffer: &str, max: usize) -> String {
    let start = buffer
        .char_indices()
        .rev()
        .nth(max.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    buffer[start..].to_owned()
}

/// Output of a command: lines cleaned, the echoed command dropped, the final prompt dropped.
pub(crate) fn command_output(raw: &str, command: &str) -> String {
    let mut lines: Vec<String> = raw.split('\n').map(visible_line).collect();
    lines.pop(); // the prompt
    if lines
        .first()
        .is_some_and(|first| first.trim() == command.trim())
    {
        lines.remove(0);
    }
    let mut out = lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_pager_erasure_and_backspaces() {
        assert_eq!(visible_line("\r          \rline 5\r"), "line 5");
        assert_eq!(visible_line("abc\u{8}\u{8}x"), "ax");
        assert_eq!(last_line("out\r\nR1#"), "R1#");
    }

    #[test]
    fn command_output_drops_echo_and_prompt() {
        assert_eq!(
            command_output("show x\r\nline 1\r\nline 2\r\nR1#", "show x"),
            "line 1\nline 2\n"
        );
        assert_eq!(command_output("line 1\nR1#", "show x"), "line 1\n");
        assert_eq!(command_output("R1#", "terminal length 0"), "");
    }

    #[test]
    fn tail_is_char_safe() {
        assert_eq!(tail("héllo", 3), "llo");
        assert_eq!(tail("hé", 10), "hé");
    }
}
