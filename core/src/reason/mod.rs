//! Reasons as data: every `because` in an evaluation is a [`Reason`], a
//! stable reason code with its arguments (or free text a policy supplied),
//! rendered to words only when an answer is serialised or explained.
//!
//! - Building a reason formats no text: its arguments are kept as typed
//!   values (decimals, dates, instants, counts, names shared from the
//!   policy).
//! - [`Reason::render`] writes it in a [`Lang`]: English (the default) or
//!   Simplified Chinese. Free text from a policy (a Rhai rule's reason, a
//!   manifest `description`) is never translated.
//! - A reason serialises as what it is, whatever thread or scope writes
//!   it: a coded reason as `{"code", "args"}` (free text as
//!   `{"code": "text", "args": {"text"}}`), which is also what Rhai rules
//!   see; a reason [`rendered`](Reason::render_as) in a language as its
//!   text. An answer is rendered once, explicitly, with the
//!   [`Rendering`] of its [`crate::EvaluateOptions`] ([`render_all`]).
//! - Rhai rules see every reason as `#{code, args}` and give reasons back
//!   in that form or as free text (`hook`): a reason a rule returns
//!   unchanged is the reason it was shown. The engine decides on codes,
//!   never on a reason's words.
//!
//! The codes, their arguments and both templates are listed in
//! `docs/reasons.md`, generated from [`Code::ALL`].

mod codes;
mod hook;

pub use crate::lang::Lang;
pub use codes::{Code, Term};
pub(crate) use hook::{HasReasons, SetAside};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta};
use rust_decimal::Decimal;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// What `because` carries in a serialised answer.
///
/// # Examples
///
/// ```
/// let because: aftersales::Because = "codes".parse().unwrap();
/// assert_eq!(because, aftersales::Because::Codes);
/// assert_eq!(because.name(), "codes");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Because {
    /// Each reason as text in the chosen language (the default: a CRM
    /// shows these to its staff as they are).
    #[default]
    Text,
    /// Each reason as `{"code": ..., "args": {...}}` (free text from a
    /// policy as `{"code": "text", "args": {"text": ...}}`), for a CRM
    /// that writes its own words.
    Codes,
    /// No reasons: every `because` is empty or left out. The fastest
    /// answer.
    None,
}

impl Because {
    /// The name used on the command line and in the adapters.
    pub fn name(self) -> &'static str {
        match self {
            Because::Text => "text",
            Because::Codes => "codes",
            Because::None => "none",
        }
    }
}

impl fmt::Display for Because {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Because {
    type Err = String;

    fn from_str(s: &str) -> Result<Because, String> {
        match s {
            "text" => Ok(Because::Text),
            "codes" => Ok(Because::Codes),
            "none" => Ok(Because::None),
            _ => Err(format!(
                "unknown `because` form `{s}`: use `text`, `codes` or `none`"
            )),
        }
    }
}

/// How an answer's reasons are written: the language and the form. Passed
/// explicitly with the options of a call; never ambient state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Rendering {
    /// The language of text reasons.
    pub lang: Lang,
    /// Text, codes or nothing.
    pub because: Because,
}

/// Puts a list of reasons in the form `rendering` asks for: each as text in
/// its language ([`Because::Text`]), left as codes ([`Because::Codes`]),
/// or removed ([`Because::None`]). Reasons already rendered stay as they
/// are, so rendering twice changes nothing.
pub fn render_all(reasons: &mut Vec<Reason>, rendering: Rendering) {
    match rendering.because {
        Because::None => reasons.clear(),
        Because::Codes => {}
        Because::Text => {
            let mut buffer = String::new();
            for reason in reasons.iter_mut() {
                reason.render_into(rendering.lang, &mut buffer);
            }
        }
    }
}

