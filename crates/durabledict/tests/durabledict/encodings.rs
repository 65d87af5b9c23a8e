//! Encodings against the exact bytes Python durabledict 0.9.4 wrote into Redis (Python
//! 2.7, 3.8 and 3.11; JSON and pickle), from the shared vectors file.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use durabledict::{Encoding, Fallback, Json, RawBytes};
use serde_json::Value;

struct Vector {
    python: String,
    encoding: String,
    field: String,
    value: Value,
    raw: Vec<u8>,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("../data/durabledict_vectors.json");
    let file: Value = serde_json::from_str(text).expect("vectors parse");
    let mut out = Vec::new();
    for run in file["runs"].as_array().expect("runs") {
        for vector in run["vectors"].as_array().expect("vectors") {
            out.push(Vector {
                python: run["python"].as_str().expect("python").to_owned(),
                encoding: run["encoding"].as_str().expect("encoding").to_owned(),
                field: vector["field"].as_str().expect("field").to_owned(),
                value: vector["value"].clone(),
                raw: STANDARD
                    .decode(vector["raw_b64"].as_str().expect("raw"))
                    .expect("b64"),
            });
        }
    }
    out
}

/// The special forms the generator used for values JSON cannot hold.
fn special(value: &Value) -> Option<(&str, &str)> {
    let object = value.as_object()?;
    let (tag, inner) = object.iter().next()?;
    tag.starts_with('$')
        .then(|| (tag.as_str(), inner.as_str().unwrap_or_default()))
}

/// A Python 3 `bytes` value.
struct PyBytes(Vec<u8>);

impl<'de> serde::Deserialize<'de> for PyBytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = PyBytes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<PyBytes, E> {
                Ok(PyBytes(v.to_vec()))
            }
        }
        deserializer.deserialize_bytes(Visitor)
    }
}

impl serde::Serialize for PyBytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

fn check<E: Encoding<Value> + Encoding<f64> + Encoding<PyBytes>>(encoding: &E, v: &Vector) {
    let what = format!("python {} {} {}", v.python, v.encoding, v.field);
    match special(&v.value) {
        None => {
            let decoded: Value = encoding
                .decode(&v.raw)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(decoded, v.value, "{what}");
            // Our own bytes decode back to the same value.
            let again: Value = encoding
                .decode(&Encoding::<Value>::encode(encoding, &decoded).expect("encode"))
                .expect("decode own");
            assert_eq!(again, v.value, "{what} (re-encoded)");
        }
        Some(("$bigint", _)) if v.encoding == "pickle" => {
            // Beyond 64 bits: refused with an error rather than rounded.
            let result: Result<f64, _> = encoding.decode(&v.raw);
            assert!(result.is_err(), "{what}");
        }
        Some(("$bigint", digits)) => {
            let decoded: f64 = encoding
                .decode(&v.raw)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(decoded, digits.parse::<f64>().expect("digits"), "{what}");
        }
        Some(("$float", kind)) => {
            // Pickle stores the IEEE value; JSON has Python's bare NaN/Infinity tokens.
            let decoded: f64 = encoding
                .decode(&v.raw)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            match kind {
                "nan" => assert!(decoded.is_nan(), "{what}"),
                _ => assert_eq!(decoded, f64::INFINITY, "{what}"),
            }
        }
        Some(("$datetime", _)) => {
            // A class reference (GLOBAL + REDUCE): refused, nothing is executed.
            let result: Result<Value, _> = encoding.decode(&v.raw);
            let error = result.expect_err(&what);
            assert_eq!(error.encoding(), "pickle");
        }
        Some(("$bytes_b64", b64)) => {
            let decoded: PyBytes = encoding
                .decode(&v.raw)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(decoded.0, STANDARD.decode(b64).expect("b64"), "{what}");
        }
        Some((tag, _)) => panic!("{what}: unknown special form {tag}"),
    }
}

#[test]
fn json_reads_every_python_json_vector() {
    let all: Vec<_> = vectors()
        .into_iter()
        .filter(|v| v.encoding == "json")
        .collect();
    assert_eq!(all.len(), 61);
    for v in &all {
        check(&Json, v);
    }
}

#[test]
fn pickle_reads_protocol_2_and_5_vectors_and_executes_nothing() {
    let all: Vec<_> = vectors()
        .into_iter()
        .filter(|v| v.encoding == "pickle")
        .collect();
    assert_eq!(all.len(), 44);
    for v in &all {
        check(&durabledict::Pickle, v);
    }
}

