//! One connection manager per device: resolution of class, path and alias, and the lifecycle.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::classes::Classes;
use crate::connection::ConnectContext;
use crate::handle::{ConnectionHandle, Target};
use crate::options::ConnectOptions;
use crate::pool::Pool;
use crate::testbed::{CredentialChain, Credentials, DeviceSpec};
use crate::{Error, Result};

/// The alias that means "whatever the default alias is".
pub const DEFAULT_ALIAS: &str = "default";

/// Connections of one device by alias, with the default-alias pointer (pyATS `ConnectionManager`).
#[derive(Debug)]
pub struct ConnectionManager {
    spec: Arc<DeviceSpec>,
    testbed_credentials: Credentials,
    classes: Classes,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    entries: BTreeMap<String, ConnectionHandle>,
    default_alias: String,
}

/// Aliases must be identifiers (pyATS accepts anything, then cannot reach it as an attribute).
pub(crate) fn validate_alias(alias: &str) -> Result<()> {
    let mut chars = alias.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        return Err(Error::InvalidAlias {
            alias: alias.into(),
            reason: "must match [A-Za-z_][A-Za-z0-9_]*",
        });
    }
    Ok(())
}

impl ConnectionManager {
    pub(crate) fn new(
        spec: Arc<DeviceSpec>,
        testbed_credentials: Credentials,
        classes: Classes,
    ) -> Self {
        let default_alias = spec
            .defaults
            .alias
            .clone()
            .unwrap_or_else(|| DEFAULT_ALIAS.to_owned());
        ConnectionManager {
            spec,
            testbed_credentials,
            classes,
            state: Mutex::new(State {
                entries: BTreeMap::new(),
                default_alias,
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // No code panics while holding this lock, so poisoning cannot happen; recover anyway.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current default alias.
    pub fn default_alias(&self) -> String {
        self.state().default_alias.clone()
    }

    /// Points the default alias elsewhere (the alias need not exist yet, as in pyATS).
    pub fn set_default_alias(&self, alias: &str) -> Result<()> {
        validate_alias(alias)?;
        self.state().default_alias = alias.to_owned();
        Ok(())
    }

    /// Registered aliases, sorted.
    pub fn aliases(&self) -> Vec<String> {
        self.state().entries.keys().cloned().collect()
    }

    /// `default` resolves to the default alias; everything else is itself.
    pub(crate) fn resolve_alias(&self, alias: Option<&str>) -> String {
        match alias {
            None | Some(DEFAULT_ALIAS) => self.default_alias(),
            Some(a) => a.to_owned(),
        }
    }

    /// The connection under `alias` (`None` or `default`: the default one).
    pub fn get(&self, alias: Option<&str>) -> Result<ConnectionHandle> {
        let alias = self.resolve_alias(alias);
        self.state()
            .entries
            .get(&alias)
            .cloned()
            .ok_or_else(|| Error::UnknownAlias {
                device: self.spec.name.clone(),
                alias,
            })
    }

    /// Builds the connection (or pool) and registers it, without connecting.
    pub fn instantiate(&self, options: &ConnectOptions) -> Result<ConnectionHandle> {
        let spec = &self.spec;
        let via = options
            .via
            .clone()
            .or_else(|| spec.defaults.via.clone())
            .or_else(|| {
                (spec.connections.len() == 1)
                    .then(|| spec.connections.keys().next().cloned())
                    .flatten()
            });
        let path = match &via {
            Some(v) => Some(
                spec.connections
                    .get(v)
                    .cloned()
                    .ok_or_else(|| Error::UnknownVia {
                        device: spec.name.clone(),
                        via: v.clone(),
                        defined: spec.connections.keys().cloned().collect(),
                    })?,
            ),
            None => None,
        };
        let class = options
            .class
            .clone()
            .or_else(|| path.as_ref().and_then(|p| p.class.clone()))
            .or_else(|| spec.defaults.class.clone())
            .unwrap_or_else(|| self.classes.default_class().to_owned());
        let factory = self.classes.factory(&class)?;
        // pyATS: the class's own default alias beats `defaults.alias`.
        let alias = match options.alias.as_deref() {
            Some(DEFAULT_ALIAS) => self.default_alias(),
            Some(a) => a.to_owned(),
            None => factory
                .get()
                .default_alias()
                .map(str::to_owned)
                .or_else(|| spec.defaults.alias.clone())
                .unwrap_or_else(|| DEFAULT_ALIAS.to_owned()),
        };
        validate_alias(&alias)?;

        if let Some(existing) = self.state().entries.get(&alias).cloned() {
            let same = existing.via == via && existing.class == class;
            if existing.is_connected() {
                if !same {
                    let describe = |v: &Option<String>, c: &str| {
                        format!("{} ({c})", v.as_deref().unwrap_or("-"))
                    };
                    return Err(Error::AliasInUse {
                        device: spec.name.clone(),
                        alias,
                        current: describe(&existing.via, &existing.class),
                        requested: describe(&via, &class),
                    });
                }
                return Ok(existing);
            }
            // pyATS: a plain connection is reused even when a pool is asked for.
            if same
                && (options.pool_size == 0 || existing.pool_size().is_none())
                && options.args.is_empty()
            {
                return Ok(existing);
            }
        }

        let credentials = CredentialChain::new(vec![
            path.as_ref()
                .map(|p| p.credentials.clone())
                .unwrap_or_default(),
            spec.credentials.clone(),
            self.testbed_credentials.clone(),
        ]);
        let context = |alias: String| ConnectContext {
            device: spec.name.clone(),
            os: spec.os.clone(),
            alias,
            via: via.clone(),
            path: path.clone(),
            credentials: credentials.clone(),
            args: options.args.clone(),
        };
        let target = if options.pool_size > 0 {
            let workers = (1..=options.pool_size)
                .map(|i| factory.get().create(context(format!("{alias}-{i}"))))
                .collect::<Result<Vec<_>>>()?;
            Target::Pool(Arc::new(Pool::new(
                alias.clone(),
                workers,
                options.pool_timeout,
            )))
        } else {
            Target::Single(factory.get().create(context(alias.clone()))?)
        };
        let handle = ConnectionHandle {
            alias: alias.clone(),
            via,
            class,
            target,
        };
        let mut state = self.state();
        state.entries.insert(alias.clone(), handle.clone());
        if options.alias.is_none() {
            // pyATS: the last connection made without an alias becomes the default.
            state.default_alias = alias;
        }
        Ok(handle)
    }

    /// Instantiates if needed, then connects. A failed connect leaves the alias registered (pyATS).
    pub async fn connect(&self, options: &ConnectOptions) -> Result<ConnectionHandle> {
        let handle = self.instantiate(options)?;
        handle.connect().await?;
        Ok(handle)
    }

    /// Disconnects `alias` (`None`: the default); it stays registered.
    pub async fn disconnect(&self, alias: Option<&str>) -> Result<()> {
        self.get(alias)?.disconnect().await
    }

    /// Disconnects and unregisters `alias`; it is removed even if disconnecting failed.
    pub async fn destroy(&self, alias: Option<&str>) -> Result<()> {
        let handle = self.get(alias)?;
        let result = handle.disconnect().await;
        let mut state = self.state();
        if state
            .entries
            .get(&handle.alias)
            .is_some_and(|h| h.same_connection(&handle))
        {
            state.entries.remove(&handle.alias);
        }
        result
    }

    /// Whether `alias` is registered and connected; `false` for unknown aliases (pyATS).
    pub fn is_connected(&self, alias: Option<&str>) -> bool {
        self.get(alias).is_ok_and(|h| h.is_connected())
    }

    /// Disconnects every connection, keeping them registered; reports every failure.
    pub async fn disconnect_all(&self) -> Result<()> {
        let handles: Vec<_> = self.state().entries.values().cloned().collect();
        let mut failures = Vec::new();
        for handle in handles {
            if let Err(e) = handle.disconnect().await {
                failures.push((handle.alias.clone(), e));
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(Error::Several(failures))
        }
    }

    /// Destroys every connection; the manager is empty afterwards even if some failed.
    pub async fn destroy_all(&self) -> Result<()> {
        let result = self.disconnect_all().await;
        self.state().entries.clear();
        result
    }
}
