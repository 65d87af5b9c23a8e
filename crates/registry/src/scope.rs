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