#[test]
fn pickle_writes_protocol_2_wrapped_like_encodestring() {
    let raw = Encoding::<i64>::encode(&durabledict::Pickle, &42).expect("encode");
    // Base64 of a protocol 2 pickle (80 02 ... 2E) plus the trailing newline.
    assert!(raw.starts_with(b"gAJ") && raw.ends_with(b"=\n"), "{raw:?}");
    assert_eq!(
        Encoding::<i64>::decode(&durabledict::Pickle, &raw).expect("decode"),
        42
    );
    let long = "x".repeat(100);
    let raw = Encoding::<String>::encode(&durabledict::Pickle, &long).expect("encode");
    let text = std::str::from_utf8(&raw).expect("ascii");
    let lines: Vec<_> = text.split_terminator('\n').collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].len(), 76);
    assert!(text.ends_with('\n'));
    let pickled = STANDARD.decode(text.replace('\n', "")).expect("b64");
    assert_eq!(&pickled[..2], b"\x80\x02", "protocol 2 header");
}

#[test]
fn fallback_reads_either_encoding_and_writes_the_first() {
    let migrate = Fallback(Json, durabledict::Pickle);
    let from_pickle: Value = migrate.decode(b"gAJLKi4=\n").expect("pickle");
    assert_eq!(from_pickle, Value::from(42));
    let from_json: Value = migrate.decode(b"[1, 2]").expect("json");
    assert_eq!(from_json, serde_json::json!([1, 2]));
    assert_eq!(
        Encoding::<Value>::encode(&migrate, &Value::from(7)).expect("encode"),
        b"7"
    );
    let garbage: Result<Value, _> = migrate.decode(b"\xff\xfe");
    assert!(garbage.is_err());
}

#[test]
fn raw_bytes_are_stored_as_given() {
    let bytes = vec![0u8, 255, 10];
    assert_eq!(RawBytes.encode(&bytes).expect("encode"), bytes);
    assert_eq!(RawBytes.decode(&bytes).expect("decode"), bytes);
}

#[cfg(feature = "encryption")]
#[tokio::test]
async fn encrypted_values_hold_no_plaintext_and_need_the_key() {
    use durabledict::{Backend, DurableDict, Encrypted, Error, MemoryBackend};
    use encryption::Key;

    let store = MemoryBackend::new();
    let key = Key::generate().expect("key");
    let same_key: Key = key.to_printable().parse().expect("printable key");
    let d: DurableDict<Value, _> = DurableDict::builder(store.clone())
        .encoding(Encrypted::new(Json, key))
        .build()
        .await
        .expect("dict");
    d.insert("password", Value::from("hunter2"))
        .await
        .expect("insert");
    let stored = store.get("password").await.expect("get").expect("stored");
    assert!(
        !stored.windows(7).any(|w| w == b"hunter2"),
        "plaintext reached the store"
    );

    let reader: DurableDict<Value, _> = DurableDict::builder(store.clone())
        .encoding(Encrypted::new(Json, same_key))
        .build()
        .await
        .expect("dict");
    assert_eq!(
        reader.get("password").await.expect("get").as_deref(),
        Some(&Value::from("hunter2"))
    );

    let stranger: DurableDict<Value, _> = DurableDict::builder(store)
        .encoding(Encrypted::new(Json, Key::generate().expect("key")))
        .build()
        .await
        .expect("dict");
    match stranger.get("password").await {
        Err(Error::Decode { key, .. }) => assert_eq!(key, "password"),
        other => panic!("a wrong key must be a decode error, got {other:?}"),
    }
}

#[test]
fn json_reads_python_non_finite_floats_inside_documents() {
    let raw = br#"{"a": [NaN, Infinity, -Infinity, 1.5], "s": "NaN stays a string", "n": null}"#;
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Doc {
        a: Vec<f64>,
        s: String,
        n: Option<u8>,
    }
    let doc: Doc = Json.decode(raw).expect("python json");
    assert!(doc.a[0].is_nan());
    assert_eq!(doc.a[1..], [f64::INFINITY, f64::NEG_INFINITY, 1.5]);
    assert_eq!(doc.s, "NaN stays a string");
    assert_eq!(doc.n, None);
    let broken: Result<Value, _> = Json.decode(br#"{"a": NaN"#);
    assert!(broken.is_err());
    let deep = format!("{}NaN{}", "[".repeat(500), "]".repeat(500));
    let too_deep: Result<Value, _> = Json.decode(deep.as_bytes());
    assert!(too_deep.is_err(), "nesting is bounded");
}
