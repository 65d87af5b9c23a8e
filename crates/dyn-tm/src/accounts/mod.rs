//! Accounts: users and their permissions, groups and zones; permission groups; contacts;
//! notifiers; update users (DDNS clients); IP ACLs; TSIG keys. `session.accounts()`.

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::names::segment;
use crate::objects::Objects;
use crate::session::DynectSession;

/// The account managers of a session.
#[derive(Debug, Clone)]
pub struct Accounts {
    session: DynectSession,
}

impl DynectSession {
    /// Users, groups, contacts, notifiers, ACLs and TSIG keys of the account.
    pub fn accounts(&self) -> Accounts {
        Accounts {
            session: self.clone(),
        }
    }
}

impl Accounts {
    /// API and portal users.
    pub fn users(&self) -> Users {
        Users {
            session: self.session.clone(),
        }
    }

    /// Permission groups (`/PermissionGroup/<group_name>/`).
    pub fn permission_groups(&self) -> Objects {
        Objects::new(&self.session, "PermissionGroup")
    }

    /// Notification contacts (`/Contact/<nickname>/`).
    pub fn contacts(&self) -> Objects {
        Objects::new(&self.session, "Contact")
    }

    /// Notifiers (`/Notifier/<notifier_id>/`; ids are generated).
    pub fn notifiers(&self) -> Objects {
        Objects::new(&self.session, "Notifier")
    }

    /// DDNS update users (`/UpdateUser/<user_name>/`; names are generated).
    pub fn update_users(&self) -> Objects {
        Objects::new(&self.session, "UpdateUser")
    }

    /// Login IP allow-lists by scope (`/CustomerIPACL/<web|api>/`).
    pub fn ip_acls(&self) -> IpAcls {
        IpAcls {
            raw: Objects::new(&self.session, "CustomerIPACL"),
        }
    }

    /// TSIG keys.
    pub fn tsig_keys(&self) -> TsigKeys {
        TsigKeys {
            raw: Objects::new(&self.session, "TSIGKey"),
        }
    }
}

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

/// IP allow-lists for logging in, per scope (`web` or `api`).
#[derive(Debug, Clone)]
pub struct IpAcls {
    raw: Objects,
}

impl IpAcls {
    /// The ACL of `scope`.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn get(&self, scope: &str) -> Result<Value> {
        self.raw.get(scope).await
    }

    /// Sets the netmasks (comma-separated text, as the API takes them) and whether the ACL is
    /// enforced.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set(&self, scope: &str, netmasks: &[&str], active: bool) -> Result<Value> {
        self.raw
            .update(
                scope,
                json!({"netmasks": netmasks.join(","), "active": if active { "Y" } else { "N" }}),
            )
            .await
    }

    /// Clears the netmasks (dyn-python's `delete`).
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn clear(&self, scope: &str) -> Result<Value> {
        self.raw.update(scope, json!({"netmasks": ""})).await
    }
}

/// A TSIG key.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TsigKey {
    /// The key name.
    pub name: String,
    /// The algorithm (`hmac-sha256`, …).
    pub algorithm: String,
    /// The base64 secret (never printed by `Debug`).
    pub secret: String,
}

impl std::fmt::Debug for TsigKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TsigKey")
            .field("name", &self.name)
            .field("algorithm", &self.algorithm)
            .field("secret", &session_core::MASK)
            .finish()
    }
}

impl TsigKey {
    fn from_value(data: &Value) -> Result<Self> {
        let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
        Ok(Self {
            name: text("name")
                .ok_or_else(|| Error::UnexpectedResponse("TSIG key without name".into()))?,
            algorithm: text("algorithm").unwrap_or_default(),
            secret: text("secret").unwrap_or_default(),
        })
    }
}

/// TSIG keys (`/TSIGKey/<name>/`).
#[derive(Debug, Clone)]
pub struct TsigKeys {
    raw: Objects,
}

impl TsigKeys {
    /// Every key.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list(&self) -> Result<Vec<TsigKey>> {
        self.raw
            .list()
            .await?
            .iter()
            .map(TsigKey::from_value)
            .collect()
    }

    /// One key.
    ///
    /// # Errors
    /// [`Error::Session`] (not found).
    pub async fn get(&self, name: &str) -> Result<TsigKey> {
        TsigKey::from_value(&self.raw.get(name).await?)
    }

    /// Creates a key.
    ///
    /// # Errors
    /// [`Error::Session`] (exists, invalid algorithm or secret).
    pub async fn create(&self, name: &str, algorithm: &str, secret: &str) -> Result<TsigKey> {
        TsigKey::from_value(
            &self
                .raw
                .create(
                    Some(name),
                    json!({"name": name, "algorithm": algorithm, "secret": secret}),
                )
                .await?,
        )
    }

    /// Changes the secret.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set_secret(&self, name: &str, secret: &str) -> Result<TsigKey> {
        TsigKey::from_value(
            &self
                .raw
                .update(name, json!({"name": name, "secret": secret}))
                .await?,
        )
    }

    /// Changes the algorithm.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn set_algorithm(&self, name: &str, algorithm: &str) -> Result<TsigKey> {
        TsigKey::from_value(
            &self
                .raw
                .update(name, json!({"name": name, "algorithm": algorithm}))
                .await?,
        )
    }

    /// Deletes a key.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete(&self, name: &str) -> Result<()> {
        self.raw.delete(name).await
    }
}

/// Every user, through the current session (dyn-python's `get_users`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Users::list`].
pub async fn get_users(search: Option<&str>) -> Result<Vec<Value>> {
    DynectSession::current()?
        .accounts()
        .users()
        .list(search)
        .await
}

/// Every permission group, through the current session (`get_permissions_groups`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Objects::list`].
pub async fn get_permissions_groups() -> Result<Vec<Value>> {
    DynectSession::current()?
        .accounts()
        .permission_groups()
        .list()
        .await
}

/// Every contact, through the current session (`get_contacts`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Objects::list`].
pub async fn get_contacts() -> Result<Vec<Value>> {
    DynectSession::current()?.accounts().contacts().list().await
}

/// Every notifier, through the current session (`get_notifiers`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Objects::list`].
pub async fn get_notifiers() -> Result<Vec<Value>> {
    DynectSession::current()?
        .accounts()
        .notifiers()
        .list()
        .await
}

/// Every update user, through the current session (`get_updateusers`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Objects::list`].
pub async fn get_updateusers() -> Result<Vec<Value>> {
    DynectSession::current()?
        .accounts()
        .update_users()
        .list()
        .await
}

/// Every TSIG key, through the current session.
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`TsigKeys::list`].
pub async fn get_tsig_keys() -> Result<Vec<TsigKey>> {
    DynectSession::current()?
        .accounts()
        .tsig_keys()
        .list()
        .await
}
