//! When a dict checks its backend for changes.

use std::time::Duration;

/// When a dict checks its backend's marker and syncs.
///
/// Whatever the policy, a sync after a change costs work proportional to the change when
/// the backend supports deltas, and a dict's own writes patch its copy without a reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyncPolicy {
    /// One marker check on every read, like Python's `autosync=True`: always fresh, one
    /// round trip per read.
    EveryRead,
    /// Only [`DurableDict::sync`](crate::DurableDict::sync) syncs, like `autosync=False`.
    Manual,
    /// Reads check the marker when the last check is older than this; reads in between
    /// are local.
    MaxStaleness(Duration),
    /// A background task checks the marker at this interval; reads are always local.
    Background(Duration),
    /// The backend's server pushes change hints and a background task syncs on each one;
    /// reads are always local. The marker is still verified at `verify_every`, because hints
    /// can be lost; a backend without pushes is simply polled at that interval.
    Push {
        /// Safety interval for a marker check even without hints.
        verify_every: Duration,
    },
}

impl Default for SyncPolicy {
    /// [`SyncPolicy::EveryRead`], Python's default.
    fn default() -> Self {
        Self::EveryRead
    }
}
