//! DynECT Traffic Management through the implicit current session, as dyn-python users write it,
//! against the simulator running in this process.

use anyhow::{Context, Result};
use dyn_sim::{DEFAULT_CUSTOMER, DEFAULT_PASSWORD, DEFAULT_USER, Simulator};
use opskit::dyn_tm::records::{ARdata, MxRdata, Rdata, RecordType, TxtRdata};
use opskit::dyn_tm::zones::{self, SerialStyle};
use opskit::dyn_tm::{self, DynectSession};
use opskit::encryption::Key;
use opskit::session_core::Endpoint;

/// What the next stop needs: the running simulator, the session and the key sealing its secrets.
pub(crate) struct Dns {
    pub(crate) simulator: Simulator,
    pub(crate) session: DynectSession,
    pub(crate) key: Key,
}

pub(crate) async fn tour() -> Result<Dns> {
    println!("\ndyn-tm: a zone managed through the current session (DynECT simulated in process)");
    let simulator = Simulator::start().await?;
    let key = Key::generate()?;
    // Logging in makes this the current TM session of this thread; nothing is passed around below.
    let session = DynectSession::builder(DEFAULT_CUSTOMER, DEFAULT_USER, DEFAULT_PASSWORD)
        .endpoint(Endpoint::http("127.0.0.1", simulator.port()))
        .key(key.clone())
        .log_in()
        .await?;
    println!(
        "  logged in as           {}/{}",
        session.customer(),
        session.user()
    );

    let mut zone = zones::create_zone(
        "tour.example",
        "hostmaster@tour.example",
        3600,
        SerialStyle::Increment,
    )
    .await?;
    let records = zone.records();
    records
        .add("www", ARdata::new([192, 0, 2, 10].into()))
        .await?;
    records
        .add("www", ARdata::new([192, 0, 2, 11].into()))
        .await?;
    records.add("@", MxRdata::new("mail.tour.example.")).await?;
    records.add("@", TxtRdata::new("v=spf1 -all")).await?;
    let published = zone.publish(Some("tour: first records")).await?;
    println!(
        "  published              {} at serial {}",
        zone.name(),
        published.serial
    );

    let zone = zones::get_zone("tour.example").await?;
    let www = zone.records().list("www", &RecordType::A).await?;
    let addresses: Vec<String> = www
        .iter()
        .filter_map(|record| match &record.rdata {
            Rdata::A(a) => Some(a.address.to_string()),
            _ => None,
        })
        .collect();
    println!("  www A                  {}", addresses.join(", "));
    let first = www.first().context("the simulator kept no A record")?;
    zone.records().delete(first).await?;
    let remaining = zone.records().list("www", &RecordType::A).await?.len();
    println!(
        "  deleted one A record   {remaining} left (dyn-python would drop them all before publish)"
    );
    let all = dyn_tm::zones::get_all_zones().await?;
    println!(
        "  zones of the account   {}",
        all.iter().map(|z| z.name()).collect::<Vec<_>>().join(", ")
    );
    Ok(Dns {
        simulator,
        session,
        key,
    })
}
