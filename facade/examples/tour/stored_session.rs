//! The DynECT session kept in a durabledict on an embedded SQLite file, password and token
//! sealed, and picked up again the way a second process would: from the file and the key alone.

use anyhow::{Context, Result};
use opskit::durabledict::{DurableDict, SqliteBackend};
use opskit::dyn_tm::DynectSession;
use opskit::session_core::{DynTm, SessionState, TmSession};

use crate::dns::Dns;

pub(crate) async fn tour(dns: &Dns) -> Result<()> {
    println!("\ndurabledict: the session stored in SQLite, restored without logging in again");
    let dir = std::env::temp_dir().join(format!("opskit-tour-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("sessions.sqlite");

    let sessions: DurableDict<SessionState> =
        DurableDict::builder(SqliteBackend::open(&file, "sessions").await?)
            .build()
            .await?;
    sessions
        .insert("acme/alice", dns.session.raw().to_state()?)
        .await?;
    drop(sessions);
    let bytes = std::fs::read(&file)?;
    let leaked = bytes
        .windows(dyn_sim::DEFAULT_PASSWORD.len())
        .any(|w| w == dyn_sim::DEFAULT_PASSWORD.as_bytes());
    println!(
        "  password in the file   {}",
        if leaked { "yes?!" } else { "no (sealed)" }
    );

    // A second process has only the file and the key.
    let logins_before = logins(dns);
    let reopened: DurableDict<SessionState> =
        DurableDict::builder(SqliteBackend::open(&file, "sessions").await?)
            .build()
            .await?;
    let state = reopened
        .get("acme/alice")
        .await?
        .context("the stored session is missing")?;
    let restored = DynectSession::from_session(TmSession::restore_detached(
        DynTm,
        (*state).clone(),
        dns.key.clone(),
    )?);
    let zones = restored.zones().list().await?;
    println!("  restored session sees  {} zone(s)", zones.len());
    println!("  logins meanwhile       {}", logins(dns) - logins_before);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn logins(dns: &Dns) -> usize {
    dns.simulator
        .requests()
        .iter()
        .filter(|request| {
            request.method == "POST" && request.path.trim_end_matches('/') == "/REST/Session"
        })
        .count()
}
