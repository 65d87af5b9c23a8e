//! One line per step with the time since the command started, so a slow step is never a
//! silent wait.

use std::fmt::Display;
use std::io::Write as _;
use std::time::Instant;

/// Prints `[  1.2s] redis: started on 127.0.0.1:16379` lines; shared by the service threads.
#[derive(Debug)]
pub(crate) struct Progress {
    start: Instant,
}

impl Progress {
    pub(crate) fn start() -> Self {
        Self {
            start: Instant::now(),
        }
    }

    pub(crate) fn step(&self, who: &str, message: impl Display) {
        let line = format!(
            "[{:>5.1}s] {who}: {message}\n",
            self.start.elapsed().as_secs_f64()
        );
        // One write per line keeps lines of concurrent services whole; a closed stdout is no
        // reason to abort a service start.
        let _ = std::io::stdout().lock().write_all(line.as_bytes());
    }
}
