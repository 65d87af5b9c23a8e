//! Sealing and opening: round trips, wrong keys, associated data, nonces, serde.

use std::collections::HashSet;

use encryption::{Error, Key, Sealed};
use proptest::prelude::*;

fn key() -> Key {
    Key::generate().expect("os rng")
}

proptest! {
    #[test]
    fn round_trip(plaintext in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let key = key();
        let sealed = Sealed::seal(&key, &plaintext).expect("seal");
        let opened = sealed.open(&key).expect("open");
        prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
        let restored = Sealed::from_bytes(&sealed.to_bytes()).expect("parse");
        let reopened = restored.open(&key).expect("open");
        prop_assert_eq!(reopened.as_slice(), plaintext.as_slice());
    }

    #[test]
    fn round_trip_with_aad(
        plaintext in proptest::collection::vec(any::<u8>(), 0..512),
        aad in proptest::collection::vec(any::<u8>(), 0..128),
        other_aad in proptest::collection::vec(any::<u8>(), 0..128),
    ) {
        let key = key();
        let sealed = Sealed::seal_with_aad(&key, &plaintext, &aad).expect("seal");
        let json = serde_json::to_string(&sealed).expect("serialize");
        let restored: Sealed = serde_json::from_str(&json).expect("deserialize");
        let opened = restored.open_with_aad(&key, &aad).expect("open");
        prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
        if other_aad != aad {
            prop_assert_eq!(restored.open_with_aad(&key, &other_aad), Err(Error::Tampered));
        }
    }

    #[test]
    fn strings_round_trip(text in ".*") {
        let key = key();
        let sealed = Sealed::seal(&key, text.as_bytes()).expect("seal");
        let opened = sealed.open_string(&key).expect("open");
        prop_assert_eq!(opened.as_str(), text.as_str());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let key = key();
        if let Ok(sealed) = Sealed::from_bytes(&bytes) {
            prop_assert!(sealed.open(&key).is_err());
        }
    }

    #[test]
    fn arbitrary_json_never_panics(text in "\\PC*") {
        let _ = serde_json::from_str::<Sealed>(&text);
    }
}

#[test]
fn wrong_key_is_reported_by_id() {
    let key = key();
    let other = self::key();
    let sealed = Sealed::seal(&key, b"secret").expect("seal");
    assert_eq!(sealed.key_id(), key.id());
    assert_eq!(
        sealed.open(&other),
        Err(Error::WrongKey {
            sealed_with: key.id(),
            given: other.id()
        })
    );
    assert!(matches!(
        sealed.open_string(&other),
        Err(Error::WrongKey { .. })
    ));
}

#[test]
fn aad_must_match() {
    let key = key();
    let sealed = Sealed::seal_with_aad(&key, b"pw", b"account/alice").expect("seal");
    assert_eq!(sealed.open(&key), Err(Error::Tampered));
    assert_eq!(
        sealed.open_with_aad(&key, b"account/bob"),
        Err(Error::Tampered)
    );
    assert_eq!(
        sealed
            .open_with_aad(&key, b"account/alice")
            .expect("open")
            .as_slice(),
        b"pw"
    );
    let plain = Sealed::seal(&key, b"pw").expect("seal");
    assert_eq!(
        plain.open_with_aad(&key, b"account/alice"),
        Err(Error::Tampered)
    );
}

#[test]
fn non_utf8_is_an_error_for_strings() {
    let key = key();
    let sealed = Sealed::seal(&key, &[0xff, 0xfe]).expect("seal");
    assert_eq!(sealed.open_string(&key), Err(Error::NotUtf8));
    assert_eq!(
        sealed.open(&key).expect("bytes open").as_slice(),
        [0xff, 0xfe]
    );
}

#[test]
fn every_seal_uses_a_fresh_nonce() {
    let key = key();
    let mut nonces = HashSet::new();
    for _ in 0..10_000 {
        let bytes = Sealed::seal(&key, b"same plaintext")
            .expect("seal")
            .to_bytes();
        // Layout: version (1) || key id (8) || nonce (12) || ciphertext || tag.
        assert!(nonces.insert(bytes[9..21].to_vec()), "nonce repeated");
    }
}

#[test]
fn binary_layout_is_documented_one() {
    let key = key();
    let sealed = Sealed::seal(&key, b"12345").expect("seal");
    let bytes = sealed.to_bytes();
    assert_eq!(bytes.len(), 1 + 8 + 12 + 5 + 16);
    assert_eq!(bytes[0], 1);
    assert_eq!(bytes[1..9], key.id().to_bytes());
}

#[test]
fn serde_writes_only_version_key_id_nonce_and_ciphertext() {
    let key = key();
    let sealed = Sealed::seal(&key, b"pw").expect("seal");
    let value = serde_json::to_value(&sealed).expect("serialize");
    let object = value.as_object().expect("a JSON object");
    let mut fields: Vec<&str> = object.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["ciphertext", "key_id", "nonce", "version"]);
    assert_eq!(object["version"], 1);
    assert_eq!(object["key_id"], key.id().to_string());
    let restored: Sealed = serde_json::from_value(value).expect("deserialize");
    assert_eq!(restored, sealed);
}

#[test]
fn malformed_serde_input_is_an_error() {
    let key = key();
    let good = serde_json::to_value(Sealed::seal(&key, b"pw").expect("seal")).expect("json");
    let with = |field: &str, value: serde_json::Value| {
        let mut v = good.clone();
        v[field] = value;
        v
    };
    let mut missing = good.clone();
    missing.as_object_mut().expect("object").remove("nonce");
    let mut extra = good.clone();
    extra["plaintext"] = "x".into();
    let cases = [
        with("version", 2.into()),
        with("version", (-1).into()),
        with("version", "1".into()),
        with("key_id", "0011".into()),
        with("key_id", "zz00112233445566".into()),
        with("nonce", "AAAA".into()),
        with("nonce", "not base64!".into()),
        with("ciphertext", "AAAA".into()),
        with("ciphertext", "***".into()),
        with("ciphertext", 5.into()),
        missing,
        extra,
        serde_json::Value::Null,
        "a string".into(),
    ];
    for case in cases {
        assert!(
            serde_json::from_value::<Sealed>(case.clone()).is_err(),
            "{case}"
        );
    }
}

#[test]
fn malformed_binary_input_is_an_error() {
    let key = key();
    let good = Sealed::seal(&key, b"").expect("seal").to_bytes();
    assert_eq!(good.len(), 1 + 8 + 12 + 16);
    for len in 0..good.len() {
        assert!(
            Sealed::from_bytes(&good[..len]).is_err(),
            "truncated to {len}"
        );
    }
    let mut other_version = good.clone();
    other_version[0] = 2;
    assert_eq!(
        Sealed::from_bytes(&other_version),
        Err(Error::UnsupportedVersion(2))
    );
    assert_eq!(
        Sealed::from_bytes(&good)
            .expect("parse")
            .open(&key)
            .expect("open")
            .as_slice(),
        b""
    );
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Key>();
    assert_send_sync::<Sealed>();
    assert_send_sync::<encryption::Secret>();
    assert_send_sync::<encryption::Salt>();
    assert_send_sync::<encryption::KeyId>();
    assert_send_sync::<Error>();
}
