//! The connection to one LXD daemon, optionally scoped to a project.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use crate::envelope::Envelope;
use crate::error::{Error, Result};
use crate::identity::WeakMap;
use crate::model::Node;
use crate::url::ApiUrl;

/// Host part of URLs sent over the unix socket; LXD ignores it.
const UNIX_BASE: &str = "http://lxd";

/// A handle on one LXD daemon: cheap to clone, `Send + Sync`, shares one connection pool and
/// one identity map between all clones and project scopes.
///
/// ```no_run
/// # async fn demo() -> lxd_models::Result<()> {
/// let client = lxd_models::Client::local()?; // LXD_SOCKET, $LXD_DIR/unix.socket, snap, deb
/// let staging = client.project("staging");   // same pool, adds ?project=staging
/// for profile in staging.profiles().list().await? {
///     println!("{} {:?}", profile.name(), profile.description());
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    project: Option<Arc<str>>,
}

struct Shared {
    http: reqwest::Client,
    /// Where websockets connect (the same place as the REST calls).
    socket: PathBuf,
    operation_timeout: Option<Duration>,
    pub(crate) identity: WeakMap<Node>,
}

/// Builds a [`Client`] with explicit settings.
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    socket: Option<PathBuf>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    project: Option<String>,
}

impl ClientBuilder {
    /// Talks to the daemon over this unix socket (default: [`crate::discover_socket`]).
    #[must_use]
    pub fn unix_socket(mut self, path: impl Into<PathBuf>) -> Self {
        self.socket = Some(path.into());
        self
    }

    /// Limit for each HTTP request (default: none; operation waits use their own limit).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Limit for establishing a connection (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Limit for waiting on background operations (default: wait until they finish).
    #[must_use]
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Scopes the client to a project.
    #[must_use]
    pub fn project(mut self, project: impl Into<String>) -> Self {
        self.project = Some(project.into());
        self
    }

    /// Creates the client. No request is made until the first call.
    pub fn build(self) -> Result<Client> {
        let socket = self.socket.unwrap_or_else(crate::socket::discover_socket);
        let mut http = reqwest::Client::builder()
            .unix_socket(socket.clone())
            .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none());
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        let http = http
            .build()
            .map_err(|e| Error::Config(format!("http client: {e}")))?;
        let shared = Shared {
            http,
            socket,
            operation_timeout: self.operation_timeout,
            identity: WeakMap::new(),
        };
        Ok(Client {
            shared: Arc::new(shared),
            project: self.project.map(Arc::from),
        })
    }
}

/// One decoded answer to a JSON request.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) etag: Option<String>,
    pub(crate) location: Option<String>,
    pub(crate) envelope: Envelope,
}

impl Client {
    /// A client for the local daemon, socket found by [`crate::discover_socket`].
    pub fn local() -> Result<Self> {
        ClientBuilder::default().build()
    }

    /// A client for the daemon listening on this unix socket.
    pub fn unix(path: impl Into<PathBuf>) -> Result<Self> {
        ClientBuilder::default().unix_socket(path).build()
    }

