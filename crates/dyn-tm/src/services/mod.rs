//! Services attached to zones and nodes, and Traffic Director (DSF): `session.services()`.
//!
//! Each service kind is a [`NodeServices`] (or, for account-level DSF objects, an
//! [`Objects`]) over the JSON objects the API returns; the field names are the API's
//! (spec `dyn.md` §2.3). HTTP redirects also have a typed form.

use serde_json::{Value, json};

mod typed;

use crate::error::{Error, Result};
use crate::objects::{NodeServices, Objects};
use crate::session::DynectSession;

pub use typed::{ActiveFailover, ActiveFailovers, Ddns, DdnsServices, HealthMonitor, NewFailover};

/// The service managers of a session.
#[derive(Debug, Clone)]
pub struct Services {
    session: DynectSession,
}

impl DynectSession {
    /// The services of the account.
    pub fn services(&self) -> Services {
        Services {
            session: self.clone(),
        }
    }
}

/// An HTTP redirect at a node.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRedirect {
    /// The zone.
    pub zone: String,
    /// The node.
    pub fqdn: String,
    /// 301 or 302.
    pub code: u16,
    /// Append the requested path to `url`.
    pub keep_uri: bool,
    /// Where to redirect (`http://` or `https://`).
    pub url: String,
}

impl HttpRedirect {
    fn from_value(data: &Value) -> Result<Self> {
        let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
        let code = match data.get("code") {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        }
        .and_then(|code| u16::try_from(code).ok())
        .ok_or_else(|| Error::UnexpectedResponse("redirect without code".into()))?;
        Ok(Self {
            zone: text("zone").unwrap_or_default(),
            fqdn: text("fqdn").unwrap_or_default(),
            code,
            keep_uri: text("keep_uri").as_deref() == Some("Y"),
            url: text("url").unwrap_or_default(),
        })
    }
}

/// Typed HTTP redirects (`/HTTPRedirect/<zone>/<fqdn>/`).
#[derive(Debug, Clone)]
pub struct HttpRedirects {
    raw: NodeServices,
}

impl HttpRedirects {
    /// The untyped manager underneath.
    pub fn raw(&self) -> &NodeServices {
        &self.raw
    }

    /// Every redirect in `zone`.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn list(&self, zone: &str) -> Result<Vec<HttpRedirect>> {
        self.raw
            .list(zone)
            .await?
            .iter()
            .map(HttpRedirect::from_value)
            .collect()
    }

    /// The redirect at `node`.
    ///
    /// # Errors
    /// [`Error::Session`] (not found).
    pub async fn get(&self, zone: &str, node: &str) -> Result<HttpRedirect> {
        HttpRedirect::from_value(&self.raw.get(zone, node, &[]).await?)
    }

    /// Creates a redirect (live at once).
    ///
    /// # Errors
    /// [`Error::Session`] (invalid code or url, one already there).
    pub async fn create(
        &self,
        zone: &str,
        node: &str,
        code: u16,
        keep_uri: bool,
        url: &str,
    ) -> Result<HttpRedirect> {
        let fields =
            json!({"code": code, "keep_uri": if keep_uri { "Y" } else { "N" }, "url": url});
        HttpRedirect::from_value(&self.raw.create(zone, node, &[], fields).await?)
    }

    /// Changes a redirect.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn update(
        &self,
        zone: &str,
        node: &str,
        code: u16,
        keep_uri: bool,
        url: &str,
    ) -> Result<HttpRedirect> {
        let fields =
            json!({"code": code, "keep_uri": if keep_uri { "Y" } else { "N" }, "url": url});
        HttpRedirect::from_value(&self.raw.update(zone, node, &[], fields).await?)
    }

    /// Deletes a redirect now. dyn-python's `delete()` failed for redirects read from a list;
    /// here only zone and node are needed.
    ///
    /// # Errors
    /// [`Error::Session`].
    pub async fn delete(&self, zone: &str, node: &str) -> Result<()> {
        self.raw.delete(zone, node, &[]).await
    }
}

impl Services {
    /// HTTP redirects, typed.
    pub fn http_redirects(&self) -> HttpRedirects {
        HttpRedirects {
            raw: NodeServices::new(&self.session, "HTTPRedirect"),
        }
    }

