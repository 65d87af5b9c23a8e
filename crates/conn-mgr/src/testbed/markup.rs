//! Testbed markup: `%{a.b}` references, `%ENV{NAME}`, `%ENC{…}` and the legacy `ENC(…)`.

use std::sync::LazyLock;

use regex::Regex;

use super::pyats_enc::pyats_decode;
use super::yaml::{Kind, Node};
use crate::Secret;

/// A scalar after markup expansion.
#[derive(Debug)]
pub(crate) enum Expanded {
    Text(String),
    /// The value held an encoded secret; the whole value is treated as secret.
    Secret(Secret),
}

static MARKUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"%([A-Z_]*)\{([^{}]*)\}").expect("static regex is valid"));
static LEGACY_ENC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ENC\(([^()]+)\)$").expect("static regex is valid"));

/// References deeper than this are taken to be a cycle.
const MAX_DEPTH: usize = 16;

/// Expands markup against the raw document and an environment lookup.
pub(crate) struct Markup<'a> {
    pub(crate) root: &'a Node,
    pub(crate) env: &'a dyn Fn(&str) -> Option<String>,
    /// Opens `%SEALED{}` values; `None` when the loader was given no key.
    pub(crate) sealing_key: Option<&'a encryption::Key>,
}

impl Markup<'_> {
    /// `device` is the device whose subtree holds the value (what `self` means).
    pub(crate) fn expand(&self, text: &str, device: Option<&str>) -> Result<Expanded, String> {
        self.expand_at(text, device, 0)
    }

    fn expand_at(
        &self,
        text: &str,
        device: Option<&str>,
        depth: usize,
    ) -> Result<Expanded, String> {
        if depth > MAX_DEPTH {
            return Err("markup references form a cycle".into());
        }
        if let Some(caps) = LEGACY_ENC.captures(text.trim()) {
            return decode(&caps[1]).map(Expanded::Secret);
        }
        if !text.contains('%') {
            return Ok(Expanded::Text(text.to_owned()));
        }
        let mut out = String::with_capacity(text.len());
        let mut secret = false;
        let mut last = 0;
        for caps in MARKUP.captures_iter(text) {
            let whole = caps.get(0).expect("capture 0 always exists");
            out.push_str(&text[last..whole.start()]);
            last = whole.end();
            let arg = caps[2].trim();
            match &caps[1] {
                "" => match self.reference(arg, device, depth)? {
                    Expanded::Text(t) => out.push_str(&t),
                    Expanded::Secret(s) => {
                        secret = true;
                        out.push_str(s.expose());
                    }
                },
                "ENV" => out.push_str(&(self.env)(arg).unwrap_or_default()),
                "ENC" => {
                    secret = true;
                    out.push_str(decode(arg)?.expose());
                }
                "SEALED" => {
                    secret = true;
                    out.push_str(super::sealed::open(arg, self.sealing_key)?.expose());
                }
                other => return Err(format!("markup %{other}{{}} is not supported")),
            }
        }
        out.push_str(&text[last..]);
        Ok(if secret {
            Expanded::Secret(Secret::new(out))
        } else {
            Expanded::Text(out)
        })
    }

    fn reference(
        &self,
        path: &str,
        device: Option<&str>,
        depth: usize,
    ) -> Result<Expanded, String> {
        let mut parts: Vec<&str> = path.split('.').collect();
        if parts.first() == Some(&"self") {
            let Some(device) = device else {
                return Err(format!("'%{{{path}}}' uses 'self' outside a device"));
            };
            if parts.len() == 1 {
                return Ok(Expanded::Text(device.to_owned()));
            }
            parts.splice(0..1, ["devices", device]);
        }
        let mut node = self.root;
        for part in &parts {
            node = match &node.kind {
                Kind::Map(_) => node.get(part),
                Kind::Seq(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
                Kind::Scalar { .. } => None,
            }
            .ok_or_else(|| format!("'%{{{path}}}' refers to a key that does not exist"))?;
        }
        match &node.kind {
            Kind::Scalar { text, .. } => {
                let owner = if parts.first() == Some(&"devices") {
                    parts.get(1).copied()
                } else {
                    device
                };
                self.expand_at(text, owner, depth + 1)
            }
            _ => Err(format!(
                "'%{{{path}}}' refers to a mapping or list, not a value"
            )),
        }
    }
}

fn decode(payload: &str) -> Result<Secret, String> {
    if payload.contains(',') {
        return Err("%ENC{} with a prefix (a non-default key) is not supported".into());
    }
    pyats_decode(payload)
        .map(Secret::new)
        .ok_or_else(|| "cannot decode %ENC{} value with the default pyATS key".into())
}
