//! Users (`/User/<user_name>/`) and their permission, group, zone and forbid entries.

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::names::segment;
use crate::session::DynectSession;

/// A new user's profile (dyn-python's `User(...)` arguments).
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct NewUser {
    /// Login name.
    pub user_name: String,
    /// Initial password (sent once, never kept).
    pub password: String,
    /// E-mail address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Nickname.
    pub nickname: String,
    /// Organization.
    pub organization: String,
    /// Phone number.
    pub phone: String,
    /// Permissions granted at once.
    pub permissions: Vec<String>,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("user_name", &self.user_name)
            .field("password", &session_core::MASK)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl NewUser {
    /// A user with the required fields; set the others on the value.
    pub fn new(user_name: &str, password: &str, email: &str) -> Self {
        Self {
            user_name: user_name.to_owned(),
            password: password.to_owned(),
            email: email.to_owned(),
            ..Self::default()
        }
    }
}

/// Users (`/User/<user_name>/`) and their permission, group, zone and forbid entries.
#[derive(Debug, Clone)]
pub struct Users {
    session: DynectSession,
}

impl Users {
    pub(super) fn new(session: &DynectSession) -> Self {
        Self {
            session: session.clone(),
        }
    }

    fn path(user_name: &str) -> Result<String> {
        Ok(format!("/User/{}/", segment(user_name)?))
    }

    /// Every user, in full; `search` filters on any field.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list(&self, search: Option<&str>) -> Result<Vec<Value>> {
        let mut args = json!({"detail": "Y"});
        if let Some(search) = search {
            args["search"] = json!(search);
        }
        match self.session.get("/User/", args).await? {
            Value::Array(users) => Ok(users),
            _ => Err(Error::UnexpectedResponse("expected a list of users".into())),
        }
    }

    /// One user.
    ///
    /// # Errors
    /// [`Error::Session`] (not found).
    pub async fn get(&self, user_name: &str) -> Result<Value> {
        self.session.get(&Self::path(user_name)?, json!({})).await
    }

    /// Creates a user.
    ///
    /// # Errors
    /// [`Error::Session`] (exists, missing fields).
    pub async fn create(&self, user: &NewUser) -> Result<Value> {
        let mut args = Map::new();
        args.insert("password".into(), json!(user.password));
        args.insert("email".into(), json!(user.email));
        for (key, value) in [
            ("first_name", &user.first_name),
            ("last_name", &user.last_name),
            ("nickname", &user.nickname),
            ("organization", &user.organization),
            ("phone", &user.phone),
        ] {
            if !value.is_empty() {
                args.insert(key.into(), json!(value));
            }
        }
        if !user.permissions.is_empty() {
            args.insert("permission".into(), json!(user.permissions));
        }
        self.session
            .post(&Self::path(&user.user_name)?, Value::Object(args))
            .await
    }

    /// Updates profile fields (`{"email": ..., "phone": ...}`).
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn update(&self, user_name: &str, fields: Value) -> Result<Value> {
        self.session.put(&Self::path(user_name)?, fields).await
    }

    /// Blocks a user from logging in.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn block(&self, user_name: &str) -> Result<Value> {
        self.update(user_name, json!({"block": "True"})).await
    }

    /// Unblocks a user.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn unblock(&self, user_name: &str) -> Result<Value> {
        self.update(user_name, json!({"unblock": "True"})).await
    }

    /// Deletes a user.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete(&self, user_name: &str) -> Result<()> {
        self.session
            .delete(&Self::path(user_name)?, json!({}))
            .await?;
        Ok(())
    }

    async fn entry(&self, resource: &str, user_name: &str, item: &str, add: bool) -> Result<()> {
        let path = format!("/{resource}/{}/{}/", segment(user_name)?, segment(item)?);
        if add {
            self.session.post(&path, json!({})).await?;
        } else {
            self.session.delete(&path, json!({})).await?;
        }
        Ok(())
    }

    /// Grants a permission.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn add_permission(&self, user_name: &str, permission: &str) -> Result<()> {
        self.entry("UserPermissionEntry", user_name, permission, true)
            .await
    }

    /// Revokes a permission.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn remove_permission(&self, user_name: &str, permission: &str) -> Result<()> {
        self.entry("UserPermissionEntry", user_name, permission, false)
            .await
    }

    /// Replaces the user's permissions.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set_permissions(&self, user_name: &str, permissions: &[&str]) -> Result<()> {
        let path = format!("/UserPermissionEntry/{}/", segment(user_name)?);
        self.session
            .put(&path, json!({"permission": permissions}))
            .await?;
        Ok(())
    }

    /// Adds the user to a permission group.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn add_to_group(&self, user_name: &str, group: &str) -> Result<()> {
        self.entry("UserGroupEntry", user_name, group, true).await
    }

    /// Removes the user from a permission group.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn remove_from_group(&self, user_name: &str, group: &str) -> Result<()> {
        self.entry("UserGroupEntry", user_name, group, false).await
    }

    /// Limits the user to a zone.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn add_zone(&self, user_name: &str, zone: &str) -> Result<()> {
        self.entry("UserZoneEntry", user_name, zone, true).await
    }

    /// Removes a zone limit.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn remove_zone(&self, user_name: &str, zone: &str) -> Result<()> {
        self.entry("UserZoneEntry", user_name, zone, false).await
    }

    /// Forbids a permission.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn forbid(&self, user_name: &str, permission: &str) -> Result<()> {
        self.entry("UserForbidEntry", user_name, permission, true)
            .await
    }

    /// Lifts a forbidden permission.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn allow(&self, user_name: &str, permission: &str) -> Result<()> {
        self.entry("UserForbidEntry", user_name, permission, false)
            .await
    }
}
