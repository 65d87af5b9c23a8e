//! A registered connection (or pool) as callers see it.

use std::sync::Arc;

use crate::connection::{Connection, ExecOptions};
use crate::pool::Pool;
use crate::{Result, Value};

/// A connection registered under an alias: one connection or a pool that looks like one.
/// Cheap to clone.
#[derive(Debug, Clone)]
pub struct ConnectionHandle {
    pub(crate) alias: String,
    pub(crate) via: Option<String>,
    pub(crate) class: String,
    pub(crate) target: Target,
}

#[derive(Debug, Clone)]
pub(crate) enum Target {
    Single(Arc<dyn Connection>),
    Pool(Arc<Pool>),
}

impl ConnectionHandle {
    /// The alias it is registered under.
    pub fn alias(&self) -> &str {
        &self.alias
    }

    /// The path it uses.
    pub fn via(&self) -> Option<&str> {
        self.via.as_deref()
    }

    /// The class name it was created from.
    pub fn class_name(&self) -> &str {
        &self.class
    }

    /// The pool size, or `None` for a single connection.
    pub fn pool_size(&self) -> Option<usize> {
        match &self.target {
            Target::Single(_) => None,
            Target::Pool(p) => Some(p.size()),
        }
    }

    /// Connected workers of a pool (1 or 0 for a single connection).
    pub fn healthy(&self) -> usize {
        match &self.target {
            Target::Single(c) => usize::from(c.is_connected()),
            Target::Pool(p) => p.healthy(),
        }
    }

    /// Whether it is connected (for a pool: every worker).
    pub fn is_connected(&self) -> bool {
        match &self.target {
            Target::Single(c) => c.is_connected(),
            Target::Pool(p) => p.is_connected(),
        }
    }

    /// Connects (every worker of a pool, a few at a time).
    pub async fn connect(&self) -> Result<()> {
        match &self.target {
            Target::Single(c) => c.connect().await,
            Target::Pool(p) => p.connect().await,
        }
    }

    /// Disconnects (every worker of a pool).
    pub async fn disconnect(&self) -> Result<()> {
        match &self.target {
            Target::Single(c) => c.disconnect().await,
            Target::Pool(p) => p.disconnect().await,
        }
    }

    /// Runs a command with default options.
    pub async fn execute(&self, command: &str) -> Result<String> {
        self.execute_with(command, &ExecOptions::default()).await
    }

    /// Runs a command.
    pub async fn execute_with(&self, command: &str, options: &ExecOptions) -> Result<String> {
        match &self.target {
            Target::Single(c) => c.execute(command, options).await,
            Target::Pool(p) => {
                p.allot(|w| async move { w.execute(command, options).await })
                    .await
            }
        }
    }

    /// Applies configuration lines.
    pub async fn configure<S: AsRef<str>>(&self, lines: &[S]) -> Result<String> {
        self.configure_with(lines, &ExecOptions::default()).await
    }

    /// Applies configuration lines with options.
    pub async fn configure_with<S: AsRef<str>>(
        &self,
        lines: &[S],
        options: &ExecOptions,
    ) -> Result<String> {
        let lines: Vec<String> = lines.iter().map(|l| l.as_ref().to_owned()).collect();
        match &self.target {
            Target::Single(c) => c.configure(&lines, options).await,
            Target::Pool(p) => {
                let lines = &lines;
                p.allot(|w| async move { w.configure(lines, options).await })
                    .await
            }
        }
    }

    /// Calls any other service of the class by name.
    pub async fn call(&self, service: &str, args: &[Value]) -> Result<Value> {
        match &self.target {
            Target::Single(c) => c.call(service, args).await,
            Target::Pool(p) => {
                p.allot(|w| async move { w.call(service, args).await })
                    .await
            }
        }
    }

    pub(crate) fn same_connection(&self, other: &ConnectionHandle) -> bool {
        match (&self.target, &other.target) {
            (Target::Single(a), Target::Single(b)) => Arc::ptr_eq(a, b),
            (Target::Pool(a), Target::Pool(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}
