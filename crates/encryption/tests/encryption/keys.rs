//! Keys: printable form, passphrase derivation, identifiers.

use encryption::{Error, Key, Salt};

#[test]
fn printable_key_round_trips() {
    let key = Key::generate().expect("os rng");
    let printable = key.to_printable();
    assert!(printable.starts_with("opskit-key:v1:"));
    assert_eq!(printable.len(), "opskit-key:v1:".len() + 43);
    let parsed: Key = printable.parse().expect("round trip");
    assert_eq!(parsed.id(), key.id());
    assert_eq!(parsed.to_printable(), printable);
    // A trailing newline from a config file is tolerated.
    let with_newline = format!("{}\n", printable.as_str());
    assert_eq!(with_newline.parse::<Key>().expect("trimmed").id(), key.id());
}

#[test]
fn malformed_printable_keys_are_errors() {
    let good = Key::generate().expect("os rng").to_printable();
    let payload = good.strip_prefix("opskit-key:v1:").expect("prefix");
    let cases = [
        String::new(),
        payload.to_owned(),
        format!("opskit-salt:v1:{payload}"),
        format!("opskit-key:v2:{payload}"),
        format!("opskit-key:{payload}"),
        format!("opskit-key:v1:{}", &payload[..42]),
        format!("opskit-key:v1:{payload}A"),
        format!("opskit-key:v1:{payload}="),
        format!("opskit-key:v1:{}*", &payload[..42]),
        "opskit-key:v1:".to_owned(),
    ];
    for case in cases {
        let err = case.parse::<Key>().expect_err(&case);
        assert!(matches!(err, Error::MalformedKey { .. }), "{case}: {err:?}");
        // The message never echoes what was parsed (it may be a real key with a typo).
        assert!(!err.to_string().contains(payload), "{err}");
    }
}

#[test]
fn printable_salt_round_trips_and_rejects_garbage() {
    let salt = Salt::generate().expect("os rng");
    let text = salt.to_string();
    assert!(text.starts_with("opskit-salt:v1:"), "{text}");
    assert_eq!(text.parse::<Salt>().expect("round trip"), salt);
    assert_ne!(Salt::generate().expect("os rng"), salt);

    let json = serde_json::to_string(&salt).expect("serialize");
    assert_eq!(json, format!("\"{text}\""));
    assert_eq!(
        serde_json::from_str::<Salt>(&json).expect("deserialize"),
        salt
    );

    for bad in [
        "",
        "opskit-salt:v1:",
        "opskit-key:v1:AAAAAAAAAAAAAAAAAAAAAA",
        "opskit-salt:v1:AAAA",
    ] {
        assert!(
            matches!(bad.parse::<Salt>(), Err(Error::MalformedSalt { .. })),
            "{bad}"
        );
    }
    assert!(serde_json::from_str::<Salt>("\"opskit-salt:v1:AAAA\"").is_err());
    assert!(serde_json::from_str::<Salt>("17").is_err());
}

#[test]
fn passphrase_derivation_is_deterministic_per_salt() {
    let salt = Salt::generate().expect("os rng");
    let other_salt = Salt::generate().expect("os rng");
    let a = Key::from_passphrase("correct horse battery staple", &salt).expect("derive");
    let b = Key::from_passphrase("correct horse battery staple", &salt).expect("derive");
    let c = Key::from_passphrase("correct horse battery staple", &other_salt).expect("derive");
    let d = Key::from_passphrase("correct horse battery stapler", &salt).expect("derive");
    assert_eq!(a.to_printable(), b.to_printable());
    assert_eq!(a.id(), b.id());
    assert_ne!(a.to_printable(), c.to_printable());
    assert_ne!(a.id(), c.id());
    assert_ne!(a.id(), d.id());

    // A key re-derived from the stored salt opens what the first one sealed.
    let sealed = encryption::Sealed::seal(&a, b"pw").expect("seal");
    assert_eq!(sealed.open(&b).expect("open").as_slice(), b"pw");
    assert!(matches!(sealed.open(&c), Err(Error::WrongKey { .. })));
}

#[test]
fn empty_passphrase_is_refused() {
    let salt = Salt::generate().expect("os rng");
    assert_eq!(
        Key::from_passphrase("", &salt).err(),
        Some(Error::EmptyPassphrase)
    );
}

#[test]
fn key_debug_and_display_show_only_the_id() {
    let key = Key::generate().expect("os rng");
    let printable = key.to_printable();
    let payload = printable.strip_prefix("opskit-key:v1:").expect("prefix");
    let id = key.id().to_string();
    assert_eq!(id.len(), 16);
    for shown in [format!("{key:?}"), format!("{key:#?}"), key.to_string()] {
        assert!(shown.contains(&id), "{shown}");
        assert!(!shown.contains(payload), "{shown}");
    }
}
