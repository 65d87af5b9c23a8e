//! Python's JSON dialect: the bare `NaN`, `Infinity` and `-Infinity` tokens that
//! `json.dumps` writes for non-finite floats. Used only when strict JSON parsing failed.

use serde::de::value::{Error as ValueError, MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, Error as _, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

/// A parsed document.
enum Py {
    Null,
    Bool(bool),
    Signed(i64),
    Unsigned(u64),
    Float(f64),
    Str(String),
    Array(Vec<Py>),
    Object(Vec<(String, Py)>),
}

/// Nesting deeper than this is refused, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 128;

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.text[self.at..].starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn error(&self, what: &str) -> ValueError {
        ValueError::custom(format_args!("{what} at byte {}", self.at))
    }

    fn value(&mut self, depth: usize) -> Result<Py, ValueError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.skip_space();
        let Some(first) = self.text[self.at..].chars().next() else {
            return Err(self.error("unexpected end"));
        };
        match first {
            '{' => self.object(depth),
            '[' => self.array(depth),
            '"' => self.string().map(Py::Str),
            _ if self.eat("null") => Ok(Py::Null),
            _ if self.eat("true") => Ok(Py::Bool(true)),
            _ if self.eat("false") => Ok(Py::Bool(false)),
            _ if self.eat("NaN") => Ok(Py::Float(f64::NAN)),
            _ if self.eat("Infinity") => Ok(Py::Float(f64::INFINITY)),
            _ if self.eat("-Infinity") => Ok(Py::Float(f64::NEG_INFINITY)),
            _ => self.number(),
        }
    }

    fn string(&mut self) -> Result<String, ValueError> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut i = start + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => {
                    self.at = i + 1;
                    // Escapes are standard JSON: let serde_json decode them.
                    return serde_json::from_str(&self.text[start..=i])
                        .map_err(|e| ValueError::custom(e.to_string()));
                }
                _ => i += 1,
            }
        }
        Err(self.error("unterminated string"))
    }

    fn number(&mut self) -> Result<Py, ValueError> {
        let rest = &self.text[self.at..];
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
            .unwrap_or(rest.len());
        let token = &rest[..len];
        let parsed = if let Ok(n) = token.parse::<i64>() {
            Py::Signed(n)
        } else if let Ok(n) = token.parse::<u64>() {
            Py::Unsigned(n)
        } else if let Ok(f) = token.parse::<f64>() {
            Py::Float(f)
        } else {
            return Err(self.error("invalid value"));
        };
        self.at += len;
        Ok(parsed)
    }

    fn array(&mut self, depth: usize) -> Result<Py, ValueError> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.eat("]") {
            return Ok(Py::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_space();
            if self.eat("]") {
                return Ok(Py::Array(items));
            }
            if !self.eat(",") {
                return Err(self.error("expected `,` or `]`"));
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Py, ValueError> {
        self.at += 1;
        let mut entries = Vec::new();
        self.skip_space();
        if self.eat("}") {
            return Ok(Py::Object(entries));
        }
        loop {
            self.skip_space();
            if !self.text[self.at..].starts_with('"') {
                return Err(self.error("expected a string key"));
            }
            let key = self.string()?;
            self.skip_space();
            if !self.eat(":") {
                return Err(self.error("expected `:`"));
            }
            entries.push((key, self.value(depth + 1)?));
            self.skip_space();
            if self.eat("}") {
                return Ok(Py::Object(entries));
            }
            if !self.eat(",") {
                return Err(self.error("expected `,` or `}`"));
            }
        }
    }
}

impl<'de> serde::Deserializer<'de> for Py {
    type Error = ValueError;

    fn deserialize_any<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, ValueError> {
        match self {
            Py::Null => visitor.visit_unit(),
            Py::Bool(b) => visitor.visit_bool(b),
            Py::Signed(n) => visitor.visit_i64(n),
            Py::Unsigned(n) => visitor.visit_u64(n),
            Py::Float(f) => visitor.visit_f64(f),
            Py::Str(s) => visitor.visit_string(s),
            Py::Array(items) => visitor.visit_seq(SeqDeserializer::new(items.into_iter())),
            Py::Object(entries) => visitor.visit_map(MapDeserializer::new(entries.into_iter())),
        }
    }

    fn deserialize_option<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, ValueError> {
        match self {
            Py::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

impl IntoDeserializer<'_, ValueError> for Py {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// Whether `raw` may hold one of Python's non-standard tokens outside a string.
pub(super) fn may_be_python(raw: &[u8]) -> bool {
    raw.windows(3).any(|w| w == b"NaN") || raw.windows(8).any(|w| w == b"Infinity")
}

/// Parses Python's JSON dialect into `V`.
pub(super) fn from_slice<V: DeserializeOwned>(raw: &[u8]) -> Result<V, ValueError> {
    let text = std::str::from_utf8(raw).map_err(ValueError::custom)?;
    let mut parser = Parser { text, at: 0 };
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.at != text.len() {
        return Err(parser.error("trailing characters"));
    }
    V::deserialize(value)
}
