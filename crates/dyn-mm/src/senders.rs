//! Approved senders (`/senders`, `/senders/details`, `/senders/status`, `/senders/dkim`,
//! `/senders/delete`).

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::address::address_args;
use crate::error::{Error, Result};
use crate::paging::{Listing, PAGE_SIZE, Paged, paged};
use crate::session::MMSession;

/// An approved sender as listed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Sender {
    /// The address.
    #[serde(rename = "emailaddress")]
    pub email_address: String,
    /// When it was approved, as the service wrote it.
    #[serde(default)]
    pub created: Option<String>,
}

/// An approved sender's details (dyn-python's `ApprovedSender`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SenderDetails {
    /// The address.
    pub email_address: String,
    /// Whether the sender is opted in to seeding.
    pub seeding: bool,
    /// The DKIM identifier, if set.
    pub dkim: Option<String>,
    /// The DKIM DNS record value, if any.
    pub dkim_value: Option<String>,
    /// The SPF record to publish.
    pub spf: Option<String>,
    /// When it was approved, as the service wrote it.
    pub created: Option<String>,
}

impl SenderDetails {
    fn from_value(value: &Value) -> Result<Self> {
        let text = |name: &str| {
            value
                .get(name)
                .and_then(Value::as_str)
                .filter(|text| !text.is_empty())
                .map(str::to_owned)
        };
        let email_address = text("emailaddress")
            .ok_or_else(|| Error::UnexpectedResponse("sender without emailaddress".into()))?;
        let seeding = match value.get("seeding") {
            Some(Value::Number(number)) => number.as_u64() == Some(1),
            Some(Value::String(flag)) => flag == "1",
            _ => false,
        };
        Ok(Self {
            email_address,
            seeding,
            dkim: text("dkim"),
            dkim_value: text("dkimval"),
            spf: text("spf"),
            created: text("created"),
        })
    }
}

/// Approved senders of the session's account.
#[derive(Debug, Clone)]
pub struct Senders {
    session: MMSession,
}

impl Senders {
    pub(crate) fn new(session: MMSession) -> Self {
        Self { session }
    }

    /// Every approved sender (sends `startindex`, which dyn-python misspelt `start_index`).
    pub fn list(&self) -> Paged<Sender> {
        let listing = Listing {
            path: "/senders".to_owned(),
            args: Map::new(),
            member: "senders",
            page_size: PAGE_SIZE,
        };
        paged(self.session.clone(), listing, |row| {
            Sender::deserialize(row).map_err(|error| Error::UnexpectedResponse(error.to_string()))
        })
    }

    /// One sender's details.
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] (nothing sent); [`Error::Session`] — an unknown sender is
    /// [`Error::is_not_found`].
    pub async fn details(&self, email: &str) -> Result<SenderDetails> {
        let data = self
            .session
            .get("/senders/details", address_args("emailaddress", email)?)
            .await?;
        SenderDetails::from_value(&data)
    }

    /// Whether the sender is ready to send (`/senders/status`).
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] (nothing sent); [`Error::Session`].
    pub async fn status(&self, email: &str) -> Result<bool> {
        let data = self
            .session
            .get("/senders/status", address_args("emailaddress", email)?)
            .await?;
        match data.get("ready") {
            Some(Value::Number(ready)) => Ok(ready.as_u64() == Some(1)),
            Some(Value::String(ready)) => Ok(ready == "1"),
            Some(Value::Bool(ready)) => Ok(*ready),
            _ => Err(Error::UnexpectedResponse(
                "sender status without ready".into(),
            )),
        }
    }

    /// Approves a sender, or changes its seeding if it exists (the API creates or updates).
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] (nothing sent); [`Error::Session`].
    pub async fn create(&self, email: &str, seeding: bool) -> Result<Sender> {
        let mut args = address_args("emailaddress", email)?;
        args.insert("seeding".into(), Value::from(u8::from(seeding)));
        let data = self.session.post("/senders", args).await?;
        Ok(Sender::deserialize(&data).unwrap_or(Sender {
            email_address: email.to_owned(),
            created: None,
        }))
    }

    /// Changes a sender's seeding (same call as [`Senders::create`]).
    ///
    /// # Errors
    /// As [`Senders::create`].
    pub async fn update(&self, email: &str, seeding: bool) -> Result<Sender> {
        self.create(email, seeding).await
    }

    /// Sets the sender's DKIM identifier (letters, digits, `-` and `_`).
    ///
    /// # Errors
    /// [`Error::InvalidAddress`], [`Error::InvalidArgument`] (nothing sent); [`Error::Session`]
    /// (an unknown sender is [`Error::is_not_found`]).
    pub async fn set_dkim(&self, email: &str, identifier: &str) -> Result<()> {
        let valid = !identifier.is_empty()
            && identifier
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(Error::invalid(
                "dkim",
                "only letters, digits, '-' and '_' are allowed",
            ));
        }
        let mut args = address_args("emailaddress", email)?;
        args.insert("dkim".into(), Value::from(identifier));
        self.session.post("/senders/dkim", args).await?;
        Ok(())
    }

    /// Removes a sender.
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] (nothing sent); [`Error::Session`] (an unknown sender is
    /// [`Error::is_not_found`]).
    pub async fn delete(&self, email: &str) -> Result<()> {
        self.session
            .post("/senders/delete", address_args("emailaddress", email)?)
            .await?;
        Ok(())
    }
}

/// Every approved sender, through the current session (dyn-python's `get_all_senders`).
///
/// # Errors
/// [`Error::NoCurrentSession`]; otherwise as [`Senders::list`].
pub async fn get_all_senders() -> Result<Vec<Sender>> {
    MMSession::current()?.senders().list().collect_all().await
}
