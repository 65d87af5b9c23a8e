//! The simulator's in-memory state, shared by every endpoint behind one lock.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::time::Instant;

use serde_json::{Map, Value};

use crate::clock::Clock;
use crate::fault::FaultRule;
use crate::log::LoggedRequest;
use crate::mm::world::MmWorld;
use crate::options::Options;
use crate::seed::Seed;

/// Everything the simulator knows.
#[derive(Debug, Default)]
pub(crate) struct World {
    pub(crate) options: Options,
    pub(crate) clock: Clock,
    pub(crate) customers: BTreeMap<String, Customer>,
    pub(crate) sessions: HashMap<String, SessionState>,
    pub(crate) jobs: HashMap<u64, Job>,
    pub(crate) tasks: BTreeMap<u64, Task>,
    pub(crate) faults: Vec<FaultRule>,
    pub(crate) log: Vec<LoggedRequest>,
    pub(crate) ids: Ids,
    pub(crate) mm: MmWorld,
}

/// Counters for every kind of identifier the API hands out.
#[derive(Debug)]
pub(crate) struct Ids {
    pub(crate) job: u64,
    pub(crate) record: u64,
    pub(crate) task: u64,
    pub(crate) uid: u64,
    pub(crate) token: u64,
    pub(crate) log: u64,
    pub(crate) service: u64,
}

impl Default for Ids {
    fn default() -> Self {
        Self {
            job: 8_100_000,
            record: 300_000_000,
            task: 5_550_000,
            uid: 1,
            token: 1000,
            log: 0,
            service: 1,
        }
    }
}

impl Ids {
    pub(crate) fn next_job(&mut self) -> u64 {
        self.job += 1;
        self.job
    }
    pub(crate) fn next_record(&mut self) -> u64 {
        self.record += 1;
        self.record
    }
    pub(crate) fn next_task(&mut self) -> u64 {
        self.task += 1;
        self.task
    }
    pub(crate) fn next_uid(&mut self) -> u64 {
        self.uid += 1;
        self.uid
    }
    pub(crate) fn next_service(&mut self) -> u64 {
        self.service += 1;
        self.service
    }
}

/// A DynECT customer (account): users, zones and everything else it owns.
#[derive(Debug, Default)]
pub(crate) struct Customer {
    pub(crate) name: String,
    pub(crate) users: BTreeMap<String, User>,
    pub(crate) zones: BTreeMap<String, Zone>,
    /// Named objects of the account, by collection (`tsig`, `contact`, `notifier`, `group`,
    /// `updateuser`, `ipacl`, `dsf`, `dsf_monitor`, `geo`, ...) then by key.
    pub(crate) objects: BTreeMap<&'static str, BTreeMap<String, Value>>,
    pub(crate) bucket: Bucket,
}

impl Customer {
    pub(crate) fn collection(&mut self, kind: &'static str) -> &mut BTreeMap<String, Value> {
        self.objects.entry(kind).or_default()
    }
    pub(crate) fn object(&self, kind: &'static str, key: &str) -> Option<&Value> {
        self.objects.get(kind).and_then(|c| c.get(key))
    }
}

/// Rate-limit bookkeeping of one customer.
#[derive(Debug, Default)]
pub(crate) struct Bucket {
    pub(crate) window_start: Option<Instant>,
    pub(crate) count: u32,
    pub(crate) locked_until: Option<Instant>,
}

/// An API user.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) user_name: String,
    pub(crate) password: String,
    pub(crate) permissions: Vec<String>,
    pub(crate) blocked: bool,
    /// Profile fields as the User resource returns them.
    pub(crate) fields: Map<String, Value>,
}

/// A logged-in session.
#[derive(Debug)]
pub(crate) struct SessionState {
    pub(crate) customer: String,
    pub(crate) user: String,
    pub(crate) ip: IpAddr,
    pub(crate) last_seen: Instant,
    /// Unpublished changes, by zone.
    pub(crate) pending: BTreeMap<String, Vec<Change>>,
    pub(crate) in_flight: u32,
}

/// A zone and its published data.
#[derive(Debug, Clone)]
pub(crate) struct Zone {
    pub(crate) name: String,
    pub(crate) secondary: bool,
    pub(crate) serial: u64,
    pub(crate) serial_style: String,
    pub(crate) frozen: bool,
    /// False until the first publish: a new zone counts as a pending change.
    pub(crate) published: bool,
    /// Default TTL of the zone (the SOA's TTL).
    pub(crate) ttl: u64,
    pub(crate) records: Vec<Record>,
    pub(crate) notes: Vec<Value>,
    /// Publishes already done on the day of the last `day`-style serial.
    pub(crate) day_counter: (u64, u64),
    /// Services attached to nodes, by resource kind and then key (usually the FQDN).
    pub(crate) services: BTreeMap<&'static str, BTreeMap<String, Value>>,
}

