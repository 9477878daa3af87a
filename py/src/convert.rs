//! Python ↔ Rust values: aware datetimes and timedeltas in and out,
//! tickets (dicts or JSON text) in, and the engine's typed values out
//! through a serde [`Serializer`] of our own ([`to_python`]).
//!
//! The serializer walks a typed value (an `Evaluation`, a `Report`) and
//! builds Python objects directly, no JSON in between: structs and maps
//! become dicts, sequences lists, text `str` — ids and every other text
//! stay `str`, whatever they look like (`"0086"`, `"1"`). The values the
//! core marks ([`aftersales::marker`]) become Python's types:
//!
//! - money and exact numbers: `decimal.Decimal`, with the scale the answer
//!   writes (`Decimal("12.50")`);
//! - instants: aware `datetime` at the UTC offset the answer writes
//!   (the policy's offset for deadlines; microseconds, nanoseconds cut);
//! - dates: `date`;
//! - durations: `timedelta`.

use crate::errors::input_error;
use crate::json_text;
use aftersales::marker;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta, Timelike, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde::ser::{self, Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

/// The Python classes the conversions build, looked up once.
struct Classes {
    decimal: Py<PyAny>,
    datetime: Py<PyAny>,
    date: Py<PyAny>,
    timedelta: Py<PyAny>,
    timezone: Py<PyAny>,
    utc: Py<PyAny>,
}

static CLASSES: GILOnceCell<Classes> = GILOnceCell::new();

/// Time zones by UTC offset in seconds, made once each.
static ZONES: Mutex<Vec<(i32, Py<PyAny>)>> = Mutex::new(Vec::new());

/// A quick hash for the key caches (pointers and short names; no
/// untrusted flooding concern: the keys are the engine's field names and a
/// bounded number of map keys).
#[derive(Default)]
struct Quick(u64);

impl Hasher for Quick {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.write_u64(u64::from(*byte));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Map keys kept interned at most (a map keyed by ids would grow the cache
/// without end).
const MAP_KEYS: usize = 4_096;

/// Interned dict keys: field names by address and length (they are
/// `&'static str`, so the address names the key), map keys (flattened
/// structs, attributes) by their text.
#[derive(Default)]
struct Keys {
    fields: HashMap<(usize, usize), Py<PyString>, BuildHasherDefault<Quick>>,
    names: HashMap<Box<str>, Py<PyString>, BuildHasherDefault<Quick>>,
    /// `Decimal`s by their text (immutable, so shared; at most
    /// [`MAP_KEYS`]): fees, rates and zero amounts repeat across answers.
    decimals: HashMap<Box<str>, Py<PyAny>, BuildHasherDefault<Quick>>,
    /// `date`s by their text, shared alike (purchase, installation and
    /// warranty dates repeat; a few thousand days cover years).
    dates: HashMap<Box<str>, Py<PyAny>, BuildHasherDefault<Quick>>,
}

/// The immutable object of `text` from `cache`, else made and kept (at
/// most [`MAP_KEYS`] of them).
fn shared<'py>(
    py: Python<'py>,
    cache: &mut HashMap<Box<str>, Py<PyAny>, BuildHasherDefault<Quick>>,
    text: &str,
    make: impl FnOnce() -> Result<Bound<'py, PyAny>, Failed>,
) -> Result<Bound<'py, PyAny>, Failed> {
    if let Some(value) = cache.get(text) {
        return Ok(value.bind(py).clone());
    }
    let value = make()?;
    if cache.len() < MAP_KEYS {
        cache.insert(text.into(), value.clone().unbind());
    }
    Ok(value)
}

static KEYS: Mutex<Option<Keys>> = Mutex::new(None);

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let datetime = py.import("datetime")?;
        Ok(Classes {
            decimal: py.import("decimal")?.getattr("Decimal")?.unbind(),
            datetime: datetime.getattr("datetime")?.unbind(),
            date: datetime.getattr("date")?.unbind(),
            timedelta: datetime.getattr("timedelta")?.unbind(),
            timezone: datetime.getattr("timezone")?.unbind(),
            utc: datetime.getattr("timezone")?.getattr("utc")?.unbind(),
        })
    })
}

