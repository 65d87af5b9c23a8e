//! Connection classes registered by name.

use std::sync::Arc;

use crate::connection::ConnectionFactory;
use crate::{Error, Result};

/// A boxed factory, so a [`registry::Registry`] (which holds sized values) can store any class.
struct Factory(Box<dyn ConnectionFactory>);

/// A set of connection classes by name (pyATS imports `class:` strings; we look them up here).
///
/// [`Classes::with_builtins`] registers `ssh` (interactive CLI over SSH; also under `cli` and
/// `unicon.Unicon`, the pyATS default), `ssh-exec` (an exec channel per command, for Linux hosts)
/// and `local` (a local shell). Cheap to clone; clones share the registrations.
#[derive(Clone)]
pub struct Classes {
    factories: registry::Registry<String, Factory>,
    default_class: Arc<str>,
}

impl std::fmt::Debug for Classes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Classes")
            .field("registered", &self.factories.len())
            .finish()
    }
}

/// The class used when neither the call, the path nor `defaults` names one (pyATS: `unicon.Unicon`).
pub const DEFAULT_CLASS: &str = "unicon.Unicon";

impl Classes {
    /// No classes at all.
    pub fn empty() -> Self {
        Classes {
            factories: registry::Registry::new(),
            default_class: Arc::from(DEFAULT_CLASS),
        }
    }

    /// The built-in classes.
    pub fn with_builtins() -> Self {
        let classes = Self::empty();
        for name in ["ssh", "cli", DEFAULT_CLASS] {
            classes.register(name, crate::builtin::ssh_cli::SshCliClass);
        }
        classes.register("ssh-exec", crate::builtin::ssh_exec::SshExecClass);
        classes.register("local", crate::builtin::local::LocalClass);
        classes
    }

    /// Registers (or replaces) a class.
    pub fn register(&self, name: impl Into<String>, factory: impl ConnectionFactory) {
        self.factories
            .insert(name.into(), Factory(Box::new(factory)));
    }

    /// Changes the class used when nothing names one.
    pub fn set_default_class(&mut self, name: &str) {
        self.default_class = Arc::from(name);
    }

    /// The class used when nothing names one.
    pub fn default_class(&self) -> &str {
        &self.default_class
    }

    pub(crate) fn factory(&self, name: &str) -> Result<FactoryRef> {
        self.factories
            .get(&name.to_owned())
            .map(FactoryRef)
            .ok_or_else(|| Error::UnknownClass(name.to_owned()))
    }
}

/// A registered factory, kept alive while in use.
pub(crate) struct FactoryRef(Arc<Factory>);

impl FactoryRef {
    pub(crate) fn get(&self) -> &dyn ConnectionFactory {
        &*self.0.0
    }
}