/// One argument of a coded reason.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Arg {
    /// A name or text from the policy or the ticket, shown as it is.
    Text(Arc<str>),
    /// A fixed word of the engine (a field path, a TOML key), shown as it is.
    Static(&'static str),
    /// A count or an index.
    Int(i64),
    /// A decimal (an amount, a percentage, a quantity), shown as it is.
    Dec(Decimal),
    /// A date, shown as `2026-03-08`.
    Date(NaiveDate),
    /// An instant, shown as RFC 3339 at its offset.
    Instant(DateTime<FixedOffset>),
    /// A local time to the minute, shown as `2026-03-08 18:30`.
    Minute(NaiveDateTime),
    /// A duration, shown as `1h 30m` (`1 小时 30 分钟`).
    Duration(TimeDelta),
    /// A duration, shown in ISO 8601 (`PT4H`; `4 小时` in Chinese).
    Iso(TimeDelta),
    /// A service target as the policy wrote it (`4h`, `2bd`; `4 小时`,
    /// `2 个工作日` in Chinese).
    Target(crate::duration::ServiceDuration),
    /// Alternatives (event kinds), shown joined by `` ` or ` `` in
    /// English, `` ` 或 ` `` in Chinese (the template quotes the ends).
    Either(Arc<[Arc<str>]>),
    /// A word of the engine's vocabulary, translated.
    Term(Term),
    /// A reason inside a reason.
    Reason(Box<Reason>),
    /// A number of days, shown as `1 day`, `3 days` (`3 天`).
    Days(i64),
    /// A calendar period as a policy writes it, shown as `2 years`
    /// (`2 年`).
    Period(crate::duration::CalendarPeriod),
    /// Several arguments, joined by a separator of the language.
    List(Box<[Arg]>, Sep),
    /// Nothing: an optional clause left out.
    Empty,
    /// A value of the answer's JSON (`in_warranty`): shown as it is in
    /// English and with `because: codes`, as its term in other languages
    /// (`在保`).
    Value(&'static str, Term),
}

/// How the items of an [`Arg::List`] are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Sep {
    /// `a; b` (`a；b`).
    Semicolon,
    /// `a, b` (`a、b`).
    Comma,
    /// `a + b` in both languages.
    Plus,
    /// `a nor b` (`a，也没有 b`).
    Nor,
}

impl Sep {
    fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Sep::Semicolon, Lang::En) => "; ",
            (Sep::Semicolon, Lang::ZhCn) => "；",
            (Sep::Comma, Lang::En) => ", ",
            (Sep::Comma, Lang::ZhCn) => "、",
            (Sep::Plus, _) => " + ",
            (Sep::Nor, Lang::En) => " nor ",
            (Sep::Nor, Lang::ZhCn) => "，也没有 ",
        }
    }
}

impl From<&'static str> for Arg {
    fn from(s: &'static str) -> Arg {
        Arg::Static(s)
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s.into())
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.as_str().into())
    }
}
impl From<Arc<str>> for Arg {
    fn from(s: Arc<str>) -> Arg {
        Arg::Text(s)
    }
}
impl From<&Arc<str>> for Arg {
    fn from(s: &Arc<str>) -> Arg {
        Arg::Text(Arc::clone(s))
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Int(n)
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Int(i64::from(n))
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}
impl From<Decimal> for Arg {
    fn from(d: Decimal) -> Arg {
        Arg::Dec(d)
    }
}
/// A rounding mode as a word of the reasons.
impl From<crate::money::Rounding> for Term {
    fn from(rounding: crate::money::Rounding) -> Term {
        use crate::money::Rounding;
        match rounding {
            Rounding::HalfUp => Term::HalfUp,
            Rounding::HalfEven => Term::HalfEven,
            Rounding::Up => Term::Up,
            Rounding::Down => Term::Down,
        }
    }
}
impl From<crate::money::Money> for Arg {
    fn from(m: crate::money::Money) -> Arg {
        Arg::Dec(m.0)
    }
}
impl From<NaiveDate> for Arg {
    fn from(d: NaiveDate) -> Arg {
        Arg::Date(d)
    }
}
impl From<DateTime<FixedOffset>> for Arg {
    fn from(t: DateTime<FixedOffset>) -> Arg {
        Arg::Instant(t)
    }
}
impl From<TimeDelta> for Arg {
    fn from(d: TimeDelta) -> Arg {
        Arg::Duration(d)
    }
}
impl From<crate::duration::ServiceDuration> for Arg {
    fn from(d: crate::duration::ServiceDuration) -> Arg {
        Arg::Target(d)
    }
}
impl From<Term> for Arg {
    fn from(t: Term) -> Arg {
        Arg::Term(t)
    }
}
impl From<Reason> for Arg {
    fn from(r: Reason) -> Arg {
        Arg::Reason(Box::new(r))
    }
}
impl From<Option<Reason>> for Arg {
    /// An optional clause: [`Arg::Empty`] when there is none.
    fn from(r: Option<Reason>) -> Arg {
        match r {
            Some(r) => Arg::Reason(Box::new(r)),
            None => Arg::Empty,
        }
    }
}
impl From<crate::duration::CalendarPeriod> for Arg {
    fn from(p: crate::duration::CalendarPeriod) -> Arg {
        Arg::Period(p)
    }
}

impl Arg {
    /// A number of days (`3 days`, `3 天`).
    pub fn days(n: impl Into<i64>) -> Arg {
        Arg::Days(n.into())
    }

