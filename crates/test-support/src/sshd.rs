//! A private OpenSSH `sshd` per test, on a loopback port of its own.
