//! The suppression list (`/suppressions`, `/suppressions/count`, `/suppressions/activate`).

use serde_json::{Map, Value};

use crate::address::{address_args, check_address};
use crate::error::{Error, Result};
use crate::paging::{Listing, PAGE_SIZE, Paged, paged};
use crate::session::MMSession;
use crate::time::{DateRange, parse_time};

/// A suppressed address (dyn-python's `Suppression`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Suppression {
    /// The address.
    pub email_address: String,
    /// Why (`bounce`, `complaint`, `manual`, ...), when the service said.
    pub reason_type: Option<String>,
    /// When it was suppressed, as the service wrote it.
    pub suppress_time: Option<String>,
    /// The service's id of the entry.
    pub suppression_id: Option<u64>,
}

impl Suppression {
    /// [`suppress_time`](Self::suppress_time) as a time, when it parses.
    pub fn time(&self) -> Option<std::time::SystemTime> {
        self.suppress_time.as_deref().and_then(parse_time)
    }

    fn from_value(row: &Value) -> Result<Self> {
        let text = |name: &str| row.get(name).and_then(Value::as_str).map(str::to_owned);
        Ok(Self {
            email_address: text("emailaddress").ok_or_else(|| {
                Error::UnexpectedResponse("suppression without emailaddress".into())
            })?,
            reason_type: text("reasontype"),
            suppress_time: text("suppresstime"),
            suppression_id: row.get("suppressionid").and_then(|id| {
                id.as_u64()
                    .or_else(|| id.as_str().and_then(|text| text.parse().ok()))
            }),
        })
    }
}

fn range_args(range: Option<&DateRange>) -> Map<String, Value> {
    let mut args = Map::new();
    if let Some(range) = range {
        args.insert("startdate".into(), Value::from(range.start_text()));
        args.insert("enddate".into(), Value::from(range.end_text()));
    }
    args
}

/// The suppression list of the session's account.
#[derive(Debug, Clone)]
pub struct Suppressions {
    session: MMSession,
}

impl Suppressions {
    pub(crate) fn new(session: MMSession) -> Self {
        Self { session }
    }

    /// Every suppressed address, optionally only those suppressed within `range`.
    pub fn list(&self, range: Option<&DateRange>) -> Paged<Suppression> {
        let listing = Listing {
            path: "/suppressions".to_owned(),
            args: range_args(range),
            member: "suppressions",
            page_size: PAGE_SIZE,
        };
        paged(self.session.clone(), listing, |row| {
            Suppression::from_value(&row)
        })
    }

    /// How many addresses are suppressed, optionally within `range`.
    ///
    /// # Errors
    /// [`Error::Session`]; [`Error::UnexpectedResponse`] without a count.
    pub async fn count(&self, range: Option<&DateRange>) -> Result<u64> {
        let data = self
            .session
            .get("/suppressions/count", range_args(range))
            .await?;
        crate::reports::read_count(&data)
    }

    /// Suppresses one or more addresses.
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] or an empty list (nothing sent); [`Error::Session`].
    pub async fn add<S: AsRef<str>>(&self, emails: &[S]) -> Result<()> {
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
        self.session.post("/suppressions", args).await?;
        Ok(())
    }

    /// Takes an address off the suppression list.
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] (nothing sent); [`Error::Session`] (an address that is not
    /// suppressed is [`Error::is_not_found`]).
    pub async fn activate(&self, email: &str) -> Result<()> {
        self.session
            .post(
                "/suppressions/activate",
                address_args("emailaddress", email)?,
            )
            .await?;
        Ok(())
    }
}

/// Every suppressed address, through the current session (dyn-python's
/// `get_all_suppressions`).
///
/// # Errors
/// [`Error::NoCurrentSession`]; otherwise as [`Suppressions::list`].
pub async fn get_all_suppressions(range: Option<&DateRange>) -> Result<Vec<Suppression>> {
    MMSession::current()?
        .suppressions()
        .list(range)
        .collect_all()
        .await
}
