//! Recipients: status (`/recipients/status`) and reactivation (`/recipients/activate`).

use serde_json::{Map, Value};

use crate::address::{address_args, check_address};
use crate::error::{Error, Result};
use crate::session::MMSession;

/// Whether a recipient can receive mail (dyn-python's `Recipient`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecipientStatus {
    /// The address.
    pub email_address: String,
    /// `true` when mail is delivered to it.
    pub active: bool,
    /// Why it is suppressed (`bounce`, `complaint`, `manual`, ...), empty when it is not.
    pub suppression_status: String,
}

/// Recipient status and reactivation.
#[derive(Debug, Clone)]
pub struct Recipients {
    session: MMSession,
}

impl Recipients {
    pub(crate) fn new(session: MMSession) -> Self {
        Self { session }
    }

    /// The status of one or more recipients, in one call.
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] or an empty list (nothing sent); [`Error::Session`].
    pub async fn status<S: AsRef<str>>(&self, emails: &[S]) -> Result<Vec<RecipientStatus>> {
        if emails.is_empty() {
            return Err(Error::invalid("emailaddress", "no address"));
        }
        let mut list = Vec::with_capacity(emails.len());
        for email in emails {
            check_address("emailaddress", email.as_ref())?;
            list.push(Value::from(email.as_ref()));
        }
        let mut args = Map::new();
        args.insert("emailaddress".into(), Value::Array(list));
        let data = self.session.get("/recipients/status", args).await?;
        let rows = data
            .get("recipients")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::UnexpectedResponse("no recipients list".into()))?;
        rows.iter()
            .map(|row| {
                let text = |name: &str| row.get(name).and_then(Value::as_str).unwrap_or_default();
                let email_address = text("emailaddress");
                if email_address.is_empty() {
                    return Err(Error::UnexpectedResponse(
                        "recipient without emailaddress".into(),
                    ));
                }
                Ok(RecipientStatus {
                    email_address: email_address.to_owned(),
                    active: text("status") == "active",
                    suppression_status: text("suppressionstatus").to_owned(),
                })
            })
            .collect()
    }

    /// Makes a recipient active again (takes it off the suppression list).
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] (nothing sent); [`Error::Session`].
    pub async fn activate(&self, email: &str) -> Result<()> {
        self.session
            .post("/recipients/activate", address_args("emailaddress", email)?)
            .await?;
        Ok(())
    }
}
