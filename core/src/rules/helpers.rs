//! Helpers rules can call: durations (`hours(2)` → `"PT2H"`), dates
//! (`today()`, `age_days(date)`, `days_between(a, b)`) and money
//! (`money("12.50")`). Durations are returned as ISO 8601 strings, which is
//! also what a target rule returns.

use super::RuleContext;
use crate::duration::{format_iso, milliseconds};
use chrono::NaiveDate;
use rhai::{Dynamic, Engine, EvalAltResult, NativeCallContext, Position, FLOAT, INT};
use rust_decimal::Decimal;

type Fallible<T> = Result<T, Box<EvalAltResult>>;

fn failure(message: String) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message),
        Position::NONE,
    ))
}

fn out_of_range(name: &str, amount: impl std::fmt::Display) -> Box<EvalAltResult> {
    failure(format!(
        "{name}({amount}): must be a non-negative duration of at most {} days",
        crate::duration::MAX_DAYS
    ))
}

fn duration(amount: INT, unit_ms: i64, name: &str) -> Fallible<String> {
    amount
        .checked_mul(unit_ms)
        .filter(|ms| *ms >= 0)
        .and_then(milliseconds)
        .map(format_iso)
        .ok_or_else(|| out_of_range(name, amount))
}

fn fractional(amount: FLOAT, unit_ms: i64, name: &str) -> Fallible<String> {
    let ms = (amount * unit_ms as FLOAT).round();
    if !(0.0..=1.0e15).contains(&ms) {
        return Err(out_of_range(name, amount));
    }
    // Bounded above, so the conversion is exact for whole milliseconds.
    milliseconds(ms as i64)
        .map(format_iso)
        .ok_or_else(|| out_of_range(name, amount))
}

fn today(context: &NativeCallContext) -> Fallible<NaiveDate> {
    context
        .tag()
        .and_then(|tag| tag.clone().try_cast::<RuleContext>())
        .map(|c| c.today)
        .ok_or_else(|| failure("today() is only available while evaluating a ticket".into()))
}

/// A `"YYYY-MM-DD"` date (or the date of an instant's first ten
/// characters) inside the engine's range, years 1900 through 2200; outside
/// it, an error naming the helper and the date.
fn date(name: &str, text: &str) -> Fallible<NaiveDate> {
    let d = NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .map_err(|_| failure(format!("{name}: `{text}` is not a date (YYYY-MM-DD)")))?;
    crate::calendar::range::check_date(d).map_err(|m| failure(format!("{name}: {m}")))?;
    Ok(d)
}

/// Registers every helper on the engine.
pub(super) fn register(engine: &mut Engine) {
    super::instants::register(engine);
    let units: [(&str, i64); 4] = [
        ("seconds", 1_000),
        ("minutes", 60_000),
        ("hours", 3_600_000),
        ("days", 86_400_000),
    ];
    for (name, unit_ms) in units {
        engine.register_fn(name, move |n: INT| duration(n, unit_ms, name));
        engine.register_fn(name, move |n: FLOAT| fractional(n, unit_ms, name));
    }
    engine.register_fn("business_days", |n: INT| -> Fallible<String> {
        if n < 0 {
            return Err(failure(format!("business_days({n}): must not be negative")));
        }
        let days = crate::duration::business_days(n.unsigned_abs())
            .map_err(|m| failure(format!("business_days({n}): {m}")))?;
        Ok(format!("{days}bd"))
    });
    engine.register_fn("money", |text: &str| -> Fallible<Decimal> {
        crate::money::Money::parse(text)
            .map(|m| m.0)
            .map_err(failure)
    });
    engine.register_fn("money", |n: INT| Decimal::from(n));
    engine.register_fn("today", |context: NativeCallContext| -> Fallible<String> {
        Ok(today(&context)?.to_string())
    });
    engine.register_fn(
        "age_days",
        |context: NativeCallContext, text: &str| -> Fallible<INT> {
            let since = date("age_days", text)?;
            Ok((today(&context)? - since).num_days())
        },
    );
    engine.register_fn(
        "age_days",
        |_context: NativeCallContext, _unit: ()| -> Fallible<INT> {
            Err(failure(
                "age_days() of a missing date; check the field exists first".into(),
            ))
        },
    );
    engine.register_fn("days_between", |a: &str, b: &str| -> Fallible<INT> {
        Ok((date("days_between", b)? - date("days_between", a)?).num_days())
    });
}
