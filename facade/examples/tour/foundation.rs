//! The foundation: per-task instances with `registry`, sealed secrets with `encryption`.

use std::sync::Arc;

use anyhow::{Context, Result};
use opskit::encryption::{Key, Salt, Sealed, Secret};
use opskit::registry::{Registry, ScopeExt, WeakMap};

/// One "current session" per task, as dyn-python keeps one per thread, but safe under async.
pub(crate) async fn registry() -> Result<()> {
    println!("registry: current instances per task, without passing them around");
    let sessions: Registry<&'static str, String> = Registry::new();
    sessions.insert("tm", "process default".to_owned());

    let mut tasks = Vec::new();
    for customer in ["acme", "globex"] {
        let sessions = sessions.clone();
        tasks.push(opskit::registry::spawn(async move {
            sessions
                .task()?
                .insert("tm", format!("session of {customer}"));
            // Yield so the task may resume on another worker thread; its entry follows it.
            for _ in 0..100 {
                tokio::task::yield_now().await;
            }
            Ok::<_, opskit::registry::Error>(sessions.current(&"tm"))
        })?);
    }
    for task in tasks {
        let seen = task.await??.context("a task lost its session")?;
        println!("  a task sees            {seen:?}");
    }
    let here = sessions.clone();
    let overridden = async move { here.current(&"tm") }
        .with_override(
            &sessions,
            "tm",
            Arc::new("borrowed for one call".to_owned()),
        )
        .await;
    println!(
        "  an override sees       {:?}",
        overridden.as_deref().map(String::as_str).unwrap_or("none")
    );
    println!(
        "  main still sees        {:?}",
        sessions
            .current(&"tm")
            .as_deref()
            .map(String::as_str)
            .unwrap_or("none")
    );
    println!("  task entries left      {}", sessions.stats().task_scopes);

    let instances: WeakMap<String, String> = WeakMap::new();
    let first = instances.get_or_insert_with("/1.0/instances/web".into(), || "web".into());
    let second = instances.get_or_insert_with("/1.0/instances/web".into(), || "a copy".into());
    println!("  same URL, same object  {}", Arc::ptr_eq(&first, &second));
    drop((first, second));
    println!(
        "  kept alive by the map  {}",
        instances.get(&"/1.0/instances/web".to_owned()).is_some()
    );
    Ok(())
}

/// Passwords held sealed in memory and stored under a passphrase-derived key.
pub(crate) fn encryption() -> Result<()> {
    println!("\nencryption: secrets that never print and cannot be altered unnoticed");
    let password = Secret::new("hunter2")?;
    println!("  Debug of a secret      {password:?}");

    let salt = Salt::generate()?;
    let key = Key::from_passphrase("correct horse battery staple", &salt)?;
    let sealed = password.seal_for(&key)?;
    let stored = serde_json::to_string(&sealed)?;
    println!(
        "  stored form            {}…",
        &stored[..stored.len().min(60)]
    );

    let restored: Sealed = serde_json::from_str(&stored)?;
    let matches = restored.open_string(&key)?.as_str() == "hunter2";
    println!("  opened, equals input   {matches}");
    let mut tampered = restored.to_bytes();
    if let Some(last) = tampered.last_mut() {
        *last ^= 1;
    }
    let verdict = Sealed::from_bytes(&tampered).and_then(|sealed| sealed.open(&key).map(|_| ()));
    println!(
        "  one flipped bit        {}",
        verdict
            .err()
            .map(|e| e.to_string())
            .unwrap_or_else(|| "accepted?!".into())
    );
    let other = Key::generate()?;
    println!(
        "  another key            {}",
        restored
            .open(&other)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    );
    Ok(())
}
