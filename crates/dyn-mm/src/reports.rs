//! Reports: `/reports/{sent, delivered, bounces, complaints, issues, opens, clicks}`, their
//! `/count`, and for opens and clicks `/unique` and `/count/unique`.

use std::fmt;
use std::time::SystemTime;

use serde_json::{Map, Value};

use crate::address::check_address;
use crate::error::{Error, Result};
use crate::message::check_xheader_name;
use crate::paging::{Listing, PAGE_SIZE, Paged, paged};
use crate::session::MMSession;
use crate::time::{DateRange, parse_time};

/// Which report (dyn-python's `Sent`, `Delivered`, `Bounce`, `Complaint`, `Issue`, `Opens`,
/// `Clicks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReportKind {
    /// Messages accepted for sending, one row per recipient.
    Sent,
    /// Messages delivered.
    Delivered,
    /// Bounces (hard and soft).
    Bounces,
    /// Spam complaints.
    Complaints,
    /// Delivery issues.
    Issues,
    /// Opens (has unique variants).
    Opens,
    /// Link clicks (has unique variants).
    Clicks,
}

impl ReportKind {
    /// Every report kind.
    pub const ALL: [Self; 7] = [
        Self::Sent,
        Self::Delivered,
        Self::Bounces,
        Self::Complaints,
        Self::Issues,
        Self::Opens,
        Self::Clicks,
    ];

    /// The name in the path and in the reply (`bounces`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Bounces => "bounces",
            Self::Complaints => "complaints",
            Self::Issues => "issues",
            Self::Opens => "opens",
            Self::Clicks => "clicks",
        }
    }

    /// `true` for the reports with unique variants (opens, clicks).
    pub fn has_unique(self) -> bool {
        matches!(self, Self::Opens | Self::Clicks)
    }
}

impl fmt::Display for ReportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of bounce to filter a bounce report on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BounceType {
    /// Permanent failures.
    Hard,
    /// Temporary failures.
    Soft,
}

impl BounceType {
    fn as_str(self) -> &'static str {
        match self {
            Self::Hard => "hard",
            Self::Soft => "soft",
        }
    }
}

/// What a report covers: a required date range and optional filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportQuery {
    range: DateRange,
    sender: Option<String>,
    recipient: Option<String>,
    domain: Option<String>,
    xheaders: Vec<(String, String)>,
    bounce_type: Option<BounceType>,
    no_headers: bool,
}

impl ReportQuery {
    /// Everything within `range`.
    pub fn new(range: DateRange) -> Self {
        Self {
            range,
            sender: None,
            recipient: None,
            domain: None,
            xheaders: Vec::new(),
            bounce_type: None,
            no_headers: false,
        }
    }

    /// Only messages from this sender.
    #[must_use]
    pub fn sender(mut self, email: impl Into<String>) -> Self {
        self.sender = Some(email.into());
        self
    }

    /// Only this recipient.
    #[must_use]
    pub fn recipient(mut self, email: impl Into<String>) -> Self {
        self.recipient = Some(email.into());
        self
    }

    /// Only recipients in this domain.
    #[must_use]
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// Only messages that carried this `X-` header value.
    #[must_use]
    pub fn xheader(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.xheaders.push((name.into(), value.into()));
        self
    }

    /// Only bounces of this type (bounce report only).
    #[must_use]
    pub fn bounce_type(mut self, bounce_type: BounceType) -> Self {
        self.bounce_type = Some(bounce_type);
        self
    }

    /// Leaves the message headers out of bounce rows (bounce report only).
    #[must_use]
    pub fn no_headers(mut self) -> Self {
        self.no_headers = true;
        self
    }

    /// The date range.
    pub fn range(&self) -> &DateRange {
        &self.range
    }

    fn to_args(&self, kind: ReportKind) -> Result<Map<String, Value>> {
        let mut args = Map::new();
        args.insert("starttime".into(), Value::from(self.range.start_text()));
        args.insert("endtime".into(), Value::from(self.range.end_text()));
        if let Some(sender) = &self.sender {
            check_address("sender", sender)?;
            args.insert("sender".into(), Value::from(sender.as_str()));
        }
        if let Some(recipient) = &self.recipient {
            check_address("emailaddress", recipient)?;
            args.insert("emailaddress".into(), Value::from(recipient.as_str()));
        }
        if let Some(domain) = &self.domain {
            check_address("domain", &format!("x@{domain}"))
                .map_err(|_| Error::invalid("domain", "is not a domain name"))?;
            args.insert("domain".into(), Value::from(domain.as_str()));
        }
        for (name, value) in &self.xheaders {
            check_xheader_name(name)?;
            args.insert(name.clone(), Value::from(value.as_str()));
        }
        if self.bounce_type.is_some() || self.no_headers {
            if kind != ReportKind::Bounces {
                return Err(Error::invalid(
                    "bouncetype",
                    "bounce filters apply to the bounce report only",
                ));
            }
            if let Some(bounce_type) = self.bounce_type {
                args.insert("bouncetype".into(), Value::from(bounce_type.as_str()));
            }
            if self.no_headers {
                args.insert("noheaders".into(), Value::from("1"));
            }
        }
        Ok(args)
    }
}

/// One row of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    email_address: String,
    fields: Map<String, Value>,
}

impl ReportRow {
    fn from_value(value: Value) -> Result<Self> {
        let Value::Object(mut fields) = value else {
            return Err(Error::UnexpectedResponse(
                "report row is not an object".into(),
            ));
        };
        let email_address = match fields.remove("emailaddress") {
            Some(Value::String(email)) => email,
            _ => {
                return Err(Error::UnexpectedResponse(
                    "report row without emailaddress".into(),
                ));
            }
        };
        Ok(Self {
            email_address,
            fields,
        })
    }

