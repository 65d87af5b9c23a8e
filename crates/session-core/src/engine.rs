//! The transport: one reqwest client per session, single exchanges, job polling, history.

use std::sync::{Arc, OnceLock};
use std::time::{Instant, SystemTime};

use serde_json::Value;
use tracing::Instrument;

use crate::encode;
use crate::envelope::{Outcome, Pending, Reply};
use crate::error::{Error, InvalidResponse, JobTimeout, Result, TransportError};
use crate::history::{CallRecord, History, mask_secrets};
use crate::options::{Endpoint, Options};
use crate::protocol::{ArgEncoding, FailureKind, Method, Protocol, RawResponse, Request};
use crate::token::Token;

/// HTTP client, base URL and history shared by every request of one session.
#[derive(Debug)]
pub(crate) struct Engine {
    http: reqwest::Client,
    /// `scheme://host:port/`, parsed once; each request only sets its path and query.
    base_url: url::Url,
    api_version: Option<String>,
    options: Options,
    history: Option<History>,
}

impl Engine {
    pub(crate) fn new(endpoint: &Endpoint, options: Options) -> Result<Self> {
        let mut builder = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .tcp_nodelay(true)
            .user_agent(options.user_agent.clone())
            // A 307 means "job promoted"; the session polls it itself, with its own deadline.
            .redirect(reqwest::redirect::Policy::none());
        builder = match &options.proxy {
            Some(proxy) => {
                let mut config = reqwest::Proxy::all(proxy.url())
                    .map_err(|_| Error::Config("proxy address is not a valid URL"))?;
                if let (Some(user), Some(password)) = (proxy.user(), proxy.password.as_deref()) {
                    config = config.basic_auth(user, password);
                }
                // Proxies such as tinyproxy close the client connection after every response
                // without saying `Connection: close`; a pooled connection would then race that
                // close and fail the next call mid-request, so proxied calls never reuse one.
                builder.proxy(config).pool_max_idle_per_host(0)
            }
            // Explicit configuration only: an HTTP_PROXY in the environment must not reroute
            // (or leak the token of) a session that was configured without one.
            None => builder.no_proxy(),
        };
        let http = builder
            .build()
            .map_err(|_| Error::Config("http client could not be built"))?;
        let base_url = url::Url::parse(&endpoint.base_url())
            .map_err(|_| Error::Config("endpoint does not form a valid URL"))?;
        Ok(Self {
            http,
            base_url,
            api_version: options.api_version.clone(),
            history: options.history.map(History::new),
            options,
        })
    }

    pub(crate) fn options(&self) -> &Options {
        &self.options
    }

    pub(crate) fn history(&self) -> Option<&History> {
        self.history.as_ref()
    }

