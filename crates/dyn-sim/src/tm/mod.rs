//! DynECT Traffic Management (`/REST/...`): the request pipeline and one module per API area.

pub(crate) mod args;
pub(crate) mod changes;
pub(crate) mod dsf;
pub(crate) mod envelope;
pub(crate) mod jobs;
pub(crate) mod names;
pub(crate) mod nodes;
pub(crate) mod objects;
pub(crate) mod permissions;
pub(crate) mod pipeline;
pub(crate) mod rdata;
pub(crate) mod records;
pub(crate) mod reports;
pub(crate) mod secondary;
pub(crate) mod services;
pub(crate) mod session;
pub(crate) mod tasks;
pub(crate) mod users;
pub(crate) mod zonefile;
pub(crate) mod zones;

use std::net::IpAddr;

use args::Args;
use envelope::{Failure, TmResult, invalid_request};

use crate::world::World;

/// The logged-in identity behind a request.
#[derive(Debug, Clone)]
pub(crate) struct Sess {
    pub(crate) token: String,
    pub(crate) customer: String,
    pub(crate) user: String,
}

/// One parsed TM request.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) method: String,
    /// The resource name as sent (`Zone`, `ARecord`, ...).
    pub(crate) resource: String,
    /// Percent-decoded path segments after the resource.
    pub(crate) parts: Vec<String>,
    pub(crate) args: Args,
    pub(crate) session: Option<Sess>,
    pub(crate) ip: IpAddr,
}

impl Call {
    pub(crate) fn part(&self, i: usize) -> Option<&str> {
        self.parts.get(i).map(String::as_str)
    }

    /// The session; the pipeline guarantees one on every resource but `POST Session`.
    pub(crate) fn sess(&self) -> Result<&Sess, Failure> {
        self.session.as_ref().ok_or_else(envelope::bad_token)
    }

    pub(crate) fn is(&self, method: &str) -> bool {
        self.method == method
    }
}

/// Routes a request to its area. `Job` is answered by the pipeline itself.
pub(crate) fn route(world: &mut World, call: &Call) -> TmResult {
    if let Some(sess) = &call.session {
        permissions::check(world, call, sess)?;
    }
    let resource = call.resource.to_ascii_lowercase();
    match resource.as_str() {
        "session" => session::handle(world, call),
        "password" => session::password(world, call),
        "userpermissionreport" => session::permission_report(world, call),
        "zone" => zones::handle(world, call),
        "zonefile" => zones::zone_file(world, call),
        "zonetransfer" => zones::zone_transfer(world, call),
        "zonechanges" => changes::zone_changes(world, call),
        "secondary" => secondary::handle(world, call),
        "apex" => zones::apex(world, call),
        "allrecord" => nodes::all_records(world, call),
        "anyrecord" => nodes::any_records(world, call),
        "nodelist" => nodes::node_list(world, call),
        "node" => nodes::delete_node(world, call),
        "task" => tasks::handle(world, call),
        "dsfnode" => objects::dsf_node(world, call),
        "user" => users::user(world, call),
        "checkpermissionreport"
        | "qpsreport"
        | "zonenotereport"
        | "dnssectimelinereport"
        | "rttmlogreport"
        | "rttmrrsetreport" => reports::handle(world, call, &resource),
        other => {
            if let Some(def) = services::find(other) {
                return services::handle(world, call, def);
            }
            if let Some(def) = objects::find(other) {
                return objects::handle(world, call, def);
            }
            if let Some(def) = users::find_entry(other) {
                return users::entry(world, call, def);
            }
            match other.strip_suffix("record").and_then(rdata::spec) {
                Some(spec) => records::handle(world, call, spec),
                None => Err(unknown_resource(call)),
            }
        }
    }
}

pub(crate) fn unknown_resource(call: &Call) -> Failure {
    invalid_request(format!(
        "resource: {} is not a valid resource",
        call.resource
    ))
}

pub(crate) fn bad_method(call: &Call) -> Failure {
    invalid_request(format!(
        "method: {} is not supported on {}",
        call.method, call.resource
    ))
}
