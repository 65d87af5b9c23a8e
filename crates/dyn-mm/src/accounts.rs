//! Accounts and sub-accounts (`/accounts`, `/accounts/delete`, `/accounts/xheaders`).

use std::fmt;

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::address::check_address;
use crate::error::{Error, Result};
use crate::message::check_xheader_name;
use crate::paging::{ACCOUNT_PAGE_SIZE, Listing, Paged, paged};
use crate::session::MMSession;

/// An account's API key: never shown by `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Zeroizing<String>);

impl ApiKey {
    /// The key in plain text (to open an [`MMSession`] as that account).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// An account as the service describes it (dyn-python's `Account`).
#[derive(Clone, PartialEq)]
pub struct Account {
    username: String,
    apikey: Option<ApiKey>,
    fields: Map<String, Value>,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("username", &self.username)
            .field("apikey", &self.apikey)
            .field("fields", &self.fields)
            .finish()
    }
}

impl Account {
    fn from_value(value: Value) -> Result<Self> {
        let Value::Object(mut fields) = value else {
            return Err(Error::UnexpectedResponse("account is not an object".into()));
        };
        let username = match fields.remove("username") {
            Some(Value::String(username)) => username,
            _ => return Err(Error::UnexpectedResponse("account without username".into())),
        };
        // The service echoes a new account's password; it is the caller's already, and
        // keeping it would only risk printing it.
        fields.remove("password");
        let apikey = match fields.remove("apikey") {
            Some(Value::String(key)) if !key.is_empty() => Some(ApiKey(Zeroizing::new(key))),
            _ => None,
        };
        Ok(Self {
            username,
            apikey,
            fields,
        })
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }

    fn flag(&self, name: &str) -> bool {
        match self.fields.get(name) {
            Some(Value::Number(number)) => number.as_u64() == Some(1),
            Some(Value::String(text)) => matches!(text.as_str(), "1" | "Y" | "true"),
            Some(Value::Bool(flag)) => *flag,
            _ => false,
        }
    }

    /// The user name (an email address).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The account's API key, when the service returned it.
    pub fn apikey(&self) -> Option<&ApiKey> {
        self.apikey.as_ref()
    }

    /// The company name.
    pub fn company_name(&self) -> Option<&str> {
        self.text("companyname")
    }

    /// The contact name.
    pub fn contact_name(&self) -> Option<&str> {
        self.text("contactname")
    }

    /// The phone number.
    pub fn phone(&self) -> Option<&str> {
        self.text("phone")
    }

    /// The postal address.
    pub fn address(&self) -> Option<&str> {
        self.text("address")
    }

    /// The city.
    pub fn city(&self) -> Option<&str> {
        self.text("city")
    }

    /// The state.
    pub fn state(&self) -> Option<&str> {
        self.text("state")
    }

    /// The zip code.
    pub fn zipcode(&self) -> Option<&str> {
        self.text("zipcode")
    }

    /// The two-letter country code.
    pub fn country(&self) -> Option<&str> {
        self.text("country")
    }

    /// The time zone (`[+/-]h.mm`).
    pub fn timezone(&self) -> Option<&str> {
        self.text("timezone")
    }

    /// When the account was created, as the service wrote it.
    pub fn created(&self) -> Option<&str> {
        self.text("created")
    }

    /// Messages sent so far.
    pub fn email_sent(&self) -> Option<u64> {
        self.fields.get("emailsent").and_then(Value::as_u64)
    }

    /// Whether opens are tracked.
    pub fn track_opens(&self) -> bool {
        self.flag("trackopens")
    }

    /// Whether clicks are tracked.
    pub fn track_links(&self) -> bool {
        self.flag("tracklinks")
    }

    /// Whether list-unsubscribe is handled.
    pub fn track_unsubscribes(&self) -> bool {
        self.flag("trackunsubscribes")
    }

    /// Any member of the service's description, by its API name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }
}

/// Optional account settings, for [`Accounts::create`] and [`Accounts::update`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountSettings {
    values: Vec<(&'static str, String)>,
}

impl AccountSettings {
    /// No settings.
    pub fn new() -> Self {
        Self::default()
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.values.retain(|(existing, _)| *existing != name);
        self.values.push((name, value.into()));
        self
    }

    /// The postal address.
    #[must_use]
    pub fn address(self, value: impl Into<String>) -> Self {
        self.with("address", value)
    }

    /// The city.
    #[must_use]
    pub fn city(self, value: impl Into<String>) -> Self {
        self.with("city", value)
    }

    /// The state.
    #[must_use]
    pub fn state(self, value: impl Into<String>) -> Self {
        self.with("state", value)
    }

    /// The zip code.
    #[must_use]
    pub fn zipcode(self, value: impl Into<String>) -> Self {
        self.with("zipcode", value)
    }

