//! Private test services. Filled in by the services work.

use anyhow::{Result, bail};

pub(crate) fn run(_args: &[String]) -> Result<()> {
    bail!("services are not implemented yet")
}
