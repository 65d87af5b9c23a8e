//! The simulator's error type.

/// What can go wrong when starting or controlling the simulator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The listening socket could not be bound.
    #[error("cannot bind the simulator listener on {addr}")]
    Bind {
        /// The address that was asked for.
        addr: std::net::SocketAddr,
        /// Why binding failed.
        #[source]
        source: std::io::Error,
    },
    /// The bound socket's address could not be read.
    #[error("cannot read the simulator's local address")]
    LocalAddr(#[source] std::io::Error),
    /// The server task stopped with an I/O error.
    #[error("the simulator server stopped")]
    Serve(#[source] std::io::Error),
    /// A seed or control document was not valid.
    #[error("invalid simulator input: {0}")]
    Invalid(String),
}

/// The simulator's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
