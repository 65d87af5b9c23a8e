//! Zone-wide IP replacement (dyn-python's `tools.change_ip` and `map_ips`), done right: the
//! changes are published, and zones without A or AAAA records are no error.

use std::net::IpAddr;

use crate::error::Result;
use crate::records::{ARdata, AaaaRdata, Rdata, Record};
use crate::session::DynectSession;
use crate::zones::{Published, Zone};

/// What an IP replacement changed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IpChange {
    /// The records after the change.
    pub changed: Vec<Record>,
    /// The publish, when anything changed and publishing was asked for.
    pub published: Option<Published>,
}

/// Replaces `from` with `to` in every A/AAAA record of `zone`, then publishes when
/// `publish` is set and something changed.
///
/// # Errors
/// [`Error::Session`](crate::Error::Session) from reading, updating or publishing.
pub async fn change_ip(
    zone: &mut Zone,
    from: IpAddr,
    to: IpAddr,
    publish: bool,
) -> Result<IpChange> {
    map_ips(zone, &[(from, to)], publish).await
}

/// Applies every `(from, to)` pair of `mapping` to the A/AAAA records of `zone` (a record is
/// changed at most once, by the first pair that matches it), then publishes when `publish`
/// is set and something changed. A pair that maps between address families is skipped.
///
/// # Errors
/// [`Error::Session`](crate::Error::Session) from reading, updating or publishing.
pub async fn map_ips(
    zone: &mut Zone,
    mapping: &[(IpAddr, IpAddr)],
    publish: bool,
) -> Result<IpChange> {
    let records = zone.records();
    let mut changed = Vec::new();
    for record in records.all(None).await? {
        let replacement = match &record.rdata {
            Rdata::A(a) => mapping.iter().find_map(|(from, to)| match (from, to) {
                (IpAddr::V4(from), IpAddr::V4(to)) if *from == a.address => {
                    Some(Rdata::from(ARdata::new(*to)))
                }
                _ => None,
            }),
            Rdata::Aaaa(aaaa) => mapping.iter().find_map(|(from, to)| match (from, to) {
                (IpAddr::V6(from), IpAddr::V6(to)) if *from == aaaa.address => {
                    Some(Rdata::from(AaaaRdata::new(*to)))
                }
                _ => None,
            }),
            _ => None,
        };
        if let Some(rdata) = replacement {
            changed.push(records.update(&record, Some(rdata), None).await?);
        }
    }
    let published = if publish && !changed.is_empty() {
        Some(zone.publish(Some("IP change")).await?)
    } else {
        None
    };
    Ok(IpChange { changed, published })
}

/// [`change_ip`] on a zone read through the current session.
///
/// # Errors
/// [`Error::NoCurrentSession`](crate::Error::NoCurrentSession), then as [`change_ip`].
pub async fn change_ip_in(zone: &str, from: IpAddr, to: IpAddr, publish: bool) -> Result<IpChange> {
    let mut zone = DynectSession::current()?.zones().get(zone).await?;
    change_ip(&mut zone, from, to, publish).await
}
