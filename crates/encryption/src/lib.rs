//! Secrets sealed in memory and at rest.
