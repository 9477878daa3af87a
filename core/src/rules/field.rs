//! Ticket fields read natively, as rules see them, without converting the
//! ticket for Rhai: the scalar fields that `when` conditions and target
//! tables key on (`channel`, `customer.tier`, `product.category`,
//! `fault.code`, `attributes.segment`, …).
//!
//! A value is the one Rhai would see in the ticket's object map: text as a
//! string, flags as booleans, survey scores as integers, attribute values
//! as JSON gives them, `()` for a field the ticket leaves out.

use crate::ticket::Ticket;

/// A scalar as a rule sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value<'a> {
    /// `()`: the field is absent.
    Unit,
    /// A string.
    Str(&'a str),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A map, an array or a number beyond `i64`: left to Rhai.
    Other,
}

impl Value<'_> {
    /// The value as text, as a table key reads it (`()` gives `None`).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Unit | Value::Other => None,
            Value::Str(s) => Some((*s).to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(rhai::Dynamic::from_float(*f).to_string()),
            Value::Bool(b) => Some(b.to_string()),
        }
    }
}

/// What reading a field gave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Read<'a> {
    /// The field's value (`()` when absent).
    Value(Value<'a>),
    /// The field's parent (`product` of `product.category`) is absent: Rhai
    /// gives `()` through `?.` and an error through `.`.
    NoParent,
}

type Reader = for<'a> fn(&'a Ticket) -> Read<'a>;

/// A ticket field path resolved once, when the policy is compiled.
#[derive(Debug, Clone)]
pub(crate) enum Field {
    /// A field of the ticket's typed shape.
    Typed(Reader),
    /// `attributes.NAME`.
    Attribute(String),
}

fn text(value: &Option<String>) -> Value<'_> {
    value.as_deref().map_or(Value::Unit, Value::Str)
}

fn flag(value: Option<bool>) -> Value<'static> {
    value.map_or(Value::Unit, Value::Bool)
}

fn score(value: Option<u8>) -> Value<'static> {
    value.map_or(Value::Unit, |v| Value::Int(i64::from(v)))
}

fn of<'a, T>(parent: &'a Option<T>, read: impl Fn(&'a T) -> Value<'a>) -> Read<'a> {
    parent
        .as_ref()
        .map_or(Read::NoParent, |p| Read::Value(read(p)))
}

/// A JSON value as Rhai's serde conversion shows it.
pub(crate) fn json(value: &serde_json::Value) -> Value<'_> {
    match value {
        serde_json::Value::Null => Value::Unit,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::String(s) => Value::Str(s),
        serde_json::Value::Number(n) => match (n.as_i64(), n.is_f64()) {
            (Some(i), _) => Value::Int(i),
            (None, true) => n.as_f64().map_or(Value::Other, Value::Float),
            // A whole number beyond i64: Rhai's conversion decides.
            (None, false) => Value::Other,
        },
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => Value::Other,
    }
}

impl Field {
    /// Resolves a path below `ticket` (`["product", "category"]`); `None`
    /// when the path is not a scalar field read natively (dates, money,
    /// lists, events), which rules then read from the ticket's Rhai map.
    pub fn resolve(path: &[&str]) -> Option<Field> {
        let reader: Reader = match path {
            ["id"] => |t| Read::Value(Value::Str(&t.id)),
            ["channel"] => |t| Read::Value(text(&t.channel)),
            ["kind"] => |t| Read::Value(text(&t.kind)),
            ["severity"] => |t| Read::Value(text(&t.severity)),
            ["customer", name] => match *name {
                "id" => |t| of(&t.customer, |c| text(&c.id)),
                "tier" => |t| of(&t.customer, |c| text(&c.tier)),
                "region" => |t| of(&t.customer, |c| text(&c.region)),
                "zone" => |t| of(&t.customer, |c| text(&c.zone)),
                "segment" => |t| of(&t.customer, |c| text(&c.segment)),
                "plan" => |t| of(&t.customer, |c| text(&c.plan)),
                _ => return None,
            },
            ["product", name] => match *name {
                "model" => |t| of(&t.product, |p| text(&p.model)),
                "category" => |t| of(&t.product, |p| text(&p.category)),
                "serial" => |t| of(&t.product, |p| text(&p.serial)),
                "sold_via" => |t| of(&t.product, |p| text(&p.sold_via)),
                "proof_of_purchase" => |t| of(&t.product, |p| flag(p.proof_of_purchase)),
                "intact" => |t| of(&t.product, |p| flag(p.intact)),
                "no_return_confirmed" => |t| of(&t.product, |p| flag(p.no_return_confirmed)),
                _ => return None,
            },
            ["fault", name] => match *name {
                "code" => |t| of(&t.fault, |f| text(&f.code)),
                "component" => |t| of(&t.fault, |f| text(&f.component)),
                "cause" => |t| of(&t.fault, |f| text(&f.cause)),
                "complexity" => |t| of(&t.fault, |f| text(&f.complexity)),
                "performance" => |t| of(&t.fault, |f| flag(f.performance)),
                _ => return None,
            },
            ["work", name] => match *name {
                "after_hours" => |t| of(&t.work, |w| flag(w.after_hours)),
                "repair_accepted" => |t| of(&t.work, |w| flag(w.repair_accepted)),
                _ => return None,
            },
            ["survey", name] => match *name {
                "satisfaction" => |t| of(&t.survey, |s| score(s.satisfaction)),
                "nps" => |t| of(&t.survey, |s| score(s.nps)),
                "first_contact_resolution" => {
                    |t| of(&t.survey, |s| flag(s.first_contact_resolution))
                }
                _ => return None,
            },
            ["attributes", name] => return Some(Field::Attribute((*name).to_string())),
            _ => return None,
        };
        Some(Field::Typed(reader))
    }

    /// [`Field::resolve`] for a path held as strings.
    pub fn resolve_path(path: &[String]) -> Option<Field> {
        match path {
            [a] => Field::resolve(&[a.as_str()]),
            [a, b] => Field::resolve(&[a.as_str(), b.as_str()]),
            _ => None,
        }
    }

    /// The field of `ticket` as text, as a table key reads it: `Some("")`
    /// when it or its parent is absent, `None` when it is not a scalar
    /// (Rhai's conversion then decides).
    pub fn key<'a>(&self, ticket: &'a Ticket) -> Option<std::borrow::Cow<'a, str>> {
        match self.read(ticket) {
            Read::NoParent | Read::Value(Value::Unit) => Some("".into()),
            Read::Value(Value::Str(s)) => Some(s.into()),
            Read::Value(Value::Other) => None,
            Read::Value(value) => value.as_text().map(Into::into),
        }
    }

    /// Reads the field of `ticket`.
    pub fn read<'a>(&self, ticket: &'a Ticket) -> Read<'a> {
        match self {
            Field::Typed(reader) => reader(ticket),
            Field::Attribute(name) => {
                Read::Value(ticket.attributes.get(name).map_or(Value::Unit, json))
            }
        }
    }
}
