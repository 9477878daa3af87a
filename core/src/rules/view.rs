//! The ticket as rules see it: a read-only object over the ticket itself,
//! not a copy. Reading `ticket.product.category` walks the ticket's own
//! fields to that one value and converts only it; nothing is built for the
//! fields a rule does not read, and reading a field does not copy its
//! siblings.
//!
//! Every value reads exactly as it would in the ticket's object map (the
//! ticket's JSON shape converted by Rhai's serde support): the walk goes
//! through the ticket's own `Serialize` implementation, and the value found
//! is converted by the same conversion. Objects (`product`, `customer`,
//! `attributes`, an attribute holding an object) are views of their own;
//! lists (`events`, `work.parts`) are converted to arrays when read.

use crate::ticket::Ticket;
use rhai::{Dynamic, Engine, EvalAltResult, ImmutableString, Position};
use serde::ser::{self, Impossible, Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// A read-only view of the ticket, or of an object inside it, for rules.
#[derive(Debug, Clone)]
pub struct TicketView {
    root: Arc<Ticket>,
    /// Field names (and attribute keys) from the ticket down to this object.
    path: Arc<[ImmutableString]>,
}

/// What the Rhai type is called (`type_of`, error messages).
pub const TYPE_NAME: &str = "object";

/// What a walk down the ticket found.
enum Found {
    /// Nothing there: reads as `()`.
    Missing,
    /// An object: read as a view of its own.
    Object,
    /// A value, converted.
    Value(Dynamic),
}

impl TicketView {
    /// A view of the whole ticket.
    pub fn new(ticket: Arc<Ticket>) -> TicketView {
        TicketView {
            root: ticket,
            path: Arc::from(Vec::new()),
        }
    }

    /// Field `key` of this object: a value, a view of an object, or `()`.
    pub fn get(&self, key: &str) -> Result<Dynamic, String> {
        let mut steps: Vec<&str> = Vec::with_capacity(self.path.len() + 1);
        steps.extend(self.path.iter().map(ImmutableString::as_str));
        steps.push(key);
        Ok(match walk(&self.root, &steps, false)? {
            Found::Missing => Dynamic::UNIT,
            Found::Value(value) => value,
            Found::Object => Dynamic::from(TicketView {
                root: Arc::clone(&self.root),
                path: self
                    .path
                    .iter()
                    .cloned()
                    .chain(std::iter::once(ImmutableString::from(key)))
                    .collect(),
            }),
        })
    }

    /// Whether this object has field `key` (an absent optional field does
    /// not count; an attribute set to `null` does).
    pub fn contains(&self, key: &str) -> Result<bool, String> {
        let mut steps: Vec<&str> = Vec::with_capacity(self.path.len() + 1);
        steps.extend(self.path.iter().map(ImmutableString::as_str));
        steps.push(key);
        Ok(!matches!(walk(&self.root, &steps, false)?, Found::Missing))
    }

    /// This object converted whole into an object map (a copy).
    pub fn to_map(&self) -> Result<rhai::Map, String> {
        let value = if self.path.is_empty() {
            convert(&*self.root)?
        } else {
            let steps: Vec<&str> = self.path.iter().map(ImmutableString::as_str).collect();
            match walk(&self.root, &steps, true)? {
                Found::Value(value) => value,
                Found::Missing | Found::Object => Dynamic::UNIT,
            }
        };
        Ok(value.try_cast::<rhai::Map>().unwrap_or_default())
    }

    /// The value at `path` below this object as text, as a table key reads
    /// it (`None` when absent).
    pub fn text_at(&self, path: &[String]) -> Option<String> {
        let mut steps: Vec<&str> = self.path.iter().map(ImmutableString::as_str).collect();
        steps.extend(path.iter().map(String::as_str));
        if steps.is_empty() {
            return super::as_text(&Dynamic::from_map(self.to_map().ok()?));
        }
        match walk(&self.root, &steps, true).ok()? {
            Found::Value(value) => super::as_text(&value),
            Found::Missing | Found::Object => None,
        }
    }
}

/// Registers the view's type and its functions: reading fields with `.`
/// and `[...]` (a missing field reads as `()`), `in`, `keys`, `values`,
/// `len`, `is_empty`, `get`, `to_map`, `to_json` and printing.
pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<TicketView>(TYPE_NAME);
    // A getter for each field of the ticket's typed shape: a property with
    // no getter falls back to the indexer only after a failed lookup.
    for &name in field_names() {
        engine.register_get(name, move |view: &mut TicketView| fallible(view.get(name)));
    }
    engine.register_indexer_get(|view: &mut TicketView, key: &str| fallible(view.get(key)));
    engine.register_fn("get", |view: &mut TicketView, key: &str| {
        fallible(view.get(key))
    });
    engine.register_fn("contains", |view: &mut TicketView, key: &str| {
        fallible(view.contains(key))
    });
    engine.register_fn("to_map", |view: &mut TicketView| fallible(view.to_map()));
    engine.register_fn("keys", |view: &mut TicketView| {
        fallible(view.to_map()).map(|map| {
            map.keys()
                .map(|k| Dynamic::from(k.to_string()))
                .collect::<rhai::Array>()
        })
    });
    engine.register_fn("values", |view: &mut TicketView| {
        fallible(view.to_map()).map(|map| map.into_values().collect::<rhai::Array>())
    });
    engine.register_fn("len", |view: &mut TicketView| {
        fallible(view.to_map()).map(|map| rhai::INT::try_from(map.len()).unwrap_or(rhai::INT::MAX))
    });
    engine.register_fn("is_empty", |view: &mut TicketView| {
        fallible(view.to_map()).map(|map| map.is_empty())
    });
    engine.register_fn("to_json", |view: &mut TicketView| {
        fallible(view.to_map()).map(|map| rhai::format_map_as_json(&map))
    });
    engine.register_fn("to_string", |view: &mut TicketView| {
        fallible(view.to_map()).map(|map| Dynamic::from_map(map).to_string())
    });
    engine.register_fn("to_debug", |view: &mut TicketView| {
        fallible(view.to_map()).map(|map| format!("{:?}", Dynamic::from_map(map)))
    });
}

