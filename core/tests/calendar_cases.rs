//! Every case of `tests/data/calendar_cases.json` (business-hours cases from
//! five public test suites, normalised to aftersales' conventions) must pass.
//! The file's neutral calendar JSON is mapped onto the policy manifest's
//! calendar form ([`CalendarSpec`]) here, so the test also proves that form
//! can express every calendar in it.

use aftersales::Calendar;
use aftersales::{CalendarSpec, HolidaySpec, OverrideSpec};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A file of the repository's reference data (`tests/data/`).
fn test_data(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(file)
}

fn intervals(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            let s = pair.get(0).and_then(Value::as_str).unwrap_or_default();
            let e = pair.get(1).and_then(Value::as_str).unwrap_or_default();
            format!("{s}-{e}")
        })
        .collect()
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn dated(value: Option<&Value>) -> BTreeMap<String, Vec<String>> {
    value
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(date, list)| (date.clone(), intervals(list)))
        .collect()
}

/// Maps the neutral calendar JSON onto the manifest's calendar form.
fn spec_of(json: &Value) -> CalendarSpec {
    let weekly = json.get("weekly");
    let day = |key: &str| {
        Some(intervals(
            weekly.and_then(|w| w.get(key)).unwrap_or(&Value::Null),
        ))
    };
    CalendarSpec {
        timezone: Some(
            json.get("tz")
                .and_then(Value::as_str)
                .unwrap_or("floating")
                .to_string(),
        ),
        mon: day("mon"),
        tue: day("tue"),
        wed: day("wed"),
        thu: day("thu"),
        fri: day("fri"),
        sat: day("sat"),
        sun: day("sun"),
        holidays: strings(json.get("holidays"))
            .into_iter()
            .map(HolidaySpec::Date)
            .collect(),
        recurring_holidays: strings(json.get("recurring_holidays")),
        overrides: dated(json.get("date_overrides"))
            .into_iter()
            .map(|(date, list)| (date, OverrideSpec::Intervals(list)))
            .collect(),
        breaks: dated(json.get("breaks")),
        ..CalendarSpec::default()
    }
}

/// RFC 3339 with an offset, or a naive wall-clock time (floating calendars).
fn instant(text: &str) -> DateTime<Utc> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return t.with_timezone(&Utc);
    }
    match NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
        Ok(naive) => naive.and_utc(),
        Err(e) => unreachable!("bad instant {text}: {e}"),
    }
}

#[test]
fn all_shared_calendar_cases_pass() {
    let text = std::fs::read_to_string(test_data("calendar_cases.json"))
        .unwrap_or_else(|e| unreachable!("tests/data/calendar_cases.json: {e}"));
    let data: Value = serde_json::from_str(&text).unwrap_or_else(|e| unreachable!("{e}"));
    let mut calendars = BTreeMap::new();
    for (name, json) in data["calendars"].as_object().into_iter().flatten() {
        let calendar = Calendar::new(name, &spec_of(json), None)
            .unwrap_or_else(|e| unreachable!("calendar {name}: {e}"));
        calendars.insert(name.clone(), calendar);
    }
    let cases = data["cases"].as_array().cloned().unwrap_or_default();
    assert_eq!(cases.len(), 120, "the reference file holds 120 cases");
    let mut failures = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap_or("?");
        let calendar = &calendars[case["calendar"].as_str().unwrap_or_default()];
        let start = instant(case["start"].as_str().unwrap_or_default());
        let seconds = TimeDelta::seconds(case["duration_seconds"].as_i64().unwrap_or(0));
        let days = u32::try_from(case["business_days"].as_u64().unwrap_or(0)).unwrap_or(0);
        let expected = &case["expected"];
        let got: Value = match case["op"].as_str().unwrap_or_default() {
            "add" => instant_value(calendar.add(start, seconds)),
            "sub" => instant_value(calendar.sub(start, seconds)),
            "next_open" => instant_value(calendar.next_open(start)),
            "prev_close" => instant_value(calendar.prev_close(start)),
            "next_close" => instant_value(calendar.next_close(start)),
            "add_business_days" => instant_value(calendar.add_business_days(start, days)),
            "sub_business_days" => instant_value(calendar.sub_business_days(start, days)),
            "between" => {
                let end = instant(case["end"].as_str().unwrap_or_default());
                Value::from(calendar.between(start, end).num_seconds())
            }
            "is_open" => Value::from(calendar.is_open(start)),
            "is_holiday" => Value::from(calendar.is_holiday(start)),
            other => unreachable!("unknown op {other}"),
        };
        let want = match expected {
            Value::String(s) => Value::from(instant(s).to_rfc3339()),
            other => other.clone(),
        };
        if got != want {
            failures.push(format!("{id}: expected {want}, got {got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn instant_value(result: Result<DateTime<Utc>, aftersales::CalendarError>) -> Value {
    match result {
        Ok(t) => Value::from(t.to_rfc3339()),
        Err(e) => Value::from(format!("error: {e}")),
    }
}
