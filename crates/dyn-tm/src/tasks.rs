//! Tasks the service runs in the background (publishes, transfers, uploads): list, get,
//! cancel. `session.tasks()` or the free functions.

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::session::DynectSession;

/// A background task.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Task {
    /// The task id.
    pub task_id: u64,
    /// What it does (`Publish`, `ZoneTransfer`, …).
    pub name: String,
    /// The zone it works on.
    pub zone_name: String,
    /// `running`, `complete`, `cancelled`, …
    pub status: String,
    /// Whether it blocks other changes to the zone.
    pub blocking: bool,
    /// Every field as returned.
    pub raw: Value,
}

impl Task {
    fn from_value(data: Value) -> Result<Self> {
        let text = |key: &str| match data.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let task_id = text("task_id")
            .and_then(|id| id.parse().ok())
            .ok_or_else(|| Error::UnexpectedResponse("task without task_id".into()))?;
        Ok(Self {
            task_id,
            name: text("name").unwrap_or_default(),
            zone_name: text("zone_name").unwrap_or_default(),
            status: text("status").unwrap_or_default(),
            blocking: text("blocking").as_deref() == Some("Y"),
            raw: data,
        })
    }
}

/// The task calls of a session.
#[derive(Debug, Clone)]
pub struct Tasks {
    session: DynectSession,
}

impl DynectSession {
    /// Background tasks.
    pub fn tasks(&self) -> Tasks {
        Tasks {
            session: self.clone(),
        }
    }
}

impl Tasks {
    /// Every task of the account.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list(&self) -> Result<Vec<Task>> {
        match self.session.get("/Task/", json!({})).await? {
            Value::Array(items) => items.into_iter().map(Task::from_value).collect(),
            _ => Err(Error::UnexpectedResponse("expected a list of tasks".into())),
        }
    }

    /// One task.
    ///
    /// # Errors
    /// [`Error::Session`] (not found).
    pub async fn get(&self, task_id: u64) -> Result<Task> {
        Task::from_value(
            self.session
                .get(&format!("/Task/{task_id}/"), json!({}))
                .await?,
        )
    }

    /// Cancels a task.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn cancel(&self, task_id: u64) -> Result<()> {
        self.session
            .delete(&format!("/Task/{task_id}/"), json!({}))
            .await?;
        Ok(())
    }
}

/// Every task, through the current session (dyn-python's `get_tasks`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Tasks::list`].
pub async fn get_tasks() -> Result<Vec<Task>> {
    DynectSession::current()?.tasks().list().await
}

/// One task, through the current session.
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Tasks::get`].
pub async fn get_task(task_id: u64) -> Result<Task> {
    DynectSession::current()?.tasks().get(task_id).await
}

/// Cancels a task through the current session.
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Tasks::cancel`].
pub async fn cancel_task(task_id: u64) -> Result<()> {
    DynectSession::current()?.tasks().cancel(task_id).await
}
