//! Instances (containers and virtual machines).

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::error::Result;
use crate::exec::Exec;
use crate::files::Files;
use crate::kinds::{Profile, Snapshot};
use crate::manager::Manager;
use crate::model::model;

model!(
    /// An instance (`/1.0/instances/<name>`): a container or a VM.
    Instance,
    "name"
);

/// A state change for [`Instance::change_state`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StateAction {
    /// Start a stopped instance.
    Start,
    /// Stop a running instance.
    Stop,
    /// Stop and start again.
    Restart,
    /// Freeze (pause) the processes.
    Freeze,
    /// Thaw frozen processes.
    Unfreeze,
}

impl StateAction {
    fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
            Self::Restart => "restart",
            Self::Freeze => "freeze",
            Self::Unfreeze => "unfreeze",
        }
    }
}

impl Instance {
    /// `status` (`Running`, `Stopped`, `Frozen`, ...), as of the last fetch.
    pub fn status(&self) -> Option<String> {
        self.get_str("status")
    }
    /// `status_code` (103 running, 102 stopped, ...).
    pub fn status_code(&self) -> Option<u64> {
        self.get("status_code")
    }
    /// Whether the last fetched status was `Running`.
    pub fn is_running(&self) -> bool {
        self.status_code() == Some(103)
    }
    /// `type`: `container` or `virtual-machine`.
    pub fn instance_type(&self) -> Option<String> {
        self.get_str("type")
    }
    /// `architecture`.
    pub fn architecture(&self) -> Option<String> {
        self.get_str("architecture")
    }
    /// `description`.
    pub fn description(&self) -> Option<String> {
        self.get_str("description")
    }
    /// `ephemeral`.
    pub fn ephemeral(&self) -> bool {
        self.get("ephemeral").unwrap_or(false)
    }
    /// Local `config` as strings.
    pub fn config(&self) -> BTreeMap<String, String> {
        self.string_map("config")
    }
    /// `expanded_config` (profiles applied) as strings.
    pub fn expanded_config(&self) -> BTreeMap<String, String> {
        self.string_map("expanded_config")
    }
    /// Sets one `config` key locally (use `save` to write it).
    pub fn set_config(&self, key: &str, value: &str) {
        self.set_pointer(
            &format!("/config/{}", key.replace('~', "~0").replace('/', "~1")),
            value,
        );
    }
    /// The names in `profiles`, in order.
    pub fn profile_names(&self) -> Vec<String> {
        self.string_list("profiles")
    }

    /// The instance's profiles as models, in the instance's order (one list request).
    pub async fn profiles(&self) -> Result<Vec<Profile>> {
        let names = self.profile_names();
        let all = self.client().profiles().list().await?;
        Ok(names
            .iter()
            .filter_map(|n| all.iter().find(|p| p.name() == *n).cloned())
            .collect())
    }

    /// Snapshots of this instance.
    pub fn snapshots(&self) -> Manager<Snapshot> {
        Manager::new(self.client().clone(), self.url().snapshots())
    }

    /// Files inside the instance.
    pub fn files(&self) -> Files {
        Files::new(self.client().clone(), self.url().files())
    }

    /// Runs a command (non-interactive) over websockets; see [`Exec`].
    pub fn exec<I, S>(&self, command: I) -> Exec
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Exec::new(
            self.client().clone(),
            self.url(),
            command.into_iter().map(Into::into).collect(),
        )
    }

    /// `GET .../state`: runtime state (processes, memory, network, disk).
    pub async fn state(&self) -> Result<Value> {
        super::sub_json(self, "state").await
    }

    /// Changes the state, waits for it, and re-reads the instance.
    ///
    /// `force` kills instead of a clean shutdown for stop/restart; `timeout` bounds a clean one.
    pub async fn change_state(
        &self,
        action: StateAction,
        force: bool,
        timeout: Option<Duration>,
    ) -> Result<()> {
        let secs = timeout.map_or(-1, |t| i64::try_from(t.as_secs()).unwrap_or(i64::MAX));
        let body = json!({ "action": action.as_str(), "force": force, "timeout": secs });
        let client = self.client();
        let url = self.url().segment("state");
        let answer = client.call(Method::PUT, &url, Some(&body), None).await?;
        client.complete(answer).await?;
        crate::ops::sync(self).await
    }

    /// Starts the instance.
    pub async fn start(&self) -> Result<()> {
        self.change_state(StateAction::Start, false, None).await
    }
    /// Stops the instance; `force` kills it at once (a clean busybox stop takes seconds).
    pub async fn stop(&self, force: bool) -> Result<()> {
        self.change_state(StateAction::Stop, force, None).await
    }
    /// Restarts the instance.
    pub async fn restart(&self, force: bool) -> Result<()> {
        self.change_state(StateAction::Restart, force, None).await
    }
    /// Freezes the instance.
    pub async fn freeze(&self) -> Result<()> {
        self.change_state(StateAction::Freeze, false, None).await
    }
    /// Thaws the instance.
    pub async fn unfreeze(&self) -> Result<()> {
        self.change_state(StateAction::Unfreeze, false, None).await
    }

    /// Renames the instance (it must be stopped); this object follows.
    pub async fn rename(&self, new_name: &str) -> Result<()> {
        super::rename(self, new_name).await
    }

    /// Restores a snapshot by name (`PUT {restore}`), waits, and re-reads the instance.
    pub async fn restore_snapshot(&self, snapshot: &str) -> Result<()> {
        let client = self.client();
        let answer = client
            .call(
                Method::PUT,
                &self.url(),
                Some(&json!({ "restore": snapshot })),
                None,
            )
            .await?;
        client.complete(answer).await?;
        crate::ops::rollback(self).await
    }

    /// Publishes the (stopped) instance as an image and returns it.
    pub async fn publish(&self, public: bool) -> Result<crate::kinds::Image> {
        let client = self.client();
        let body = json!({
            "public": public,
            "source": { "type": "instance", "name": self.name() },
        });
        let answer = client
            .call(Method::POST, &client.url().images(), Some(&body), None)
            .await?;
        let op = client.complete(answer).await?;
        let fingerprint = op
            .pointer("/metadata/fingerprint")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                crate::Error::Protocol("publish finished without a fingerprint".to_owned())
            })?;
        client.images().get(fingerprint).await
    }

    /// The console log (`GET .../console`).
    pub async fn console_log(&self) -> Result<String> {
        let client = self.client();
        let url = self.url().segment("console");
        let response = client.request(Method::GET, &url).send().await?;
        crate::files::text_or_error(response, "GET", &url).await
    }

    /// Stops (forced) if running, then deletes; for cleanup paths.
    pub async fn delete_force(&self) -> Result<()> {
        crate::ops::sync(self).await?;
        if self.status_code() != Some(102) {
            match self.stop(true).await {
                Ok(()) => {}
                // Already stopped between the read and the stop.
                Err(crate::Error::OperationFailed { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        crate::ops::delete(self).await
    }
}

impl Manager<Instance> {
    /// Creates a container from a local image alias and waits for it (not started).
    pub async fn create_from_alias(&self, name: &str, alias: &str) -> Result<Instance> {
        self.create(json!({
            "name": name,
            "type": "container",
            "source": { "type": "image", "alias": alias },
        }))
        .await
    }
}
