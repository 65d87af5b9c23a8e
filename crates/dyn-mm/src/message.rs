//! Sending mail: [`EMail`] (text, HTML or both; cc, bcc, reply-to, `X-` headers) and the free
//! functions that send through the current session.

use serde_json::{Map, Value};

use crate::address::check_mailbox;
use crate::error::{Error, Result};
use crate::session::MMSession;
use crate::template::{Substitutions, Template};

/// One message to send from an approved sender (dyn-python's `EMail`, `HTMLEMail`).
///
/// Everything is checked by [`EMail::validate`] before a request is made: every address
/// (plain or `Name <address>`), a subject, at least one body, and `X-` header names and values
/// (no line breaks, so nothing can be smuggled into the message headers).
///
/// ```
/// let email = dyn_mm::EMail::new("News <news@example.com>", "ann@example.org", "Hello")
///     .cc("bob@example.org")
///     .text("Hi Ann")
///     .html("<p>Hi Ann</p>")
///     .reply_to("help@example.com")
///     .xheader("X-Campaign", "spring");
/// assert!(email.validate().is_ok());
/// assert!(dyn_mm::EMail::new("news@example.com", "not an address", "Hello").text("x").validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EMail {
    from: String,
    to: Vec<String>,
    cc: Vec<String>,
    bcc: Vec<String>,
    subject: String,
    text: Option<String>,
    html: Option<String>,
    reply_to: Option<String>,
    xheaders: Vec<(String, String)>,
    headers: Vec<(Header, String)>,
}

/// The optional message headers `POST /send` takes as parameters of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Header {
    /// `Sender:` (who sent it on the author's behalf); checked as an address.
    Sender,
    /// `Message-ID:`.
    MessageId,
    /// `In-Reply-To:`.
    InReplyTo,
    /// `References:`.
    References,
    /// `Importance:` (`high`, `normal`, `low`).
    Importance,
    /// `X-Priority:`-style priority.
    Priority,
    /// `Sensitivity:` (`personal`, `private`, `company-confidential`).
    Sensitivity,
    /// `Content-Transfer-Encoding:` of the bodies.
    ContentEncoding,
}

impl Header {
    /// The parameter name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sender => "sender",
            Self::MessageId => "messageid",
            Self::InReplyTo => "inreplyto",
            Self::References => "references",
            Self::Importance => "importance",
            Self::Priority => "priority",
            Self::Sensitivity => "sensitivity",
            Self::ContentEncoding => "content-encoding",
        }
    }
}

