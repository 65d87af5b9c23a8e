//! Keyed registries of shared instances and weak identity maps.
