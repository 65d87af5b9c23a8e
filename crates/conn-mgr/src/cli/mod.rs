//! The prompt engine: drives a device CLI over any byte stream (modes, pager, errors, dialogs).

mod engine;
mod process;
mod profile;
mod text;

pub(crate) use engine::{ByteStream, Engine};
pub(crate) use process::ProcessStream;
pub(crate) use profile::Profile;
