//! The generic managers behind services and accounts: JSON objects at
//! `/<Resource>/[<parent>/]<id>/` (account level) and `/<Resource>/<zone>/<fqdn>/[<keys>/]`
//! (services attached to a node).

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::names::{qualify, segment};
use crate::session::DynectSession;

fn list_of(data: Value) -> Result<Vec<Value>> {
    match data {
        Value::Array(items) => Ok(items),
        _ => Err(Error::UnexpectedResponse("expected a list".into())),
    }
}

/// Account-level objects of one resource (`/Contact/<nickname>/`, `/DSFRuleset/<svc>/<id>/`),
/// as the JSON objects the API returns. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Objects {
    session: DynectSession,
    resource: &'static str,
    parent: Option<String>,
}

impl Objects {
    pub(crate) fn new(session: &DynectSession, resource: &'static str) -> Self {
        Self {
            session: session.clone(),
            resource,
            parent: None,
        }
    }

    pub(crate) fn child(session: &DynectSession, resource: &'static str, parent: &str) -> Self {
        Self {
            session: session.clone(),
            resource,
            parent: Some(parent.to_owned()),
        }
    }

    /// The API resource (`Contact`).
    pub fn resource(&self) -> &'static str {
        self.resource
    }

    fn base(&self) -> Result<String> {
        Ok(match &self.parent {
            None => format!("/{}/", self.resource),
            Some(parent) => format!("/{}/{}/", self.resource, segment(parent)?),
        })
    }

    fn path(&self, id: &str) -> Result<String> {
        Ok(format!("{}{}/", self.base()?, segment(id)?))
    }

    /// Every object, in full.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list(&self) -> Result<Vec<Value>> {
        list_of(
            self.session
                .get(&self.base()?, json!({"detail": "Y"}))
                .await?,
        )
    }

    /// One object.
    ///
    /// # Errors
    /// [`Error::Session`] (not found).
    pub async fn get(&self, id: &str) -> Result<Value> {
        self.session.get(&self.path(id)?, json!({})).await
    }

    /// Creates an object. `id` names it where the caller chooses the key (contacts, TSIG
    /// keys); `None` lets the service generate it (notifiers, DSF objects).
    ///
    /// # Errors
    /// [`Error::Session`] (exists, missing or invalid fields).
    pub async fn create(&self, id: Option<&str>, fields: Value) -> Result<Value> {
        let path = match id {
            Some(id) => self.path(id)?,
            None => self.base()?,
        };
        self.session.post(&path, fields).await
    }

    /// Updates fields of an object; returns it.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn update(&self, id: &str, fields: Value) -> Result<Value> {
        self.session.put(&self.path(id)?, fields).await
    }

    /// Deletes an object.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete(&self, id: &str) -> Result<()> {
        self.session.delete(&self.path(id)?, json!({})).await?;
        Ok(())
    }
}

/// One kind of service attached to nodes (`/HTTPRedirect/<zone>/<fqdn>/`), with its extra
/// key parts (`/DDNS/<zone>/<fqdn>/<record_type>/`), as JSON objects. Cheap to clone.
#[derive(Debug, Clone)]
pub struct NodeServices {
    session: DynectSession,
    resource: &'static str,
    zone_level: bool,
}

impl NodeServices {
    pub(crate) fn new(session: &DynectSession, resource: &'static str) -> Self {
        Self {
            session: session.clone(),
            resource,
            zone_level: false,
        }
    }

    pub(crate) fn zone_level(session: &DynectSession, resource: &'static str) -> Self {
        Self {
            session: session.clone(),
            resource,
            zone_level: true,
        }
    }

    /// The API resource (`HTTPRedirect`).
    pub fn resource(&self) -> &'static str {
        self.resource
    }

    fn path(&self, zone: &str, node: &str, keys: &[&str]) -> Result<String> {
        let mut path = format!("/{}/{}/", self.resource, segment(zone)?);
        if !self.zone_level {
            path.push_str(segment(&qualify(zone, node))?);
            path.push('/');
        }
        for key in keys {
            path.push_str(segment(key)?);
            path.push('/');
        }
        Ok(path)
    }

    /// Every service of this kind in `zone`.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list(&self, zone: &str) -> Result<Vec<Value>> {
        let path = format!("/{}/{}/", self.resource, segment(zone)?);
        list_of(self.session.get(&path, json!({"detail": "Y"})).await?)
    }

    /// The services of this kind at `node` whose keys start with `keys`.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list_at(&self, zone: &str, node: &str, keys: &[&str]) -> Result<Vec<Value>> {
        let path = self.path(zone, node, keys)?;
        list_of(self.session.get(&path, json!({"detail": "Y"})).await?)
    }

    /// One service (for zone-level services `node` is ignored).
    ///
    /// # Errors
    /// [`Error::Session`] (not found).
    pub async fn get(&self, zone: &str, node: &str, keys: &[&str]) -> Result<Value> {
        self.session
            .get(&self.path(zone, node, keys)?, json!({}))
            .await
    }

    /// Creates a service with `fields`; key parts the path does not carry go in `fields`.
    ///
    /// # Errors
    /// [`Error::Session`] (exists, missing or invalid fields, unknown contact).
    pub async fn create(
        &self,
        zone: &str,
        node: &str,
        keys: &[&str],
        fields: Value,
    ) -> Result<Value> {
        self.session
            .post(&self.path(zone, node, keys)?, fields)
            .await
    }

    /// Updates fields or runs an action (`{"activate": true}`); returns the service.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn update(
        &self,
        zone: &str,
        node: &str,
        keys: &[&str],
        fields: Value,
    ) -> Result<Value> {
        self.session
            .put(&self.path(zone, node, keys)?, fields)
            .await
    }

    /// Deletes a service.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete(&self, zone: &str, node: &str, keys: &[&str]) -> Result<()> {
        self.session
            .delete(&self.path(zone, node, keys)?, json!({}))
            .await?;
        Ok(())
    }
}
