//! Every altered byte (and bit) of a sealed value is detected with a typed error.

use encryption::{Error, Key, Sealed};

const AAD: &[u8] = b"account/alice";

fn sealed_bytes(key: &Key) -> Vec<u8> {
    Sealed::seal_with_aad(key, b"correct horse battery staple", AAD)
        .expect("seal")
        .to_bytes()
}

/// Parses and opens a possibly altered blob; `Ok` would mean the tampering went unnoticed.
fn open(key: &Key, bytes: &[u8]) -> Result<(), Error> {
    Sealed::from_bytes(bytes)?.open_with_aad(key, AAD).map(drop)
}

#[test]
fn flipping_any_byte_fails() {
    let key = Key::generate().expect("os rng");
    let good = sealed_bytes(&key);
    assert_eq!(open(&key, &good), Ok(()));
    for index in 0..good.len() {
        let mut bad = good.clone();
        bad[index] ^= 0xff;
        let err = open(&key, &bad).expect_err(&format!("byte {index} flipped"));
        // Which error depends on where the byte sits: the header, or the authenticated rest.
        let expected = match index {
            0 => matches!(err, Error::UnsupportedVersion(_)),
            1..=8 => matches!(err, Error::WrongKey { .. }),
            _ => err == Error::Tampered,
        };
        assert!(expected, "byte {index}: {err:?}");
    }
}

#[test]
fn flipping_any_bit_of_nonce_ciphertext_or_tag_fails() {
    let key = Key::generate().expect("os rng");
    let good = sealed_bytes(&key);
    let last = good.len() - 1;
    // First and last nonce bytes, first ciphertext byte, first and last tag bytes.
    for index in [9, 20, 21, last - 15, last] {
        for bit in 0..8 {
            let mut bad = good.clone();
            bad[index] ^= 1 << bit;
            assert_eq!(
                open(&key, &bad),
                Err(Error::Tampered),
                "byte {index} bit {bit}"
            );
        }
    }
}

#[test]
fn flipping_any_byte_of_the_serialized_form_fails() {
    let key = Key::generate().expect("os rng");
    let json = serde_json::to_string(
        &Sealed::seal_with_aad(&key, b"correct horse battery staple", AAD).expect("seal"),
    )
    .expect("serialize");
    let mut reached_open = 0;
    for index in 0..json.len() {
        for replacement in [b'A', b'0', b'"', b'_'] {
            let mut bad = json.clone().into_bytes();
            if bad[index] == replacement {
                continue;
            }
            bad[index] = replacement;
            // Either serde refuses the document or opening refuses the value; never plaintext.
            let Ok(sealed) = serde_json::from_slice::<Sealed>(&bad) else {
                continue;
            };
            reached_open += 1;
            let err = sealed
                .open_with_aad(&key, AAD)
                .expect_err(&format!("byte {index} set to {replacement}"));
            assert!(
                matches!(err, Error::Tampered | Error::WrongKey { .. }),
                "byte {index}: {err:?}"
            );
        }
    }
    // Most edits inside the base64 and hex fields still parse; those must be caught by `open`.
    assert!(
        reached_open > json.len(),
        "only {reached_open} edits reached open"
    );
}

#[test]
fn truncated_or_extended_ciphertext_fails() {
    let key = Key::generate().expect("os rng");
    let good = sealed_bytes(&key);
    let mut longer = good.clone();
    longer.push(0);
    assert_eq!(open(&key, &longer), Err(Error::Tampered));
    assert_eq!(open(&key, &good[..good.len() - 1]), Err(Error::Tampered));
}
