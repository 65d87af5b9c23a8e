//! Renders `crates/dyn-tm/src/records/generated.rs` from the record table
//! (`crates/dyn-tm/records.json`).
//!
//! Pure (std and serde_json only), so dyn-tm's staleness test can include this file with
//! `#[path]` and compare its output with the committed file without running cargo.

use std::fmt::Write as _;

use serde_json::Value;

/// One rdata field of the table.
struct Field {
    name: String,
    kind: String,
    doc: String,
    default: Option<Value>,
}

/// One record type of the table.
struct RecordDef {
    name: String,
    doc: String,
    fields: Vec<Field>,
}

fn text<'v>(value: &'v Value, key: &str, context: &str) -> Result<&'v str, String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{context}: `{key}` must be a string"))
}

fn parse(table: &str) -> Result<Vec<RecordDef>, String> {
    let root: Value =
        serde_json::from_str(table).map_err(|error| format!("record table: {error}"))?;
    let types = root
        .get("types")
        .and_then(Value::as_array)
        .ok_or("record table: `types` must be a list")?;
    let mut defs = Vec::new();
    for entry in types {
        let name = text(entry, "type", "record type")?.to_owned();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(format!(
                "record type `{name}`: must be upper-case letters and digits"
            ));
        }
        let doc = text(entry, "doc", &name)?.to_owned();
        let mut fields = Vec::new();
        for field in entry
            .get("fields")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{name}: `fields` must be a list"))?
        {
            let field_name = text(field, "name", &name)?.to_owned();
            let kind = text(field, "kind", &name)?.to_owned();
            if rust_type(&kind).is_none() {
                return Err(format!("{name}.{field_name}: unknown kind `{kind}`"));
            }
            fields.push(Field {
                doc: text(field, "doc", &name)?.to_owned(),
                default: field.get("default").cloned(),
                name: field_name,
                kind,
            });
        }
        defs.push(RecordDef { name, doc, fields });
    }
    Ok(defs)
}

/// The Rust type of a field kind.
fn rust_type(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "ipv4" => "Ipv4Addr",
        "ipv6" => "Ipv6Addr",
        "host" | "text" | "loose" => "String",
        "u8" => "u8",
        "u16" => "u16",
        "u32" => "u32",
        "words" => "Vec<String>",
        _ => return None,
    })
}

/// The lenient deserializer of a kind, if it needs one.
fn deserializer(kind: &str) -> Option<&'static str> {
    match kind {
        "host" | "text" | "loose" => Some("lenient::text"),
        "u8" => Some("lenient::u8"),
        "u16" => Some("lenient::u16"),
        "u32" => Some("lenient::u32"),
        "words" => Some("lenient::words"),
        _ => None,
    }
}

/// `AAAA` → `Aaaa`.
fn camel(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn default_fn(def: &RecordDef, field: &Field) -> String {
    format!("default_{}_{}", def.name.to_ascii_lowercase(), field.name)
}

fn default_expr(field: &Field) -> Result<String, String> {
    let value = field.default.as_ref().ok_or("no default")?;
    Ok(match (field.kind.as_str(), value) {
        ("u8" | "u16" | "u32", Value::Number(number)) => number.to_string(),
        ("host" | "text" | "loose", Value::String(text)) => format!("{text:?}.to_owned()"),
        (kind, value) => {
            return Err(format!(
                "{}: default {value} does not fit kind `{kind}`",
                field.name
            ));
        }
    })
}

/// The argument type of a field in `new`.
fn arg_type(kind: &str) -> &'static str {
    match kind {
        "host" | "text" | "loose" => "impl Into<String>",
        "words" => "impl IntoIterator<Item = impl Into<String>>",
        other => rust_type(other).unwrap_or("String"),
    }
}

fn arg_value(field: &Field) -> String {
    match field.kind.as_str() {
        "host" | "text" | "loose" => format!("{}: {}.into()", field.name, field.name),
        "words" => format!(
            "{}: {}.into_iter().map(Into::into).collect()",
            field.name, field.name
        ),
        _ => field.name.clone(),
    }
}