    /// Sends `request` once, with `token` attached, and returns the raw response.
    async fn send<P: Protocol>(
        &self,
        protocol: &P,
        request: &Request,
        token: Option<&Token>,
    ) -> Result<RawResponse> {
        let mut request = request.clone();
        if let Some(token) = token {
            protocol.authorize(&mut request, token);
        }
        let path = encode::full_path(protocol.base_path(), &request.path);
        let mut url = self.base_url.clone();
        match path.split_once('?') {
            Some((path, query)) => {
                url.set_path(path);
                url.set_query(Some(query));
            }
            None => url.set_path(&path),
        }
        let mut query = request.query;
        let mut body = None;
        match protocol.encoding(request.method) {
            ArgEncoding::Query => query.extend(encode::pairs(&request.args)),
            ArgEncoding::Json => {
                let args = if request.args.is_null() {
                    Value::Object(serde_json::Map::new())
                } else {
                    request.args
                };
                body = Some(("application/json", args.to_string()));
            }
            ArgEncoding::Form => {
                body = Some((
                    "application/x-www-form-urlencoded",
                    encode::form(&encode::pairs(&request.args)),
                ));
            }
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(
                query
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str())),
            );
        }
        let mut builder = self.http.request(reqwest_method(request.method), url);
        if let Some(version) = &self.api_version {
            builder = builder.header("API-Version", version.as_str());
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
        if let Some((content_type, body)) = body {
            builder = builder.header("Content-Type", content_type).body(body);
        }
        let response = builder.send().await.map_err(TransportError::from_reqwest)?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let location = headers
            .get("location")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let retry_after = headers
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(std::time::Duration::from_secs);
        let body = response
            .bytes()
            .await
            .map_err(TransportError::from_reqwest)?;
        Ok(RawResponse {
            status,
            location,
            retry_after,
            body: body.to_vec(),
        })
    }

    /// One exchange: send, read with the protocol, record in history, trace.
    pub(crate) async fn exchange_once<P: Protocol>(
        &self,
        protocol: &P,
        request: &Request,
        token: Option<&Token>,
    ) -> Result<Outcome> {
        let path = encode::full_path(protocol.base_path(), &request.path);
        let span = tracing::debug_span!(
            "session_core.request",
            kind = P::KIND,
            method = %request.method,
            path = %path,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let time = SystemTime::now();
        let started = Instant::now();
        let result = async {
            let raw = self.send(protocol, request, token).await?;
            span.record("status", raw.status);
            let outcome = protocol.read(&raw).map_err(Error::from)?;
            Ok::<_, Error>((raw.status, outcome))
        }
        .instrument(span.clone())
        .await;
        let duration = started.elapsed();
        span.record("duration_ms", duration.as_secs_f64() * 1000.0);
        if let Some(history) = &self.history {
            let (status, http_status, job_id) = match &result {
                Ok((http, Outcome::Done(reply))) => {
                    ("success".to_owned(), Some(*http), reply.job_id)
                }
                Ok((http, Outcome::Pending(pending))) => {
                    ("incomplete".to_owned(), Some(*http), pending.job_id)
                }
                Ok((http, Outcome::Failed(api))) => {
                    (api.envelope_status().to_owned(), Some(*http), api.job_id())
                }
                Err(Error::InvalidResponse(invalid)) => {
                    ("invalid-response".to_owned(), Some(invalid.status()), None)
                }
                Err(_) => ("transport-error".to_owned(), None, None),
            };
            history.push(CallRecord {
                time,
                method: request.method,
                uri: path,
                args: mask_secrets(&request.args),
                status,
                http_status,
                job_id,
                duration,
            });
        }
        result.map(|(_, outcome)| outcome)
    }

    /// Polls a job until it finishes, fails, or the job deadline passes.
    ///
    /// Nothing runs in the background: dropping the returned future stops the polling.
    pub(crate) async fn follow_job<P: Protocol>(
        &self,
        protocol: &P,
        mut pending: Pending,
        token: Option<&Token>,
    ) -> Result<Reply> {
        let policy = &self.options.jobs;
        let started = Instant::now();
        loop {
            let path = pending
                .location
                .clone()
                .or_else(|| pending.job_id.and_then(|id| protocol.job_path(id)))
                .ok_or_else(|| {
                    Error::InvalidResponse(InvalidResponse::new(
                        307,
                        "job promoted without a location or job id",
                        None,
                    ))
                })?;
            if started.elapsed() + policy.poll_interval > policy.deadline {
                return Err(Error::JobTimeout(JobTimeout {
                    job_id: pending.job_id,
                    location: Some(path),
                    waited: started.elapsed(),
                }));
            }
            tokio::time::sleep(policy.poll_interval).await;
            let poll = Request::new(Method::Get, path, Value::Null);
            match self.exchange_once(protocol, &poll, token).await? {
                Outcome::Done(reply) => return Ok(reply),
                // Throttled polls are polled again (the job deadline still bounds them).
                Outcome::Failed(api) if matches!(api.kind(), FailureKind::RateLimited { .. }) => {
                    tracing::debug!(kind = P::KIND, "job poll rate limited");
                }
                Outcome::Failed(api) => return Err(Error::Api(api)),
                Outcome::Pending(next) => {
                    pending = Pending {
                        job_id: next.job_id.or(pending.job_id),
                        location: next.location.or(pending.location),
                    };
                }
            }
        }
    }
}

/// What a [`Protocol`] uses to talk to its server while logging in, out or keeping alive:
/// single exchanges without the session's retries.
#[derive(Debug)]
pub struct Connection<'a, P> {
    pub(crate) engine: &'a Engine,
    pub(crate) protocol: &'a P,
}

impl<P: Protocol> Connection<'_, P> {
    /// Sends `request` once (with `token`, if given), follows a job if the call became one,
    /// and returns the successful reply.
    ///
    /// # Errors
    /// [`Error::Api`] for a failure envelope; transport, response and job errors as they come.
    pub async fn exchange(&self, request: &Request, token: Option<&Token>) -> Result<Reply> {
        match self
            .engine
            .exchange_once(self.protocol, request, token)
            .await?
        {
            Outcome::Done(reply) => Ok(reply),
            Outcome::Failed(api) => Err(Error::Api(api)),
            Outcome::Pending(pending) => {
                self.engine.follow_job(self.protocol, pending, token).await
            }
        }
    }
}

fn reqwest_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// rustls on *ring* with the platform's certificate verifier, built once per process.
fn tls_config() -> Result<rustls::ClientConfig> {
    static CONFIG: OnceLock<Option<rustls::ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            use rustls_platform_verifier::BuilderVerifierExt;
            rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .ok()?
            .with_platform_verifier()
            .ok()
            .map(|builder| builder.with_no_client_auth())
        })
        .clone()
        .ok_or(Error::Config("tls configuration could not be built"))
}
