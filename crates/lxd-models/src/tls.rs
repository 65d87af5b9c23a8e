//! TLS for HTTPS remotes: client certificate, server verification by CA or pinned fingerprint.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// How an HTTPS client checks the server's certificate. There is no implicit "off".
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerVerification {
    /// Verify the chain against this CA (PEM) and the host name. LXD's own self-signed
    /// certificate works as its CA when the URL's host is in its names (127.0.0.1 is).
    CaPem(String),
    /// Accept exactly the certificate with this SHA-256 fingerprint (hex, `:` allowed), as
    /// `lxc remote add` does; the host name is not checked.
    Fingerprint(String),
    /// Accept any certificate. Only for throwaway test setups; says so in its name.
    DangerAcceptAny,
}

impl fmt::Debug for ServerVerification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CaPem(_) => f.write_str("CaPem(..)"),
            Self::Fingerprint(fp) => f.debug_tuple("Fingerprint").field(fp).finish(),
            Self::DangerAcceptAny => f.write_str("DangerAcceptAny"),
        }
    }
}

/// A client certificate and its private key, in PEM. The key never appears in `Debug`.
#[derive(Clone)]
pub struct ClientIdentity {
    cert_pem: Vec<u8>,
    key_pem: Vec<u8>,
}

impl ClientIdentity {
    /// From PEM text of the certificate (chain) and the private key.
    pub fn from_pem(cert_pem: impl Into<Vec<u8>>, key_pem: impl Into<Vec<u8>>) -> Self {
        Self {
            cert_pem: cert_pem.into(),
            key_pem: key_pem.into(),
        }
    }

    /// The SHA-256 fingerprint (hex) of the certificate, as LXD lists it.
    pub fn fingerprint(&self) -> Result<String> {
        let certs = self.certs()?;
        let first = certs
            .first()
            .ok_or_else(|| Error::Config("client certificate pem holds no certificate".into()))?;
        Ok(hex::encode(Sha256::digest(first)))
    }

    /// The certificate PEM.
    pub fn cert_pem(&self) -> &[u8] {
        &self.cert_pem
    }

    fn certs(&self) -> Result<Vec<CertificateDer<'static>>> {
        CertificateDer::pem_slice_iter(&self.cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::Config(format!("client certificate pem: {e}")))
    }

    fn key(&self) -> Result<PrivateKeyDer<'static>> {
        PrivateKeyDer::from_pem_slice(&self.key_pem)
            .map_err(|e| Error::Config(format!("client key pem: {e}")))
    }
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fingerprint = self.fingerprint().unwrap_or_else(|_| "invalid".to_owned());
        f.debug_struct("ClientIdentity")
            .field("fingerprint", &fingerprint)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// One rustls configuration shared by REST and websockets (pylxd forgot the certificate on
/// its websockets).
pub(crate) fn client_config(
    identity: Option<&ClientIdentity>,
    verify: &ServerVerification,
) -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("tls: {e}")))?;
    let builder = match verify {
        ServerVerification::CaPem(pem) => {
            let mut roots = RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                let cert = cert.map_err(|e| Error::Config(format!("server ca pem: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| Error::Config(format!("server ca: {e}")))?;
            }
            if roots.is_empty() {
                return Err(Error::Config("server ca pem holds no certificate".into()));
            }
            builder.with_root_certificates(roots)
        }
        ServerVerification::Fingerprint(hex_fp) => {
            let wanted = parse_fingerprint(hex_fp)?;
            let verifier = Pinned {
                wanted: Some(wanted),
                provider,
            };
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
        }
        ServerVerification::DangerAcceptAny => {
            let verifier = Pinned {
                wanted: None,
                provider,
            };
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
        }
    };
    match identity {
        Some(identity) => builder
            .with_client_auth_cert(identity.certs()?, identity.key()?)
            .map_err(|e| Error::Config(format!("client certificate: {e}"))),
        None => Ok(builder.with_no_client_auth()),
    }
}

/// A configuration that trusts nothing, for clients that never speak TLS.
pub(crate) fn unused_config() -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("tls: {e}")))?
        .with_root_certificates(RootCertStore::empty())
        .with_no_client_auth())
}

fn parse_fingerprint(text: &str) -> Result<[u8; 32]> {
    let clean: String = text.chars().filter(|c| *c != ':').collect();
    let bytes = hex::decode(clean.to_ascii_lowercase())
        .map_err(|e| Error::Config(format!("fingerprint: {e}")))?;
    bytes
        .try_into()
        .map_err(|_| Error::Config("fingerprint must be 32 bytes of sha-256".into()))
}

/// Accepts the one certificate whose SHA-256 is pinned (or any, when nothing is pinned);
/// handshake signatures are still verified.
#[derive(Debug)]
struct Pinned {
    wanted: Option<[u8; 32]>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.wanted {
            Some(wanted) if Sha256::digest(end_entity).as_slice() != wanted => {
                Err(rustls::Error::General(
                    "server certificate does not match the pinned fingerprint".to_owned(),
                ))
            }
            _ => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_parse_with_or_without_colons() {
        let hex = "ab".repeat(32);
        let colons: Vec<String> = (0..32).map(|_| "AB".to_owned()).collect();
        assert_eq!(parse_fingerprint(&hex).expect("hex"), [0xab; 32]);
        assert_eq!(
            parse_fingerprint(&colons.join(":")).expect("colons"),
            [0xab; 32]
        );
        assert!(parse_fingerprint("abcd").is_err());
        assert!(parse_fingerprint("zz").is_err());
    }

    #[test]
    fn debug_never_shows_the_key() {
        let identity =
            ClientIdentity::from_pem("not a cert", "-----BEGIN PRIVATE KEY-----\nSECRETKEY\n");
        let shown = format!("{identity:?}");
        assert!(!shown.contains("SECRETKEY"), "{shown}");
        assert!(shown.contains("redacted"));
    }
}