    /// The two-letter ISO 3166 country code.
    #[must_use]
    pub fn country(self, value: impl Into<String>) -> Self {
        self.with("country", value)
    }

    /// The time zone, `[+/-]h.mm`.
    #[must_use]
    pub fn timezone(self, value: impl Into<String>) -> Self {
        self.with("timezone", value)
    }

    /// The company name.
    #[must_use]
    pub fn company_name(self, value: impl Into<String>) -> Self {
        self.with("companyname", value)
    }

    /// The phone number.
    #[must_use]
    pub fn phone(self, value: impl Into<String>) -> Self {
        self.with("phone", value)
    }

    /// The bounce postback URL.
    #[must_use]
    pub fn bounce_url(self, value: impl Into<String>) -> Self {
        self.with("bounceurl", value)
    }

    /// The spam-complaint postback URL.
    #[must_use]
    pub fn spam_url(self, value: impl Into<String>) -> Self {
        self.with("spamurl", value)
    }

    /// The unsubscribe postback URL.
    #[must_use]
    pub fn unsubscribe_url(self, value: impl Into<String>) -> Self {
        self.with("unsubscribeurl", value)
    }

    /// Track opens.
    #[must_use]
    pub fn track_opens(self, on: bool) -> Self {
        self.with("trackopens", flag(on))
    }

    /// Track clicks.
    #[must_use]
    pub fn track_links(self, on: bool) -> Self {
        self.with("tracklinks", flag(on))
    }

    /// Handle list-unsubscribe.
    #[must_use]
    pub fn track_unsubscribes(self, on: bool) -> Self {
        self.with("trackunsubscribes", flag(on))
    }

    /// Ask the service for a new API key for the account (update only).
    #[must_use]
    pub fn generate_new_apikey(self) -> Self {
        self.with("generatenewapikey", "1")
    }

    fn write(&self, args: &mut Map<String, Value>) -> Result<()> {
        for (name, value) in &self.values {
            if value.contains(['\r', '\n']) {
                return Err(Error::invalid(name, "contains a line break"));
            }
            args.insert((*name).to_owned(), Value::from(value.as_str()));
        }
        Ok(())
    }
}

fn flag(on: bool) -> &'static str {
    if on { "1" } else { "0" }
}

/// A sub-account to create: user name, password, company and phone are required.
#[derive(Clone)]
pub struct NewAccount {
    username: String,
    password: Zeroizing<String>,
    company_name: String,
    phone: String,
    settings: AccountSettings,
}

impl fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewAccount")
            .field("username", &self.username)
            .field("password", &"***")
            .field("company_name", &self.company_name)
            .field("phone", &self.phone)
            .field("settings", &self.settings)
            .finish()
    }
}

impl NewAccount {
    /// The required fields; `username` must be an email address.
    pub fn new(
        username: impl Into<String>,
        password: &str,
        company_name: impl Into<String>,
        phone: impl Into<String>,
    ) -> Self {
        Self {
            username: username.into(),
            password: Zeroizing::new(password.to_owned()),
            company_name: company_name.into(),
            phone: phone.into(),
            settings: AccountSettings::new(),
        }
    }

    /// Optional settings.
    #[must_use]
    pub fn settings(mut self, settings: AccountSettings) -> Self {
        self.settings = settings;
        self
    }
}

/// The custom `X-` header names an account reports on (at most four).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XHeaders {
    names: Vec<String>,
}

impl XHeaders {
    /// Up to four `X-` header names.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for more than four names or a name not starting with `X-`.
    pub fn new<I, S>(names: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        if names.len() > 4 {
            return Err(Error::invalid("xheaders", "at most four names"));
        }
        for name in &names {
            check_xheader_name(name)?;
        }
        Ok(Self { names })
    }

    /// The names, in slot order.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// Accounts and sub-accounts of the session's API key.
#[derive(Debug, Clone)]
pub struct Accounts {
    session: MMSession,
}

impl Accounts {
    pub(crate) fn new(session: MMSession) -> Self {
        Self { session }
    }

    /// Every account visible to the key (pages of 25 followed as the stream is polled).
    pub fn list(&self) -> Paged<Account> {
        let listing = Listing {
            path: "/accounts".to_owned(),
            args: Map::new(),
            member: "accounts",
            page_size: ACCOUNT_PAGE_SIZE,
        };
        paged(self.session.clone(), listing, Account::from_value)
    }

    /// The account's monthly sending cap (`emailcap`).
    ///
    /// # Errors
    /// [`Error::Session`] when the call fails; [`Error::UnexpectedResponse`] without a cap.
    pub async fn email_cap(&self) -> Result<u64> {
        let data = self.session.get("/accounts", Map::new()).await?;
        data.get("emailcap")
            .and_then(|cap| {
                cap.as_u64()
                    .or_else(|| cap.as_str().and_then(|text| text.parse().ok()))
            })
            .ok_or_else(|| Error::UnexpectedResponse("no emailcap".into()))
    }

