//! Scope identities and the tracker that removes a scope's entries when the scope ends.

use std::sync::{Arc, Mutex, PoisonError, Weak};

/// Which scope an entry lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ScopeId {
    /// The process-wide scope of one registry.
    Global,
    /// One OS thread, by an id this crate assigns (never reused).
    Thread(u64),
    /// One tokio task, by its task id.
    #[cfg(feature = "tokio")]
    Task(tokio::task::Id),
}

/// Something holding entries of scopes: told to forget a scope when it ends.
pub(crate) trait DropScope: Send + Sync {
    /// Removes every entry of `scope`.
    fn drop_scope(&self, scope: ScopeId);
}

/// Lifetime of one thread or task scope and the registries that hold entries for it.
///
/// Registries enrol here (under their own lock) before storing the first entry of the scope;
/// [`Tracker::end`] flips `alive` and then clears every enrolled registry. Because enrolment checks
/// `alive` under this tracker's lock, no entry can be stored after the scope ended.
#[derive(Debug)]
pub(crate) struct Tracker {
    scope: ScopeId,
    state: Mutex<TrackerState>,
}

struct TrackerState {
    alive: bool,
    /// Registries with entries in this scope, by registry id.
    enrolled: Vec<(u64, Weak<dyn DropScope>)>,
}

impl std::fmt::Debug for TrackerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrackerState")
            .field("alive", &self.alive)
            .field("enrolled", &self.enrolled.len())
            .finish()
    }
}

impl Tracker {
    pub(crate) fn new(scope: ScopeId) -> Arc<Self> {
        Arc::new(Self {
            scope,
            state: Mutex::new(TrackerState {
                alive: true,
                enrolled: Vec::new(),
            }),
        })
    }

    pub(crate) fn scope(&self) -> ScopeId {
        self.scope
    }

    /// Records that `registry` holds entries of this scope; `false` if the scope already ended.
    pub(crate) fn enrol(&self, registry_id: u64, registry: Weak<dyn DropScope>) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if !state.alive {
            return false;
        }
        // Registries dropped while the scope lives would otherwise pile up here.
        state.enrolled.retain(|(_, weak)| weak.strong_count() > 0);
        if !state.enrolled.iter().any(|(id, _)| *id == registry_id) {
            state.enrolled.push((registry_id, registry));
        }
        true
    }

    /// Ends the scope: later enrolments fail and every enrolled registry forgets the scope.
    pub(crate) fn end(&self) {
        let enrolled = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.alive = false;
            std::mem::take(&mut state.enrolled)
        };
        // Outside our lock: registries take their own lock and may run values' destructors.
        for (_, registry) in enrolled {
            if let Some(registry) = registry.upgrade() {
                registry.drop_scope(self.scope);
            }
        }
    }
}

/// Hashes [`ScopeId`]s, which are a tag and a counter: `SipHash` would cost as much as the
/// lookup of the user's key, and nobody outside this crate chooses scope ids (no DoS concern).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ScopeHasher(u64);

impl std::hash::Hasher for ScopeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, word: u64) {
        // The FxHash step (rustc's hasher): rotate, mix in, multiply by an odd constant.
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_isize(&mut self, word: isize) {
        self.write_u64(word as u64);
    }

    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }
}

/// Map from scope to anything, hashed with [`ScopeHasher`].
pub(crate) type ScopeMap<T> =
    std::collections::HashMap<ScopeId, T, std::hash::BuildHasherDefault<ScopeHasher>>;

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasher, BuildHasherDefault};
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    struct Recorder(Mutex<Vec<ScopeId>>);

    impl DropScope for Recorder {
        fn drop_scope(&self, scope: ScopeId) {
            self.0.lock().expect("not poisoned").push(scope);
        }
    }

    #[test]
    fn end_clears_each_enrolled_registry_once_and_refuses_later_enrolment() {
        let tracker = Tracker::new(ScopeId::Thread(42));
        let recorder = Arc::new(Recorder::default());
        let weak = || Arc::downgrade(&recorder) as Weak<dyn DropScope>;
        assert!(tracker.enrol(1, weak()));
        assert!(tracker.enrol(1, weak()), "enrolling twice is harmless");
        tracker.end();
        assert_eq!(
            *recorder.0.lock().expect("not poisoned"),
            [ScopeId::Thread(42)]
        );
        assert!(!tracker.enrol(1, weak()));
    }

    #[test]
    fn dropped_registries_do_not_pile_up_in_a_tracker() {
        let tracker = Tracker::new(ScopeId::Thread(1));
        for id in 0..100 {
            let gone = Arc::new(Recorder::default());
            assert!(tracker.enrol(id, Arc::downgrade(&gone) as Weak<dyn DropScope>));
        }
        let enrolled = tracker.state.lock().expect("not poisoned").enrolled.len();
        assert!(enrolled <= 1, "{enrolled} dead registries kept");
    }

    #[test]
    fn scope_hasher_separates_scopes() {
        let build = BuildHasherDefault::<ScopeHasher>::default();
        let hashes: std::collections::HashSet<u64> = [ScopeId::Global]
            .into_iter()
            .chain((0..1000).map(ScopeId::Thread))
            .map(|scope| build.hash_one(scope))
            .collect();
        assert_eq!(hashes.len(), 1001);
    }
}