/// The names of the fields of the ticket's typed shape and of its objects
/// (`id`, `product`, `category`, …), found once by serialising a ticket
/// with every object present.
fn field_names() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let full = r#"{"id":"T","opened_at":"2026-01-01T00:00:00Z","customer":{},"product":{},
            "fault":{},"history":{},"work":{},"order":{},"survey":{}}"#;
        let mut names = Vec::new();
        if let Ok(ticket) = Ticket::from_json(full) {
            let _ = ticket.serialize(Names(&mut names));
        }
        names.sort_unstable();
        names.dedup();
        names
    })
}

fn fallible<T>(result: Result<T, String>) -> Result<T, Box<EvalAltResult>> {
    result.map_err(|message| {
        Box::new(EvalAltResult::ErrorRuntime(
            Dynamic::from(format!("the ticket cannot be shown to rules: {message}")),
            Position::NONE,
        ))
    })
}

/// A value converted as the ticket's object map would hold it.
fn convert<T: Serialize + ?Sized>(value: &T) -> Result<Dynamic, String> {
    rhai::serde::to_dynamic(value).map_err(|e| e.to_string())
}

/// Walks `steps` down from the ticket. With `whole`, an object at the end
/// is converted rather than viewed.
fn walk(ticket: &Ticket, steps: &[&str], whole: bool) -> Result<Found, String> {
    match ticket.serialize(Walk { steps, whole }) {
        Ok(found) => Ok(found),
        Err(Stop::Missing) => Ok(Found::Missing),
        Err(Stop::Failed(message)) => Err(message),
        Err(Stop::Object | Stop::Leaf) => Ok(Found::Missing),
    }
}

