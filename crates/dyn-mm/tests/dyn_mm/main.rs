//! dyn-mm against dyn-sim: every endpoint the client calls, the checks made before sending,
//! keys, retries and history, paged reports, and TM plus MM sessions side by side.

mod accounts;
mod recipients;
mod reports;
mod send;
mod senders;
mod session;
mod side_by_side;
mod support;
