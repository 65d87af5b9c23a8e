//! tinyproxy: nothing runs here; each proxy test starts its own through
//! `test_support::proxy`, so `up` only makes sure the program is installed.

use std::path::Path;

use anyhow::{Result, bail};

use super::{Ctx, Service};

/// Where Debian's `tinyproxy` package puts the binary; `test_support::proxy` runs this path.
pub(crate) const TINYPROXY: &str = "/usr/bin/tinyproxy";

pub(crate) struct Tinyproxy;

impl Service for Tinyproxy {
    fn name(&self) -> &'static str {
        "tinyproxy"
    }

    fn endpoint(&self, _ctx: &Ctx) -> String {
        "(one per test, via test_support::proxy)".to_owned()
    }

    fn env_var(&self, _ctx: &Ctx) -> Option<(&'static str, String)> {
        None
    }

    fn up(&self, ctx: &Ctx) -> Result<()> {
        self.check(ctx)?;
        ctx.progress.step(
            "tinyproxy",
            "tinyproxy installed (each test starts its own)",
        );
        Ok(())
    }

    fn down(&self, _ctx: &Ctx) -> Result<()> {
        Ok(())
    }

    fn check(&self, _ctx: &Ctx) -> Result<()> {
        if !Path::new(TINYPROXY).is_file() {
            bail!("not installed: {TINYPROXY}");
        }
        Ok(())
    }
}
