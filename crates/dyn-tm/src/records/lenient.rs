//! Deserializers that accept what the API and other clients send: numbers as JSON numbers or
//! strings (`"ttl": "1800"`), text as strings or numbers, type lists as lists or one string.

use serde::de::{Deserialize, Deserializer, Error};
use serde_json::Value;

fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Number(number) => number
            .as_u64()
            .ok_or_else(|| D::Error::custom("expected an unsigned integer")),
        Value::String(text) => text
            .trim()
            .parse()
            .map_err(|_| D::Error::custom("expected an unsigned integer")),
        _ => Err(D::Error::custom("expected an unsigned integer")),
    }
}

macro_rules! bounded {
    ($name:ident) => {
        /// An unsigned integer sent as a number or a string, checked against its width.
        pub(crate) fn $name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
            let value = number(deserializer)?;
            $name::try_from(value).map_err(|_| D::Error::custom("integer out of range"))
        }
    };
}

bounded!(u8);
bounded!(u16);
bounded!(u32);

/// Text sent as a string, or as a number (kept in its decimal form).
pub(crate) fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        _ => Err(D::Error::custom("expected text")),
    }
}

/// A list of names, or one string of names separated by spaces or commas.
pub(crate) fn words<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|word| !word.is_empty())
            .map(str::to_owned)
            .collect()),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::String(text) => Ok(text),
                _ => Err(D::Error::custom("expected a list of names")),
            })
            .collect(),
        _ => Err(D::Error::custom("expected a list of names")),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(deserialize_with = "super::u16")]
        port: u16,
        #[serde(deserialize_with = "super::words")]
        types: Vec<String>,
        #[serde(deserialize_with = "super::text")]
        altitude: String,
    }

    #[test]
    fn numbers_and_lists_arrive_in_either_form() {
        let probe: Probe =
            serde_json::from_value(json!({"port": "443", "types": "A AAAA", "altitude": 12}))
                .expect("lenient forms parse");
        assert_eq!(probe.port, 443);
        assert_eq!(probe.types, ["A", "AAAA"]);
        assert_eq!(probe.altitude, "12");
        let too_big = serde_json::from_value::<Probe>(
            json!({"port": 70000, "types": ["A"], "altitude": "1"}),
        );
        assert!(too_big.is_err());
    }
}