    /// Items joined by `sep`.
    pub fn list(items: impl IntoIterator<Item = Arg>, sep: Sep) -> Arg {
        Arg::List(items.into_iter().collect(), sep)
    }
}

impl Arg {
    // Long because it has one match arm per `Arg` form, in each language: one table, kept whole.
    fn write(&self, lang: Lang, out: &mut String) {
        use fmt::Write as _;
        let _ = match self {
            Arg::Text(s) => {
                out.push_str(s);
                Ok(())
            }
            Arg::Static(s) => {
                out.push_str(s);
                Ok(())
            }
            Arg::Int(n) => {
                out.push_str(itoa::Buffer::new().format(*n));
                Ok(())
            }
            Arg::Dec(d) => write!(out, "{d}"),
            Arg::Date(d) => {
                crate::ticket::time_text::write_date(out, *d);
                Ok(())
            }
            Arg::Instant(t) => {
                crate::ticket::time_text::write_rfc3339(out, t);
                Ok(())
            }
            Arg::Minute(t) => {
                crate::ticket::time_text::write_minute(out, t);
                Ok(())
            }
            Arg::Duration(d) => {
                out.push_str(&crate::duration::format_human_in(*d, lang));
                Ok(())
            }
            Arg::Iso(d) => {
                match lang {
                    Lang::En => out.push_str(&crate::duration::format_iso(*d)),
                    _ => out.push_str(&crate::duration::format_human_in(*d, lang)),
                }
                Ok(())
            }
            Arg::Target(d) => {
                out.push_str(&d.render(lang));
                Ok(())
            }
            Arg::Either(items) => {
                let or = match lang {
                    Lang::En => "` or `",
                    Lang::ZhCn => "` 或 `",
                };
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(or);
                    }
                    out.push_str(item);
                }
                Ok(())
            }
            Arg::Term(t) => {
                out.push_str(t.render(lang));
                Ok(())
            }
            Arg::Reason(r) => {
                r.write(lang, out);
                Ok(())
            }
            Arg::Days(n) => {
                out.push_str(itoa::Buffer::new().format(*n));
                out.push_str(match lang {
                    Lang::En if *n == 1 => " day",
                    Lang::En => " days",
                    Lang::ZhCn => " 天",
                });
                Ok(())
            }
            Arg::Period(p) => match lang {
                Lang::En => write!(out, "{p}"),
                Lang::ZhCn => match *p {
                    crate::duration::CalendarPeriod::Days(n) => write!(out, "{n} 天"),
                    crate::duration::CalendarPeriod::Months(n) => write!(out, "{n} 个月"),
                    crate::duration::CalendarPeriod::Years(n) => write!(out, "{n} 年"),
                },
            },
            Arg::List(items, sep) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep.word(lang));
                    }
                    item.write(lang, out);
                }
                Ok(())
            }
            Arg::Empty => Ok(()),
            Arg::Value(value, term) => {
                out.push_str(match lang {
                    Lang::En => value,
                    _ => term.render(lang),
                });
                Ok(())
            }
        };
    }

    fn serialize_value<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Arg::Text(s) => serializer.serialize_str(s),
            Arg::Static(s) => serializer.serialize_str(s),
            Arg::Int(n) => serializer.serialize_i64(*n),
            Arg::Dec(d) => serializer.collect_str(d),
            Arg::Date(d) => serializer.collect_str(d),
            Arg::Instant(t) => serializer.serialize_str(&t.to_rfc3339()),
            Arg::Minute(t) => serializer.collect_str(&t.format("%Y-%m-%d %H:%M")),
            Arg::Duration(d) => serializer.serialize_str(&crate::duration::format_human(*d)),
            Arg::Iso(d) => serializer.serialize_str(&crate::duration::format_iso(*d)),
            Arg::Target(d) => serializer.collect_str(d),
            Arg::Either(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items.iter() {
                    seq.serialize_element(&**item)?;
                }
                seq.end()
            }
            Arg::Term(t) => serializer.serialize_str(t.code()),
            Arg::Reason(r) => Coded(r).serialize(serializer),
            Arg::Days(n) => serializer.serialize_i64(*n),
            Arg::Period(p) => serializer.collect_str(p),
            Arg::List(items, _) => {
                struct Item<'a>(&'a Arg);
                impl Serialize for Item<'_> {
                    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        self.0.serialize_value(serializer)
                    }
                }
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items.iter() {
                    seq.serialize_element(&Item(item))?;
                }
                seq.end()
            }
            Arg::Empty => serializer.serialize_none(),
            Arg::Value(value, _) => serializer.serialize_str(value),
        }
    }
}

