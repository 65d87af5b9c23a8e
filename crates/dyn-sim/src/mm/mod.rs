//! DynECT Message Management (`/rest/json/...`): `apikey` authentication, the MM envelope and
//! one module per API area.

pub(crate) mod world;

use crate::http::{Incoming, Reply};
use crate::server::Shared;

pub(crate) fn handle(_shared: &Shared, _req: &Incoming) -> Reply {
    Reply::text(404, "Not Found")
}
