//! A dict cached in process and backed by a durable store.
//!
//! **Status: not yet implemented.** It will hold `DurableDict<V>` with sync policies (every read, manual, bounded staleness, push, polling), a backend trait with Redis, SQLite, PostgreSQL, ZooKeeper and memory backends, and JSON, pickle, raw and encrypted encodings interoperable with Python's durabledict.
//!
//! This crate compiles and documents its intended contents; it exports nothing yet,
//! so nothing here can pretend to work. Its issue and spec are listed in
//! `docs/architecture.md`.
