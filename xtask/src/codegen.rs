//! `cargo xtask codegen [--check]`: regenerates code kept in the repository from tables
//! (today: dyn-tm's record types from `crates/dyn-tm/records.json`).

mod render;

use std::fs;

use anyhow::{Context, Result, anyhow, bail};

const TABLE: &str = "crates/dyn-tm/records.json";
const OUTPUT: &str = "crates/dyn-tm/src/records/generated.rs";

pub(crate) fn run(args: &[String]) -> Result<()> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => bail!("usage: cargo xtask codegen [--check]"),
    };
    let root = crate::project_root();
    let table = fs::read_to_string(root.join(TABLE)).with_context(|| format!("reading {TABLE}"))?;
    let rendered = render::render(&table).map_err(|error| anyhow!("{TABLE}: {error}"))?;
    let output = root.join(OUTPUT);
    let current = fs::read_to_string(&output).unwrap_or_default();
    if current == rendered {
        println!("{OUTPUT} is up to date");
        return Ok(());
    }
    if check {
        bail!("{OUTPUT} is stale: run `cargo xtask codegen`");
    }
    fs::write(&output, rendered).with_context(|| format!("writing {OUTPUT}"))?;
    println!("wrote {OUTPUT}");
    Ok(())
}
