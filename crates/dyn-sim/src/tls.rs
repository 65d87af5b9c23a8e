//! HTTPS: the same router behind rustls, for clients that insist on TLS (the Python SDK's
//! default is `ssl=True` on port 443).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Extension;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use crate::error::{Error, Result};

/// A certificate chain and its private key, PEM-encoded.
#[derive(Clone)]
pub(crate) struct TlsPem {
    pub(crate) cert_chain: Vec<u8>,
    pub(crate) key: Vec<u8>,
}

impl std::fmt::Debug for TlsPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsPem")
            .field("cert_chain", &self.cert_chain.len())
            .field("key", &"*****")
            .finish()
    }
}

pub(crate) fn acceptor(pem: &TlsPem) -> Result<TlsAcceptor> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem.cert_chain)
        .collect::<Result<_, _>>()
        .map_err(|e| Error::Invalid(format!("TLS certificate: {e}")))?;
    if certs.is_empty() {
        return Err(Error::Invalid(
            "TLS certificate: no certificate in the PEM data".into(),
        ));
    }
    let key = PrivateKeyDer::from_pem_slice(&pem.key)
        .map_err(|e| Error::Invalid(format!("TLS key: {e}")))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Invalid(format!("TLS versions: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| Error::Invalid(format!("TLS certificate and key: {e}")))?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Accepts TLS connections until `shutdown` fires, serving each with the router.
pub(crate) async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    app: axum::Router,
    mut shutdown: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => accepted?,
            _ = &mut shutdown => return Ok(()),
        };
        let acceptor = acceptor.clone();
        let service = TowerToHyperService::new(
            app.clone()
                .layer(Extension(ConnectInfo::<SocketAddr>(peer))),
        );
        tokio::spawn(async move {
            // A failed handshake or a dropped connection only ends this connection.
            let Ok(tls) = acceptor.accept(stream).await else {
                return;
            };
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
}
