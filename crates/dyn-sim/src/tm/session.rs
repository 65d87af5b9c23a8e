//! `/REST/Session/` (login, is-alive, keep-alive, logout), `/REST/Password/`,
//! `/REST/UserPermissionReport/`, and token validation.

use std::net::IpAddr;

use serde_json::{Value, json};

use super::envelope::{Failure, Msg, TmResult, bad_token, ip_mismatch, missing, ok};
use super::{Call, Sess, bad_method};
use crate::world::{SessionState, World};

/// The API version the real service reported at login.
const API_VERSION: &str = "3.7.9";

pub(crate) fn handle(world: &mut World, call: &Call) -> TmResult {
    match call.method.as_str() {
        "POST" => login(world, call),
        "GET" => {
            call.sess()?;
            ok(json!({}), "isalive: User session is still active")
        }
        "PUT" => {
            call.sess()?;
            ok(json!({}), "keepalive: User session extended")
        }
        "DELETE" => {
            let sess = call.sess()?;
            world.sessions.remove(&sess.token);
            ok(json!({}), "logout: Logout successful")
        }
        _ => Err(bad_method(call)),
    }
}

fn login(world: &mut World, call: &Call) -> TmResult {
    let fields = ["customer_name", "user_name", "password"];
    let absent: Vec<&str> = fields
        .iter()
        .copied()
        .filter(|f| call.args.str(f).is_none_or(|v| v.is_empty()))
        .collect();
    if !absent.is_empty() {
        let mut failure = missing(absent[0]);
        for f in &absent[1..] {
            failure.msgs.extend(missing(f).msgs);
        }
        return Err(failure);
    }
    let customer_name = call.args.str("customer_name").unwrap_or_default();
    let user_name = call.args.str("user_name").unwrap_or_default();
    let password = call.args.str("password").unwrap_or_default();
    let known = world
        .customer_mut(&customer_name)
        .and_then(|c| c.users.get(&user_name))
        .is_some_and(|u| u.password == password && !u.blocked);
    if !known {
        return Err(Failure::new(
            400,
            vec![Msg::error(
                "INVALID_DATA",
                "BLL",
                "login: Credentials you entered did not match those in our database. Please try again",
            )],
        )
        .and("login: Login failed"));
    }
    let token = new_token(world);
    let customer = world
        .customer_mut(&customer_name)
        .map(|c| c.name.clone())
        .unwrap_or(customer_name);
    world.sessions.insert(
        token.clone(),
        SessionState {
            customer,
            user: user_name,
            ip: call.ip,
            last_seen: world.clock.now(),
            pending: Default::default(),
            in_flight: 0,
        },
    );
    ok(
        json!({"token": token, "version": API_VERSION}),
        "login: Login successful",
    )
}

fn new_token(world: &mut World) -> String {
    world.ids.token += 1;
    if world.options.deterministic_tokens {
        return format!("tok-{}", world.ids.token);
    }
    let mut bytes = [0_u8; 128];
    if getrandom::fill(&mut bytes).is_err() {
        // Uniqueness is all a simulator token needs; the counter provides it.
        return format!("tok-{}-{}", world.ids.token, world.clock.unix());
    }
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bytes)
}

/// Finds the live session of a token, expiring idle ones and refreshing the idle timer.
pub(crate) fn authenticate(
    world: &mut World,
    token: Option<&str>,
    ip: IpAddr,
) -> Result<Sess, Failure> {
    let token = token.ok_or_else(bad_token)?;
    let now = world.clock.now();
    let idle = world.options.session_idle_timeout;
    let bind = world.options.bind_session_to_ip;
    let Some(state) = world.sessions.get_mut(token) else {
        return Err(bad_token());
    };
    if now.saturating_duration_since(state.last_seen) > idle {
        world.sessions.remove(token);
        return Err(bad_token());
    }
    if bind && state.ip != ip {
        return Err(ip_mismatch());
    }
    state.last_seen = now;
    Ok(Sess {
        token: token.to_owned(),
        customer: state.customer.clone(),
        user: state.user.clone(),
    })
}

/// `PUT /REST/Password/ {"password": new}`.
pub(crate) fn password(world: &mut World, call: &Call) -> TmResult {
    if !call.is("PUT") {
        return Err(bad_method(call));
    }
    let sess = call.sess()?;
    let new = call.args.req_str("password")?;
    let user = world
        .customer_mut(&sess.customer)
        .and_then(|c| c.users.get_mut(&sess.user))
        .ok_or_else(bad_token)?;
    user.password = new;
    ok(json!({}), "update: Password updated")
}

/// `POST /REST/UserPermissionReport/ {"user_name": u}`.
pub(crate) fn permission_report(world: &mut World, call: &Call) -> TmResult {
    let sess = call.sess()?;
    let user_name = call
        .args
        .str("user_name")
        .unwrap_or_else(|| sess.user.clone());
    let customer = world.customer_mut(&sess.customer).ok_or_else(bad_token)?;
    let user = customer
        .users
        .get(&user_name)
        .ok_or_else(|| super::envelope::not_found("user_name: No such user"))?;
    let allowed: Vec<Value> = user
        .permissions
        .iter()
        .map(|p| json!({"name": p, "zone": [], "reason": ["user"]}))
        .collect();
    ok(
        json!({"allowed": allowed, "forbidden": []}),
        "get: Permissions report",
    )
}
