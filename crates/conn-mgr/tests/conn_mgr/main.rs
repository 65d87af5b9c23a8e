//! conn-mgr's integration tests, one binary: the manager rules on the scripted fake class, the
//! testbed loader on inline documents and the eight real pyATS testbeds, and the CLI classes
//! against the fake router, over pipes and through a real sshd.

mod command_cli;
mod manager;
mod schema;
mod ssh_cli;
mod testbeds;
