//! Templates: one [`EMail`] with `{name}` placeholders, rendered once per set of values.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::message::EMail;

/// A message whose subject, text body and HTML body hold `{name}` placeholders (`{{` and `}}`
/// stand for literal braces).
///
/// Values are inserted as they are into the subject and text body and HTML-escaped into the
/// HTML body. A placeholder without a value is an error, never an empty string (dyn-python's
/// `%` formatting raised mid-batch, after earlier messages were already sent).
///
/// ```
/// use dyn_mm::{EMail, Substitutions, Template};
///
/// let template = Template::new(
///     EMail::new("news@example.com", "list@example.org", "Hello {name}")
///         .text("Dear {name}, your code is {code}.")
///         .html("<p>Dear {name}</p>"),
/// );
/// let email = template
///     .render(&Substitutions::new().set("name", "Ann & Bob").set("code", "42").to("ann@example.org"))
///     .unwrap();
/// assert_eq!(email.subject(), "Hello Ann & Bob");
/// assert_eq!(email.html_body(), Some("<p>Dear Ann &amp; Bob</p>"));
/// assert_eq!(email.recipients(), ["ann@example.org"]);
/// assert!(template.render(&Substitutions::new().set("name", "Ann")).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    base: EMail,
}

/// The values for one rendering of a [`Template`], and optionally its own recipients.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Substitutions {
    values: BTreeMap<String, String>,
    to: Vec<String>,
}

impl Substitutions {
    /// No values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the value of `{name}`.
    #[must_use]
    pub fn set(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.values.insert(name.into(), value.into());
        self
    }

    /// Sends this rendering to `address` instead of the template's recipients (repeat for
    /// several).
    #[must_use]
    pub fn to(mut self, address: impl Into<String>) -> Self {
        self.to.push(address.into());
        self
    }
}

impl Template {
    /// A template from a message with placeholders.
    pub fn new(base: EMail) -> Self {
        Self { base }
    }

    /// The message with placeholders.
    pub fn base(&self) -> &EMail {
        &self.base
    }

    /// The message for one set of values, checked with [`EMail::validate`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a placeholder without a value or an unbalanced brace;
    /// the rendered message's validation errors.
    pub fn render(&self, values: &Substitutions) -> Result<EMail> {
        let mut email = self.base.clone();
        if !values.to.is_empty() {
            email = email.with_recipients(values.to.iter().cloned());
        }
        email.set_subject(fill(self.base.subject(), &values.values, false)?);
        let text = self
            .base
            .text_body()
            .map(|body| fill(body, &values.values, false))
            .transpose()?;
        let html = self
            .base
            .html_body()
            .map(|body| fill(body, &values.values, true))
            .transpose()?;
        email.set_bodies(text, html);
        email.validate()?;
        Ok(email)
    }

    pub(crate) fn render_all<I>(&self, batches: I) -> Result<Vec<EMail>>
    where
        I: IntoIterator<Item = Substitutions>,
    {
        let emails = batches
            .into_iter()
            .map(|values| self.render(&values))
            .collect::<Result<Vec<_>>>()?;
        if emails.is_empty() {
            return Err(Error::invalid("template", "no substitution sets"));
        }
        Ok(emails)
    }
}

fn fill(template: &str, values: &BTreeMap<String, String>, html: bool) -> Result<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if let Some(after) = tail.strip_prefix('{') {
            let close = after
                .find('}')
                .ok_or_else(|| Error::invalid("template", "unclosed '{'"))?;
            let name = &after[..close];
            let value = values
                .get(name)
                .ok_or_else(|| Error::invalid("template", format!("no value for {{{name}}}")))?;
            if html {
                escape_html(value, &mut out);
            } else {
                out.push_str(value);
            }
            rest = &after[close + 1..];
        } else {
            return Err(Error::invalid("template", "unmatched '}'"));
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn escape_html(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_escapes_and_refuses_missing_values() {
        let values: BTreeMap<String, String> =
            [("a".to_owned(), "<x>".to_owned())].into_iter().collect();
        assert_eq!(fill("{{a}} {a}", &values, false).unwrap(), "{a} <x>");
        assert_eq!(fill("{a}}}", &values, true).unwrap(), "&lt;x&gt;}");
        assert!(fill("{b}", &values, false).is_err());
        assert!(fill("{a", &values, false).is_err());
        assert!(fill("a}", &values, false).is_err());
        let template = Template::new(EMail::new("s@example.com", "a@example.org", "x").text("y"));
        assert!(template.render_all(Vec::new()).is_err());
        assert!(matches!(
            template.render(&Substitutions::new().to("bad")),
            Err(Error::InvalidAddress { field: "to", .. })
        ));
    }
}
