//! `Secret`: in-memory protection with a process key, and re-sealing for storage.

use encryption::{Error, Key, Salt, Sealed, Secret};

#[test]
fn expose_returns_the_plaintext() {
    let secret = Secret::new("hunter2 – ünïcode ✓").expect("seal");
    assert_eq!(secret.expose().as_str(), "hunter2 – ünïcode ✓");
    let copy = secret.clone();
    assert_eq!(copy.expose().as_str(), "hunter2 – ünïcode ✓");
    assert_eq!(Secret::new("").expect("seal").expose().as_str(), "");
}

#[test]
fn reseal_for_storage_and_back() {
    let secret = Secret::new("hunter2").expect("seal");
    let salt = Salt::generate().expect("os rng");
    let key = Key::from_passphrase("storage passphrase", &salt).expect("derive");

    let sealed = secret.seal_for(&key).expect("reseal");
    assert_eq!(sealed.key_id(), key.id());
    let stored = serde_json::to_string(&sealed).expect("serialize");
    assert!(!stored.contains("hunter2"));

    let loaded: Sealed = serde_json::from_str(&stored).expect("deserialize");
    let again = Secret::from_sealed(&loaded, &key).expect("open");
    assert_eq!(again.expose().as_str(), "hunter2");

    let other = Key::generate().expect("os rng");
    assert!(matches!(
        Secret::from_sealed(&loaded, &other),
        Err(Error::WrongKey { .. })
    ));
}

#[test]
fn from_sealed_rejects_non_utf8() {
    let key = Key::generate().expect("os rng");
    let sealed = Sealed::seal(&key, &[0xc3, 0x28]).expect("seal");
    assert!(matches!(
        Secret::from_sealed(&sealed, &key),
        Err(Error::NotUtf8)
    ));
}

#[test]
fn secrets_from_many_threads_share_one_process_key() {
    let handles: Vec<_> = (0..8)
        .map(|i| std::thread::spawn(move || Secret::new(&format!("pw-{i}")).expect("seal")))
        .collect();
    for (i, handle) in handles.into_iter().enumerate() {
        let secret = handle.join().expect("thread");
        assert_eq!(secret.expose().as_str(), format!("pw-{i}"));
    }
}