    /// A builder for explicit settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A clone of this client scoped to `project` (shares the connection pool and identity map).
    #[must_use]
    pub fn project(&self, project: &str) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
            project: Some(Arc::from(project)),
        }
    }

    /// The project this client is scoped to (`None` = the server's default).
    pub fn project_name(&self) -> Option<&str> {
        self.project.as_deref()
    }

    /// The unix socket this client talks to.
    pub fn socket_path(&self) -> &std::path::Path {
        &self.shared.socket
    }

    /// A URL builder at `/1.0`, scoped to this client's project.
    pub fn url(&self) -> ApiUrl {
        ApiUrl::root().with_project(self.project.as_deref())
    }

    /// `GET /1.0`: server configuration, environment and API extensions.
    pub async fn server(&self) -> Result<Value> {
        self.get_json(&self.url()).await
    }

    /// Whether the server announces API extension `name`.
    pub async fn has_api_extension(&self, name: &str) -> Result<bool> {
        let server = self.server().await?;
        let extensions = server.get("api_extensions").and_then(Value::as_array);
        Ok(extensions.is_some_and(|list| list.iter().any(|e| e.as_str() == Some(name))))
    }

    /// Number of live model objects in the identity map (shared by all clones).
    pub fn live_objects(&self) -> usize {
        self.shared.identity.len()
    }

    pub(crate) fn identity(&self) -> &WeakMap<Node> {
        &self.shared.identity
    }

    /// Same daemon, no project: for URLs that carry their own project.
    pub(crate) fn unscoped(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
            project: None,
        }
    }

    /// Starts a request; the caller adds headers and body.
    pub(crate) fn request(&self, method: Method, url: &ApiUrl) -> reqwest::RequestBuilder {
        self.shared
            .http
            .request(method, format!("{UNIX_BASE}{url}"))
    }

    /// Sends a request and decodes the envelope; error envelopes become typed errors.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: &ApiUrl,
        request: reqwest::RequestBuilder,
    ) -> Result<Answer> {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let etag = header("etag");
        let location = header("location");
        let body = response.bytes().await?;
        match Envelope::decode(status, &body) {
            Some(Envelope::Error { code, message }) => Err(Error::from_api(
                code,
                method.as_str(),
                &url.to_string(),
                message,
            )),
            Some(envelope) => Ok(Answer {
                etag,
                location,
                envelope,
            }),
            None => Err(Error::Protocol(format!(
                "{method} {url}: answer is not an lxd envelope (http {status})"
            ))),
        }
    }

    /// Sends JSON (or nothing) with an optional `If-Match`.
    pub(crate) async fn call(
        &self,
        method: Method,
        url: &ApiUrl,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> Result<Answer> {
        let mut request = self.request(method.clone(), url);
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(etag) = if_match {
            request = request.header("If-Match", etag);
        }
        self.send(method, url, request).await
    }

    /// Finishes an answer: waits for an operation and surfaces its error; returns the metadata
    /// (of the operation for asynchronous answers).
    pub(crate) async fn complete(&self, answer: Answer) -> Result<Value> {
        match answer.envelope {
            Envelope::Sync { metadata } => Ok(metadata),
            Envelope::Async { operation, .. } => {
                self.wait_operation(&operation, self.shared.operation_timeout)
                    .await
            }
            Envelope::Error { .. } => Err(Error::Protocol("unexpected error envelope".to_owned())),
        }
    }

    /// `GET` returning the metadata.
    pub(crate) async fn get_json(&self, url: &ApiUrl) -> Result<Value> {
        let answer = self.call(Method::GET, url, None, None).await?;
        self.complete(answer).await
    }

    /// Waits for the operation at `operation` (a URL or a bare id); `Ok` is its final object,
    /// a failed or cancelled operation is [`Error::OperationFailed`].
    pub(crate) async fn wait_operation(
        &self,
        operation: &str,
        timeout: Option<Duration>,
    ) -> Result<Value> {
        let id = operation
            .rsplit('/')
            .next()
            .unwrap_or(operation)
            .split('?')
            .next()
            .unwrap_or_default();
        let seconds = timeout.map_or(-1, |t| {
            i64::try_from(t.as_secs().max(1)).unwrap_or(i64::MAX)
        });
        let url = self
            .url()
            .operations()
            .name(id)
            .segment("wait")
            .query("timeout", &seconds.to_string());
        let mut request = self.request(Method::GET, &url);
        if let Some(timeout) = timeout {
            // The server answers at `seconds`; the margin covers a slow daemon.
            request = request.timeout(timeout + Duration::from_secs(5));
        }
        let answer = self.send(Method::GET, &url, request).await?;
        match answer.envelope {
            Envelope::Sync { metadata } => operation_outcome(id, metadata),
            _ => Err(Error::Protocol(format!(
                "operation {id}: wait did not answer synchronously"
            ))),
        }
    }
}

/// Turns a waited-for operation object into success, failure or timeout.
pub(crate) fn operation_outcome(id: &str, op: Value) -> Result<Value> {
    let code = op
        .get("status_code")
        .and_then(Value::as_u64)
        .unwrap_or_default();
    match code {
        200 => Ok(op),
        400 | 401 => {
            let message = op
                .get("err")
                .and_then(Value::as_str)
                .unwrap_or("operation failed")
                .to_owned();
            Err(Error::OperationFailed {
                operation: id.to_owned(),
                message,
            })
        }
        _ => Err(Error::Timeout(format!(
            "operation {id} still {}",
            op["status"].as_str().unwrap_or("running")
        ))),
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("socket", &self.shared.socket)
            .field("project", &self.project)
            .finish_non_exhaustive()
    }
}