    /// Dynamic DNS (`/DDNS/<zone>/<fqdn>/<A|AAAA>/`; fields `address`, `user`, `full_setup`;
    /// actions `activate`, `deactivate`, `reset`).
    pub fn ddns(&self) -> NodeServices {
        NodeServices::new(&self.session, "DDNS")
    }

    /// Dynamic DNS, typed.
    pub fn ddns_typed(&self) -> DdnsServices {
        DdnsServices { raw: self.ddns() }
    }

    /// Active Failover (`/Failover/<zone>/<fqdn>/`).
    pub fn active_failover(&self) -> NodeServices {
        NodeServices::new(&self.session, "Failover")
    }

    /// Active Failover, typed.
    pub fn active_failovers(&self) -> ActiveFailovers {
        ActiveFailovers {
            raw: self.active_failover(),
        }
    }

    /// GSLB (`/GSLB/<zone>/<fqdn>/`).
    pub fn gslb(&self) -> NodeServices {
        NodeServices::new(&self.session, "GSLB")
    }

    /// GSLB regions (`/GSLBRegion/<zone>/<fqdn>/<region_code>/`).
    pub fn gslb_regions(&self) -> NodeServices {
        NodeServices::new(&self.session, "GSLBRegion")
    }

    /// GSLB region pool entries (`/GSLBRegionPoolEntry/<zone>/<fqdn>/<region>/<address>/`).
    pub fn gslb_pool_entries(&self) -> NodeServices {
        NodeServices::new(&self.session, "GSLBRegionPoolEntry")
    }

    /// RTTM (`/RTTM/<zone>/<fqdn>/`).
    pub fn rttm(&self) -> NodeServices {
        NodeServices::new(&self.session, "RTTM")
    }

    /// RTTM regions (`/RTTMRegion/<zone>/<fqdn>/<region_code>/`).
    pub fn rttm_regions(&self) -> NodeServices {
        NodeServices::new(&self.session, "RTTMRegion")
    }

    /// RTTM region pool entries (`/RTTMRegionPoolEntry/<zone>/<fqdn>/<region>/<address>/`).
    pub fn rttm_pool_entries(&self) -> NodeServices {
        NodeServices::new(&self.session, "RTTMRegionPoolEntry")
    }

    /// Reverse DNS (`/IPTrack/<zone>/<fqdn>/<iptrack_id>/`).
    pub fn reverse_dns(&self) -> NodeServices {
        NodeServices::new(&self.session, "IPTrack")
    }

    /// Advanced Redirect (`/AdvRedirect/<zone>/<fqdn>/`).
    pub fn advanced_redirect(&self) -> NodeServices {
        NodeServices::new(&self.session, "AdvRedirect")
    }

    /// Advanced Redirect rules (`/AdvRedirectRule/<zone>/<fqdn>/<public_id>/`).
    pub fn advanced_redirect_rules(&self) -> NodeServices {
        NodeServices::new(&self.session, "AdvRedirectRule")
    }

    /// Managed DNSSEC of a zone (`/DNSSEC/<zone>/`; `node` is ignored).
    pub fn dnssec(&self) -> NodeServices {
        NodeServices::zone_level(&self.session, "DNSSEC")
    }

    /// External nameservers of a zone (`/ExtNameserver/<zone>/`; `node` is ignored).
    pub fn external_nameservers(&self) -> NodeServices {
        NodeServices::zone_level(&self.session, "ExtNameserver")
    }

    /// Legacy Geo services (`/Geo/<service_name>/`).
    pub fn geo(&self) -> Objects {
        Objects::new(&self.session, "Geo")
    }

    /// Traffic Director services (`/DSF/<service_id>/`; ids are generated).
    pub fn traffic_director(&self) -> Objects {
        Objects::new(&self.session, "DSF")
    }

    /// Traffic Director monitors (`/DSFMonitor/<monitor_id>/`).
    pub fn dsf_monitors(&self) -> Objects {
        Objects::new(&self.session, "DSFMonitor")
    }

    /// Rulesets of a Traffic Director service.
    pub fn dsf_rulesets(&self, service_id: &str) -> Objects {
        Objects::child(&self.session, "DSFRuleset", service_id)
    }