impl Arg {
    /// The argument as a reason shows it in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.write(lang, &mut out);
        out
    }
}

impl fmt::Display for Arg {
    /// The argument as shown in English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write(Lang::En, &mut out);
        f.write_str(&out)
    }
}

/// Why a decision was made: a reason code with its arguments, or free text
/// a policy supplied.
///
/// # Examples
///
/// ```
/// use aftersales::{Lang, Policy, Ticket};
///
/// let policy = aftersales::Policy::from_toml_str(
///     "[policy]\nid = \"small\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n\
///      [[targets]]\nmetric = \"respond\"\nstop = \"resolved\"\ntarget = \"2h\"\n",
/// )?;
/// let ticket = aftersales::Ticket::from_json(r#"{"id": "T-1", "opened_at": "2026-03-02T09:00:00+08:00"}"#)?;
/// let as_of = "2026-03-02T10:00:00+08:00".parse()?;
/// let evaluation = policy.evaluate(&ticket, as_of)?;
/// let reason = &evaluation.sla[0].because[0];
/// assert!(reason.code().starts_with("sla."));
/// assert!(!reason.render(Lang::En).is_empty());
/// assert!(!reason.render(Lang::ZhCn).is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Reason(Repr);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    Coded(Code, Box<[Arg]>),
    Text(Arc<str>),
    /// A reason written out in a language: its code (none for free text)
    /// and its words.
    Rendered(Option<Code>, Arc<str>),
}

impl Reason {
    /// A coded reason. The arguments are in the order of the code's
    /// [`Code::args`].
    pub fn coded(code: Code, args: Vec<Arg>) -> Reason {
        debug_assert_eq!(args.len(), code.args().len(), "{code:?}");
        Reason(Repr::Coded(code, args.into_boxed_slice()))
    }

    /// Free text a policy supplied; never translated.
    pub fn text(text: impl Into<Arc<str>>) -> Reason {
        Reason(Repr::Text(text.into()))
    }

