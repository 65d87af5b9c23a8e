//! Values exchanged between a dict and its backend.

use futures_util::stream::BoxStream;

/// A backend's change marker: Python's `last_updated` counter plus an epoch.
///
/// Any difference from the marker a dict last synced at means "changed" (not only a
/// larger number), so a counter that was deleted, reset or went back still leads to a
/// reload. The epoch changes when a backend's counter starts over (0 when the layout has
/// no epoch, as in the Python Redis layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Marker {
    /// Bumped by one for every change.
    pub version: u64,
    /// Identifies one continuous history of `version`.
    pub epoch: u64,
}

impl Marker {
    /// A marker with epoch 0.
    pub const fn new(version: u64) -> Self {
        Self { version, epoch: 0 }
    }

    /// Whether `next` is exactly one change after `self`.
    pub fn is_next(&self, next: &Marker) -> bool {
        self.epoch == next.epoch && self.version.checked_add(1) == Some(next.version)
    }
}

/// Every entry of a store at one marker.
#[derive(Debug, Clone, Default)]
pub struct RawSnapshot {
    /// The marker these entries correspond to.
    pub marker: Marker,
    /// Key and stored bytes.
    pub entries: Vec<(String, Vec<u8>)>,
}

/// What changed since a marker.
#[derive(Debug, Clone)]
pub enum Delta {
    /// Everything, to replace the local copy.
    Full(RawSnapshot),
    /// Only these keys changed.
    Changes {
        /// The marker after the changes.
        marker: Marker,
        /// Keys written, with their new bytes.
        upserts: Vec<(String, Vec<u8>)>,
        /// Keys deleted.
        deletes: Vec<String>,
    },
}

/// The result of [`Backend::compare_and_set`](crate::Backend::compare_and_set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CasOutcome {
    /// The write happened; the marker after it (`None` if it changed nothing).
    Swapped(Option<Marker>),
    /// The stored value differed; here it is.
    Mismatch(Option<Vec<u8>>),
}

/// A change hint pushed by a server.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Invalidation {
    /// Something changed; check the marker.
    Changed,
    /// These keys changed.
    Keys(Vec<String>),
    /// Hints may have been missed (reconnect, session event): resync fully.
    Lost,
}

/// The stream returned by [`Backend::invalidations`](crate::Backend::invalidations).
pub type Invalidations = BoxStream<'static, Invalidation>;
