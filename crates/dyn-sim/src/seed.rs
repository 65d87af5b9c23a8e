//! Accounts the simulator knows at start: TM customers and users, MM API keys.

use std::fmt;

use serde::Deserialize;

/// Customer of the account every simulator starts with.
pub const DEFAULT_CUSTOMER: &str = "acme";
/// User of the account every simulator starts with.
pub const DEFAULT_USER: &str = "alice";
/// Password of [`DEFAULT_USER`].
pub const DEFAULT_PASSWORD: &str = "s3cret";
/// MM API key every simulator starts with.
pub const DEFAULT_APIKEY: &str = "mm-test-apikey";

/// Permissions a seeded user holds unless told otherwise (names as the API spells them).
pub const DEFAULT_PERMISSIONS: &[&str] = &[
    "ZoneGet",
    "ZoneCreate",
    "ZoneDelete",
    "ZoneUpdate",
    "ZoneChangeset",
    "ZoneAddNode",
    "ZoneRemoveNode",
    "ZoneGetSecondary",
    "ZoneAddSecondary",
    "ZoneUpdateSecondary",
    "RecordAdd",
    "RecordGet",
    "RecordUpdate",
    "RecordDelete",
    "TSIG",
    "HTTPRedirect",
    "DynamicDNS",
    "ActiveFailover",
    "GSLB",
    "RTTM",
    "DNSSEC",
    "ReverseDNS",
    "AdvRedirect",
    "DSF",
    "UserCreate",
    "UserGet",
    "UserUpdate",
    "UserDelete",
    "ContactCreate",
    "ContactGet",
    "ContactUpdate",
    "ContactDelete",
    "ReportPermission",
    "ReportQPS",
    "ReportZoneNote",
    "TaskGet",
    "TaskCancel",
];

/// A TM user to create at start.
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct UserSeed {
    /// Customer (account) name; created when new.
    pub customer: String,
    /// Login name.
    pub user_name: String,
    /// Login password.
    pub password: String,
    /// Permission names reported for the user.
    #[serde(default = "default_permissions")]
    pub permissions: Vec<String>,
}

impl UserSeed {
    /// A user with [`DEFAULT_PERMISSIONS`].
    pub fn new(customer: &str, user_name: &str, password: &str) -> Self {
        Self {
            customer: customer.to_owned(),
            user_name: user_name.to_owned(),
            password: password.to_owned(),
            permissions: default_permissions(),
        }
    }
}

impl fmt::Debug for UserSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserSeed")
            .field("customer", &self.customer)
            .field("user_name", &self.user_name)
            .field("password", &"*****")
            .field("permissions", &self.permissions.len())
            .finish()
    }
}

fn default_permissions() -> Vec<String> {
    DEFAULT_PERMISSIONS
        .iter()
        .map(|p| (*p).to_owned())
        .collect()
}

/// An MM account to create at start.
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct MmAccountSeed {
    /// The account's API key.
    pub apikey: String,
    /// The account's user name (an email address).
    pub username: String,
    /// Sender addresses approved from the start.
    #[serde(default)]
    pub senders: Vec<String>,
}

impl MmAccountSeed {
    /// An account with one approved sender, `sender@<domain of username>`.
    pub fn new(apikey: &str, username: &str) -> Self {
        let domain = username.rsplit('@').next().unwrap_or("example.com");
        Self {
            apikey: apikey.to_owned(),
            username: username.to_owned(),
            senders: vec![format!("sender@{domain}")],
        }
    }
}

impl fmt::Debug for MmAccountSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MmAccountSeed")
            .field("apikey", &"*****")
            .field("username", &self.username)
            .field("senders", &self.senders)
            .finish()
    }
}

/// Everything seeded at start (and after a reset).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Seed {
    /// TM users (their customers are created as needed).
    pub users: Vec<UserSeed>,
    /// MM accounts.
    pub mm_accounts: Vec<MmAccountSeed>,
}

impl Seed {
    /// The default account: [`DEFAULT_CUSTOMER`]/[`DEFAULT_USER`]/[`DEFAULT_PASSWORD`] and the
    /// MM key [`DEFAULT_APIKEY`].
    pub fn standard() -> Self {
        Self {
            users: vec![UserSeed::new(
                DEFAULT_CUSTOMER,
                DEFAULT_USER,
                DEFAULT_PASSWORD,
            )],
            mm_accounts: vec![MmAccountSeed::new(DEFAULT_APIKEY, "owner@example.com")],
        }
    }
}