    /// The reason code (`text` for free text).
    pub fn code(&self) -> &'static str {
        match &self.0 {
            Repr::Coded(code, _) | Repr::Rendered(Some(code), _) => code.code(),
            Repr::Text(_) | Repr::Rendered(None, _) => "text",
        }
    }

    /// The code and the arguments of a coded reason; `None` for free text
    /// and for a reason already rendered in a language.
    pub fn parts(&self) -> Option<(Code, &[Arg])> {
        match &self.0 {
            Repr::Coded(code, args) => Some((*code, args)),
            Repr::Text(_) | Repr::Rendered(..) => None,
        }
    }

    /// The free text, if this reason is one.
    pub fn as_text(&self) -> Option<&str> {
        match &self.0 {
            Repr::Coded(..) | Repr::Rendered(..) => None,
            Repr::Text(t) => Some(t),
        }
    }

    /// Whether this is a coded reason with one of `codes`.
    pub fn is_one_of(&self, codes: &[Code]) -> bool {
        match &self.0 {
            Repr::Coded(code, _) | Repr::Rendered(Some(code), _) => codes.contains(code),
            Repr::Text(_) | Repr::Rendered(None, _) => false,
        }
    }

    /// Whether the English text contains `needle` (for tests and people
    /// reading answers: the engine decides on codes, never on words).
    pub fn contains(&self, needle: &str) -> bool {
        self.to_string().contains(needle)
    }

    /// Whether the English text starts with `prefix` (for tests and
    /// people reading answers: the engine decides on codes, never on
    /// words).
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.to_string().starts_with(prefix)
    }

    /// The reason in words, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.write(lang, &mut out);
        out
    }

    /// Replaces the reason by its words in `lang` (its code kept): it
    /// then serialises as text. Free text keeps its words; a reason
    /// already rendered stays as it is.
    pub fn render_as(&mut self, lang: Lang) {
        self.render_into(lang, &mut String::new());
    }

    /// [`Reason::render_as`] with `buffer` as scratch space reused
    /// between reasons.
    fn render_into(&mut self, lang: Lang, buffer: &mut String) {
        match &self.0 {
            Repr::Coded(code, _) => {
                let code = *code;
                buffer.clear();
                self.write(lang, buffer);
                self.0 = Repr::Rendered(Some(code), Arc::from(buffer.as_str()));
            }
            Repr::Text(text) => self.0 = Repr::Rendered(None, Arc::clone(text)),
            Repr::Rendered(..) => {}
        }
    }

    /// Whether the reason is already written out in a language.
    pub fn is_rendered(&self) -> bool {
        matches!(self.0, Repr::Rendered(..))
    }

    fn write(&self, lang: Lang, out: &mut String) {
        match &self.0 {
            Repr::Text(t) | Repr::Rendered(_, t) => out.push_str(t),
            Repr::Coded(code, args) => {
                for piece in pieces(*code, lang) {
                    match piece {
                        Piece::Text(text) => out.push_str(text),
                        Piece::Arg(i, name) => match args.get(*i) {
                            Some(arg) => arg.write(lang, out),
                            None => out.push_str(name),
                        },
                    }
                }
            }
        }
    }
}

/// A piece of a template: literal text, or the place of an argument (with
/// its `{name}`, written as it is should the argument be missing).
enum Piece {
    Text(&'static str),
    Arg(usize, &'static str),
}

/// A template cut into pieces: literal text between `{name}` places; a
/// name the code does not list, or a `{` without its `}`, is text.
fn cut(template: &'static str, names: &[&str]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            break;
        };
        let name = after.get(..close).unwrap_or_default();
        let place = rest.get(open..open + close + 2).unwrap_or_default();
        let before = rest.get(..open).unwrap_or_default();
        match names.iter().position(|n| *n == name) {
            Some(i) => {
                pieces.push(Piece::Text(before));
                pieces.push(Piece::Arg(i, place));
            }
            None => pieces.push(Piece::Text(
                rest.get(..open + close + 2).unwrap_or_default(),
            )),
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    pieces.push(Piece::Text(rest));
    pieces.retain(|p| !matches!(p, Piece::Text("")));
    pieces
}

/// The pieces of `code`'s template in `lang`, cut once per process.
fn pieces(code: Code, lang: Lang) -> &'static [Piece] {
    static TABLE: std::sync::OnceLock<Vec<[Vec<Piece>; 2]>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        Code::ALL
            .iter()
            .map(|c| {
                [
                    cut(c.template(Lang::En), c.args()),
                    cut(c.template(Lang::ZhCn), c.args()),
                ]
            })
            .collect()
    });
    let by_lang = table.get(code as usize);
    let pieces = match lang {
        Lang::En => by_lang.map(|p| &p[0]),
        Lang::ZhCn => by_lang.map(|p| &p[1]),
    };
    pieces.map_or(&[], Vec::as_slice)
}

impl fmt::Display for Reason {
    /// The reason in English (a rendered reason in the language it was
    /// rendered in).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Text(t) | Repr::Rendered(_, t) => f.write_str(t),
            Repr::Coded(..) => f.write_str(&self.render(Lang::En)),
        }
    }
}

