//! Cluster members.

use crate::model::model;

model!(
    /// A cluster member (`/1.0/cluster/members/<name>`).
    ClusterMember,
    "server_name"
);

impl ClusterMember {
    /// `status` (`Online`, `Evacuated`, ...).
    pub fn status(&self) -> Option<String> {
        self.get_str("status")
    }
    /// `url` of the member's API.
    pub fn member_url(&self) -> Option<String> {
        self.get_str("url")
    }
    /// `roles`.
    pub fn roles(&self) -> Vec<String> {
        self.string_list("roles")
    }
}
