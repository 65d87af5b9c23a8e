//! The running simulator: start, address, and the Rust control API tests use.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::error::{Error, Result};
use crate::fault::{Fault, FaultRule, RequestMatch};
use crate::log::LoggedRequest;
use crate::options::Options;
use crate::seed::{MmAccountSeed, Seed, UserSeed};
use crate::world::World;

/// The state behind the lock, shared by the handlers and the [`Simulator`] handle.
#[derive(Debug, Clone)]
pub(crate) struct Shared(Arc<Mutex<World>>);

impl Shared {
    /// Locks the world. A handler that panicked cannot leave it half-updated in a way that
    /// matters to a test double, so poisoning is ignored.
    pub(crate) fn lock(&self) -> MutexGuard<'_, World> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct Inner {
    shared: Shared,
    addr: SocketAddr,
    tls: bool,
    seed: Seed,
    shutdown: Mutex<Option<oneshot::Sender<()>>>,
    server: Mutex<Option<JoinHandle<std::io::Result<()>>>>,
}

/// A running DynECT simulator. Cheap to clone; the server stops when the last clone is dropped
/// or [`Simulator::shutdown`] is called.
///
/// ```no_run
/// # async fn demo() -> dyn_sim::Result<()> {
/// let sim = dyn_sim::Simulator::start().await?;
/// println!("TM at {}/REST/, MM at {}/rest/json/", sim.base_url(), sim.base_url());
/// sim.rate_limit_next(1, 1);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Simulator {
    inner: Arc<Inner>,
}

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Simulator")
            .field("addr", &self.inner.addr)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Simulator`] before it starts.
#[derive(Debug, Clone)]
pub struct SimulatorBuilder {
    addr: SocketAddr,
    seed: Seed,
    options: Options,
    tls: Option<crate::tls::TlsPem>,
}

impl Default for SimulatorBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            seed: Seed::standard(),
            options: Options::default(),
            tls: None,
        }
    }
}

impl SimulatorBuilder {
    /// Listens on this address (default `127.0.0.1:0`, an ephemeral port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Replaces the seeded accounts (default [`Seed::standard`]).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// Adds a TM user (and its customer).
    pub fn user(mut self, customer: &str, user_name: &str, password: &str) -> Self {
        self.seed
            .users
            .push(UserSeed::new(customer, user_name, password));
        self
    }

    /// Adds an MM account.
    pub fn mm_account(mut self, apikey: &str, username: &str) -> Self {
        self.seed
            .mm_accounts
            .push(MmAccountSeed::new(apikey, username));
        self
    }

    /// Sets the behaviour switches.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Serves HTTPS with this PEM certificate chain and private key instead of plain HTTP
    /// (checked by [`SimulatorBuilder::start`]).
    pub fn tls(mut self, cert_chain_pem: impl Into<Vec<u8>>, key_pem: impl Into<Vec<u8>>) -> Self {
        self.tls = Some(crate::tls::TlsPem {
            cert_chain: cert_chain_pem.into(),
            key: key_pem.into(),
        });
        self
    }

    /// Binds and starts serving in a background task of the current tokio runtime.
    pub async fn start(self) -> Result<Simulator> {
        let acceptor = self.tls.as_ref().map(crate::tls::acceptor).transpose()?;
        let listener = tokio::net::TcpListener::bind(self.addr)
            .await
            .map_err(|source| Error::Bind {
                addr: self.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(Error::LocalAddr)?;
        let shared = Shared(Arc::new(Mutex::new(World::new(&self.seed, self.options))));
        let app = axum::Router::new()
            .fallback(crate::http::handle)
            .with_state(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let tls = acceptor.is_some();
        let server = match acceptor {
            Some(acceptor) => tokio::spawn(crate::tls::serve(listener, acceptor, app, rx)),
            None => tokio::spawn(async move {
                axum::serve(
                    listener,
                    app.into_make_service_with_connect_info::<SocketAddr>(),
                )
                .with_graceful_shutdown(async move {
                    // Either an explicit shutdown or the last handle being dropped.
                    let _ = rx.await;
                })
                .await
            }),
        };
        Ok(Simulator {
            inner: Arc::new(Inner {
                shared,
                addr,
                tls,
                seed: self.seed,
                shutdown: Mutex::new(Some(tx)),
                server: Mutex::new(Some(server)),
            }),
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Simulator {
    /// Starts a simulator on an ephemeral loopback port with the standard seed.
    pub async fn start() -> Result<Self> {
        Self::builder().start().await
    }

    /// A builder for other addresses, accounts or options.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// `http://<addr>` (or `https://` with [`SimulatorBuilder::tls`]), the base of both APIs
    /// (`/REST/...` and `/rest/json/...`).
    pub fn base_url(&self) -> String {
        let scheme = if self.inner.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.inner.addr)
    }

    /// The port, for clients configured by host and port.
    pub fn port(&self) -> u16 {
        self.inner.addr.port()
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(&self) -> Result<()> {
        if let Some(tx) = lock(&self.inner.shutdown).take() {
            let _ = tx.send(());
        }
        let handle = lock(&self.inner.server).take();
        if let Some(handle) = handle {
            match handle.await {
                Ok(Ok(())) | Err(_) => {}
                Ok(Err(e)) => return Err(Error::Serve(e)),
            }
        }
        Ok(())
    }

    /// Serves until the server task ends (for the binary).
    pub async fn wait(&self) -> Result<()> {
        let handle = lock(&self.inner.server).take();
        if let Some(handle) = handle
            && let Ok(Err(e)) = handle.await
        {
            return Err(Error::Serve(e));
        }
        Ok(())
    }

    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        self.inner.shared.lock()
    }

    /// Forgets everything (zones, sessions, jobs, faults, log) and re-applies the seed;
    /// options are kept.
    pub fn reset(&self) {
        let mut world = self.world();
        let options = world.options.clone();
        *world = World::new(&self.inner.seed, options);
    }

    /// The current behaviour switches.
    pub fn options(&self) -> Options {
        self.world().options.clone()
    }

    /// Changes behaviour switches.
    pub fn update_options(&self, change: impl FnOnce(&mut Options)) {
        change(&mut self.world().options);
    }

    /// Adds a TM user (and its customer) to the running simulator.
    pub fn add_user(&self, user: UserSeed) {
        self.world().apply_seed(&Seed {
            users: vec![user],
            mm_accounts: Vec::new(),
        });
    }

    /// Adds an MM account to the running simulator.
    pub fn add_mm_account(&self, account: MmAccountSeed) {
        self.world().apply_seed(&Seed {
            users: Vec::new(),
            mm_accounts: vec![account],
        });
    }

    /// Adds a fault rule.
    pub fn add_fault(&self, rule: FaultRule) {
        self.world().faults.push(rule);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.world().faults.clear();
    }

    /// The next `n` requests get HTTP 429 `RATE_LIMIT_EXCEEDED`.
    pub fn rate_limit_next(&self, n: u32, retry_after_secs: u64) {
        self.add_fault(FaultRule::next(
            n,
            RequestMatch::any(),
            Fault::RateLimit { retry_after_secs },
        ));
    }

    /// The next `n` matching requests fail with one error message.
    pub fn fail_next(
        &self,
        n: u32,
        matcher: RequestMatch,
        http_status: u16,
        err_cd: &str,
        info: &str,
    ) {
        let fault = Fault::Fail {
            http_status,
            err_cd: err_cd.to_owned(),
            info: info.to_owned(),
        };
        self.add_fault(FaultRule::next(n, matcher, fault));
    }

    /// The next `n` matching requests are executed but answered as jobs that need `polls`
    /// polls of `/REST/Job/<id>/` before they give the result.
    pub fn promote_next_to_job(&self, n: u32, matcher: RequestMatch, polls: u32) {
        let fault = Fault::PromoteToJob {
            polls,
            after_millis: 0,
            response: None,
        };
        self.add_fault(FaultRule::next(n, matcher, fault));
    }

    /// The next `n` requests get "This session already has a job running".
    pub fn job_running_next(&self, n: u32) {
        self.add_fault(FaultRule::next(n, RequestMatch::any(), Fault::JobRunning));
    }

    /// The next `n` matching requests get "Operation blocked by current task".
    pub fn blocked_next(&self, n: u32, matcher: RequestMatch) {
        self.add_fault(FaultRule::next(n, matcher, Fault::BlockedByTask));
    }

    /// Starts a blocking task on a zone of a customer: writes to the zone fail with
    /// "Operation blocked by current task" for `duration`. Returns the task id.
    pub fn block_zone(&self, customer: &str, zone: &str, duration: Duration) -> u64 {
        let zone = crate::tm::names::norm(zone);
        let mut world = self.world();
        let customer = world
            .customer_mut(customer)
            .map_or_else(|| customer.to_owned(), |c| c.name.clone());
        world.start_task(&customer, &zone, "ProvisionZone", Some(duration))
    }

    /// Expires one session token; returns whether it existed.
    pub fn expire_token(&self, token: &str) -> bool {
        self.world().sessions.remove(token).is_some()
    }

    /// Expires every session.
    pub fn expire_all_sessions(&self) {
        self.world().sessions.clear();
    }

    /// Number of live sessions.
    pub fn session_count(&self) -> usize {
        self.world().sessions.len()
    }

    /// Moves the simulator's clock forward (session expiry, jobs, tasks, serials, MM times).
    pub fn advance_clock(&self, by: Duration) {
        self.world().clock.advance(by);
    }

    /// The request log with passwords, secrets, API keys and tokens masked.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.world()
            .log
            .iter()
            .map(LoggedRequest::redacted)
            .collect()
    }

    /// The request log exactly as received.
    pub fn requests_raw(&self) -> Vec<LoggedRequest> {
        self.world().log.clone()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.world().log.clear();
    }

    /// Adds an MM event (bounce, complaint, open, click, ...) to an account's reports; returns
    /// false when the API key is unknown.
    pub fn mm_inject(&self, apikey: &str, event: crate::MmEvent) -> bool {
        let mut world = self.world();
        let now = world.clock.unix();
        crate::mm::event::inject(&mut world.mm, apikey, event, now)
    }

    /// The messages an MM account has sent, as JSON, oldest first.
    pub fn mm_messages(&self, apikey: &str) -> Vec<Value> {
        self.world()
            .mm
            .accounts
            .get(apikey)
            .map(|a| a.messages.clone())
            .unwrap_or_default()
    }

    /// A JSON dump of the published state (zones with serials and records, TSIG keys,
    /// MM accounts), for comparing what two clients did.
    pub fn state(&self) -> Value {
        crate::control::dump(&self.world())
    }
}