    /// The recipient.
    pub fn email_address(&self) -> &str {
        &self.email_address
    }

    /// The sender, when the report has it.
    pub fn sender(&self) -> Option<&str> {
        self.fields.get("sender").and_then(Value::as_str)
    }

    /// When it happened, as the service wrote it.
    pub fn date(&self) -> Option<&str> {
        self.fields.get("date").and_then(Value::as_str)
    }

    /// [`date`](Self::date) as a time, when it parses.
    pub fn time(&self) -> Option<SystemTime> {
        self.date().and_then(parse_time)
    }

    /// Any other member (`bouncetype`, `bouncecode`, `clicklink`, `ip`, `xheaders`, ...).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }
}

pub(crate) fn read_count(data: &Value) -> Result<u64> {
    data.get("count")
        .and_then(|count| {
            count
                .as_u64()
                .or_else(|| count.as_str().and_then(|text| text.parse().ok()))
        })
        .ok_or_else(|| Error::UnexpectedResponse("no count".into()))
}

/// The reports of the session's account. Row listings come back as [`Paged`] streams that
/// follow the API's 500-row pages.
#[derive(Debug, Clone)]
pub struct Reports {
    session: MMSession,
}

impl Reports {
    pub(crate) fn new(session: MMSession) -> Self {
        Self { session }
    }

    fn listing(&self, kind: ReportKind, unique: bool, query: &ReportQuery) -> Paged<ReportRow> {
        let path = if unique {
            format!("/reports/{kind}/unique")
        } else {
            format!("/reports/{kind}")
        };
        let args = match query.to_args(kind) {
            Ok(args) => args,
            Err(error) => return failed(error),
        };
        if unique && !kind.has_unique() {
            return failed(Error::invalid(
                "report",
                format!("{kind} has no unique variant"),
            ));
        }
        let listing = Listing {
            path,
            args,
            member: kind.as_str(),
            page_size: PAGE_SIZE,
        };
        paged(self.session.clone(), listing, ReportRow::from_value)
    }

    /// The rows of report `kind`. Bad arguments are the stream's first (and only) item, and
    /// nothing is sent then.
    pub fn rows(&self, kind: ReportKind, query: &ReportQuery) -> Paged<ReportRow> {
        self.listing(kind, false, query)
    }

    /// The number of rows of report `kind` (`/reports/<kind>/count`).
    ///
    /// # Errors
    /// Bad arguments (nothing sent); [`Error::Session`].
    pub async fn count(&self, kind: ReportKind, query: &ReportQuery) -> Result<u64> {
        let args = query.to_args(kind)?;
        let data = self
            .session
            .get(&format!("/reports/{kind}/count"), args)
            .await?;
        read_count(&data)
    }

    /// The first open or click per recipient (`/reports/<kind>/unique`).
    pub fn unique(&self, kind: ReportKind, query: &ReportQuery) -> Paged<ReportRow> {
        self.listing(kind, true, query)
    }

    /// The number of recipients who opened or clicked (`/reports/<kind>/count/unique`).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a kind without unique variants and bad arguments
    /// (nothing sent); [`Error::Session`].
    pub async fn unique_count(&self, kind: ReportKind, query: &ReportQuery) -> Result<u64> {
        if !kind.has_unique() {
            return Err(Error::invalid(
                "report",
                format!("{kind} has no unique variant"),
            ));
        }
        let args = query.to_args(kind)?;
        let data = self
            .session
            .get(&format!("/reports/{kind}/count/unique"), args)
            .await?;
        read_count(&data)
    }

    /// Sent rows.
    pub fn sent(&self, query: &ReportQuery) -> Paged<ReportRow> {
        self.rows(ReportKind::Sent, query)
    }

    /// Delivered rows.
    pub fn delivered(&self, query: &ReportQuery) -> Paged<ReportRow> {
        self.rows(ReportKind::Delivered, query)
    }

    /// Bounce rows.
    pub fn bounces(&self, query: &ReportQuery) -> Paged<ReportRow> {
        self.rows(ReportKind::Bounces, query)
    }

    /// Complaint rows.
    pub fn complaints(&self, query: &ReportQuery) -> Paged<ReportRow> {
        self.rows(ReportKind::Complaints, query)
    }

    /// Issue rows.
    pub fn issues(&self, query: &ReportQuery) -> Paged<ReportRow> {
        self.rows(ReportKind::Issues, query)
    }

    /// Open rows.
    pub fn opens(&self, query: &ReportQuery) -> Paged<ReportRow> {
        self.rows(ReportKind::Opens, query)
    }

    /// Click rows.
    pub fn clicks(&self, query: &ReportQuery) -> Paged<ReportRow> {
        self.rows(ReportKind::Clicks, query)
    }
}

fn failed<T: Send + 'static>(error: Error) -> Paged<T> {
    crate::paging::failed(error)
}

/// The rows of report `kind` through the current session.
///
/// # Errors
/// [`Error::NoCurrentSession`].
pub fn report(kind: ReportKind, query: &ReportQuery) -> Result<Paged<ReportRow>> {
    Ok(MMSession::current()?.reports().rows(kind, query))
}

/// The row count of report `kind` through the current session.
///
/// # Errors
/// [`Error::NoCurrentSession`]; otherwise as [`Reports::count`].
pub async fn count(kind: ReportKind, query: &ReportQuery) -> Result<u64> {
    MMSession::current()?.reports().count(kind, query).await
}
