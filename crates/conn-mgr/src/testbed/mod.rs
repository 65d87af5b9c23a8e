//! Testbed YAML: loading, markup, credentials and validation.

mod markup;
mod model;
mod pyats_enc;
mod schema;
mod sealed;
mod yaml;

use std::collections::HashMap;
use std::path::Path;

pub use model::{
    ConnectionDefaults, Credential, CredentialChain, Credentials, DeviceSpec, Host, PathSpec,
    TestbedSpec,
};
pub use pyats_enc::{PYATS_DEFAULT_KEY, pyats_decode, pyats_encode};
pub use sealed::{SEALING_KEY_VAR, seal_for_testbed};

use crate::error::TestbedError;
use crate::{Error, Result};

/// Loads testbed files; environment variables for `%ENV{}` can be overridden.
#[derive(Debug, Clone, Default)]
pub struct TestbedLoader {
    env: HashMap<String, String>,
    process_env: bool,
    sealing_key: Option<encryption::Key>,
}

impl TestbedLoader {
    /// A loader that reads `%ENV{}` from the process environment.
    pub fn new() -> Self {
        TestbedLoader {
            env: HashMap::new(),
            process_env: true,
            sealing_key: None,
        }
    }

    /// The key that opens `%SEALED{…}` values (otherwise read from [`SEALING_KEY_VAR`] when needed).
    pub fn sealing_key(mut self, key: encryption::Key) -> Self {
        self.sealing_key = Some(key);
        self
    }

    /// Sets a variable seen by `%ENV{}` (takes precedence over the process environment).
    pub fn env_var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.insert(name.into(), value.into());
        self
    }

    /// Only variables set with [`TestbedLoader::env_var`] are visible (for reproducible tests).
    pub fn without_process_env(mut self) -> Self {
        self.process_env = false;
        self
    }

    /// Reads and validates a testbed file; the testbed name defaults to the file stem.
    pub fn load(&self, path: impl AsRef<Path>) -> Result<TestbedSpec> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.display().to_string(),
            source,
        })?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.parse(&text, &file, &stem)
    }

    /// Parses testbed text; `file` names it in errors and gives the default testbed name.
    pub fn load_str(&self, text: &str, file: &str) -> Result<TestbedSpec> {
        let stem = Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.parse(text, file, &stem)
    }

    fn parse(&self, text: &str, file: &str, stem: &str) -> Result<TestbedSpec> {
        let mut warnings = Vec::new();
        let root = yaml::parse(text, &mut warnings)
            .map_err(|e| {
                Error::Testbed(TestbedError {
                    file: file.to_owned(),
                    line: e.line,
                    path: String::new(),
                    reason: e.reason,
                })
            })?
            .ok_or_else(|| {
                Error::Testbed(TestbedError {
                    file: file.to_owned(),
                    line: 0,
                    path: String::new(),
                    reason: "empty document".into(),
                })
            })?;
        let env = |name: &str| {
            self.env.get(name).cloned().or_else(|| {
                if self.process_env {
                    std::env::var(name).ok()
                } else {
                    None
                }
            })
        };
        let env_key = match &self.sealing_key {
            None if text.contains("%SEALED{") => {
                sealed::key_from(&env(SEALING_KEY_VAR)).map_err(|reason| {
                    Error::Testbed(TestbedError {
                        file: file.to_owned(),
                        line: 0,
                        path: String::new(),
                        reason,
                    })
                })?
            }
            _ => None,
        };
        let sealing_key = self.sealing_key.as_ref().or(env_key.as_ref());
        let markup = markup::Markup {
            root: &root,
            env: &env,
            sealing_key,
        };
        let mut walker = schema::Walker {
            file,
            markup,
            warnings,
        };
        walker.testbed(&root, stem)
    }
}

/// Loads a testbed file with the process environment (see [`TestbedLoader`]).
pub fn load_testbed(path: impl AsRef<Path>) -> Result<TestbedSpec> {
    TestbedLoader::new().load(path)
}