/// The `datetime.timezone` of a UTC offset in seconds.
fn zone(py: Python<'_>, offset: i32) -> PyResult<Py<PyAny>> {
    let classes = classes(py)?;
    if offset == 0 {
        return Ok(classes.utc.clone_ref(py));
    }
    // As for the keys: never wait for the lock while holding the GIL.
    let mut zones = ZONES.try_lock().ok();
    if let Some((_, zone)) = zones
        .as_ref()
        .and_then(|z| z.iter().find(|(o, _)| *o == offset))
    {
        return Ok(zone.clone_ref(py));
    }
    let delta = classes.timedelta.bind(py).call1((0, offset))?;
    let zone = classes.timezone.bind(py).call1((delta,))?.unbind();
    if let Some(zones) = zones.as_mut() {
        zones.push((offset, zone.clone_ref(py)));
    }
    Ok(zone)
}

/// An aware datetime as a UTC instant; a naive one is refused.
pub fn instant(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str) -> PyResult<DateTime<Utc>> {
    let classes = classes(py)?;
    if !value.is_instance(classes.datetime.bind(py))? {
        return Err(input_error(
            py,
            field,
            format!(
                "expected an aware datetime.datetime, got {}",
                value.get_type().name()?
            ),
        ));
    }
    if value.call_method0("utcoffset")?.is_none() {
        return Err(input_error(
            py,
            field,
            "a naive datetime has no time zone and is never guessed: give it a tzinfo \
             (datetime(..., tzinfo=ZoneInfo(\"Asia/Shanghai\")) or timezone.utc)",
        ));
    }
    let u = value.call_method1("astimezone", (classes.utc.bind(py),))?;
    let get = |name: &str| -> PyResult<u32> { u.getattr(name)?.extract() };
    let year: i32 = u.getattr("year")?.extract()?;
    NaiveDate::from_ymd_opt(year, get("month")?, get("day")?)
        .and_then(|d| {
            d.and_hms_micro_opt(
                get("hour").ok()?,
                get("minute").ok()?,
                get("second").ok()?,
                get("microsecond").ok()?,
            )
        })
        .map(|naive| naive.and_utc())
        .ok_or_else(|| input_error(py, field, "the datetime is not a valid instant"))
}

/// An optional aware datetime (`None` is none).
pub fn optional_instant(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    field: &str,
) -> PyResult<Option<DateTime<Utc>>> {
    match value {
        Some(v) if !v.is_none() => instant(py, v, field).map(Some),
        _ => Ok(None),
    }
}

/// An instant as an aware `datetime` at its offset (microseconds; finer
/// digits are cut).
pub fn py_datetime<'py>(py: Python<'py>, t: DateTime<FixedOffset>) -> PyResult<Bound<'py, PyAny>> {
    let local = t.naive_local();
    let zone = zone(py, t.offset().local_minus_utc())?;
    classes(py)?.datetime.bind(py).call1((
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second(),
        local.nanosecond().min(999_999_999) / 1_000,
        zone,
    ))
}

/// A UTC instant as an aware `datetime` in UTC.
pub fn py_instant(py: Python<'_>, t: DateTime<Utc>) -> PyResult<PyObject> {
    Ok(py_datetime(py, t.fixed_offset())?.unbind())
}

/// A `timedelta` as a duration.
pub fn delta(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str) -> PyResult<TimeDelta> {
    if !value.is_instance(classes(py)?.timedelta.bind(py))? {
        return Err(input_error(
            py,
            field,
            format!(
                "expected a datetime.timedelta, got {}",
                value.get_type().name()?
            ),
        ));
    }
    let days: i64 = value.getattr("days")?.extract()?;
    let seconds: i64 = value.getattr("seconds")?.extract()?;
    let micros: i64 = value.getattr("microseconds")?.extract()?;
    TimeDelta::try_days(days)
        .and_then(|d| d.checked_add(&TimeDelta::seconds(seconds)))
        .and_then(|d| d.checked_add(&TimeDelta::microseconds(micros)))
        .ok_or_else(|| input_error(py, field, "the timedelta is out of range"))
}