/// The value at the end of a walk.
fn conclude<T: Serialize + ?Sized>(value: &T, whole: bool) -> Result<Found, Stop> {
    if !whole && matches!(value.serialize(Probe), Err(Stop::Object)) {
        return Ok(Found::Object);
    }
    convert(value).map(Found::Value).map_err(Stop::Failed)
}

/// Why a walk or a probe stopped early.
#[derive(Debug)]
enum Stop {
    /// The path leads nowhere.
    Missing,
    /// The value probed is an object.
    Object,
    /// The value probed is not an object.
    Leaf,
    /// Serialising failed.
    Failed(String),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Failed(message) => f.write_str(message),
            Stop::Missing => f.write_str("missing"),
            Stop::Object => f.write_str("object"),
            Stop::Leaf => f.write_str("leaf"),
        }
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(message: T) -> Stop {
        Stop::Failed(message.to_string())
    }
}

/// The scalar methods of a `Serializer` (all but `serialize_str`), each
/// giving `$result`.
macro_rules! scalars {
    ($result:expr) => {
        scalars!($result; serialize_bool(bool), serialize_i8(i8), serialize_i16(i16),
            serialize_i32(i32), serialize_i64(i64), serialize_i128(i128), serialize_u8(u8),
            serialize_u16(u16), serialize_u32(u32), serialize_u64(u64), serialize_u128(u128),
            serialize_f32(f32), serialize_f64(f64), serialize_char(char),
            serialize_bytes(&[u8]), serialize_none(), serialize_unit(),
            serialize_unit_struct(&'static str),
            serialize_unit_variant(&'static str, u32, &'static str));
    };
    ($result:expr; $($method:ident($($arg:ty),*)),*) => {
        $(fn $method(self $(, _: $arg)*) -> Result<Self::Ok, Stop> {
            $result
        })*
    };
}

/// The sequence and variant methods of a `Serializer`, each stopping with
/// `$stop`: nothing the walks look for is inside them.
macro_rules! no_sequences {
    ($stop:expr) => {
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Stop> {
            Err($stop)
        }

        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
            Err($stop)
        }

        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
            Err($stop)
        }

        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Stop> {
            Err($stop)
        }

        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Stop> {
            Err($stop)
        }

        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Stop> {
            Err($stop)
        }
    };
}

/// Serialises a value only far enough to find `steps` (never empty).
struct Walk<'a> {
    steps: &'a [&'a str],
    whole: bool,
}

/// A walk arriving at `value` for the step it matched.
fn step<T: Serialize + ?Sized>(walk: &Walk<'_>, value: &T) -> Result<Found, Stop> {
    match walk.steps.get(1..) {
        Some(rest) if !rest.is_empty() => match value.serialize(Walk {
            steps: rest,
            whole: walk.whole,
        }) {
            Err(Stop::Missing) => Ok(Found::Missing),
            other => other,
        },
        _ => conclude(value, walk.whole),
    }
}

/// A struct or map being walked: the step's field, once found.
struct Fields<'a> {
    walk: Walk<'a>,
    found: Option<Found>,
    /// A map's key matched the step; its value comes next.
    matched: bool,
}

impl<'a> Serializer for Walk<'a> {
    type Ok = Found;
    type Error = Stop;
    type SerializeSeq = Impossible<Found, Stop>;
    type SerializeTuple = Impossible<Found, Stop>;
    type SerializeTupleStruct = Impossible<Found, Stop>;
    type SerializeTupleVariant = Impossible<Found, Stop>;
    type SerializeMap = Fields<'a>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = Impossible<Found, Stop>;

    scalars!(Err(Stop::Missing));

    fn serialize_str(self, _: &str) -> Result<Self::Ok, Stop> {
        Err(Stop::Missing)
    }

