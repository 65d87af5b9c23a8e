//! A builder for LXD API URLs: percent-encoded path segments, query and project scope.

use std::fmt;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters escaped inside one path segment (everything but unreserved and a few sub-delims).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// Characters escaped inside a query key or value.
const QUERY: &AsciiSet = &SEGMENT.add(b'&').add(b'=').add(b'+').add(b';');

/// A path below the LXD API root plus query parameters, scoped to a project.
///
/// Built with [`crate::Client::url`]; segments are percent-encoded as they are added, the
/// project (if any) is appended as `?project=` when rendered. Never ends with a slash (LXD
/// answers 404 to a trailing slash).
///
/// ```
/// # let url = lxd_models::ApiUrl::root();
/// let url = url.instances().name("c1").files().query("path", "/etc/hosts");
/// assert_eq!(url.to_string(), "/1.0/instances/c1/files?path=%2Fetc%2Fhosts");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ApiUrl {
    /// Encoded path, starting with `/1.0`.
    path: String,
    /// Encoded `key=value` pairs, excluding the project.
    query: Vec<String>,
    project: Option<String>,
}

impl ApiUrl {
    /// The API root, `/1.0`, in the default project.
    pub fn root() -> Self {
        Self {
            path: "/1.0".to_owned(),
            query: Vec::new(),
            project: None,
        }
    }

    /// Parses a URL path as LXD returns it (`/1.0/instances/c1?project=p`), e.g. from `used_by`.
    ///
    /// The path is kept as sent (LXD already encodes it); `project` is taken out of the query.
    pub fn parse(url: &str) -> Option<Self> {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        if !path.starts_with("/1.0") {
            return None;
        }
        let mut parsed = Self {
            path: path.trim_end_matches('/').to_owned(),
            query: Vec::new(),
            project: None,
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.strip_prefix("project=") {
                Some(project) => {
                    let decoded = percent_encoding::percent_decode_str(project).decode_utf8_lossy();
                    parsed.project = Some(decoded.into_owned());
                }
                None => parsed.query.push(pair.to_owned()),
            }
        }
        Some(parsed)
    }

    /// Appends one path segment, percent-encoded.
    #[must_use]
    pub fn segment(mut self, segment: &str) -> Self {
        self.path.push('/');
        self.path.extend(utf8_percent_encode(segment, SEGMENT));
        self
    }

    /// Appends an object name (same as [`ApiUrl::segment`]).
    #[must_use]
    pub fn name(self, name: &str) -> Self {
        self.segment(name)
    }

    /// Adds a query parameter, percent-encoded.
    #[must_use]
    pub fn query(mut self, key: &str, value: &str) -> Self {
        let pair = format!(
            "{}={}",
            utf8_percent_encode(key, QUERY),
            utf8_percent_encode(value, QUERY)
        );
        self.query.push(pair);
        self
    }

    /// Sets the project scope (`None` = the server's default project).
    #[must_use]
    pub fn with_project(mut self, project: Option<&str>) -> Self {
        self.project = project.map(str::to_owned);
        self
    }

    /// The project this URL is scoped to, if any.
    pub fn project(&self) -> Option<&str> {
        self.project.as_deref()
    }

    /// The encoded path without query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The last path segment, decoded (usually the object's name).
    pub fn last_segment(&self) -> String {
        let last = self.path.rsplit('/').next().unwrap_or_default();
        percent_encoding::percent_decode_str(last)
            .decode_utf8_lossy()
            .into_owned()
    }

    /// The decoded path segments after `/1.0`.
    pub fn segments(&self) -> Vec<String> {
        self.path
            .split('/')
            .skip(2)
            .map(|s| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect()
    }

    /// This URL without its query parameters (the project is kept).
    #[must_use]
    pub fn without_query(&self) -> Self {
        Self {
            path: self.path.clone(),
            query: Vec::new(),
            project: self.project.clone(),
        }
    }

    /// The key of the identity map: path plus project, `default` when unscoped.
    pub(crate) fn identity_key(&self) -> String {
        format!(
            "{}?project={}",
            self.path,
            self.project.as_deref().unwrap_or("default")
        )
    }

    /// `/1.0/instances`.
    #[must_use]
    pub fn instances(self) -> Self {
        self.segment("instances")
    }
    /// `/snapshots`.
    #[must_use]
    pub fn snapshots(self) -> Self {
        self.segment("snapshots")
    }
    /// `/files`.
    #[must_use]
    pub fn files(self) -> Self {
        self.segment("files")
    }
    /// `/1.0/profiles`.
    #[must_use]
    pub fn profiles(self) -> Self {
        self.segment("profiles")
    }
    /// `/1.0/projects`.
    #[must_use]
    pub fn projects(self) -> Self {
        self.segment("projects")
    }
    /// `/1.0/images`.
    #[must_use]
    pub fn images(self) -> Self {
        self.segment("images")
    }
    /// `/1.0/networks`.
    #[must_use]
    pub fn networks(self) -> Self {
        self.segment("networks")
    }
    /// `/1.0/storage-pools`.
    #[must_use]
    pub fn storage_pools(self) -> Self {
        self.segment("storage-pools")
    }
    /// `/1.0/operations`.
    #[must_use]
    pub fn operations(self) -> Self {
        self.segment("operations")
    }
    /// `/1.0/certificates`.
    #[must_use]
    pub fn certificates(self) -> Self {
        self.segment("certificates")
    }
    /// `/1.0/warnings`.
    #[must_use]
    pub fn warnings(self) -> Self {
        self.segment("warnings")
    }
}

impl fmt::Display for ApiUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        let mut sep = '?';
        for pair in &self.query {
            write!(f, "{sep}{pair}")?;
            sep = '&';
        }
        if let Some(project) = &self.project {
            write!(f, "{sep}project={}", utf8_percent_encode(project, QUERY))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiUrl({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_segments_and_query() {
        let url = ApiUrl::root()
            .instances()
            .name("a b/c")
            .files()
            .query("path", "/etc/x y&z");
        assert_eq!(
            url.to_string(),
            "/1.0/instances/a%20b%2Fc/files?path=%2Fetc%2Fx%20y%26z"
        );
        assert_eq!(
            url.without_query().segments(),
            ["instances", "a b/c", "files"]
        );
    }

    #[test]
    fn project_is_appended_last() {
        let url = ApiUrl::root()
            .profiles()
            .name("p")
            .query("recursion", "1")
            .with_project(Some("my proj"));
        assert_eq!(
            url.to_string(),
            "/1.0/profiles/p?recursion=1&project=my%20proj"
        );
        assert_eq!(url.identity_key(), "/1.0/profiles/p?project=my proj");
    }

    #[test]
    fn parses_lxd_urls() {
        let url = ApiUrl::parse("/1.0/instances/c1?project=p2").expect("valid");
        assert_eq!(url.project(), Some("p2"));
        assert_eq!(url.last_segment(), "c1");
        assert_eq!(url.to_string(), "/1.0/instances/c1?project=p2");
        assert!(ApiUrl::parse("/2.0/x").is_none());
        assert_eq!(
            ApiUrl::parse("/1.0/profiles/").expect("valid").to_string(),
            "/1.0/profiles"
        );
    }
}
