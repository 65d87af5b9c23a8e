//! AES-256-GCM with an explicit nonce: the one place that touches the AEAD.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};

use crate::key::KEY_LEN;

/// Length of an AES-GCM nonce in bytes (96 bits, the size GCM is designed for).
pub(crate) const NONCE_LEN: usize = 12;

/// Length of the authentication tag appended to every ciphertext.
pub(crate) const TAG_LEN: usize = 16;

/// The AEAD refused to seal (plaintext over GCM's length limit) or to open (tag mismatch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AeadFailure;

/// Encrypts `plaintext`, authenticating `aad` too; returns `ciphertext || tag`.
///
/// The caller guarantees the nonce is never reused with the same key ([`crate::Sealed`] draws
/// a fresh random one per call).
pub(crate) fn seal(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    plaintext: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, AeadFailure> {
    // With the `zeroize` feature the cipher wipes its round keys when dropped.
    Aes256Gcm::new(key.into())
        .encrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| AeadFailure)
}

/// Verifies the tag over `ciphertext_and_tag` and `aad`, then decrypts. On any mismatch no
/// plaintext is released.
pub(crate) fn open(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    ciphertext_and_tag: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, AeadFailure> {
    Aes256Gcm::new(key.into())
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext_and_tag,
                aad,
            },
        )
        .map_err(|_| AeadFailure)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One line of `tests/data/wycheproof_aes256_gcm.txt`.
    struct Vector {
        tc_id: u32,
        valid: bool,
        key: [u8; KEY_LEN],
        nonce: [u8; NONCE_LEN],
        aad: Vec<u8>,
        msg: Vec<u8>,
        ct_and_tag: Vec<u8>,
    }

    fn hex_field(field: &str) -> Vec<u8> {
        if field == "-" {
            Vec::new()
        } else {
            hex::decode(field).expect("vector file holds valid hex")
        }
    }

    fn vectors() -> Vec<Vector> {
        include_str!("../tests/data/wycheproof_aes256_gcm.txt")
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .map(|line| {
                let fields: Vec<&str> = line.split(' ').collect();
                assert_eq!(fields.len(), 8, "malformed vector line: {line}");
                let mut ct_and_tag = hex_field(fields[6]);
                ct_and_tag.extend(hex_field(fields[7]));
                Vector {
                    tc_id: fields[0].parse().expect("numeric tc_id"),
                    valid: match fields[1] {
                        "valid" => true,
                        "invalid" => false,
                        other => panic!("unknown result {other}"),
                    },
                    key: hex_field(fields[2]).try_into().expect("32-byte key"),
                    nonce: hex_field(fields[3]).try_into().expect("12-byte nonce"),
                    aad: hex_field(fields[4]),
                    msg: hex_field(fields[5]),
                    ct_and_tag,
                }
            })
            .collect()
    }

    #[test]
    fn wycheproof_vectors() {
        let vectors = vectors();
        // The file holds every 256-bit-key, 96-bit-nonce vector of the source (39 valid, 27
        // invalid); a truncated copy must not pass quietly.
        assert_eq!(vectors.len(), 66);
        assert_eq!(vectors.iter().filter(|v| v.valid).count(), 39);
        for v in &vectors {
            let opened = open(&v.key, &v.nonce, &v.ct_and_tag, &v.aad);
            if v.valid {
                let sealed = seal(&v.key, &v.nonce, &v.msg, &v.aad).expect("seal");
                assert_eq!(sealed, v.ct_and_tag, "tc {} seal", v.tc_id);
                assert_eq!(opened, Ok(v.msg.clone()), "tc {} open", v.tc_id);
            } else {
                assert_eq!(opened, Err(AeadFailure), "tc {} must be rejected", v.tc_id);
            }
        }
    }

    /// Test case 14 of McGrew and Viega, "The Galois/Counter Mode of Operation" (the NIST
    /// GCM submission): all-zero key, nonce and one-block plaintext.
    #[test]
    fn gcm_spec_test_case_14() {
        let ct_and_tag = seal(&[0; KEY_LEN], &[0; NONCE_LEN], &[0; 16], &[]).expect("seal");
        assert_eq!(
            hex::encode(ct_and_tag),
            "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"
        );
    }

    #[test]
    fn short_input_is_rejected_not_panicking() {
        for len in 0..TAG_LEN {
            assert_eq!(
                open(&[0; KEY_LEN], &[0; NONCE_LEN], &vec![0; len], &[]),
                Err(AeadFailure)
            );
        }
    }
}
