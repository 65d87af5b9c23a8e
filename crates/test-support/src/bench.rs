//! Rows for the combined table of `cargo xtask bench`.
//!
//! Each bench target prints its own detailed table, and also calls [`record`] once per
//! measurement. When `cargo xtask bench` runs it, `OPSKIT_BENCH_SUMMARY` names a file that
//! collects those rows as JSON lines, from which xtask prints one table for all areas. Run on
//! its own (`cargo bench -p …`), a bench writes no summary.

use std::io::Write;
use std::time::Duration;

/// One measurement: our code, the physical floor and the Python anchor on the same service.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// The area, as `cargo xtask bench <area>` names it.
    pub area: &'a str,
    /// What one operation is, e.g. "GET /REST/Session/".
    pub metric: &'a str,
    /// Our time per operation.
    pub ours: Duration,
    /// The floor's time per operation (raw client, curl, redis GET), when measured.
    pub floor: Option<Duration>,
    /// The Python anchor's time per operation, when measured.
    pub python: Option<Duration>,
}

/// Appends `row` to the summary file named by `OPSKIT_BENCH_SUMMARY`, if any.
///
/// # Errors
/// When the summary file cannot be opened or written.
///
/// # Example
/// ```
/// use std::time::Duration;
/// test_support::bench::record(&test_support::bench::Row {
///     area: "registry",
///     metric: "global get",
///     ours: Duration::from_nanos(21),
///     floor: Some(Duration::from_nanos(13)),
///     python: None,
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn record(row: &Row<'_>) -> std::io::Result<()> {
    let Some(path) = std::env::var_os("OPSKIT_BENCH_SUMMARY") else {
        return Ok(());
    };
    let nanos = |d: Option<Duration>| d.map_or("null".to_owned(), |d| d.as_nanos().to_string());
    let line = format!(
        "{{\"area\":{},\"metric\":{},\"ours_ns\":{},\"floor_ns\":{},\"python_ns\":{}}}\n",
        json_string(row.area),
        json_string(row.metric),
        row.ours.as_nanos(),
        nanos(row.floor),
        nanos(row.python),
    );
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(line.as_bytes())
}

fn json_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::json_string;

    #[test]
    fn strings_are_escaped_as_json() {
        assert_eq!(
            json_string("a \"b\" \\ c\n"),
            "\"a \\\"b\\\" \\\\ c\\u000a\""
        );
    }
}
