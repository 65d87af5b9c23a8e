//! Arguments of `connect` / `instantiate` (pyATS `cls`, `alias`, `via`, `pool_size`, `pool_timeout`, `**kwargs`).

use std::collections::BTreeMap;
use std::time::Duration;

use crate::Value;

/// What to connect: class, alias, path, pool, and arguments for the class.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ConnectOptions {
    /// Class name; else the path's `class`, `defaults.class`, then [`crate::Classes::default_class`].
    pub class: Option<String>,
    /// Alias; else the class's default alias, `defaults.alias`, then `default`.
    pub alias: Option<String>,
    /// Path; else `defaults.via`, else the only path if there is exactly one.
    pub via: Option<String>,
    /// Workers in a pool; 0 means a plain connection.
    pub pool_size: usize,
    /// How long a pool call waits for a free worker; `None` (or zero) waits forever, as in pyATS.
    pub pool_timeout: Option<Duration>,
    /// Arguments for the class (pyATS `**kwargs`).
    pub args: BTreeMap<String, Value>,
}

impl ConnectOptions {
    /// Defaults everywhere.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the class.
    pub fn class(mut self, class: impl Into<String>) -> Self {
        self.class = Some(class.into());
        self
    }

    /// Sets the alias.
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.alias = Some(alias.into());
        self
    }

    /// Sets the path.
    pub fn via(mut self, via: impl Into<String>) -> Self {
        self.via = Some(via.into());
        self
    }

    /// Makes a pool of `size` workers.
    pub fn pool(mut self, size: usize) -> Self {
        self.pool_size = size;
        self
    }

    /// Bounds the wait for a free pool worker.
    pub fn pool_timeout(mut self, timeout: Duration) -> Self {
        self.pool_timeout = (!timeout.is_zero()).then_some(timeout);
        self
    }

    /// Adds an argument for the class. Values of arguments whose name contains `password` are
    /// kept as [`crate::Secret`]s, so they never show in `Debug` output.
    pub fn arg(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let name = name.into();
        let value = match value.into() {
            Value::String(s) if name.contains("password") => Value::Secret(crate::Secret::new(s)),
            other => other,
        };
        self.args.insert(name, value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_arguments_are_masked() {
        let options = ConnectOptions::new()
            .arg("password", "hunter2")
            .arg("timeout", 5);
        let shown = format!("{options:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(options.args["password"].as_str(), Some("hunter2"));
    }
}
