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
use crate::tls::{ClientIdentity, ServerVerification};
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
    /// Where REST calls and websockets go.
    endpoint: Endpoint,
    operation_timeout: Option<Duration>,
    identity: WeakMap<Node>,
}

/// Where the daemon listens.
pub(crate) enum Endpoint {
    Unix(PathBuf),
    Https {
        /// `https://host:port`, no trailing slash.
        base: String,
        host: String,
        port: u16,
        tls: Arc<rustls::ClientConfig>,
    },
}

/// Builds a [`Client`] with explicit settings.
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    socket: Option<PathBuf>,
    https: Option<String>,
    identity: Option<ClientIdentity>,
    verify: Option<ServerVerification>,
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

    /// Talks to a remote daemon over HTTPS (`https://host:8443`); needs [`ClientBuilder::verify`].
    #[must_use]
    pub fn https(mut self, url: impl Into<String>) -> Self {
        self.https = Some(url.into());
        self
    }

    /// The client certificate presented over HTTPS.
    #[must_use]
    pub fn identity(mut self, identity: ClientIdentity) -> Self {
        self.identity = Some(identity);
        self
    }

    /// How the server certificate is checked over HTTPS (required: there is no default "off").
    #[must_use]
    pub fn verify(mut self, verification: ServerVerification) -> Self {
        self.verify = Some(verification);
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
        let mut http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            // Proxy variables in the environment must never reroute the daemon's traffic.
            .no_proxy();
        let endpoint = match (self.https, self.socket) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "choose a unix socket or https, not both".into(),
                ));
            }
            (Some(url), None) => {
                let verify = self.verify.ok_or_else(|| {
                    Error::Config(
                        "https needs a server ca or a pinned fingerprint (ClientBuilder::verify)"
                            .into(),
                    )
                })?;
                let tls = crate::tls::client_config(self.identity.as_ref(), &verify)?;
                http = http.tls_backend_preconfigured(tls.clone());
                https_endpoint(&url, Arc::new(tls))?
            }
            (None, socket) => {
                let socket = socket.unwrap_or_else(crate::socket::discover_socket);
                // No idle pool on the socket: LXD's unix listener reads the first bytes of each
                // new connection inside its accept loop (StartTLS detection), so a connection
                // that stays silent stops the daemon from accepting any other. The pool leaves
                // exactly that behind when a request races a connect against an idle checkout
                // and the checkout wins; the next new connection (an exec websocket) then hangs.
                http = http
                    .unix_socket(socket.clone())
                    .pool_max_idle_per_host(0)
                    // Never used for the socket, but reqwest wants a TLS backend; handing it
                    // one avoids installing a process-wide default crypto provider.
                    .tls_backend_preconfigured(crate::tls::unused_config()?);
                Endpoint::Unix(socket)
            }
        };
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        let http = http
            .build()
            .map_err(|e| Error::Config(format!("http client: {e}")))?;
        let shared = Shared {
            http,
            endpoint,
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

    /// The unix socket this client talks to (`None` over HTTPS).
    pub fn socket_path(&self) -> Option<&std::path::Path> {
        match &self.shared.endpoint {
            Endpoint::Unix(path) => Some(path),
            Endpoint::Https { .. } => None,
        }
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
        let base = match &self.shared.endpoint {
            Endpoint::Unix(_) => UNIX_BASE,
            Endpoint::Https { base, .. } => base,
        };
        self.shared.http.request(method, format!("{base}{url}"))
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

/// Parses `https://host[:port][/]` (LXD answers 404 to a trailing slash, so it goes).
fn https_endpoint(url: &str, tls: Arc<rustls::ClientConfig>) -> Result<Endpoint> {
    let bad = || Error::Config(format!("remote url must be https://host[:port]: {url}"));
    let authority = url
        .strip_prefix("https://")
        .ok_or_else(bad)?
        .trim_end_matches('/');
    let (host, port) = match authority.strip_prefix('[') {
        // [v6]:port
        Some(v6) => {
            let (host, rest) = v6.split_once(']').ok_or_else(bad)?;
            (host, rest.strip_prefix(':'))
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let port = port.map_or(Ok(8443), str::parse).map_err(|_| bad())?;
    if host.is_empty() || host.contains('/') {
        return Err(bad());
    }
    Ok(Endpoint::Https {
        base: format!("https://{authority}"),
        host: host.to_owned(),
        port,
        tls,
    })
}

/// A byte stream a websocket can run on: the unix socket or TLS over TCP.
pub(crate) trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> Io for T {}

/// A websocket to the daemon.
pub(crate) type WebSocket = tokio_tungstenite::WebSocketStream<Box<dyn Io>>;

impl Client {
    /// Opens a websocket on `url` over the same transport (and TLS identity) as the REST calls.
    pub(crate) async fn websocket(&self, url: &ApiUrl) -> Result<WebSocket> {
        let (stream, address): (Box<dyn Io>, String) = match &self.shared.endpoint {
            Endpoint::Unix(path) => {
                let stream = tokio::net::UnixStream::connect(path)
                    .await
                    .map_err(Error::transport)?;
                (Box::new(stream), format!("ws://lxd{url}"))
            }
            Endpoint::Https {
                host, port, tls, ..
            } => {
                let tcp = tokio::net::TcpStream::connect((host.as_str(), *port))
                    .await
                    .map_err(Error::transport)?;
                tcp.set_nodelay(true).map_err(Error::transport)?;
                let name = rustls::pki_types::ServerName::try_from(host.clone())
                    .map_err(|e| Error::Config(format!("server name {host}: {e}")))?;
                let connector = tokio_rustls::TlsConnector::from(Arc::clone(tls));
                let stream = connector
                    .connect(name, tcp)
                    .await
                    .map_err(Error::transport)?;
                (Box::new(stream), format!("wss://{host}:{port}{url}"))
            }
        };
        let (socket, _) = tokio_tungstenite::client_async(address, stream).await?;
        Ok(socket)
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let endpoint = match &self.shared.endpoint {
            Endpoint::Unix(path) => path.display().to_string(),
            Endpoint::Https { base, .. } => base.clone(),
        };
        f.debug_struct("Client")
            .field("endpoint", &endpoint)
            .field("project", &self.project)
            .finish_non_exhaustive()
    }
}