/// A duration as a `timedelta` (microseconds).
pub fn py_timedelta(py: Python<'_>, d: TimeDelta) -> PyResult<Bound<'_, PyAny>> {
    let seconds = d.num_seconds();
    let micros = d.subsec_nanos() / 1_000;
    classes(py)?.timedelta.bind(py).call1((0, seconds, micros))
}

/// A duration as a `timedelta`, owned.
pub fn py_delta(py: Python<'_>, d: TimeDelta) -> PyResult<PyObject> {
    Ok(py_timedelta(py, d)?.unbind())
}

/// A ticket as JSON text: a string is taken as it is, a mapping is written
/// as JSON (see [`json_text`]).
pub fn ticket_text(py: Python<'_>, ticket: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = ticket.downcast::<PyString>() {
        return text.extract();
    }
    let mut out = Vec::with_capacity(1024);
    push_ticket(py, ticket, false, &mut out)?;
    String::from_utf8(out).map_err(|e| input_error(py, "", e.to_string()))
}

/// Appends a ticket (a mapping, or JSON text taken as it is) to `out`.
/// With `drop_nulls`, entries holding `None` or NaN are left out.
pub fn push_ticket(
    py: Python<'_>,
    ticket: &Bound<'_, PyAny>,
    drop_nulls: bool,
    out: &mut Vec<u8>,
) -> PyResult<()> {
    if let Ok(text) = ticket.downcast::<PyString>() {
        out.extend_from_slice(text.to_cow()?.as_bytes());
        return Ok(());
    }
    if !json_text::is_mapping(py, ticket)? {
        return Err(input_error(
            py,
            "",
            format!(
                "a ticket is a dict or JSON text, not {}",
                ticket.get_type().name()?
            ),
        ));
    }
    json_text::write(py, ticket, drop_nulls, out).map_err(|refused| match refused {
        json_text::Refused::Naive(field) => input_error(
            py,
            &field.to_string(),
            at(
                &field,
                "a naive datetime in a ticket has no time zone and is never guessed: give it a tzinfo",
            ),
        ),
        json_text::Refused::Type(field, message) => PyTypeError::new_err(at(&field, &message)),
        json_text::Refused::Python(error) => error,
    })
}

/// A message about the value at `field` (`attributes.tags[1]`), or about
/// the ticket itself.
fn at(field: &json_text::Field, message: &str) -> String {
    let field = field.to_string();
    if field.is_empty() {
        message.to_string()
    } else {
        format!("`{field}`: {message}")
    }
}

/// A typed value (an evaluation, a report, a row) as Python objects (see
/// the module doc).
pub fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    // Looked up before the walk, so that a failed import is reported as it is.
    classes(py)?;
    // The shared keys when free; a walk that meets them taken (another
    // thread's walk) uses keys of its own rather than wait holding the GIL.
    let mut shared = KEYS.try_lock().ok();
    let mut own = Keys::default();
    let keys = match shared.as_mut() {
        Some(guard) => guard.get_or_insert_with(Keys::default),
        None => &mut own,
    };
    value
        .serialize(ToPython {
            py,
            keys,
            key: false,
        })
        .map_err(|e| e.0)
}

/// A failure while building Python objects.
#[derive(Debug)]
pub struct Failed(PyErr);

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Failed(PyValueError::new_err(message.to_string()))
    }
}

impl From<PyErr> for Failed {
    fn from(e: PyErr) -> Self {
        Failed(e)
    }
}

/// The serializer that builds Python objects.
struct ToPython<'py, 'k> {
    py: Python<'py>,
    keys: &'k mut Keys,
    /// Whether the value is a map's key (text then interned).
    key: bool,
}

