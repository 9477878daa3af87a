//! Reasons as a rule hook sees them and gives them back.
//!
//! A hook (`fn NAME(ticket, value)`) gets every reason of the value as
//! `#{code, args}`: a reason code of `docs/reasons.md` with its arguments
//! by name, free text as `#{code: "text", args: #{text}}`. What it returns
//! is read back:
//! - a `#{code, args}` equal to one it was shown is that reason again,
//!   with its typed arguments (an amount, a date, a term), so it renders
//!   in every language as before;
//! - a new `#{code, args}` with a known code renders from the code's
//!   templates with the arguments the rule gave, shown as they are;
//! - a string, or `#{code: "text", args: #{text}}`, is the policy's free
//!   text, never translated;
//! - an unknown code, a missing or an unknown argument is an error.
//!
//! The engine never reads a reason's words: it decides on codes only.

use super::{Arg, Code, Coded, Reason, Repr, Sep};
use rhai::Dynamic;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A value a rule hook may edit: its reasons can be visited.
pub(crate) trait HasReasons {
    /// Every reason of the value, in a fixed order.
    fn reasons_mut(&mut self) -> Vec<&mut Reason>;
}

/// Reasons set aside while their value goes to a rule: each reason of the
/// value shown to the rule is replaced by a marker, which [`Self::show`]
/// replaces by the reason's `#{code, args}`.
pub(crate) struct SetAside {
    originals: Vec<Reason>,
    forms: Vec<serde_json::Value>,
}

/// The marker of the `i`th reason set aside: no policy writes a NUL.
fn marker(i: usize) -> String {
    format!("\u{0}reason {i}\u{0}")
}

/// The index in a marker.
fn marked(text: &str) -> Option<usize> {
    text.strip_prefix("\u{0}reason ")?
        .strip_suffix('\u{0}')?
        .parse()
        .ok()
}

/// A reason as `{"code", "args"}`, as a JSON value.
fn form(reason: &Reason) -> serde_json::Value {
    serde_json::to_value(Coded(reason)).unwrap_or_default()
}

impl SetAside {
    /// `value` with its reasons replaced by markers, and the reasons.
    pub(crate) fn new<T: Clone + HasReasons>(value: &T) -> (T, SetAside) {
        let mut masked = value.clone();
        let originals: Vec<Reason> = masked
            .reasons_mut()
            .into_iter()
            .enumerate()
            .map(|(i, reason)| std::mem::replace(reason, Reason::text(marker(i))))
            .collect();
        let forms = originals.iter().map(form).collect();
        (masked, SetAside { originals, forms })
    }

    /// The value as the rule sees it: each marker (a string, or free text
    /// `#{code: "text", args: #{text}}`) replaced by its reason's
    /// `#{code, args}`.
    pub(crate) fn show(&self, value: Dynamic) -> Result<Dynamic, String> {
        if let Some(i) = self.marker_in(&value) {
            let reason = self.originals.get(i).ok_or("a reason went missing")?;
            return rhai::serde::to_dynamic(Coded(reason))
                .map_err(|e| format!("a reason cannot be shown to rules: {e}"));
        }
        let value = match value.try_cast_result::<rhai::Map>() {
            Ok(map) => {
                return map
                    .into_iter()
                    .map(|(k, v)| Ok((k, self.show(v)?)))
                    .collect::<Result<rhai::Map, String>>()
                    .map(Dynamic::from_map)
            }
            Err(value) => value,
        };
        match value.try_cast_result::<rhai::Array>() {
            Ok(array) => array
                .into_iter()
                .map(|v| self.show(v))
                .collect::<Result<rhai::Array, String>>()
                .map(Dynamic::from_array),
            Err(value) => Ok(value),
        }
    }

    /// The index of the reason a value marks, if it is a marker.
    fn marker_in(&self, value: &Dynamic) -> Option<usize> {
        if let Some(text) = value.read_lock::<rhai::ImmutableString>() {
            return marked(&text);
        }
        let map = value.read_lock::<rhai::Map>()?;
        if map
            .get("code")?
            .read_lock::<rhai::ImmutableString>()?
            .as_str()
            != "text"
        {
            return None;
        }
        let args = map.get("args")?.read_lock::<rhai::Map>()?;
        let text = args.get("text")?.read_lock::<rhai::ImmutableString>()?;
        marked(&text)
    }

