//! Bytes from the operating system's CSPRNG.

use crate::{Error, Result};

/// Fills `buf` from the OS random number generator (`getrandom`), never from a user-space PRNG.
pub(crate) fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|_| Error::Random)
}
