//! MM arguments: query string and form body pairs, with repeated keys and `key[]` lists.

/// The pairs of one MM request, in order.
#[derive(Debug, Default)]
pub(crate) struct MmArgs(Vec<(String, String)>);

impl MmArgs {
    pub(crate) fn parse(query: Option<&str>, body: &[u8]) -> Self {
        let mut pairs = Vec::new();
        if let Some(q) = query {
            pairs.extend(
                form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())),
            );
        }
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text)
        {
            for (k, v) in map {
                match v {
                    serde_json::Value::Array(items) => {
                        pairs.extend(items.iter().map(|i| {
                            (
                                k.clone(),
                                i.as_str().map_or_else(|| i.to_string(), str::to_owned),
                            )
                        }));
                    }
                    serde_json::Value::String(s) => pairs.push((k, s)),
                    other => pairs.push((k, other.to_string())),
                }
            }
        } else if !text.is_empty() {
            pairs.extend(
                form_urlencoded::parse(text.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned())),
            );
        }
        Self(pairs)
    }

    /// The first value of `key` (or `key[]`).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.all(key).into_iter().next()
    }

    /// Every value of `key`, `key[]` and `key[<n>]`.
    pub(crate) fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| {
                k == key
                    || k.strip_prefix(key)
                        .is_some_and(|rest| rest.starts_with('[') && rest.ends_with(']'))
            })
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Every non-empty value of a list argument, comma-separated values split.
    pub(crate) fn list(&self, key: &str) -> Vec<String> {
        self.all(key)
            .iter()
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// `X-...` headers given as parameters, or inside an `xheaders` parameter.
    pub(crate) fn xheaders(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| k.len() > 2 && k[..2].eq_ignore_ascii_case("x-"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub(crate) fn number(&self, key: &str) -> Result<Option<u64>, super::MmError> {
        match self.get(key).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| super::field_error(key)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MmArgs;

    #[test]
    fn lists_come_from_repeats_brackets_and_commas() {
        let args = MmArgs::parse(
            Some("to[]=a%40x.org&to[]=b%40x.org&apikey=k"),
            b"to=c@x.org,d@x.org&X-Campaign=c1",
        );
        assert_eq!(
            args.list("to"),
            ["a@x.org", "b@x.org", "c@x.org", "d@x.org"]
        );
        assert_eq!(args.get("apikey"), Some("k"));
        assert_eq!(
            args.xheaders(),
            [("X-Campaign".to_owned(), "c1".to_owned())]
        );
        assert_eq!(MmArgs::parse(None, b"{}").get("{}"), None);
    }
}