impl PartialEq for Reason {
    /// Two reasons are equal when they are the same code with the same
    /// arguments (as written), or the same free text; a rendered reason
    /// equals the coded reason it reads as. A coded reason never equals
    /// free text, whatever its words.
    fn eq(&self, other: &Reason) -> bool {
        match (&self.0, &other.0) {
            // Read back from its serialised form, an argument is as it was
            // written (`80.00`, not a decimal): compare what they write.
            (Repr::Coded(a, x), Repr::Coded(b, y)) if a == b => {
                x == y
                    || serde_json::to_value(Coded(self)).ok()
                        == serde_json::to_value(Coded(other)).ok()
            }
            (Repr::Text(a), Repr::Text(b)) | (Repr::Rendered(None, a), Repr::Text(b)) => a == b,
            (Repr::Text(a), Repr::Rendered(None, b)) => a == b,
            (Repr::Rendered(a, x), Repr::Rendered(b, y)) => a == b && x == y,
            // A rendered reason equals the coded reason it was rendered
            // from (in English).
            (Repr::Rendered(Some(a), _), Repr::Coded(b, _))
            | (Repr::Coded(b, _), Repr::Rendered(Some(a), _)) => {
                a == b && self.render(Lang::En) == other.render(Lang::En)
            }
            _ => false,
        }
    }
}

impl Eq for Reason {}

impl PartialEq<str> for Reason {
    /// Whether the reason reads `other` in English.
    fn eq(&self, other: &str) -> bool {
        match &self.0 {
            Repr::Text(t) | Repr::Rendered(_, t) => &**t == other,
            Repr::Coded(..) => self.render(Lang::En) == other,
        }
    }
}

impl PartialEq<&str> for Reason {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl From<String> for Reason {
    fn from(text: String) -> Reason {
        Reason::text(text)
    }
}

impl From<&str> for Reason {
    fn from(text: &str) -> Reason {
        Reason::text(text)
    }
}

/// A coded reason as `{"code", "args"}`.
struct Coded<'a>(&'a Reason);

impl Serialize for Coded<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Args<'a>(&'static [&'static str], &'a [Arg]);
        impl Serialize for Args<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.1.len()))?;
                for (name, arg) in self.0.iter().zip(self.1) {
                    map.serialize_entry(name, &Value(arg))?;
                }
                map.end()
            }
        }
        struct Value<'a>(&'a Arg);
        impl Serialize for Value<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.serialize_value(serializer)
            }
        }
        struct Free<'a>(&'a str);
        impl Serialize for Free<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("text", self.0)?;
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(2))?;
        match &(self.0).0 {
            Repr::Coded(code, args) => {
                map.serialize_entry("code", code.code())?;
                map.serialize_entry("args", &Args(code.args(), args))?;
            }
            Repr::Text(t) | Repr::Rendered(_, t) => {
                map.serialize_entry("code", "text")?;
                map.serialize_entry("args", &Free(t))?;
            }
        }
        map.end()
    }
}

impl Serialize for Reason {
    /// A coded reason (and free text) as `{"code", "args"}`; a reason
    /// rendered in a language as its text.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Rendered(_, text) => serializer.serialize_str(text),
            Repr::Coded(..) | Repr::Text(_) => Coded(self).serialize(serializer),
        }
    }
}

impl schemars::JsonSchema for Reason {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Reason".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Why: text in the answer's language (the default), or with `because: codes` a reason code and its arguments (see docs/reasons.md).",
            "anyOf": [
                { "type": "string" },
                {
                    "type": "object",
                    "required": ["code", "args"],
                    "properties": {
                        "code": { "type": "string" },
                        "args": { "type": "object" }
                    }
                }
            ]
        })
    }
}

/// Builds a coded reason: `reason!(FeesNoWork)`,
/// `reason!(FeesDiagnostic, fee)`; each argument goes through
/// [`Arg::from`], in the order of the code's arguments.
#[macro_export]
#[doc(hidden)]
macro_rules! reason {
    ($code:ident $(, $arg:expr)* $(,)?) => {
        $crate::reason::Reason::coded(
            $crate::reason::Code::$code,
            vec![$($crate::reason::Arg::from($arg)),*],
        )
    };
}

#[cfg(test)]
mod tests;
