//! What a platform's CLI looks like: prompts per mode, pager, error patterns, init commands.

use regex::Regex;

use crate::{Error, Result};

/// CLI mode, read from the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `R1>`
    Exec,
    /// `R1#`
    Enable,
    /// `R1(config…)#`
    Config,
}

#[derive(Debug, Clone)]
pub(crate) struct Profile {
    /// Matches a whole prompt line (anchored at the end of the output).
    pub(crate) prompt: Regex,
    pub(crate) pager: Regex,
    pub(crate) pager_continue: String,
    pub(crate) password_prompt: Regex,
    pub(crate) errors: Vec<Regex>,
    pub(crate) init_commands: Vec<String>,
    pub(crate) enable_command: String,
    pub(crate) config_command: String,
    pub(crate) config_exit: String,
    /// Linux-like shells have one mode and no enable.
    pub(crate) has_modes: bool,
}

fn regex(pattern: &str) -> Result<Regex> {
    Regex::new(pattern).map_err(|e| Error::Config(format!("invalid pattern '{pattern}': {e}")))
}

impl Profile {
    /// IOS-like routers (IOS, IOS-XE, NX-OS, EOS, and the fake router).
    pub(crate) fn router() -> Self {
        Profile {
            prompt: Regex::new(r"^[A-Za-z0-9_.\-/@:]+(\([A-Za-z0-9_.\-]+\))?[>#] ?$")
                .expect("static regex is valid"),
            pager: Regex::new(r" ?--More-- ?").expect("static regex is valid"),
            pager_continue: " ".into(),
            password_prompt: Regex::new(r"[Pp]assword: ?$").expect("static regex is valid"),
            errors: [
                r"^% ?Invalid input",
                r"^% ?Incomplete command",
                r"^% ?Ambiguous command",
                r"^% ?Unknown command",
            ]
            .iter()
            .map(|p| Regex::new(p).expect("static regex is valid"))
            .collect(),
            init_commands: vec!["terminal length 0".into(), "terminal width 0".into()],
            enable_command: "enable".into(),
            config_command: "configure terminal".into(),
            config_exit: "end".into(),
            has_modes: true,
        }
    }

    /// A Unix shell: prompt ending in `$` or `#`, no pager, no modes.
    pub(crate) fn linux() -> Self {
        Profile {
            prompt: Regex::new(r"[$#%>] ?$").expect("static regex is valid"),
            init_commands: Vec::new(),
            errors: Vec::new(),
            has_modes: false,
            ..Self::router()
        }
    }

    pub(crate) fn for_os(os: Option<&str>) -> Self {
        match os {
            Some("linux") => Self::linux(),
            _ => Self::router(),
        }
    }

    pub(crate) fn with_prompt(mut self, pattern: &str) -> Result<Self> {
        self.prompt = regex(pattern)?;
        Ok(self)
    }

    pub(crate) fn mode_of(&self, prompt: &str) -> Mode {
        let p = prompt.trim_end();
        if !self.has_modes {
            Mode::Enable
        } else if p.contains("(config") {
            Mode::Config
        } else if p.ends_with('>') {
            Mode::Exec
        } else {
            Mode::Enable
        }
    }
}
