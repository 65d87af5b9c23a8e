//! Accounts: users and their permissions, groups and zones; permission groups; contacts;
//! notifiers; update users (DDNS clients); IP ACLs; TSIG keys. `session.accounts()`.

mod tsig;
mod users;

use serde_json::{Value, json};

use crate::error::Result;
use crate::objects::Objects;
use crate::session::DynectSession;

pub use tsig::{TsigKey, TsigKeys};
pub use users::{NewUser, Users};

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
        Users::new(&self.session)
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
        TsigKeys::new(&self.session)
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
    /// [`Error::Session`](crate::Error::Session).
    pub async fn get(&self, scope: &str) -> Result<Value> {
        self.raw.get(scope).await
    }

    /// Sets the netmasks (comma-separated text, as the API takes them) and whether the ACL is
    /// enforced.
    ///
    /// # Errors
    /// [`Error::Session`](crate::Error::Session).
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
    /// [`Error::Session`](crate::Error::Session).
    pub async fn clear(&self, scope: &str) -> Result<Value> {
        self.raw.update(scope, json!({"netmasks": ""})).await
    }
}

/// Every user, through the current session (dyn-python's `get_users`).
///
/// # Errors
/// [`Error::NoCurrentSession`](crate::Error::NoCurrentSession), then as [`Users::list`].
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
/// [`Error::NoCurrentSession`](crate::Error::NoCurrentSession), then as [`Objects::list`].
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
/// [`Error::NoCurrentSession`](crate::Error::NoCurrentSession), then as [`Objects::list`].
pub async fn get_contacts() -> Result<Vec<Value>> {
    DynectSession::current()?.accounts().contacts().list().await
}

/// Every notifier, through the current session (`get_notifiers`).
///
/// # Errors
/// [`Error::NoCurrentSession`](crate::Error::NoCurrentSession), then as [`Objects::list`].
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
/// [`Error::NoCurrentSession`](crate::Error::NoCurrentSession), then as [`Objects::list`].
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
/// [`Error::NoCurrentSession`](crate::Error::NoCurrentSession), then as [`TsigKeys::list`].
pub async fn get_tsig_keys() -> Result<Vec<TsigKey>> {
    DynectSession::current()?
        .accounts()
        .tsig_keys()
        .list()
        .await
}
