//! Traffic Director (DSF) trees: a service posted with nested rulesets, response pools,
//! failover chains, record sets and records comes back the way the API answered, every level
//! with its id, and each level is also reachable through its own resource.

use serde_json::{Map, Value, json};

/// A 27-character URL-safe id, the shape of real DSF ids, derived from a seed.
pub(crate) fn id_from(seed: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    (0..27_u64)
        .map(|i| {
            x = x
                .rotate_left(7)
                .wrapping_add(seed.wrapping_add(i))
                .wrapping_mul(0x2545_F491_4F6C_DD1D);
            char::from(ALPHABET[usize::try_from(x >> 58).unwrap_or(0)])
        })
        .collect()
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// Children found while expanding, to register under their own resources: (kind, id, object).
pub(crate) type Children = Vec<(&'static str, String, Value)>;

fn obj(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn list(o: &Map<String, Value>, key: &str) -> Vec<Value> {
    o.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn fill(o: &mut Map<String, Value>, defaults: &[(&str, Value)]) {
    for (k, v) in defaults {
        o.entry(*k).or_insert_with(|| v.clone());
    }
}

/// Expands a service in place (`rulesets` and everything below) and returns the children.
pub(crate) fn expand(service: &mut Map<String, Value>, svc: &str) -> Children {
    let mut children = Vec::new();
    fill(
        service,
        &[
            ("nodes", json!([])),
            ("notifiers", json!([])),
            ("pending_change", json!("")),
            ("active", json!("Y")),
            ("ttl", json!("0")),
        ],
    );
    let rulesets: Vec<Value> = list(service, "rulesets")
        .iter()
        .enumerate()
        .map(|(i, r)| ruleset(svc, &format!("r{i}"), obj(r), i, &mut children))
        .collect();
    service.insert("rulesets".into(), Value::Array(rulesets));
    children
}

fn id_for(o: &mut Map<String, Value>, key: &str, svc: &str, path: &str) -> String {
    let id = o
        .get(key)
        .and_then(Value::as_str)
        .map_or_else(|| id_from(fnv(&format!("{svc}/{path}"))), str::to_owned);
    o.insert(key.into(), json!(id));
    o.insert("service_id".into(), json!(svc));
    id
}

fn ruleset(
    svc: &str,
    path: &str,
    mut r: Map<String, Value>,
    ordering: usize,
    out: &mut Children,
) -> Value {
    let id = id_for(&mut r, "dsf_ruleset_id", svc, path);
    fill(
        &mut r,
        &[
            ("criteria_type", json!("always")),
            ("criteria", json!({})),
            ("ordering", json!(ordering.to_string())),
            ("label", json!("")),
        ],
    );
    let pools: Vec<Value> = list(&r, "response_pools")
        .iter()
        .enumerate()
        .map(|(i, p)| pool(svc, &format!("{path}/p{i}"), obj(p), out))
        .collect();
    r.insert("response_pools".into(), Value::Array(pools));
    let value = Value::Object(r);
    out.push(("dsfruleset", id, value.clone()));
    value
}

fn pool(svc: &str, path: &str, mut p: Map<String, Value>, out: &mut Children) -> Value {
    let id = id_for(&mut p, "dsf_response_pool_id", svc, path);
    fill(
        &mut p,
        &[
            ("core_set_count", json!("1")),
            ("eligible", json!("true")),
            ("automation", json!("auto")),
            ("pending_change", json!("")),
            ("label", json!("")),
        ],
    );
    let chains: Vec<Value> = list(&p, "rs_chains")
        .iter()
        .enumerate()
        .map(|(i, c)| chain(svc, &format!("{path}/c{i}"), &id, obj(c), out))
        .collect();
    p.insert("rs_chains".into(), Value::Array(chains));
    let value = Value::Object(p);
    out.push(("dsfresponsepool", id, value.clone()));
    value
}

fn chain(
    svc: &str,
    path: &str,
    pool_id: &str,
    mut c: Map<String, Value>,
    out: &mut Children,
) -> Value {
    let id = id_for(&mut c, "dsf_record_set_failover_chain_id", svc, path);
    c.insert("dsf_response_pool_id".into(), json!(pool_id));
    fill(
        &mut c,
        &[
            ("core", json!("false")),
            ("pending_change", json!("")),
            ("label", json!("")),
        ],
    );
    let sets: Vec<Value> = list(&c, "record_sets")
        .iter()
        .enumerate()
        .map(|(i, s)| record_set(svc, &format!("{path}/s{i}"), &id, obj(s), out))
        .collect();
    c.insert("record_sets".into(), Value::Array(sets));
    let value = Value::Object(c);
    out.push(("dsfchain", id, value.clone()));
    value
}

fn record_set(
    svc: &str,
    path: &str,
    chain_id: &str,
    mut s: Map<String, Value>,
    out: &mut Children,
) -> Value {
    let id = id_for(&mut s, "dsf_record_set_id", svc, path);
    s.insert("dsf_record_set_failover_chain_id".into(), json!(chain_id));
    fill(
        &mut s,
        &[
            ("rdata_class", json!("A")),
            ("label", json!("")),
            ("ttl", json!("0")),
            ("automation", json!("auto")),
            ("serve_count", json!("1")),
            ("fail_count", json!("0")),
            ("trouble_count", json!("0")),
            ("eligible", json!("true")),
            ("dsf_monitor_id", json!("")),
            ("status", json!("ok")),
            ("torpidity", json!("0")),
            ("pending_change", json!("")),
        ],
    );
    let class = s
        .get("rdata_class")
        .and_then(Value::as_str)
        .unwrap_or("A")
        .to_owned();
    let ttl = s.get("ttl").cloned().unwrap_or(json!("0"));
    let records: Vec<Value> = list(&s, "records")
        .iter()
        .enumerate()
        .map(|(i, r)| record(svc, &format!("{path}/x{i}"), &id, &class, &ttl, obj(r), out))
        .collect();
    s.insert("records".into(), Value::Array(records));
    let value = Value::Object(s);
    out.push(("dsfrecordset", id, value.clone()));
    value
}

/// Turns request rdata `{"a_rdata": {...}}` into the answer's `[{type, data: {rdata_a}}]`.
fn rdata(given: Option<&Value>, class: &str, ttl: &Value) -> Value {
    match given {
        Some(Value::Array(items)) => Value::Array(items.clone()),
        Some(Value::Object(map)) => Value::Array(
            map.iter()
                .map(|(key, inner)| {
                    let t = key.strip_suffix("_rdata").or_else(|| key.strip_prefix("rdata_")).unwrap_or(class);
                    json!({"type": t.to_ascii_uppercase(), "ttl": ttl, "data": {format!("rdata_{}", t.to_ascii_lowercase()): inner}})
                })
                .collect(),
        ),
        _ => json!([]),
    }
}

fn record(
    svc: &str,
    path: &str,
    set_id: &str,
    class: &str,
    ttl: &Value,
    mut r: Map<String, Value>,
    out: &mut Children,
) -> Value {
    let id = id_for(&mut r, "dsf_record_id", svc, path);
    r.insert("dsf_record_set_id".into(), json!(set_id));
    let record_ttl = r.get("ttl").cloned().unwrap_or_else(|| ttl.clone());
    let converted = rdata(r.get("rdata"), class, &record_ttl);
    r.insert("rdata".into(), converted);
    r.insert("rdata_class".into(), json!(class));
    r.insert("ttl".into(), record_ttl);
    fill(
        &mut r,
        &[
            ("label", json!("")),
            ("weight", json!(1)),
            ("automation", json!("auto")),
            ("endpoints", json!([])),
            ("endpoint_up_count", json!(1)),
            ("eligible", json!("true")),
            ("status", json!("ok")),
            ("torpidity", json!("0")),
            ("pending_change", json!("")),
        ],
    );
    let value = Value::Object(r);
    out.push(("dsfrecord", id, value.clone()));
    value
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nested_services_get_ids_and_api_shaped_records() {
        let mut svc = obj(
            &json!({"label": "td", "rulesets": [{"label": "r", "response_pools": [{"label": "p",
            "rs_chains": [{"label": "c", "record_sets": [{"rdata_class": "A", "records": [{"label": "a",
            "rdata": {"a_rdata": {"address": "192.0.2.1"}}}]}]}]}]}]}),
        );
        let children = expand(&mut svc, "svc");
        assert_eq!(children.len(), 5);
        let record = &svc["rulesets"][0]["response_pools"][0]["rs_chains"][0]["record_sets"][0]["records"]
            [0];
        assert_eq!(
            record["rdata"][0]["data"]["rdata_a"]["address"],
            "192.0.2.1"
        );
        assert_eq!(record["rdata_class"], "A");
        assert_eq!(record["dsf_record_id"].as_str().map(str::len), Some(27));
        let again = expand(&mut svc.clone(), "svc");
        assert_eq!(again[0].1, children[0].1, "ids are stable");
        assert_ne!(id_from(1), id_from(2));
    }
}
