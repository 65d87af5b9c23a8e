//! `fake`: a scripted in-memory connection for unit tests of code built on the manager.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::connection::{ConnectContext, Connection, ConnectionFactory, ExecOptions};
use crate::{Error, Result, Value};

/// A scripted connection class. Register a clone and keep one to script it and read its log.
///
/// `execute` answers from [`FakeClass::respond`], else `<alias>/<via>:<command>`. Special commands:
/// `hang` never returns (until cancelled or timed out), `sleep <ms>` waits, `fail` reports a command
/// error, `drop` loses the connection.
#[derive(Debug, Clone, Default)]
pub struct FakeClass {
    shared: Arc<Shared>,
    default_alias: Option<String>,
}

#[derive(Debug, Default)]
struct Shared {
    responses: Mutex<HashMap<String, String>>,
    events: Mutex<Vec<String>>,
    connect_failures: AtomicUsize,
    created: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl FakeClass {
    /// A fake with no script.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives the class a default alias (as unicon's `cli`).
    pub fn with_default_alias(mut self, alias: &str) -> Self {
        self.default_alias = Some(alias.to_owned());
        self
    }

    /// Scripts the output of a command.
    pub fn respond(&self, command: &str, output: &str) -> &Self {
        lock(&self.shared.responses).insert(command.to_owned(), output.to_owned());
        self
    }

    /// Makes the next `n` connects fail.
    pub fn fail_connects(&self, n: usize) -> &Self {
        self.shared.connect_failures.store(n, Ordering::SeqCst);
        self
    }

    /// What happened so far, as `<alias> <event>` lines.
    pub fn events(&self) -> Vec<String> {
        lock(&self.shared.events).clone()
    }

    /// How many connection objects were created.
    pub fn created(&self) -> usize {
        self.shared.created.load(Ordering::SeqCst)
    }
}

impl ConnectionFactory for FakeClass {
    fn default_alias(&self) -> Option<&str> {
        self.default_alias.as_deref()
    }

    fn create(&self, context: ConnectContext) -> Result<Arc<dyn Connection>> {
        self.shared.created.fetch_add(1, Ordering::SeqCst);
        Ok(Arc::new(FakeConnection {
            shared: Arc::clone(&self.shared),
            alias: context.alias,
            via: context.via.unwrap_or_else(|| "-".into()),
            device: context.device,
            connected: AtomicBool::new(false),
        }))
    }
}

#[derive(Debug)]
struct FakeConnection {
    shared: Arc<Shared>,
    alias: String,
    via: String,
    device: String,
    connected: AtomicBool,
}

impl FakeConnection {
    fn log(&self, event: String) {
        lock(&self.shared.events).push(format!("{} {event}", self.alias));
    }

    fn check_connected(&self) -> Result<()> {
        if self.connected.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(Error::NotConnected {
                device: self.device.clone(),
                alias: self.alias.clone(),
            })
        }
    }
}

#[async_trait::async_trait]
impl Connection for FakeConnection {
    fn class_name(&self) -> &str {
        "fake"
    }

    fn is_connected(&self) -> bool {
        self.connected.load(Ordering::SeqCst)
    }

    async fn connect(&self) -> Result<()> {
        self.log("connect".into());
        let failures = &self.shared.connect_failures;
        if failures
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(Error::Config("scripted connect failure".into()));
        }
        self.connected.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn disconnect(&self) -> Result<()> {
        self.log("disconnect".into());
        self.connected.store(false, Ordering::SeqCst);
        Ok(())
    }

    async fn execute(&self, command: &str, options: &ExecOptions) -> Result<String> {
        self.check_connected()?;
        self.log(format!("execute {command}"));
        let work = async {
            if command == "hang" {
                std::future::pending::<()>().await;
            }
            if let Some(ms) = command
                .strip_prefix("sleep ")
                .and_then(|ms| ms.trim().parse().ok())
            {
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            match command {
                "fail" => Err(Error::CommandFailed {
                    command: command.into(),
                    pattern: "fail".into(),
                    output: "% scripted failure".into(),
                }),
                "drop" => {
                    self.connected.store(false, Ordering::SeqCst);
                    Err(Error::Disconnected)
                }
                _ => Ok(lock(&self.shared.responses)
                    .get(command)
                    .cloned()
                    .unwrap_or_else(|| format!("{}/{}:{command}", self.alias, self.via))),
            }
        };
        match options.timeout {
            Some(t) => tokio::time::timeout(t, work)
                .await
                .map_err(|_| Error::Timeout {
                    op: format!("execute '{command}'"),
                    after: t,
                    tail: String::new(),
                })?,
            None => work.await,
        }
    }

    async fn configure(&self, lines: &[String], _options: &ExecOptions) -> Result<String> {
        self.check_connected()?;
        self.log(format!("configure {}", lines.join("; ")));
        Ok(lines.join("\n"))
    }

    async fn call(&self, service: &str, args: &[Value]) -> Result<Value> {
        self.check_connected()?;
        match service {
            "ping" => Ok(Value::String(format!("pong {}", args.len()))),
            _ => Err(Error::UnknownService {
                service: service.into(),
                class: "fake".into(),
            }),
        }
    }
}