    /// Puts back the reasons the rule returned unchanged: each coded
    /// reason equal (as `{code, args}`) to one shown is that reason, with
    /// its typed arguments.
    pub(crate) fn restore<T: HasReasons>(&self, value: &mut T) {
        for reason in value.reasons_mut() {
            if reason.parts().is_none() {
                continue;
            }
            let shown = form(reason);
            if let Some(i) = self.forms.iter().position(|f| *f == shown) {
                if let Some(original) = self.originals.get(i) {
                    *reason = original.clone();
                }
            }
        }
    }
}

impl<'de> Deserialize<'de> for Reason {
    /// A string is free text; `{"code", "args"}` is a coded reason (a
    /// known code, its arguments by name) or, with the code `text`, free
    /// text.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Reason, D::Error> {
        deserializer.deserialize_any(ReasonVisitor)
    }
}

struct ReasonVisitor;

impl<'de> Visitor<'de> for ReasonVisitor {
    type Value = Reason;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a reason: text, or a map #{code, args}")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Reason, E> {
        Ok(Reason::text(text))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Reason, E> {
        Ok(Reason::text(text))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Reason, A::Error> {
        let mut code: Option<String> = None;
        let mut args: Option<BTreeMap<String, ArgValue>> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "code" => code = Some(map.next_value()?),
                "args" => args = Some(map.next_value()?),
                other => {
                    return Err(de::Error::custom(format!(
                        "a reason has `code` and `args`, not `{other}`"
                    )))
                }
            }
        }
        let code = code.ok_or_else(|| de::Error::custom("a reason needs its `code`"))?;
        let mut args = args.unwrap_or_default();
        if code == "text" {
            return match args.remove("text") {
                Some(ArgValue(Arg::Text(text))) if args.is_empty() => Ok(Reason::text(text)),
                _ => Err(de::Error::custom(
                    "a `text` reason has the one argument `text`, a string",
                )),
            };
        }
        let known = Code::from_code(&code).ok_or_else(|| {
            de::Error::custom(format!(
                "unknown reason code `{code}` (the codes are listed in docs/reasons.md)"
            ))
        })?;
        let mut ordered = Vec::with_capacity(known.args().len());
        for name in known.args() {
            let value = args.remove(*name).ok_or_else(|| {
                de::Error::custom(format!(
                    "reason `{code}` needs the argument `{name}` (its arguments: {})",
                    names(known)
                ))
            })?;
            ordered.push(value.0);
        }
        if let Some(extra) = args.keys().next() {
            return Err(de::Error::custom(format!(
                "reason `{code}` has no argument `{extra}` (its arguments: {})",
                names(known)
            )));
        }
        Ok(Reason(Repr::Coded(known, ordered.into_boxed_slice())))
    }
}

/// A code's argument names, for an error.
fn names(code: Code) -> String {
    if code.args().is_empty() {
        return "none".to_string();
    }
    code.args()
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An argument as a rule gave it: text, a number, a list, a reason, or
/// nothing; shown as given.
struct ArgValue(Arg);

impl<'de> Deserialize<'de> for ArgValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ArgValue, D::Error> {
        deserializer.deserialize_any(ArgVisitor).map(ArgValue)
    }
}

struct ArgVisitor;

