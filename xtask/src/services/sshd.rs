//! OpenSSH: nothing runs here; each SSH test starts its own `sshd` through
//! `test_support::sshd`, so `up` only makes sure the programs are installed.

use anyhow::{Result, bail};

use super::process::find_program;
use super::{Ctx, Service};

const PROGRAMS: [&str; 2] = ["sshd", "ssh-keygen"];

pub(crate) struct Sshd;

impl Service for Sshd {
    fn name(&self) -> &'static str {
        "sshd"
    }

    fn endpoint(&self, _ctx: &Ctx) -> String {
        "(one per test, via test_support::sshd)".to_owned()
    }

    fn env_var(&self, _ctx: &Ctx) -> Option<(&'static str, String)> {
        None
    }

    fn up(&self, ctx: &Ctx) -> Result<()> {
        self.check(ctx)?;
        ctx.progress.step(
            "sshd",
            "sshd and ssh-keygen installed (each test starts its own sshd)",
        );
        Ok(())
    }

    fn down(&self, _ctx: &Ctx) -> Result<()> {
        Ok(())
    }

    fn check(&self, _ctx: &Ctx) -> Result<()> {
        let missing: Vec<&str> = PROGRAMS
            .into_iter()
            .filter(|program| find_program(program).is_none())
            .collect();
        if !missing.is_empty() {
            bail!("not installed: {}", missing.join(", "));
        }
        Ok(())
    }
}