    /// Response pools of a Traffic Director service.
    pub fn dsf_response_pools(&self, service_id: &str) -> Objects {
        Objects::child(&self.session, "DSFResponsePool", service_id)
    }

    /// Record-set failover chains of a Traffic Director service.
    pub fn dsf_failover_chains(&self, service_id: &str) -> Objects {
        Objects::child(&self.session, "DSFRecordSetFailoverChain", service_id)
    }

    /// Record sets of a Traffic Director service.
    pub fn dsf_record_sets(&self, service_id: &str) -> Objects {
        Objects::child(&self.session, "DSFRecordSet", service_id)
    }

    /// Records of a Traffic Director service.
    pub fn dsf_records(&self, service_id: &str) -> Objects {
        Objects::child(&self.session, "DSFRecord", service_id)
    }

    /// The nodes a Traffic Director service answers for, as `(zone, fqdn)`.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn dsf_nodes(&self, service_id: &str) -> Result<Vec<(String, String)>> {
        let path = format!("/DSFNode/{}", crate::names::segment(service_id)?);
        nodes_of(&self.session.get(&path, json!({})).await?)
    }

    /// Attaches a node to a Traffic Director service; returns the service's nodes.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn dsf_attach_node(
        &self,
        service_id: &str,
        zone: &str,
        fqdn: &str,
    ) -> Result<Vec<(String, String)>> {
        let path = format!("/DSFNode/{}", crate::names::segment(service_id)?);
        let node = json!({"zone": zone, "fqdn": crate::names::qualify(zone, fqdn)});
        nodes_of(
            &self
                .session
                .post(&path, json!({"node": node, "publish": "Y"}))
                .await?,
        )
    }

    /// Detaches a node from a Traffic Director service; returns the remaining nodes.
    ///
    /// Sent as a `PUT` of the remaining node list: a `DELETE` carries its arguments in the
    /// query string, where the node object does not fit.
    ///
    /// # Errors
    /// [`Error::Session`], [`Error::UnexpectedResponse`].
    pub async fn dsf_detach_node(
        &self,
        service_id: &str,
        zone: &str,
        fqdn: &str,
    ) -> Result<Vec<(String, String)>> {
        let path = format!("/DSFNode/{}", crate::names::segment(service_id)?);
        let fqdn = crate::names::qualify(zone, fqdn);
        let zone = zone.trim_end_matches('.').to_ascii_lowercase();
        let remaining: Vec<Value> = self
            .dsf_nodes(service_id)
            .await?
            .into_iter()
            .filter(|(z, f)| !(z == &zone && f == &fqdn))
            .map(|(z, f)| json!({"zone": z, "fqdn": f}))
            .collect();
        nodes_of(
            &self
                .session
                .put(&path, json!({"nodes": remaining, "publish": "Y"}))
                .await?,
        )
    }
}

fn nodes_of(data: &Value) -> Result<Vec<(String, String)>> {
    let list = data
        .as_array()
        .ok_or_else(|| Error::UnexpectedResponse("expected a list of nodes".into()))?;
    Ok(list
        .iter()
        .filter_map(|node| {
            Some((
                node.get("zone")?.as_str()?.to_owned(),
                node.get("fqdn")?.as_str()?.to_owned(),
            ))
        })
        .collect())
}

/// The HTTP redirects of a zone, through the current session.
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`HttpRedirects::list`].
pub async fn get_http_redirects(zone: &str) -> Result<Vec<HttpRedirect>> {
    DynectSession::current()?
        .services()
        .http_redirects()
        .list(zone)
        .await
}

/// Every Traffic Director service, through the current session (dyn-python's
/// `get_all_dsf_services`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Objects::list`].
pub async fn get_all_dsf_services() -> Result<Vec<Value>> {
    DynectSession::current()?
        .services()
        .traffic_director()
        .list()
        .await
}

/// Every Traffic Director monitor, through the current session (`get_all_dsf_monitors`).
///
/// # Errors
/// [`Error::NoCurrentSession`], then as [`Objects::list`].
pub async fn get_all_dsf_monitors() -> Result<Vec<Value>> {
    DynectSession::current()?
        .services()
        .dsf_monitors()
        .list()
        .await
}