impl<'py> ToPython<'py, '_> {
    fn again(&mut self) -> ToPython<'py, '_> {
        ToPython {
            py: self.py,
            keys: self.keys,
            key: false,
        }
    }

    /// The interned `str` of a map's text key.
    fn name(&mut self, text: &str) -> Bound<'py, PyString> {
        let py = self.py;
        if let Some(name) = self.keys.names.get(text) {
            return name.bind(py).clone();
        }
        let name = PyString::intern(py, text);
        if self.keys.names.len() < MAP_KEYS {
            self.keys.names.insert(text.into(), name.clone().unbind());
        }
        name
    }

    /// The interned `str` of a field name.
    fn key(&mut self, name: &'static str) -> Bound<'py, PyString> {
        let py = self.py;
        self.keys
            .fields
            .entry((name.as_ptr() as usize, name.len()))
            .or_insert_with(|| PyString::intern(py, name).unbind())
            .bind(py)
            .clone()
    }

    /// A marked value's Python object, from its text.
    fn marked(&mut self, name: &str, text: &str) -> Result<Bound<'py, PyAny>, Failed> {
        let py = self.py;
        let classes = classes(py)?;
        let bad = |what: &str| Failed(PyValueError::new_err(format!("`{text}` is not {what}")));
        Ok(match name {
            marker::MONEY | marker::NUMBER => shared(py, &mut self.keys.decimals, text, || {
                Ok(classes.decimal.bind(py).call1((text,))?)
            })?,
            marker::INSTANT => {
                let t = DateTime::parse_from_rfc3339(text).map_err(|_| bad("an instant"))?;
                py_datetime(py, t)?
            }
            marker::DATE => shared(py, &mut self.keys.dates, text, || {
                let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad("a date"))?;
                Ok(classes
                    .date
                    .bind(py)
                    .call1((d.year(), d.month(), d.day()))?)
            })?,
            marker::DURATION => {
                let d = text
                    .parse::<aftersales::Duration>()
                    .map_err(|_| bad("a duration"))?
                    .0;
                py_timedelta(py, d)?
            }
            _ => PyString::new(py, text).into_any(),
        })
    }
}

/// Captures the text of a marked value.
struct Text;

macro_rules! not_text {
    ($($method:ident($($t:ty),*)),* $(,)?) => {$(
        fn $method(self, $(_: $t),*) -> Result<String, Failed> {
            Err(ser::Error::custom("a marked value is text"))
        }
    )*};
}

impl Serializer for Text {
    type Ok = String;
    type Error = Failed;
    type SerializeSeq = ser::Impossible<String, Failed>;
    type SerializeTuple = ser::Impossible<String, Failed>;
    type SerializeTupleStruct = ser::Impossible<String, Failed>;
    type SerializeTupleVariant = ser::Impossible<String, Failed>;
    type SerializeMap = ser::Impossible<String, Failed>;
    type SerializeStruct = ser::Impossible<String, Failed>;
    type SerializeStructVariant = ser::Impossible<String, Failed>;

