//! Turning JSON arguments into query strings and form bodies.

use serde_json::Value;

/// The `name=value` pairs of a JSON object: `null` members are left out, arrays repeat the
/// name, nested objects travel as JSON text.
pub(crate) fn pairs(args: &Value) -> Vec<(String, String)> {
    let Value::Object(members) = args else {
        return Vec::new();
    };
    let mut pairs = Vec::with_capacity(members.len());
    for (name, value) in members {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                pairs.extend(items.iter().map(|item| (name.clone(), scalar(item))));
            }
            other => pairs.push((name.clone(), scalar(other))),
        }
    }
    pairs
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        nested @ (Value::Array(_) | Value::Object(_)) => nested.to_string(),
    }
}

/// `application/x-www-form-urlencoded` text of `pairs`.
pub(crate) fn form(pairs: &[(String, String)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        serializer.append_pair(name, value);
    }
    serializer.finish()
}

/// The path a request goes to: `base` prepended unless `path` already starts with it, and
/// only the path and query of an absolute URL (a job `Location` never sends us elsewhere).
pub(crate) fn full_path(base: &str, path: &str) -> String {
    let path = strip_origin(path);
    if base.is_empty() || path.starts_with(base) {
        return ensure_leading_slash(path);
    }
    let tail = path.trim_start_matches('/');
    format!("{}/{tail}", base.trim_end_matches('/'))
}

fn strip_origin(path: &str) -> &str {
    for scheme in ["http://", "https://"] {
        if let Some(rest) = path.strip_prefix(scheme) {
            return rest.find('/').map_or("/", |slash| &rest[slash..]);
        }
    }
    path
}

fn ensure_leading_slash(path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pairs_flatten_arrays_and_skip_nulls() {
        let args = json!({"detail": "Y", "to": ["a@x", "b@y"], "ttl": 300, "note": null, "rdata": {"address": "192.0.2.1"}});
        let got = pairs(&args);
        assert!(got.contains(&("detail".into(), "Y".into())));
        assert!(got.contains(&("to".into(), "a@x".into())));
        assert!(got.contains(&("to".into(), "b@y".into())));
        assert!(got.contains(&("ttl".into(), "300".into())));
        assert!(got.contains(&("rdata".into(), r#"{"address":"192.0.2.1"}"#.into())));
        assert_eq!(got.len(), 5);
        assert_eq!(form(&[("to".into(), "a b&c".into())]), "to=a+b%26c");
    }

    #[test]
    fn paths_get_the_base_once() {
        assert_eq!(full_path("/REST", "/Zone/x/"), "/REST/Zone/x/");
        assert_eq!(full_path("/REST", "Zone/x/"), "/REST/Zone/x/");
        assert_eq!(full_path("/REST", "/REST/Job/7/"), "/REST/Job/7/");
        assert_eq!(
            full_path("/REST", "http://evil.example/REST/Job/7/"),
            "/REST/Job/7/"
        );
        assert_eq!(
            full_path("/rest/json", "/reports/sent"),
            "/rest/json/reports/sent"
        );
    }
}
