//! Debug, Display and serialized output never contain the plaintext.

use encryption::{Key, Salt, Sealed, Secret};

/// Distinctive, so a match cannot be a coincidence.
const PLAINTEXT: &str = "Zq9-plaintext-MUST-NOT-LEAK-7Xv";

fn assert_clean(what: &str, shown: &str) {
    assert!(
        !shown.contains(PLAINTEXT),
        "{what} leaked the plaintext: {shown}"
    );
    assert!(
        !shown.contains("MUST-NOT-LEAK"),
        "{what} leaked part of the plaintext: {shown}"
    );
}

#[test]
fn sealed_output_is_masked() {
    let key = Key::generate().expect("os rng");
    let sealed = Sealed::seal(&key, PLAINTEXT.as_bytes()).expect("seal");
    assert_eq!(format!("{sealed:?}"), "Sealed(***)");
    assert_eq!(sealed.to_string(), "***");
    assert_clean("alternate Debug", &format!("{sealed:#?}"));
    assert_clean("JSON", &serde_json::to_string(&sealed).expect("serialize"));
    assert_clean("bytes", &String::from_utf8_lossy(&sealed.to_bytes()));
}

#[test]
fn secret_output_is_masked() {
    let secret = Secret::new(PLAINTEXT).expect("seal");
    assert_eq!(format!("{secret:?}"), "Secret(***)");
    assert_eq!(secret.to_string(), "***");
    assert_clean("alternate Debug", &format!("{secret:#?}"));
    // Structs that hold secrets derive Debug; the mask carries through.
    #[derive(Debug)]
    #[expect(dead_code, reason = "only Debug output is inspected")]
    struct Login {
        user: &'static str,
        password: Secret,
    }
    let login = Login {
        user: "alice",
        password: secret,
    };
    assert_clean("containing struct", &format!("{login:?}"));
}

#[test]
fn errors_do_not_reveal_material() {
    let key = Key::generate().expect("os rng");
    let printable = key.to_printable();
    let payload = printable.strip_prefix("opskit-key:v1:").expect("prefix");
    let typo = format!("opskit-key:v1:{payload}!");
    let err = typo.parse::<Key>().expect_err("typo");
    assert!(!format!("{err} {err:?}").contains(payload));

    let sealed = Sealed::seal(&key, PLAINTEXT.as_bytes()).expect("seal");
    let other = Key::generate().expect("os rng");
    let err = sealed.open(&other).expect_err("wrong key");
    assert_clean("error", &format!("{err} {err:?}"));
    assert!(!format!("{err} {err:?}").contains(payload));

    let salt = Salt::generate().expect("os rng");
    let derived = Key::from_passphrase(PLAINTEXT, &salt).expect("derive");
    assert_clean("derived key Debug", &format!("{derived:?} {derived}"));
}
