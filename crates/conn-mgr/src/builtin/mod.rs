//! Built-in connection classes.

pub(crate) mod fake;
pub(crate) mod local;
pub(crate) mod ssh_cli;
pub(crate) mod ssh_exec;