impl<'de> Visitor<'de> for ArgVisitor {
    type Value = Arg;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an argument: text, a number, a list, a reason or ()")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Arg, E> {
        Ok(Arg::Text(Arc::from(text)))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Arg, E> {
        Ok(Arg::Static(if value { "true" } else { "false" }))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Arg, E> {
        Ok(Arg::Int(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Arg, E> {
        i64::try_from(n)
            .map(Arg::Int)
            .map_err(|_| E::custom(format!("{n} is too large")))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Arg, E> {
        Ok(Arg::Text(Arc::from(n.to_string())))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Arg, E> {
        Ok(Arg::Empty)
    }

    fn visit_none<E: de::Error>(self) -> Result<Arg, E> {
        Ok(Arg::Empty)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Arg, D::Error> {
        deserializer.deserialize_any(ArgVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Arg, A::Error> {
        let mut items = Vec::new();
        while let Some(ArgValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Arg::list(items, Sep::Comma))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Arg, A::Error> {
        ReasonVisitor.visit_map(map).map(Arg::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[derive(Clone, serde::Serialize, serde::Deserialize)]
    struct Noted {
        because: Vec<Reason>,
    }

    impl HasReasons for Noted {
        fn reasons_mut(&mut self) -> Vec<&mut Reason> {
            self.because.iter_mut().collect()
        }
    }

    fn round_trip(value: &Noted, edit: impl FnOnce(&mut rhai::Map)) -> Result<Noted, String> {
        let (masked, aside) = SetAside::new(value);
        let shown = rhai::serde::to_dynamic(&masked).map_err(|e| e.to_string())?;
        let shown = aside.show(shown)?;
        let mut map = shown.try_cast::<rhai::Map>().unwrap_or_default();
        edit(&mut map);
        let back: Dynamic = map.into();
        let mut new: Noted = rhai::serde::from_dynamic(&back).map_err(|e| e.to_string())?;
        aside.restore(&mut new);
        Ok(new)
    }

    #[test]
    fn a_hook_sees_codes_and_an_unchanged_reason_comes_back_as_it_was() {
        let fee = crate::reason!(FeesDiagnostic, Decimal::new(8000, 2));
        let value = Noted {
            because: vec![fee.clone(), Reason::text("the policy's own words")],
        };
        let mut seen = String::new();
        let back = round_trip(&value, |map| {
            seen = format!("{map:?}");
        })
        .unwrap_or_else(|e| Noted {
            because: vec![Reason::text(e)],
        });
        assert!(seen.contains("\"fees.diagnostic\""), "{seen}");
        assert!(seen.contains("\"80.00\""), "{seen}");
        assert!(!seen.contains("[fees.diagnostic]: fee"), "{seen}");
        assert_eq!(back.because, value.because);
        // Typed again: the decimal argument, not the text a rule saw.
        assert_eq!(
            back.because
                .first()
                .and_then(|r| r.parts())
                .map(|(_, a)| a.to_vec()),
            Some(vec![Arg::Dec(Decimal::new(8000, 2))])
        );
    }

    #[test]
    fn a_new_coded_reason_renders_from_its_templates() {
        let value = Noted { because: vec![] };
        let back = round_trip(&value, |map| {
            let mut args = rhai::Map::new();
            args.insert("fee".into(), "25.00".into());
            let mut reason = rhai::Map::new();
            reason.insert("code".into(), "fees.diagnostic".into());
            reason.insert("args".into(), args.into());
            map.insert(
                "because".into(),
                vec![Dynamic::from(reason), "free".into()].into(),
            );
        });
        let back = back.unwrap_or_else(|e| Noted {
            because: vec![Reason::text(e)],
        });
        let texts: Vec<_> = back
            .because
            .iter()
            .map(|r| (r.code(), r.render(super::super::Lang::ZhCn)))
            .collect();
        assert_eq!(
            texts,
            [
                (
                    "fees.diagnostic",
                    "[fees.diagnostic]：检测费 25.00".to_string()
                ),
                ("text", "free".to_string())
            ]
        );
    }

    #[test]
    fn an_unknown_code_or_argument_is_an_error() {
        let json = |text: &str| serde_json::from_str::<Reason>(text).map_err(|e| e.to_string());
        let unknown = json(r#"{"code":"fees.nope","args":{}}"#);
        assert!(
            unknown
                .as_ref()
                .is_err_and(|e| e.contains("unknown reason code `fees.nope`")),
            "{unknown:?}"
        );
        let missing = json(r#"{"code":"fees.diagnostic","args":{}}"#);
        assert!(
            missing
                .as_ref()
                .is_err_and(|e| e.contains("needs the argument `fee`")),
            "{missing:?}"
        );
        let extra = json(r#"{"code":"fees.no_work","args":{"x":1}}"#);
        assert!(
            extra
                .as_ref()
                .is_err_and(|e| e.contains("has no argument `x`")),
            "{extra:?}"
        );
        assert_eq!(
            json(r#"{"code":"text","args":{"text":"words"}}"#).ok(),
            Some(Reason::text("words"))
        );
        assert_eq!(json(r#""words""#).ok(), Some(Reason::text("words")));
    }
}
