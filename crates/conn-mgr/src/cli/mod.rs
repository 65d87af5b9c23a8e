//! The prompt engine: drives a device CLI over any byte stream (modes, pager, errors, dialogs).

mod engine;
mod profile;
mod text;

pub(crate) use engine::{ByteStream, Engine};
pub(crate) use profile::Profile;
