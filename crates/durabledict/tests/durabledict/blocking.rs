//! The blocking facade on the real Redis, from plain threads.