impl Zone {
    pub(crate) fn service_map(&mut self, kind: &'static str) -> &mut BTreeMap<String, Value> {
        self.services.entry(kind).or_default()
    }
}

/// One resource record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    /// Internal identity, stable across pending edits; never shown.
    pub(crate) uid: u64,
    /// The API's `record_id`: 0 until published.
    pub(crate) id: u64,
    pub(crate) fqdn: String,
    pub(crate) rtype: String,
    pub(crate) ttl: u64,
    pub(crate) rdata: Map<String, Value>,
    /// Extra top-level members (`service_class` for NS, `serial_style` for SOA).
    pub(crate) extra: Map<String, Value>,
}

/// An unpublished change of one session.
#[derive(Debug, Clone)]
pub(crate) enum Change {
    /// Add a record, or replace the record with the same `uid`.
    Put(Record),
    /// Remove the record with this `uid`.
    Remove(Record),
    /// Remove a service at publish (HTTP redirect deleted with `publish: "N"`).
    RemoveService {
        /// Service kind, as in [`Zone::services`].
        kind: &'static str,
        /// Service key (the FQDN).
        key: String,
    },
}

/// A request answered as a job.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) token: String,
    pub(crate) http_status: u16,
    pub(crate) body: Value,
    pub(crate) polls_left: u32,
    pub(crate) ready_at: Instant,
    pub(crate) response: crate::JobResponse,
}

impl Job {
    pub(crate) fn running(&self, now: Instant) -> bool {
        self.polls_left > 0 || now < self.ready_at
    }
}

/// Back-end work (publish, provisioning, transfers).
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) customer: String,
    pub(crate) zone: String,
    pub(crate) blocking: bool,
    pub(crate) created: u64,
    pub(crate) ends_at: Instant,
    pub(crate) canceled: bool,
    pub(crate) args: Vec<(String, String)>,
}

impl Task {
    pub(crate) fn status(&self, now: Instant) -> &'static str {
        if self.canceled {
            "canceled"
        } else if now < self.ends_at {
            "running"
        } else {
            "complete"
        }
    }
}

impl World {
    pub(crate) fn new(seed: &Seed, options: Options) -> Self {
        let mut world = Self {
            options,
            ..Self::default()
        };
        world.apply_seed(seed);
        world
    }

    pub(crate) fn apply_seed(&mut self, seed: &Seed) {
        for user in &seed.users {
            let customer = self
                .customers
                .entry(user.customer.to_ascii_lowercase())
                .or_insert_with(|| Customer {
                    name: user.customer.clone(),
                    ..Customer::default()
                });
            let mut fields = Map::new();
            fields.insert("user_name".into(), Value::from(user.user_name.clone()));
            fields.insert(
                "email".into(),
                Value::from(format!("{}@example.com", user.user_name)),
            );
            fields.insert("first_name".into(), Value::from(user.user_name.clone()));
            fields.insert("last_name".into(), Value::from("User"));
            fields.insert("nickname".into(), Value::from(user.user_name.clone()));
            fields.insert("organization".into(), Value::from(user.customer.clone()));
            fields.insert("phone".into(), Value::from("+1 555 0100"));
            fields.insert("status".into(), Value::from("active"));
            customer.users.insert(
                user.user_name.clone(),
                User {
                    user_name: user.user_name.clone(),
                    password: user.password.clone(),
                    permissions: user.permissions.clone(),
                    blocked: false,
                    fields,
                },
            );
        }
        for account in &seed.mm_accounts {
            self.mm.add_account(account, self.clock.unix());
        }
    }

    pub(crate) fn customer_mut(&mut self, name: &str) -> Option<&mut Customer> {
        self.customers.get_mut(&name.to_ascii_lowercase())
    }

    /// Tasks that currently block writes to a zone of a customer.
    pub(crate) fn blocking_task(&self, customer: &str, zone: &str) -> Option<&Task> {
        let now = self.clock.now();
        self.tasks.values().find(|t| {
            t.blocking
                && !t.canceled
                && now < t.ends_at
                && t.customer.eq_ignore_ascii_case(customer)
                && t.zone == zone
        })
    }

    pub(crate) fn start_task(
        &mut self,
        customer: &str,
        zone: &str,
        name: &str,
        blocking_for: Option<std::time::Duration>,
    ) -> u64 {
        let id = self.ids.next_task();
        let ends_at = self.clock.later(blocking_for.unwrap_or_default());
        self.tasks.insert(
            id,
            Task {
                id,
                name: name.to_owned(),
                customer: customer.to_owned(),
                zone: zone.to_owned(),
                blocking: blocking_for.is_some(),
                created: self.clock.unix(),
                ends_at,
                canceled: false,
                args: vec![("zone".into(), zone.to_owned())],
            },
        );
        id
    }
}