    /// The account with this user name.
    ///
    /// # Errors
    /// [`Error::NoSuchAccount`] when no visible account has it.
    pub async fn get(&self, username: &str) -> Result<Account> {
        use futures_util::TryStreamExt;
        let mut accounts = self.list();
        while let Some(account) = accounts.try_next().await? {
            if account.username.eq_ignore_ascii_case(username) {
                return Ok(account);
            }
        }
        Err(Error::NoSuchAccount(username.to_owned()))
    }

    /// Creates a sub-account.
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] for a user name that is not an address and
    /// [`Error::InvalidArgument`] for an empty required field (nothing sent);
    /// [`Error::Session`] when the service refuses it.
    pub async fn create(&self, account: &NewAccount) -> Result<Account> {
        check_address("username", &account.username)?;
        let mut args = Map::new();
        args.insert("username".into(), Value::from(account.username.as_str()));
        for (name, value) in [
            ("password", account.password.as_str()),
            ("companyname", account.company_name.as_str()),
            ("phone", account.phone.as_str()),
        ] {
            if value.trim().is_empty() {
                return Err(Error::invalid(name, "is empty"));
            }
            args.insert(name.into(), Value::from(value));
        }
        account.settings.write(&mut args)?;
        Account::from_value(self.session.post("/accounts", args).await?)
    }

    /// Changes an existing account's settings.
    ///
    /// # Errors
    /// As [`Accounts::create`].
    pub async fn update(&self, username: &str, settings: &AccountSettings) -> Result<Account> {
        check_address("username", username)?;
        let mut args = Map::new();
        args.insert("username".into(), Value::from(username));
        settings.write(&mut args)?;
        Account::from_value(self.session.post("/accounts", args).await?)
    }

    /// Deletes a sub-account.
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] (nothing sent); [`Error::Session`] when the service refuses
    /// (an unknown account is [`Error::is_not_found`]).
    pub async fn delete(&self, username: &str) -> Result<()> {
        check_address("username", username)?;
        let mut args = Map::new();
        args.insert("username".into(), Value::from(username));
        self.session.post("/accounts/delete", args).await?;
        Ok(())
    }

    /// The custom `X-` header names reported on.
    ///
    /// # Errors
    /// [`Error::Session`] when the call fails.
    pub async fn xheaders(&self) -> Result<XHeaders> {
        let data = self.session.get("/accounts/xheaders", Map::new()).await?;
        let names = (1..=4)
            .filter_map(|slot| data.get(format!("xheader{slot}")).and_then(Value::as_str))
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(XHeaders { names })
    }

    /// Sets the custom `X-` header names; unused slots are cleared.
    ///
    /// # Errors
    /// [`Error::Session`] when the service refuses them.
    pub async fn set_xheaders(&self, xheaders: &XHeaders) -> Result<()> {
        let mut args = Map::new();
        for slot in 0..4 {
            let name = xheaders.names.get(slot).map_or("", String::as_str);
            args.insert(format!("xheader{}", slot + 1), Value::from(name));
        }
        self.session.post("/accounts/xheaders", args).await?;
        Ok(())
    }
}

/// Every account visible to the current session's key (dyn-python's `get_all_accounts`).
///
/// # Errors
/// [`Error::NoCurrentSession`]; otherwise as [`Accounts::list`].
pub async fn get_all_accounts() -> Result<Vec<Account>> {
    MMSession::current()?.accounts().list().collect_all().await
}

/// The account with this user name, through the current session (dyn-python's
/// `Account(username)`).
///
/// # Errors
/// [`Error::NoCurrentSession`]; otherwise as [`Accounts::get`].
pub async fn get_account(username: &str) -> Result<Account> {
    MMSession::current()?.accounts().get(username).await
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secrets_never_show_in_debug() {
        let account = Account::from_value(json!({
            "username": "u@example.com",
            "apikey": "key-123",
            "password": "pw-456",
            "city": "Leeds",
            "trackopens": "1",
            "emailsent": 7,
        }))
        .unwrap();
        let debug = format!("{account:?}");
        assert!(
            !debug.contains("key-123") && !debug.contains("pw-456"),
            "{debug}"
        );
        assert_eq!(account.apikey().map(ApiKey::expose), Some("key-123"));
        assert_eq!(account.get("password"), None);
        assert_eq!(account.city(), Some("Leeds"));
        assert!(account.track_opens());
        assert_eq!(account.email_sent(), Some(7));
        assert!(Account::from_value(json!({"city": "x"})).is_err());
        assert!(Account::from_value(json!([])).is_err());
    }
}