    fn serialize_str(self, v: &str) -> Result<String, Failed> {
        Ok(v.to_string())
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<String, Failed> {
        Ok(value.to_string())
    }

    not_text!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Failed> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Failed> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Failed> {
        Err(ser::Error::custom("a marked value is text"))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Failed> {
        Err(ser::Error::custom("a marked value is text"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Failed> {
        Err(ser::Error::custom("a marked value is text"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Failed> {
        Err(ser::Error::custom("a marked value is text"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Failed> {
        Err(ser::Error::custom("a marked value is text"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Failed> {
        Err(ser::Error::custom("a marked value is text"))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Failed> {
        Err(ser::Error::custom("a marked value is text"))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Failed> {
        Err(ser::Error::custom("a marked value is text"))
    }
}

/// A list being built.
struct List<'py, 'k> {
    to: ToPython<'py, 'k>,
    items: Vec<Bound<'py, PyAny>>,
}

impl<'py> List<'py, '_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        let item = value.serialize(self.to.again())?;
        self.items.push(item);
        Ok(())
    }

    fn done(self) -> Result<Bound<'py, PyAny>, Failed> {
        Ok(PyList::new(self.to.py, self.items)?.into_any())
    }
}

impl<'py> ser::SerializeSeq for List<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok, Failed> {
        self.done()
    }
}

impl<'py> ser::SerializeTuple for List<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok, Failed> {
        self.done()
    }
}

impl<'py> ser::SerializeTupleStruct for List<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok, Failed> {
        self.done()
    }
}

/// A dict being built; `variant` wraps it as `{variant: dict}`.
struct Dict<'py, 'k> {
    to: ToPython<'py, 'k>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> Dict<'py, '_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Failed> {
        let value = value.serialize(self.to.again())?;
        let key = self.to.key(key);
        self.dict.set_item(key, value)?;
        Ok(())
    }

    fn done(mut self) -> Result<Bound<'py, PyAny>, Failed> {
        match self.variant {
            Some(variant) => {
                let outer = PyDict::new(self.to.py);
                outer.set_item(self.to.key(variant), self.dict)?;
                Ok(outer.into_any())
            }
            None => Ok(self.dict.into_any()),
        }
    }
}

impl<'py> ser::SerializeMap for Dict<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Failed> {
        let to = ToPython {
            py: self.to.py,
            keys: self.to.keys,
            key: true,
        };
        self.key = Some(key.serialize(to)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        let value = value.serialize(self.to.again())?;
        match self.key.take() {
            Some(key) => self.dict.set_item(key, value)?,
            None => return Err(ser::Error::custom("a map value without its key")),
        }
        Ok(())
    }
    fn end(self) -> Result<Self::Ok, Failed> {
        self.done()
    }
}

impl<'py> ser::SerializeStruct for Dict<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        self.field(key, value)
    }
    fn end(self) -> Result<Self::Ok, Failed> {
        self.done()
    }
}

impl<'py> ser::SerializeStructVariant for Dict<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        self.field(key, value)
    }
    fn end(self) -> Result<Self::Ok, Failed> {
        self.done()
    }
}

/// A tuple variant being built: `{variant: [items]}`.
struct Variant<'py, 'k> {
    list: List<'py, 'k>,
    variant: &'static str,
}

impl<'py> ser::SerializeTupleVariant for Variant<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.list.push(value)
    }
    fn end(mut self) -> Result<Self::Ok, Failed> {
        let py = self.list.to.py;
        let key = self.list.to.key(self.variant);
        let outer = PyDict::new(py);
        outer.set_item(key, PyList::new(py, self.list.items)?)?;
        Ok(outer.into_any())
    }
}

impl<'py, 'k> Serializer for ToPython<'py, 'k> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    type SerializeSeq = List<'py, 'k>;
    type SerializeTuple = List<'py, 'k>;
    type SerializeTupleStruct = List<'py, 'k>;
    type SerializeTupleVariant = Variant<'py, 'k>;
    type SerializeMap = Dict<'py, 'k>;
    type SerializeStruct = Dict<'py, 'k>;
    type SerializeStructVariant = Dict<'py, 'k>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok, Failed> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok, Failed> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok, Failed> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok, Failed> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok, Failed> {
        Ok(PyInt::new(self.py, v).into_any())
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok, Failed> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok, Failed> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok, Failed> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok, Failed> {
        Ok(PyInt::new(self.py, v).into_any())
    }
    fn serialize_f32(self, v: f32) -> Result<Self::Ok, Failed> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok, Failed> {
        Ok(PyFloat::new(self.py, v).into_any())
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok, Failed> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok, Failed> {
        if self.key {
            let mut to = self;
            return Ok(to.name(v).into_any());
        }
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok, Failed> {
        Ok(pyo3::types::PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> Result<Self::Ok, Failed> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Failed> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok, Failed> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, Failed> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Self::Ok, Failed> {
        let mut to = self;
        Ok(to.key(variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Failed> {
        if marker::ALL.contains(&name) {
            let text = value.serialize(Text)?;
            let mut to = self;
            return to.marked(name, &text);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Failed> {
        let mut to = self;
        let inner = value.serialize(to.again())?;
        let outer = PyDict::new(to.py);
        outer.set_item(to.key(variant), inner)?;
        Ok(outer.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, Failed> {
        Ok(List {
            to: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, Failed> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, Failed> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, Failed> {
        Ok(Variant {
            list: List {
                to: self,
                items: Vec::with_capacity(len),
            },
            variant,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Failed> {
        let dict = PyDict::new(self.py);
        Ok(Dict {
            to: self,
            dict,
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Failed> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Failed> {
        let dict = PyDict::new(self.py);
        Ok(Dict {
            to: self,
            dict,
            key: None,
            variant: Some(variant),
        })
    }
}
