//! A small BIND master-file reader for `/REST/ZoneFile/`: `$ORIGIN`, `$TTL`, `@`, relative
//! names, parentheses, comments, quoted strings, and the common record types.

use serde_json::{Map, Value};

use super::envelope::{Failure, invalid};
use super::rdata;
use crate::world::Record;

/// What a zone file yields.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) rname: String,
    pub(crate) ttl: u64,
    pub(crate) records: Vec<Record>,
}

/// Wire order of the rdata fields per type, as they appear in a master file.
fn wire_fields(rtype: &str) -> Option<&'static [&'static str]> {
    Some(match rtype {
        "A" | "AAAA" => &["address"],
        "CNAME" => &["cname"],
        "NS" => &["nsdname"],
        "PTR" => &["ptrdname"],
        "ALIAS" => &["alias"],
        "DNAME" => &["dname"],
        "MX" | "KX" => &["preference", "exchange"],
        "SRV" => &["priority", "weight", "port", "target"],
        "CAA" => &["flags", "tag", "value"],
        "SOA" => &[
            "mname", "rname", "serial", "refresh", "retry", "expire", "minimum",
        ],
        "SSHFP" => &["algorithm", "fptype", "fingerprint"],
        "TLSA" => &["cert_usage", "selector", "match_type", "certificate"],
        "DS" | "CDS" => &["keytag", "algorithm", "digtype", "digest"],
        "RP" => &["mbox", "txtdname"],
        _ => return None,
    })
}

fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => return &line[..i],
            _ => {}
        }
    }
    line
}

fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                if quoted {
                    out.push(std::mem::take(&mut current));
                }
                quoted = !quoted;
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            '(' | ')' if !quoted => {}
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn absolute(name: &str, origin: &str) -> String {
    if name == "@" {
        origin.to_owned()
    } else if let Some(abs) = name.strip_suffix('.') {
        abs.to_ascii_lowercase()
    } else {
        format!("{}.{origin}", name.to_ascii_lowercase())
    }
}

/// Joins parenthesised continuation lines into logical lines, keeping whether each started
/// with blank space (owner omitted).
fn logical_lines(text: &str) -> Vec<(usize, bool, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, bool, String)> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = strip_comment(raw);
        let depth = line.matches('(').count() as i64 - line.matches(')').count() as i64;
        match open.take() {
            Some((start, blank, mut acc)) => {
                acc.push(' ');
                acc.push_str(line);
                let still_open = acc.matches('(').count() > acc.matches(')').count();
                if still_open {
                    open = Some((start, blank, acc))
                } else {
                    out.push((start, blank, acc))
                }
            }
            None if line.trim().is_empty() => {}
            None => {
                let blank = line.starts_with([' ', '\t']);
                if depth > 0 {
                    open = Some((n + 1, blank, line.to_owned()))
                } else {
                    out.push((n + 1, blank, line.to_owned()))
                }
            }
        }
    }
    if let Some(rest) = open {
        out.push(rest);
    }
    out
}

pub(crate) fn parse(text: &str, zone: &str) -> Result<Parsed, Failure> {
    let mut origin = zone.to_owned();
    let mut default_ttl = 3600_u64;
    let mut owner = zone.to_owned();
    let mut parsed = Parsed {
        rname: format!("hostmaster@{zone}"),
        ttl: 3600,
        records: Vec::new(),
    };
    for (line_no, blank, line) in logical_lines(text) {
        let bad = |why: &str| invalid(format!("file: {why} at line {line_no}"));
        let mut toks = tokens(&line);
        if toks.is_empty() {
            continue;
        }
        match toks[0].to_ascii_uppercase().as_str() {
            "$ORIGIN" => {
                origin = toks
                    .get(1)
                    .map(|o| absolute(o, zone))
                    .ok_or_else(|| bad("$ORIGIN without a name"))?;
                continue;
            }
            "$TTL" => {
                default_ttl = toks
                    .get(1)
                    .and_then(|t| t.parse().ok())
                    .ok_or_else(|| bad("bad $TTL"))?;
                parsed.ttl = default_ttl;
                continue;
            }
            d if d.starts_with('$') => return Err(bad("unsupported directive")),
            _ => {}
        }
        if !blank {
            owner = absolute(&toks.remove(0), &origin);
        }
        let mut ttl = default_ttl;
        let mut rtype = None;
        while !toks.is_empty() {
            let t = toks.remove(0);
            if let Ok(n) = t.parse::<u64>() {
                ttl = n;
            } else if t.eq_ignore_ascii_case("IN") {
            } else {
                rtype = Some(t.to_ascii_uppercase());
                break;
            }
        }
        let rtype = rtype.ok_or_else(|| bad("record without a type"))?;
        let spec =
            rdata::spec(&rtype).ok_or_else(|| bad(&format!("unsupported record type {rtype}")))?;
        let mut given = Map::new();
        if matches!(rtype.as_str(), "TXT" | "SPF") {
            given.insert("txtdata".into(), Value::from(toks.join(" ")));
        } else {
            let fields = wire_fields(&rtype)
                .ok_or_else(|| bad(&format!("unsupported record type {rtype}")))?;
            if toks.len() < fields.len() {
                return Err(bad(&format!("too few fields for {rtype}")));
            }
            for (i, f) in fields.iter().enumerate() {
                let value = if i + 1 == fields.len() {
                    toks[i..].join(" ")
                } else {
                    toks[i].clone()
                };
                given.insert((*f).to_owned(), Value::from(value));
            }
        }
        if rtype == "SOA" {
            if let Some(r) = given.get("rname").and_then(Value::as_str) {
                parsed.rname = r.trim_end_matches('.').to_owned();
            }
            parsed.ttl = ttl;
            continue;
        }
        let rdata =
            rdata::validate(spec, &given).map_err(|f| f.and(format!("file: line {line_no}")))?;
        if !super::names::in_zone(&owner, zone) {
            return Err(bad(&format!("{owner} is not in zone {zone}")));
        }
        parsed.records.push(Record {
            uid: 0,
            id: 0,
            fqdn: owner.clone(),
            rtype: spec.name.to_owned(),
            ttl,
            rdata,
            extra: Map::new(),
        });
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_a_typical_master_file() {
        let text = "$ORIGIN example.com.\n$TTL 300\n@ IN SOA ns1.example.com. admin.example.com. (\n  1 3600 600 604800 1800 )\n\
                    @ IN NS ns1.example.com.\nwww 60 IN A 192.0.2.1 ; web\n     IN AAAA 2001:db8::1\n\
                    @ MX 10 mail.example.com.\ntxt TXT \"hello world\" \"again\"\n_sip._tcp SRV 10 5 5060 sip.example.com.\n";
        let parsed = parse(text, "example.com").expect("parses");
        assert_eq!(parsed.rname, "admin.example.com");
        let summary: Vec<(String, String, u64)> = parsed
            .records
            .iter()
            .map(|r| (r.fqdn.clone(), r.rtype.clone(), r.ttl))
            .collect();
        assert_eq!(summary[1], ("www.example.com".into(), "A".into(), 60));
        assert_eq!(summary[2], ("www.example.com".into(), "AAAA".into(), 300));
        assert_eq!(parsed.records[4].rdata["txtdata"], "hello world again");
        assert_eq!(parsed.records[5].rdata["port"], 5060);
        assert!(parse("www IN BOGUS 1", "example.com").is_err());
    }
}
