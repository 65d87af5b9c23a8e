//! Secondary zones: create, read, change masters, contact and TSIG key, activate, deactivate,
//! retransfer, delete.

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::names::segment;
use crate::session::DynectSession;

/// The secondary zones of a session: `session.secondary_zones()`.
#[derive(Debug, Clone)]
pub struct SecondaryZones {
    session: DynectSession,
}

impl DynectSession {
    /// The secondary zones of the account.
    pub fn secondary_zones(&self) -> SecondaryZones {
        SecondaryZones {
            session: self.clone(),
        }
    }
}

/// A secondary zone as last read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecondaryZone {
    /// The zone.
    pub zone: String,
    /// The primary servers it transfers from.
    pub masters: Vec<String>,
    /// The contact notified about transfers.
    pub contact_nickname: String,
    /// The TSIG key used for transfers (empty: none).
    pub tsig_key_name: String,
    /// `Y` active, `N` inactive, `L` pending.
    pub active: String,
    /// The serial of the last transfer.
    pub serial: u64,
    /// The task started by the last create or retransfer, if any.
    pub task_id: Option<u64>,
}

impl SecondaryZone {
    fn from_value(data: &Value) -> Result<Self> {
        let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
        let number = |key: &str| match data.get(key) {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        };
        Ok(Self {
            zone: text("zone")
                .ok_or_else(|| Error::UnexpectedResponse("secondary zone without name".into()))?,
            masters: data
                .get("masters")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            contact_nickname: text("contact_nickname").unwrap_or_default(),
            tsig_key_name: text("tsig_key_name").unwrap_or_default(),
            active: text("active").unwrap_or_default(),
            serial: number("serial").unwrap_or(0),
            task_id: number("task_id"),
        })
    }
}

impl SecondaryZones {
    fn path(name: &str) -> Result<String> {
        Ok(format!("/Secondary/{}/", segment(name)?))
    }

    async fn put(&self, name: &str, args: Value) -> Result<SecondaryZone> {
        SecondaryZone::from_value(&self.session.put(&Self::path(name)?, args).await?)
    }

    /// Every secondary zone.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list(&self) -> Result<Vec<SecondaryZone>> {
        let data = self
            .session
            .get("/Secondary/", json!({"detail": "Y"}))
            .await?;
        data.as_array()
            .ok_or_else(|| Error::UnexpectedResponse("expected a list of zones".into()))?
            .iter()
            .map(SecondaryZone::from_value)
            .collect()
    }

    /// One secondary zone.
    ///
    /// # Errors
    /// [`Error::Session`] (not found).
    pub async fn get(&self, name: &str) -> Result<SecondaryZone> {
        SecondaryZone::from_value(&self.session.get(&Self::path(name)?, json!({})).await?)
    }

    /// Creates a secondary zone transferring from `masters`.
    ///
    /// # Errors
    /// [`Error::Session`] (exists, invalid masters, unknown TSIG key).
    pub async fn create(
        &self,
        name: &str,
        masters: &[&str],
        contact_nickname: Option<&str>,
        tsig_key_name: Option<&str>,
    ) -> Result<SecondaryZone> {
        let mut args = json!({"masters": masters});
        if let Some(contact) = contact_nickname {
            args["contact_nickname"] = json!(contact);
        }
        if let Some(key) = tsig_key_name {
            args["tsig_key_name"] = json!(key);
        }
        SecondaryZone::from_value(&self.session.post(&Self::path(name)?, args).await?)
    }

    /// Replaces the masters.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set_masters(&self, name: &str, masters: &[&str]) -> Result<SecondaryZone> {
        self.put(name, json!({"masters": masters})).await
    }

    /// Changes the contact.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set_contact(&self, name: &str, contact_nickname: &str) -> Result<SecondaryZone> {
        self.put(name, json!({"contact_nickname": contact_nickname}))
            .await
    }

    /// Changes the TSIG key.
    ///
    /// # Errors
    /// [`Error::Session`] (unknown key).
    pub async fn set_tsig_key(&self, name: &str, tsig_key_name: &str) -> Result<SecondaryZone> {
        self.put(name, json!({"tsig_key_name": tsig_key_name}))
            .await
    }

    /// Activates transfers.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn activate(&self, name: &str) -> Result<SecondaryZone> {
        self.put(name, json!({"activate": true})).await
    }

    /// Deactivates transfers.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn deactivate(&self, name: &str) -> Result<SecondaryZone> {
        self.put(name, json!({"deactivate": true})).await
    }

    /// Asks for a new transfer now.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn retransfer(&self, name: &str) -> Result<SecondaryZone> {
        self.put(name, json!({"retransfer": true})).await
    }

    /// Deletes the secondary zone.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete(&self, name: &str) -> Result<()> {
        self.session.zones().delete(name).await
    }
}

/// Every secondary zone, through the current session (dyn-python's
/// `get_all_secondary_zones`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`SecondaryZones::list`].
pub async fn get_all_secondary_zones() -> Result<Vec<SecondaryZone>> {
    DynectSession::current()?.secondary_zones().list().await
}
