//! Background operations.

use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use crate::error::Result;
use crate::model::model;

model!(
    /// A background operation (`/1.0/operations/<id>`). Completed operations vanish from the
    /// server about five seconds after they finish.
    Operation,
    "id"
);

impl Operation {
    /// `status` (`Running`, `Success`, `Failure`, `Cancelled`).
    pub fn status(&self) -> Option<String> {
        self.get_str("status")
    }
    /// `status_code` (103 running, 200 success, 400 failure, 401 cancelled).
    pub fn status_code(&self) -> Option<u64> {
        self.get("status_code")
    }
    /// `class`: `task`, `websocket` or `token`.
    pub fn class(&self) -> Option<String> {
        self.get_str("class")
    }
    /// `description`.
    pub fn description(&self) -> Option<String> {
        self.get_str("description")
    }
    /// `err` of a failed operation.
    pub fn err(&self) -> Option<String> {
        self.get_str("err").filter(|e| !e.is_empty())
    }
    /// `may_cancel`.
    pub fn may_cancel(&self) -> bool {
        self.get("may_cancel").unwrap_or(false)
    }

    /// Waits for the operation (at most `timeout`, `None` = until it ends) and stores its
    /// final state. Failure is [`crate::Error::OperationFailed`] with LXD's message; still
    /// running at the timeout is [`crate::Error::Timeout`].
    pub async fn wait(&self, timeout: Option<Duration>) -> Result<Value> {
        let id = self.name();
        let result = self.client().wait_operation(&id, timeout).await;
        if let Ok(op) = &result {
            self.refresh(op.clone(), None, false);
        }
        result
    }

    /// Cancels the operation (`DELETE`); LXD refuses unless `may_cancel`.
    pub async fn cancel(&self) -> Result<()> {
        let client = self.client();
        let answer = client.call(Method::DELETE, &self.url(), None, None).await?;
        client.complete(answer).await.map(drop)
    }
}
