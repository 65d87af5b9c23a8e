//! Trusted client certificates.

use crate::model::model;

model!(
    /// A trusted certificate (`/1.0/certificates/<fingerprint>`).
    Certificate,
    "fingerprint"
);

impl Certificate {
    /// `fingerprint` (SHA-256 of the DER certificate, hex).
    pub fn fingerprint(&self) -> String {
        self.name()
    }
    /// `name` given when it was added.
    pub fn cert_name(&self) -> Option<String> {
        self.get_str("name")
    }
    /// `type`: `client` or `metrics`.
    pub fn cert_type(&self) -> Option<String> {
        self.get_str("type")
    }
    /// `certificate` in PEM.
    pub fn certificate(&self) -> Option<String> {
        self.get_str("certificate")
    }
    /// `restricted`.
    pub fn restricted(&self) -> bool {
        self.get("restricted").unwrap_or(false)
    }
    /// `projects` a restricted certificate may use.
    pub fn projects(&self) -> Vec<String> {
        self.string_list("projects")
    }
}