fn render_struct(out: &mut String, def: &RecordDef) -> Result<(), String> {
    let camel = camel(&def.name);
    let _ = writeln!(out, "/// `{}` rdata: {}", def.name, def.doc);
    out.push_str("#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]\n");
    let _ = writeln!(out, "pub struct {camel}Rdata {{");
    for field in &def.fields {
        let _ = writeln!(out, "    /// {}", field.doc);
        let mut attrs = Vec::new();
        if let Some(de) = deserializer(&field.kind) {
            attrs.push(format!("deserialize_with = \"{de}\""));
        }
        if field.default.is_some() {
            attrs.push(format!("default = \"{}\"", default_fn(def, field)));
        }
        if !attrs.is_empty() {
            let _ = writeln!(out, "    #[serde({})]", attrs.join(", "));
        }
        let ty = rust_type(&field.kind).ok_or("unknown kind")?;
        let _ = writeln!(out, "    pub {}: {ty},", field.name);
    }
    out.push_str("}\n\n");

    let required: Vec<&Field> = def.fields.iter().filter(|f| f.default.is_none()).collect();
    let _ = writeln!(out, "impl {camel}Rdata {{");
    let _ = write!(
        out,
        "    /// `{}` rdata from its required fields, in dyn-python's order",
        def.name
    );
    if required.len() < def.fields.len() {
        out.push_str("; the others take their defaults");
    }
    out.push_str(".\n");
    let args: Vec<String> = required
        .iter()
        .map(|f| format!("{}: {}", f.name, arg_type(&f.kind)))
        .collect();
    let _ = writeln!(out, "    pub fn new({}) -> Self {{", args.join(", "));
    out.push_str("        Self {\n");
    for field in &def.fields {
        if field.default.is_some() {
            let _ = writeln!(
                out,
                "            {}: {}(),",
                field.name,
                default_fn(def, field)
            );
        } else {
            let _ = writeln!(out, "            {},", arg_value(field));
        }
    }
    out.push_str("        }\n    }\n}\n\n");

    for field in def.fields.iter().filter(|f| f.default.is_some()) {
        let ty = rust_type(&field.kind).ok_or("unknown kind")?;
        let _ = writeln!(
            out,
            "fn {}() -> {ty} {{\n    {}\n}}\n",
            default_fn(def, field),
            default_expr(field).map_err(|e| format!("{}.{e}", def.name))?
        );
    }
    let _ = writeln!(
        out,
        "impl From<{camel}Rdata> for Rdata {{\n    fn from(rdata: {camel}Rdata) -> Self {{\n        Self::{camel}(rdata)\n    }}\n}}\n"
    );
    Ok(())
}

/// Renders the generated module from the JSON record table.
pub(crate) fn render(table: &str) -> Result<String, String> {
    let defs = parse(table)?;
    let mut out = String::new();
    out.push_str(
        "//! Typed rdata of every record type: generated by `cargo xtask codegen` from\n\
         //! `crates/dyn-tm/records.json`. Do not edit; change the table and run the generator.\n\n\
         use std::net::{Ipv4Addr, Ipv6Addr};\n\n\
         use serde::{Deserialize, Serialize};\n\
         use serde_json::Value;\n\n\
         use super::lenient;\n\
         use super::types::{OtherRdata, RecordType};\n\n",
    );

    out.push_str("impl RecordType {\n");
    for def in &defs {
        let _ = writeln!(out, "    /// `{}`: {}", def.name, def.doc);
        let _ = writeln!(
            out,
            "    pub const {}: Self = Self::known(\"{}\");",
            def.name, def.name
        );
    }
    out.push_str("\n    /// Every type with typed rdata, in table order.\n    pub const KNOWN: &'static [Self] = &[\n");
    for def in &defs {
        let _ = writeln!(out, "        Self::{},", def.name);
    }
    out.push_str("    ];\n}\n\n");

    out.push_str(
        "/// The data of a record: typed for every type of the table, raw JSON fields otherwise.\n\
         #[derive(Debug, Clone, PartialEq, Eq)]\n\
         #[non_exhaustive]\n\
         pub enum Rdata {\n",
    );
    for def in &defs {
        let _ = writeln!(out, "    /// `{}`: {}", def.name, def.doc);
        let _ = writeln!(out, "    {}({}Rdata),", camel(&def.name), camel(&def.name));
    }
    out.push_str(
        "    /// Any other type (the escape hatch): its fields as the API spells them.\n    Other(OtherRdata),\n}\n\n",
    );

    out.push_str("impl Rdata {\n    /// The record type this rdata belongs to.\n    pub fn record_type(&self) -> RecordType {\n        match self {\n");
    for def in &defs {
        let _ = writeln!(
            out,
            "            Self::{}(_) => RecordType::{},",
            camel(&def.name),
            def.name
        );
    }
    out.push_str(
        "            Self::Other(other) => other.record_type().clone(),\n        }\n    }\n\n",
    );

    out.push_str("    /// The rdata as the JSON object the API takes.\n    ///\n    /// # Errors\n    /// When a field cannot be represented in JSON (never for the generated types).\n    pub fn to_value(&self) -> Result<Value, serde_json::Error> {\n        match self {\n");
    for def in &defs {
        let _ = writeln!(
            out,
            "            Self::{}(rdata) => serde_json::to_value(rdata),",
            camel(&def.name)
        );
    }
    out.push_str("            Self::Other(other) => Ok(Value::Object(other.fields().clone())),\n        }\n    }\n\n");

    out.push_str("    /// Reads the rdata of a `record_type` record from the API's JSON object.\n    ///\n    /// # Errors\n    /// When the object lacks a field of a typed record type or holds a value of the wrong kind.\n    pub fn from_value(record_type: &RecordType, value: Value) -> Result<Self, serde_json::Error> {\n        match record_type.as_str() {\n");
    for def in &defs {
        let _ = writeln!(
            out,
            "            \"{}\" => serde_json::from_value(value).map(Self::{}),",
            def.name,
            camel(&def.name)
        );
    }
    out.push_str("            _ => OtherRdata::from_value(record_type.clone(), value).map(Self::Other),\n        }\n    }\n}\n\n");

    for def in &defs {
        render_struct(&mut out, def)?;
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    Ok(out)
}