impl EMail {
    /// A message from `from` (an approved sender) to `to` with `subject`; add a body with
    /// [`text`](Self::text) and/or [`html`](Self::html).
    pub fn new(from: impl Into<String>, to: impl Into<String>, subject: impl Into<String>) -> Self {
        Self {
            from: from.into(),
            to: vec![to.into()],
            cc: Vec::new(),
            bcc: Vec::new(),
            subject: subject.into(),
            text: None,
            html: None,
            reply_to: None,
            xheaders: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// Adds a recipient.
    #[must_use]
    pub fn to(mut self, address: impl Into<String>) -> Self {
        self.to.push(address.into());
        self
    }

    /// Replaces the recipients.
    #[must_use]
    pub fn with_recipients<I, S>(mut self, addresses: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.to = addresses.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a copy recipient.
    #[must_use]
    pub fn cc(mut self, address: impl Into<String>) -> Self {
        self.cc.push(address.into());
        self
    }

    /// Adds a blind-copy recipient.
    #[must_use]
    pub fn bcc(mut self, address: impl Into<String>) -> Self {
        self.bcc.push(address.into());
        self
    }

    /// Sets the plain-text body.
    #[must_use]
    pub fn text(mut self, body: impl Into<String>) -> Self {
        self.text = Some(body.into());
        self
    }

    /// Sets the HTML body.
    #[must_use]
    pub fn html(mut self, body: impl Into<String>) -> Self {
        self.html = Some(body.into());
        self
    }

    /// Sets the address replies go to (default: the sender).
    #[must_use]
    pub fn reply_to(mut self, address: impl Into<String>) -> Self {
        self.reply_to = Some(address.into());
        self
    }

    /// Adds a custom header; its name must start with `X-`.
    #[must_use]
    pub fn xheader(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.xheaders.push((name.into(), value.into()));
        self
    }

    /// Sets one of the optional standard headers (replacing an earlier value).
    #[must_use]
    pub fn header(mut self, header: Header, value: impl Into<String>) -> Self {
        self.headers.retain(|(existing, _)| *existing != header);
        self.headers.push((header, value.into()));
        self
    }

    /// The optional standard headers.
    pub fn headers(&self) -> &[(Header, String)] {
        &self.headers
    }

    /// The sender.
    pub fn from_address(&self) -> &str {
        &self.from
    }

    /// The recipients.
    pub fn recipients(&self) -> &[String] {
        &self.to
    }

    /// The copy recipients.
    pub fn cc_recipients(&self) -> &[String] {
        &self.cc
    }

    /// The blind-copy recipients.
    pub fn bcc_recipients(&self) -> &[String] {
        &self.bcc
    }

    /// The subject.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The plain-text body.
    pub fn text_body(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The HTML body.
    pub fn html_body(&self) -> Option<&str> {
        self.html.as_deref()
    }

    /// The reply-to address.
    pub fn reply_to_address(&self) -> Option<&str> {
        self.reply_to.as_deref()
    }

    /// The custom headers.
    pub fn xheaders(&self) -> &[(String, String)] {
        &self.xheaders
    }

    pub(crate) fn set_subject(&mut self, subject: String) {
        self.subject = subject;
    }

    pub(crate) fn set_bodies(&mut self, text: Option<String>, html: Option<String>) {
        self.text = text;
        self.html = html;
    }

    /// Checks the message as [`MMSession::send`] does before sending.
    ///
    /// # Errors
    /// [`Error::InvalidAddress`] naming the field of the first bad address;
    /// [`Error::InvalidArgument`] for a missing subject or body or a bad `X-` header.
    pub fn validate(&self) -> Result<()> {
        check_mailbox("from", &self.from)?;
        if self.to.is_empty() {
            return Err(Error::invalid("to", "no recipient"));
        }
        for (field, list) in [("to", &self.to), ("cc", &self.cc), ("bcc", &self.bcc)] {
            for address in list {
                check_mailbox(field, address)?;
            }
        }
        if let Some(reply_to) = &self.reply_to {
            check_mailbox("replyto", reply_to)?;
        }
        if self.subject.trim().is_empty() {
            return Err(Error::invalid("subject", "is empty"));
        }
        if self.subject.contains(['\r', '\n']) {
            return Err(Error::invalid("subject", "contains a line break"));
        }
        let has_body = |body: &Option<String>| body.as_deref().is_some_and(|b| !b.is_empty());
        if !has_body(&self.text) && !has_body(&self.html) {
            return Err(Error::invalid(
                "bodytext",
                "neither a text nor an html body",
            ));
        }
        for (header, value) in &self.headers {
            if value.contains(['\r', '\n']) {
                return Err(Error::invalid(header.as_str(), "contains a line break"));
            }
            if *header == Header::Sender {
                check_mailbox("sender", value)?;
            }
        }
        let mut seen: Vec<String> = Vec::new();
        for (name, value) in &self.xheaders {
            check_xheader_name(name)?;
            if value.contains(['\r', '\n']) {
                return Err(Error::invalid(
                    "xheaders",
                    format!("{name} has a line break"),
                ));
            }
            let lower = name.to_ascii_lowercase();
            if seen.contains(&lower) {
                return Err(Error::invalid("xheaders", format!("{name} is given twice")));
            }
            seen.push(lower);
        }
        Ok(())
    }

    /// The form arguments of `POST /send`: lists as repeated `to[]`, `cc[]`, `bcc[]`, and each
    /// `X-` header as a parameter of its own name.
    pub(crate) fn to_args(&self) -> Map<String, Value> {
        let mut args = Map::new();
        let list = |items: &[String]| Value::from(items.to_vec());
        args.insert("from".into(), Value::from(self.from.trim()));
        args.insert("to[]".into(), list(&self.to));
        if !self.cc.is_empty() {
            args.insert("cc[]".into(), list(&self.cc));
        }
        if !self.bcc.is_empty() {
            args.insert("bcc[]".into(), list(&self.bcc));
        }
        args.insert("subject".into(), Value::from(self.subject.as_str()));
        if let Some(text) = &self.text {
            args.insert("bodytext".into(), Value::from(text.as_str()));
        }
        if let Some(html) = &self.html {
            args.insert("bodyhtml".into(), Value::from(html.as_str()));
        }
        if let Some(reply_to) = &self.reply_to {
            args.insert("replyto".into(), Value::from(reply_to.trim()));
        }
        for (header, value) in &self.headers {
            args.insert(header.as_str().to_owned(), Value::from(value.as_str()));
        }
        for (name, value) in &self.xheaders {
            args.insert(name.clone(), Value::from(value.as_str()));
        }
        args
    }
}

/// `X-` followed by header-name characters.
pub(crate) fn check_xheader_name(name: &str) -> Result<()> {
    let valid = name.len() > 2
        && name[..2].eq_ignore_ascii_case("x-")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(Error::invalid(
            "xheaders",
            format!("{name:?} is not an X- header name"),
        ))
    }
}

impl MMSession {
    /// Sends `email` (`POST /send`) after checking it; a message that fails the check costs
    /// no request.
    ///
    /// # Errors
    /// [`EMail::validate`]'s errors; [`Error::Session`] when the service refuses the message
    /// (an unapproved sender is [`Error::is_invalid_argument`]).
    pub async fn send(&self, email: &EMail) -> Result<()> {
        email.validate()?;
        self.post("/send", email.to_args()).await?;
        Ok(())
    }

    /// Renders `template` once per substitution set and sends each message (dyn-python's
    /// `TemplateEMail` / `HTMLTemplateEMail`). Every message is rendered and checked before the
    /// first is sent, so a bad set sends nothing. Returns how many were sent.
    ///
    /// # Errors
    /// Rendering and [`EMail::validate`] errors (nothing sent); the first refused send (the
    /// messages before it were sent).
    pub async fn send_template<I>(&self, template: &Template, batches: I) -> Result<usize>
    where
        I: IntoIterator<Item = Substitutions>,
    {
        let emails = template.render_all(batches)?;
        for email in &emails {
            self.post("/send", email.to_args()).await?;
        }
        Ok(emails.len())
    }
}

/// Sends `email` through the current Message Management session (dyn-python's
/// `send_message`).
///
/// # Errors
/// [`Error::NoCurrentSession`]; otherwise as [`MMSession::send`].
pub async fn send_message(email: &EMail) -> Result<()> {
    MMSession::current()?.send(email).await
}

/// Sends a template through the current session; see [`MMSession::send_template`].
///
/// # Errors
/// [`Error::NoCurrentSession`]; otherwise as [`MMSession::send_template`].
pub async fn send_template<I>(template: &Template, batches: I) -> Result<usize>
where
    I: IntoIterator<Item = Substitutions>,
{
    MMSession::current()?.send_template(template, batches).await
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn base() -> EMail {
        EMail::new("Sender <sender@example.com>", "a@example.org", "Hi").text("body")
    }

    #[test]
    fn form_arguments_use_list_brackets_and_header_names() {
        let email = base()
            .to("b@example.org")
            .cc("c@example.org")
            .bcc("d@example.org")
            .html("<p>b</p>")
            .reply_to("r@example.com")
            .header(Header::InReplyTo, "<1@example.com>")
            .header(Header::Importance, "low")
            .header(Header::Importance, "high")
            .xheader("X-Campaign", "c1");
        email.validate().unwrap();
        assert_eq!(
            Value::Object(email.to_args()),
            json!({
                "from": "Sender <sender@example.com>",
                "to[]": ["a@example.org", "b@example.org"],
                "cc[]": ["c@example.org"],
                "bcc[]": ["d@example.org"],
                "subject": "Hi",
                "bodytext": "body",
                "bodyhtml": "<p>b</p>",
                "replyto": "r@example.com",
                "inreplyto": "<1@example.com>",
                "importance": "high",
                "X-Campaign": "c1",
            })
        );
    }

    #[test]
    fn validation_names_the_field() {
        let field = |email: EMail| match email.validate() {
            Err(Error::InvalidAddress { field, .. } | Error::InvalidArgument { field, .. }) => {
                field
            }
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(field(base().cc("nope")), "cc");
        assert_eq!(field(base().bcc("x@y")), "bcc");
        assert_eq!(field(base().reply_to("r@")), "replyto");
        assert_eq!(
            field(EMail::new("s@example.com", "a@example.org", "Hi")),
            "bodytext"
        );
        assert_eq!(field(base().with_recipients(Vec::<String>::new())), "to");
        assert_eq!(
            field(EMail::new("bad", "a@example.org", "Hi").text("b")),
            "from"
        );
        assert_eq!(field(base().xheader("Campaign", "c")), "xheaders");
        assert_eq!(field(base().header(Header::Sender, "nobody")), "sender");
        assert_eq!(
            field(base().header(Header::References, "<a>\r\nBcc: x@evil.example")),
            "references"
        );
        assert_eq!(
            field(base().xheader("X-A", "1\r\nBcc: x@evil.example")),
            "xheaders"
        );
        assert_eq!(
            field(base().xheader("X-A", "1").xheader("x-a", "2")),
            "xheaders"
        );
        assert_eq!(
            field(EMail::new("s@example.com", "a@example.org", "a\nb").text("b")),
            "subject"
        );
    }
}
