//! Benchmark area `lxd`: our client beside curl and pylxd on the same daemon.

fn main() {}
