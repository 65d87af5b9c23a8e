//! Warnings.

use reqwest::Method;
use serde_json::json;

use crate::error::Result;
use crate::model::model;

model!(
    /// A server warning (`/1.0/warnings/<uuid>`).
    Warning,
    "uuid"
);

impl Warning {
    /// `status`: `new`, `acknowledged` or `resolved`.
    pub fn status(&self) -> Option<String> {
        self.get_str("status")
    }
    /// `severity`.
    pub fn severity(&self) -> Option<String> {
        self.get_str("severity")
    }
    /// `last_message`.
    pub fn last_message(&self) -> Option<String> {
        self.get_str("last_message")
    }
    /// Marks the warning acknowledged on the server.
    pub async fn acknowledge(&self) -> Result<()> {
        let client = self.client();
        let answer = client
            .call(
                Method::PUT,
                &self.url(),
                Some(&json!({"status": "acknowledged"})),
                None,
            )
            .await?;
        client.complete(answer).await?;
        crate::ops::rollback(self).await
    }
}
