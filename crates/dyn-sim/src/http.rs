//! The HTTP layer: one axum fallback handler that reads the whole request, sends it to the TM,
//! MM or control side, and logs it.

use std::net::SocketAddr;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::log::LoggedRequest;
use crate::server::Shared;

/// Largest request body accepted (zone files are limited to 1 MiB by the API).
const MAX_BODY: usize = 4 * 1024 * 1024;

/// A fully read request.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) peer: SocketAddr,
}

impl Incoming {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Non-empty, percent-decoded path segments.
    pub(crate) fn segments(&self) -> Vec<String> {
        self.path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect()
    }
}

/// An answer before it becomes an HTTP response.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: String,
    pub(crate) content_type: Option<&'static str>,
}

impl Reply {
    pub(crate) fn json(status: u16, body: &Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_string(),
            content_type: Some("application/json"),
        }
    }

    pub(crate) fn raw(status: u16, body: String) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body,
            content_type: None,
        }
    }

    pub(crate) fn text(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            content_type: Some("text/plain"),
        }
    }

    pub(crate) fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Body::from(self.body)).into_response();
        let headers = response.headers_mut();
        if let Some(ct) = self.content_type {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
        response
    }
}

/// The only handler: everything is routed by hand, so that paths with or without trailing
/// slashes, bodies on GET and DELETE, and unknown resources are answered the API's way.
pub(crate) async fn handle(
    State(shared): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => return Reply::text(413, "request body too large").into_response(),
    };
    let incoming = Incoming {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
        peer,
    };
    let first = incoming
        .path
        .split('/')
        .find(|s| !s.is_empty())
        .unwrap_or_default()
        .to_owned();
    let reply = if first == "__sim" {
        crate::control::handle(&shared, &incoming)
    } else if first == "REST" {
        crate::tm::pipeline::handle(&shared, &incoming).await
    } else if first == "rest" {
        crate::mm::handle(&shared, &incoming)
    } else {
        Reply::text(404, "Not Found")
    };
    if first != "__sim" {
        log(&shared, &incoming, &reply, started);
    }
    reply.into_response()
}

fn log(shared: &Shared, req: &Incoming, reply: &Reply, started: Instant) {
    let mut world = shared.lock();
    world.ids.log += 1;
    let limit = world.options.request_log_limit;
    if limit == 0 {
        return;
    }
    if world.log.len() >= limit {
        world.log.drain(..limit.div_ceil(2));
    }
    let entry = LoggedRequest {
        seq: world.ids.log,
        method: req.method.clone(),
        path: req.path.clone(),
        query: req.query.clone(),
        headers: req
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(&req.body).into_owned(),
        client: req.peer,
        status: reply.status,
        response: reply.body.clone(),
        elapsed_micros: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
    };
    world.log.push(entry);
}