    no_sequences!(Stop::Missing);

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Found, Stop> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Found, Stop> {
        value.serialize(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Fields<'a>, Stop> {
        Ok(Fields {
            walk: self,
            found: None,
            matched: false,
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields<'a>, Stop> {
        self.serialize_map(None)
    }
}

impl Fields<'_> {
    fn done(self) -> Result<Found, Stop> {
        Ok(self.found.unwrap_or(Found::Missing))
    }
}

impl ser::SerializeStruct for Fields<'_> {
    type Ok = Found;
    type Error = Stop;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        if self.found.is_none() && self.walk.steps.first() == Some(&key) {
            self.found = Some(step(&self.walk, value)?);
        }
        Ok(())
    }

    fn end(self) -> Result<Found, Stop> {
        self.done()
    }
}

impl ser::SerializeMap for Fields<'_> {
    type Ok = Found;
    type Error = Stop;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.matched = self.found.is_none()
            && self
                .walk
                .steps
                .first()
                .is_some_and(|step| key.serialize(KeyIs(step)).unwrap_or(false));
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        if std::mem::take(&mut self.matched) {
            self.found = Some(step(&self.walk, value)?);
        }
        Ok(())
    }

    fn end(self) -> Result<Found, Stop> {
        self.done()
    }
}

/// Serialises a value only far enough to tell whether it is an object.
struct Probe;

impl Serializer for Probe {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Impossible<(), Stop>;
    type SerializeTuple = Impossible<(), Stop>;
    type SerializeTupleStruct = Impossible<(), Stop>;
    type SerializeTupleVariant = Impossible<(), Stop>;
    type SerializeMap = Impossible<(), Stop>;
    type SerializeStruct = Impossible<(), Stop>;
    type SerializeStructVariant = Impossible<(), Stop>;

    scalars!(Err(Stop::Leaf));

    fn serialize_str(self, _: &str) -> Result<Self::Ok, Stop> {
        Err(Stop::Leaf)
    }

    no_sequences!(Stop::Leaf);

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop::Object)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop::Object)
    }
}

/// Whether a map key serialises to the given text.
struct KeyIs<'a>(&'a str);

impl Serializer for KeyIs<'_> {
    type Ok = bool;
    type Error = Stop;
    type SerializeSeq = Impossible<bool, Stop>;
    type SerializeTuple = Impossible<bool, Stop>;
    type SerializeTupleStruct = Impossible<bool, Stop>;
    type SerializeTupleVariant = Impossible<bool, Stop>;
    type SerializeMap = Impossible<bool, Stop>;
    type SerializeStruct = Impossible<bool, Stop>;
    type SerializeStructVariant = Impossible<bool, Stop>;

    scalars!(Ok(false));

    fn serialize_str(self, text: &str) -> Result<bool, Stop> {
        Ok(text == self.0)
    }

    no_sequences!(Stop::Leaf);

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, Stop> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, Stop> {
        value.serialize(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop::Leaf)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop::Leaf)
    }
}

/// Collects the field names of a value's structs, present or skipped.
struct Names<'a>(&'a mut Vec<&'static str>);

impl ser::SerializeStruct for Names<'_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.0.push(key);
        // Only objects hold further names; anything else stops at once.
        match value.serialize(Names(self.0)) {
            Ok(()) | Err(Stop::Leaf) => Ok(()),
            Err(other) => Err(other),
        }
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), Stop> {
        self.0.push(key);
        Ok(())
    }

    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl<'a> Serializer for Names<'a> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Impossible<(), Stop>;
    type SerializeTuple = Impossible<(), Stop>;
    type SerializeTupleStruct = Impossible<(), Stop>;
    type SerializeTupleVariant = Impossible<(), Stop>;
    type SerializeMap = Impossible<(), Stop>;
    type SerializeStruct = Names<'a>;
    type SerializeStructVariant = Impossible<(), Stop>;

    scalars!(Err(Stop::Leaf));

    fn serialize_str(self, _: &str) -> Result<Self::Ok, Stop> {
        Err(Stop::Leaf)
    }

    no_sequences!(Stop::Leaf);

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop::Leaf)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Names<'a>, Stop> {
        Ok(self)
    }
}

#[cfg(test)]
mod tests;
