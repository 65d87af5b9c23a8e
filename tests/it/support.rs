//! Helpers shared by the scenarios: unique names and scratch directories.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// A name unique to this process and call: `it-<pid>-<label><n>`, short enough for LXD.
pub(crate) fn unique(label: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("it-{}-{label}{n}", std::process::id())
}

/// A directory under the system temp dir, removed (with its contents) on drop.
#[derive(Debug)]
pub(crate) struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    pub(crate) fn new(label: &str) -> Self {
        let path = std::env::temp_dir().join(format!("opskit-{}", unique(label)));
        std::fs::create_dir_all(&path).expect("create a scratch directory");
        Self { path }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        // Cleanup only: a leftover directory in /tmp must not turn a passing test into a failure.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
