//! Hostile input: nothing panics, nothing runs unbounded, nothing escapes.
//! Each test is a case that once crashed the process, stalled it, or gave a
//! silently wrong answer; each now gets a located error (see
//! `docs/policy.md`, "Limits").

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::Level;
use aftersales::{Calendar, CalendarError, Error, Policy, ServiceDuration, Ticket};
use chrono::{DateTime, TimeDelta, Utc};
use std::time::{Duration, Instant};

/// The duration that overflowed chrono: −9,223,372,036,854,775,808 ms, one
/// millisecond below the smallest `TimeDelta`.
const HUGE_NEGATIVE: &str = "-9223372036854775s -0.808s";

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn policy(body: &str) -> Policy {
    let text =
        format!("[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n{body}");
    Policy::from_toml_str(&text).unwrap()
}

/// The first error of `check` on a policy: (TOML path, message).
fn check_error(body: &str) -> (String, String) {
    let text =
        format!("[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n{body}");
    let diagnostics = Policy::check_source(&text, None);
    let first = diagnostics
        .iter()
        .find(|d| d.level == Level::Error)
        .unwrap_or_else(|| panic!("no error in {diagnostics:?}"));
    (first.location.path.clone(), first.message.clone())
}

fn ticket(json: &str) -> Ticket {
    Ticket::from_json(json).unwrap()
}

fn simple_ticket() -> Ticket {
    ticket(r#"{"id":"T-1","opened_at":"2026-03-02T09:00:00+08:00"}"#)
}

fn ticket_error(json: &str) -> (String, String) {
    match Ticket::from_json(json) {
        Err(Error::Ticket { field, message, .. }) => (field, message),
        other => panic!("expected a ticket error, got {other:?}"),
    }
}

fn rule_error(result: aftersales::Result<aftersales::Evaluation>) -> (String, String) {
    match result {
        Err(Error::Rule {
            function, message, ..
        }) => (function, message),
        other => panic!("expected a rule error, got {other:?}"),
    }
}

// ---------------------------------------------------------------- durations

#[test]
fn a_duration_past_chronos_range_is_an_error_not_a_panic() {
    assert!(ServiceDuration::parse(HUGE_NEGATIVE).is_err());
    // One pair, no sign question: 9,223,372,036,854,775 s is 106 billion days.
    let err = ServiceDuration::parse("-9223372036854775s").unwrap_err();
    assert!(err.contains("at most 100000 days"), "{err}");
    assert!(ServiceDuration::parse("PT9223372036854775S").is_err());
    // The limit itself: 100,000 d = 8,640,000,000,000 ms; one more day is refused.
    assert_eq!(
        ServiceDuration::parse("100000d"),
        Ok(ServiceDuration::Time(TimeDelta::milliseconds(
            8_640_000_000_000
        )))
    );
    assert!(ServiceDuration::parse("100001d").is_err());
    assert!(ServiceDuration::parse("2400001h").is_err());
}

#[test]
fn a_sign_inside_a_compound_duration_is_refused() {
    for text in ["1h-30m", "-1h 2h", "1h -30m", "-1h30m"] {
        let err = ServiceDuration::parse(text).unwrap_err();
        assert!(
            err.contains("sign inside a compound duration"),
            "{text}: {err}"
        );
    }
    // A single signed pair, and ISO 8601 with a leading sign, stay: −30 min.
    assert_eq!(
        ServiceDuration::parse("-30m"),
        Ok(ServiceDuration::Time(TimeDelta::minutes(-30)))
    );
    // −(1 h + 30 min) = −5,400 s.
    assert_eq!(
        ServiceDuration::parse("-PT1H30M"),
        Ok(ServiceDuration::Time(TimeDelta::seconds(-5_400)))
    );
}

#[test]
fn business_day_counts_are_bounded() {
    assert_eq!(
        ServiceDuration::parse("10000bd"),
        Ok(ServiceDuration::BusinessDays(10_000))
    );
    for text in ["10001bd", "4000000000bd"] {
        let err = ServiceDuration::parse(text).unwrap_err();
        assert!(err.contains("at most 10000"), "{text}: {err}");
    }
    let (path, message) =
        check_error("[[targets]]\nmetric = \"a\"\nstop = \"resolved\"\ntarget = \"4000000000bd\"");
    assert_eq!(path, "targets[0].target");
    assert!(message.contains("at most 10000"), "{message}");
}

#[test]
fn a_huge_labor_time_is_a_located_ticket_error() {
    let (field, message) = ticket_error(&format!(
        r#"{{"id":"T-1","opened_at":"2026-03-02T09:00:00+08:00","work":{{"labor":"{HUGE_NEGATIVE}"}}}}"#
    ));
    assert_eq!(field, "work.labor");
    assert!(message.contains("sign"), "{message}");
    let (field, message) = ticket_error(
        r#"{"id":"T-1","opened_at":"2026-03-02T09:00:00+08:00","work":{"labor":"9223372036854775s"}}"#,
    );
    assert_eq!(field, "work.labor");
    assert!(message.contains("too large"), "{message}");
}

#[test]
fn a_huge_policy_duration_is_a_located_policy_error() {
    let (path, _) = check_error(&format!(
        "[[targets]]\nmetric = \"a\"\nstop = \"resolved\"\ntarget = \"{HUGE_NEGATIVE}\""
    ));
    assert_eq!(path, "targets[0].target");
    let (path, _) = check_error(&format!(
        "[[targets]]\nmetric = \"a\"\nstop = \"resolved\"\ntarget = \"1h\"\nwarn_at = \"{HUGE_NEGATIVE}\""
    ));
    assert_eq!(path, "targets[0].warn_at");
    let (path, _) = check_error(&format!(
        "[fees.labor]\nrate = \"100.00\"\nminimum = \"{HUGE_NEGATIVE}\""
    ));
    assert_eq!(path, "fees.labor.minimum");
}

fn rule_target_policy(body: &str) -> Policy {
    policy(&format!(
        "script = '''\nfn target(ticket, severity) {{ {body} }}\n'''\n\
         [[targets]]\nmetric = \"resolve\"\nstop = \"resolved\"\ntarget = {{ rule = \"target\" }}"
    ))
}

#[test]
fn a_rule_target_that_is_huge_negative_or_too_many_business_days_is_an_error() {
    let as_of = at("2026-03-02T10:00:00+08:00");
    let p = rule_target_policy(&format!("\"{HUGE_NEGATIVE}\""));
    let (function, _) = rule_error(p.evaluate(&simple_ticket(), as_of));
    assert_eq!(function, "target()");
    // The same text as in TOML: a negative target would put the deadline
    // before the clock started.
    let p = rule_target_policy("\"-5h\"");
    let (function, message) = rule_error(p.evaluate(&simple_ticket(), as_of));
    assert_eq!(function, "target()");
    assert!(message.contains("`-5h` is negative"), "{message}");
    // Four billion business days once walked day by day for 45 s.
    let started = Instant::now();
    let p = rule_target_policy("business_days(4000000000)");
    let (function, message) = rule_error(p.evaluate(&simple_ticket(), as_of));
    assert_eq!(function, "target()");
    assert!(message.contains("at most 10000"), "{message}");
    let p = rule_target_policy("hours(3000000)");
    let (_, message) = rule_error(p.evaluate(&simple_ticket(), as_of));
    assert!(message.contains("at most 100000 days"), "{message}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

// ---------------------------------------------------------------- instants

#[test]
fn ticket_instants_and_dates_outside_1900_to_2200_are_refused_where_they_are() {
    let cases = [
        (
            r#"{"id":"T","opened_at":"1899-12-31T23:59:59Z"}"#,
            "opened_at",
        ),
        (
            r#"{"id":"T","opened_at":"0001-01-01T00:00:00Z"}"#,
            "opened_at",
        ),
        // 2201-01-01T07:00 at +08:00 is 2200-12-31T23:00Z: inside. At UTC it is not.
        (
            r#"{"id":"T","opened_at":"2200-12-31T00:00:00Z","events":[{"at":"2201-01-01T00:00:00Z","kind":"resolved"}]}"#,
            "events[0].at",
        ),
        (
            r#"{"id":"T","opened_at":"2026-03-02T00:00:00Z","product":{"purchased_on":"1850-06-01"}}"#,
            "product.purchased_on",
        ),
        (
            r#"{"id":"T","opened_at":"2026-03-02T00:00:00Z","history":{"repairs":[{"resolved_at":"9999-12-31T23:59:59+14:00"}]}}"#,
            "history.repairs[0].resolved_at",
        ),
        (
            r#"{"id":"T","opened_at":"2026-03-02T00:00:00Z","work":{"visits":[{"at":"3000-01-01T00:00:00Z"}]}}"#,
            "work.visits[0].at",
        ),
    ];
    for (json, expected) in cases {
        let (field, message) = ticket_error(json);
        assert_eq!(field, expected, "{json}");
        assert!(
            message.contains("outside the supported range"),
            "{json}: {message}"
        );
    }
    assert!(Ticket::from_json(r#"{"id":"T","opened_at":"2201-01-01T07:00:00+08:00"}"#).is_ok());
}

#[test]
fn as_of_outside_the_range_is_an_error_not_a_panic() {
    // Kiritimati is UTC+14: showing chrono's last instant there panicked.
    let p = Policy::from_toml_str(
        "[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"Pacific/Kiritimati\"\n\
         [[targets]]\nmetric = \"resolve\"\nstop = \"resolved\"\ntarget = \"2h\"",
    )
    .unwrap();
    for as_of in [
        DateTime::<Utc>::MAX_UTC,
        DateTime::<Utc>::MIN_UTC,
        at("2201-01-01T00:00:00Z"),
    ] {
        match p.evaluate(&simple_ticket(), as_of) {
            Err(Error::Ticket { field, message, .. }) => {
                assert_eq!(field, "as_of");
                assert!(message.contains("outside the supported range"), "{message}");
            }
            other => panic!("{as_of}: {other:?}"),
        }
    }
}

#[test]
fn a_start_at_attribute_outside_the_range_is_a_ticket_error() {
    let p = policy(
        "[[targets]]\nmetric = \"onsite\"\nstart = \"visit_booked\"\nstart_at = \"slot\"\n\
         stop = \"arrived\"\ntarget = \"1h\"",
    );
    let t = ticket(
        r#"{"id":"T","opened_at":"2026-03-02T09:00:00+08:00",
            "events":[{"at":"2026-03-02T10:00:00+08:00","kind":"visit_booked","attributes":{"slot":"9999-12-31T23:00:00-12:00"}}]}"#,
    );
    match p.evaluate(&t, at("2026-03-02T11:00:00+08:00")) {
        Err(Error::Ticket { field, message, .. }) => {
            assert_eq!(field, "events[0].attributes.slot");
            assert!(message.contains("outside the supported range"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_deadline_past_2200_is_an_error_not_a_five_digit_year() {
    let p = policy("[[targets]]\nmetric = \"resolve\"\nstop = \"resolved\"\ntarget = \"100000d\"");
    let t = ticket(r#"{"id":"T","opened_at":"2026-03-02T09:00:00+08:00"}"#);
    // 2026 + 100,000 days (273.8 years) is in 2299.
    match p.evaluate(&t, at("2026-03-02T10:00:00+08:00")) {
        Err(Error::Calendar(CalendarError::OutOfRange { what, .. })) => {
            assert_eq!(what, "the deadline");
        }
        other => panic!("{other:?}"),
    }
    // Inside the range every instant prints with a four-digit year: a
    // ticket opened on the last day, 1 h target, shown at +08:00.
    let p = policy("[[targets]]\nmetric = \"resolve\"\nstop = \"resolved\"\ntarget = \"1h\"");
    let t = ticket(r#"{"id":"T","opened_at":"2200-12-31T22:00:00Z"}"#);
    let e = p.evaluate(&t, at("2200-12-31T22:30:00Z")).unwrap();
    let json = serde_json::to_value(&e).unwrap();
    // 22:00Z + 1 h = 23:00Z = 2201-01-01T07:00:00+08:00.
    assert_eq!(json["sla"][0]["deadline"], "2201-01-01T07:00:00+08:00");
}

fn office() -> Calendar {
    Calendar::from_toml_str("office", "timezone = \"UTC\"\nweekdays = [\"09:00-17:00\"]").unwrap()
}

#[test]
fn calendar_operations_refuse_instants_outside_the_range() {
    let cal = office();
    let out_of_range = |r: Result<DateTime<Utc>, CalendarError>| {
        matches!(r, Err(CalendarError::OutOfRange { .. }))
    };
    let max = DateTime::<Utc>::MAX_UTC;
    let min = DateTime::<Utc>::MIN_UTC;
    assert!(out_of_range(cal.add(max, TimeDelta::hours(1))));
    assert!(out_of_range(cal.add(min, TimeDelta::hours(1))));
    assert!(out_of_range(cal.sub(max, TimeDelta::hours(1))));
    assert!(out_of_range(cal.next_open(at("0001-01-01T00:00:00Z"))));
    assert!(out_of_range(cal.prev_close(max)));
    assert!(out_of_range(cal.next_close(min)));
    assert!(out_of_range(cal.add_business_days(max, 1)));
    assert!(out_of_range(cal.sub_business_days(min, 0)));
    // Answers past the range: 2200-12-29 is a Monday (1900-01-01 was one,
    // and 2200-12-29 is 109,935 = 7 × 15,705 days later). Two business days
    // on is Wednesday 2200-12-31 at 10:00; three would be Thursday
    // 2201-01-01, outside.
    assert_eq!(
        cal.add_business_days(at("2200-12-29T10:00:00Z"), 2)
            .unwrap(),
        at("2200-12-31T10:00:00Z")
    );
    assert!(out_of_range(
        cal.add_business_days(at("2200-12-29T10:00:00Z"), 3)
    ));
    assert!(out_of_range(
        cal.add_business_days(at("2200-12-29T10:00:00Z"), 5)
    ));
    assert!(out_of_range(
        cal.add(at("2200-12-31T16:00:00Z"), TimeDelta::hours(2))
    ));
    assert!(out_of_range(
        cal.sub(at("1900-01-01T10:00:00Z"), TimeDelta::hours(2))
    ));
}

#[test]
fn between_is_bounded_and_counts_only_the_range() {
    let cal = office();
    let started = Instant::now();
    // 1900-01-01 (a Monday) to 2200-12-31 is 109,937 days = 15,705 weeks
    // and 2 days (Mon, Tue): 15,705 × 5 + 2 = 78,527 weekdays of 8 h =
    // 628,216 h.
    assert_eq!(
        cal.between(at("1900-01-01T00:00:00Z"), at("2200-12-31T00:00:00Z")),
        TimeDelta::hours(628_216)
    );
    // From chrono's first instant (year −262,143) once took 40 s: now only
    // the part from 1900 counts, and the answer is the same.
    let now = at("2026-03-02T00:00:00Z");
    assert_eq!(
        cal.between(DateTime::<Utc>::MIN_UTC, now),
        cal.between(at("1900-01-01T00:00:00Z"), now)
    );
    assert_eq!(
        cal.between(now, DateTime::<Utc>::MAX_UTC),
        cal.between(now, at("2201-01-01T00:00:00Z"))
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------- rules

// A rule call's operation limit and its wall-clock backstop, each its own
// error, are tested in `core/tests/limits.rs`.

#[test]
fn rules_cannot_import_modules() {
    let text = "[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"UTC\"\nscript = '''\n\
                fn target(ticket, severity) {\n    import \"x\" as m;\n    hours(1)\n}\n'''";
    match Policy::from_toml_str(text) {
        Err(Error::Policy {
            location, message, ..
        }) => {
            assert_eq!(location.path, "policy.script");
            assert_eq!(location.line, Some(2));
            assert!(message.contains("import"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- silent answers

#[test]
fn a_lead_longer_than_its_target_is_a_check_error() {
    let (path, message) = check_error(
        "[[targets]]\nmetric = \"a\"\nstop = \"resolved\"\ntarget = \"1h\"\nwarn_at = \"90m\"",
    );
    assert_eq!(path, "targets[0].warn_at");
    assert!(message.contains("longer than the target PT1H"), "{message}");
    let (path, message) = check_error(
        "[severity]\nlevels = [\"high\", \"low\"]\ndefault = \"low\"\n\
         [[targets]]\nmetric = \"a\"\nstop = \"resolved\"\n\
         target = { high = \"30m\", low = \"4h\" }\nwarn_at = \"1h\"",
    );
    assert_eq!(path, "targets[0].warn_at");
    assert!(message.contains("PT30M for `high`"), "{message}");
    // A lead equal to the target warns at the start: allowed.
    let p = policy(
        "[[targets]]\nmetric = \"a\"\nstop = \"resolved\"\ntarget = \"1h\"\nwarn_at = \"1h\"",
    );
    assert_eq!(p.metric_names(), vec!["a"]);
}

#[test]
fn a_fee_rule_cannot_change_the_currency() {
    let p = policy(
        "currency = \"CNY\"\nscript = '''\nfn bill(ticket, charges) { charges.currency = \"USD\"; charges }\n'''\n\
         [fees]\nrule = \"bill\"\n[fees.labor]\nrate = \"100.00\"",
    );
    let t = ticket(r#"{"id":"T","opened_at":"2026-03-02T09:00:00+08:00","work":{"labor":"1h"}}"#);
    match p.evaluate(&t, at("2026-03-02T10:00:00+08:00")) {
        Err(Error::Rule {
            function,
            location,
            message,
            ..
        }) => {
            assert_eq!(function, "bill()");
            assert_eq!(location.path, "charges.currency");
            assert!(message.contains("USD"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_longest_business_day_count_is_quick() {
    // Open on Sundays only. From Monday 1900-01-01 the first Sunday is
    // 1900-01-07 (day 6) and the n-th is day 6 + 7 × (n − 1): the 10,000th
    // is day 69,999, 2091-08-26, at the same wall-clock time, 10:00, when
    // the calendar opens.
    let cal =
        Calendar::from_toml_str("sundays", "timezone = \"UTC\"\nsun = [\"10:00-12:00\"]").unwrap();
    let started = Instant::now();
    assert_eq!(
        cal.add_business_days(at("1900-01-01T10:00:00Z"), 10_000)
            .unwrap(),
        at("2091-08-26T10:00:00Z")
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

/// A policy whose rules are given as the text of `rules.rhai`.
fn with_rules(body: &str, script: &str) -> Policy {
    let text = format!(
        "[policy]\nid = \"p\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\nrules = \"rules.rhai\"\n{body}"
    );
    let rules = std::collections::BTreeMap::from([("rules.rhai".to_string(), script.to_string())]);
    Policy::from_toml_with_rules(&text, &rules).unwrap()
}

#[test]
fn a_bad_rule_result_is_located_at_the_rules_definition() {
    // Line 1 is a comment, line 2 blank, line 3 a helper; `fn classify`
    // starts line 4 after four spaces: line 4, column 5.
    let p = with_rules(
        "[severity]\nlevels = [\"high\", \"normal\"]\ndefault = \"normal\"\nrule = \"classify\"",
        "// fn classify() in a comment is not the definition\n\nfn helper() { 42 }\n    fn classify(ticket) {\n        helper()\n    }\n",
    );
    let t = ticket(r#"{"id":"T","opened_at":"2026-03-02T09:00:00+08:00"}"#);
    let err = p.evaluate(&t, at("2026-03-02T10:00:00+08:00")).unwrap_err();
    match &err {
        Error::Rule {
            function,
            location,
            message,
            ..
        } => {
            assert_eq!(function, "classify()");
            assert_eq!(location.path, "rules.rhai");
            assert_eq!((location.line, location.column), (Some(4), Some(5)));
            assert_eq!(
                message,
                "returned `42`, which is not a level (high, normal)"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "policy `p`, rule `classify()` (line 4): returned `42`, which is not a level (high, normal)"
    );
}

#[test]
fn a_bad_target_rule_result_names_its_rule_and_line() {
    // `fn target` is on line 2, column 1; it returns a number, not a duration.
    let p = with_rules(
        "[[targets]]\nmetric = \"a\"\nstop = \"resolved\"\ntarget = { rule = \"target\" }",
        "fn severity(ticket) { () }\nfn target(ticket, severity) { 7 }\n",
    );
    let t = ticket(r#"{"id":"T","opened_at":"2026-03-02T09:00:00+08:00"}"#);
    match p.evaluate(&t, at("2026-03-02T10:00:00+08:00")) {
        Err(Error::Rule {
            function,
            location,
            message,
            ..
        }) => {
            assert_eq!(function, "target()");
            assert_eq!(location.path, "rules.rhai");
            assert_eq!((location.line, location.column), (Some(2), Some(1)));
            assert_eq!(
                message,
                "returned a i64, not a duration such as hours(2) or \"2h\""
            );
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Input, bounds and messages (issues 19 and 20): nothing dropped, a ticket
// is an object, every size bounded, sums never saturated, locations clean.
// ---------------------------------------------------------------------------

mod input_and_bounds {
    use super::*;
    use aftersales::api;
    use aftersales::Location;

    const SMALL: &str = "[policy]\nid = \"small\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n[[targets]]\nmetric = \"respond\"\nstop = \"resolved\"\ntarget = \"2h\"\n";

    fn small() -> Policy {
        Policy::from_toml_str(SMALL).unwrap()
    }

    /// Each answer of a batch: the ticket's id, or its error's message.
    fn batch(text: &str) -> Vec<Result<String, String>> {
        let policy = small();
        let mut answers = Vec::new();
        api::evaluate_stream(
            &policy,
            text.as_bytes(),
            Some(at("2026-03-02T02:00:00Z")),
            aftersales::EvaluateOptions::default(),
            |_, answer| {
                answers.push(answer.map(|e| e.ticket).map_err(|e| e.message));
                Ok(())
            },
        )
        .unwrap();
        answers
    }

    const AFTER_ARRAY: &str =
        "a batch is one JSON array or JSON lines, not both; the rest of the input is not read";

    #[test]
    fn a_second_array_on_the_next_line_is_an_error_not_dropped() {
        // The first array holds `A-1`, which is not JSON (a bare word): an
        // error for element 1 at its first byte (line 1, column 2); the
        // second array starts line 2.
        assert_eq!(
            batch("[A-1]\n[A-2]\n"),
            vec![
                Err(
                    "ticket 1: the ticket is not valid JSON: expected value (line 1, column 2)"
                        .to_string()
                ),
                Err(format!(
                    "data after the JSON array (line 2, column 1): {AFTER_ARRAY}"
                )),
            ]
        );
    }

    #[test]
    fn garbage_after_the_array_is_an_error_naming_its_column() {
        // `[T]` closes at column 3; ` garbage` starts at column 5.
        assert_eq!(
            batch("[T] garbage"),
            vec![
                Err(
                    "ticket 1: the ticket is not valid JSON: expected value (line 1, column 2)"
                        .to_string()
                ),
                Err(format!(
                    "data after the JSON array (line 1, column 5): {AFTER_ARRAY}"
                )),
            ]
        );
    }

    #[test]
    fn json_lines_whose_first_line_is_an_array_lose_nothing() {
        let text = "[{\"id\":\"A\",\"opened_at\":\"2026-03-02T09:00:00+08:00\"}]\n{\"id\":\"B\",\"opened_at\":\"2026-03-02T09:00:00+08:00\"}\n";
        assert_eq!(
            batch(text),
            vec![
                Ok("A".to_string()),
                Err(format!(
                    "data after the JSON array (line 2, column 1): {AFTER_ARRAY}"
                )),
            ]
        );
    }

    #[test]
    fn the_c_batch_call_answers_both_arrays() {
        // `evaluate_batch_json` is what the C batch call and Python run.
        let out = api::evaluate_batch_json(
            &small(),
            b"[{}][{}]",
            Some(at("2026-03-02T02:00:00Z")),
            aftersales::EvaluateOptions::default(),
        );
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert_eq!(
            lines[0]["error"]["message"],
            "a ticket without an id, field `id`: missing field `id` at line 1 column 2"
        );
        assert_eq!(lines[1]["position"], 2);
        assert_eq!(lines[1]["error"]["kind"], "input");
        assert_eq!(
            lines[1]["error"]["message"],
            format!("data after the JSON array (line 1, column 5): {AFTER_ARRAY}")
        );
        assert_eq!(
            lines[1]["error"]["location"],
            serde_json::json!({"path": "", "line": 1, "column": 5})
        );
    }

    #[test]
    fn a_value_that_is_not_an_object_is_refused_as_a_ticket() {
        for (text, what) in [
            (
                "[{\"id\":\"T\",\"opened_at\":\"2026-03-02T09:00:00+08:00\"}]",
                "an array",
            ),
            ("\"T-1\"", "a string"),
            ("42", "a number"),
            ("true", "a boolean"),
            ("null", "null"),
        ] {
            match Ticket::from_json(text) {
                Err(Error::Input {
                    location, message, ..
                }) => {
                    assert_eq!(message, format!("the ticket is {what}, not an object: a ticket is a JSON object with at least `id` and `opened_at` (line 1, column 1)"));
                    assert_eq!((location.line, location.column), (Some(1), Some(1)));
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn malformed_json_is_reported_as_malformed_json() {
        // `[1, 2` ends inside a list; serde_json places the end at the
        // last byte it read, the `2` at column 5.
        match Ticket::from_json("[1, 2") {
            Err(e @ Error::Input { .. }) => {
                assert_eq!(
                    e.to_string(),
                    "the ticket is not valid JSON: EOF while parsing a list (line 1, column 5)"
                );
                assert_eq!(e.kind(), aftersales::ErrorKind::Input);
            }
            other => panic!("{other:?}"),
        }
        let answer: serde_json::Value = serde_json::from_str(&api::evaluate_json(
            &small(),
            "[1, 2",
            Some(at("2026-03-02T02:00:00Z")),
            aftersales::EvaluateOptions::default(),
        ))
        .unwrap();
        assert_eq!(answer["error"]["kind"], "input");
        assert_eq!(
            answer["error"]["location"],
            serde_json::json!({"path": "", "line": 1, "column": 5})
        );
    }

    #[test]
    fn endless_input_is_one_located_error_within_a_second() {
        let zeros = std::io::BufReader::new(std::fs::File::open("/dev/zero").unwrap());
        let started = Instant::now();
        let mut answers = Vec::new();
        api::evaluate_stream(
            &small(),
            zeros,
            Some(at("2026-03-02T02:00:00Z")),
            aftersales::EvaluateOptions::default(),
            |position, answer| {
                answers.push((position, answer.map(|e| e.ticket).map_err(|e| e.message)));
                Ok(())
            },
        )
        .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(
            answers,
            vec![(1, Err(format!("ticket 1 (line 1, column 1) is longer than the limit of {} bytes (max_line_bytes); the rest of the input is not read", api::MAX_LINE_BYTES)))]
        );
        assert_eq!(api::MAX_LINE_BYTES, 1_048_576);
    }

    #[test]
    fn the_line_limit_is_raised_by_the_batching() {
        // A 60-byte line (55 bytes of ticket, 5 blanks) under a 59-byte
        // limit, then under a 60-byte one.
        let line = "{\"id\":\"LONG-1\",\"opened_at\":\"2026-03-02T09:00:00+08:00\"}     ";
        assert_eq!(line.len(), 60);
        let read = |limit: usize| {
            let mut answers = Vec::new();
            api::evaluate_stream_chunked(
                &small(),
                line.as_bytes(),
                Some(at("2026-03-02T02:00:00Z")),
                aftersales::EvaluateOptions::default(),
                api::Batching {
                    max_line_bytes: limit,
                    ..api::Batching::default()
                },
                |_, answer| {
                    answers.push(answer.map(|e| e.ticket).map_err(|e| e.message));
                    Ok(())
                },
            )
            .unwrap();
            answers
        };
        assert_eq!(
            read(59),
            vec![Err("ticket 1 (line 1, column 1) is longer than the limit of 59 bytes (max_line_bytes); the rest of the input is not read".to_string())]
        );
        assert_eq!(read(60), vec![Ok("LONG-1".to_string())]);
    }

    #[test]
    fn an_endless_policy_file_fails_at_once_naming_the_file_and_the_limit() {
        let started = Instant::now();
        let e = Policy::from_path("/dev/zero").unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(
            e.to_string(),
            "cannot read `/dev/zero`: the file is larger than the limit of 4194304 bytes (raise it with AFTERSALES_MAX_POLICY_BYTES)"
        );
        let diagnostics = Policy::check_path("/dev/zero");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            diagnostics[0].to_string(),
            "error[io]: cannot read `/dev/zero`: the file is larger than the limit of 4194304 bytes (raise it with AFTERSALES_MAX_POLICY_BYTES)"
        );
    }

    #[test]
    fn an_endless_rule_file_fails_at_once_at_policy_rules() {
        let dir = std::env::temp_dir().join(format!("aftersales-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("zero.toml");
        std::fs::write(
            &path,
            "[policy]\nid = \"zero\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\nrules = \"/dev/zero\"\n",
        )
        .unwrap();
        let started = Instant::now();
        let diagnostics = Policy::check_path(&path);
        assert!(started.elapsed() < Duration::from_secs(1));
        let error = diagnostics
            .iter()
            .find(|d| d.level == Level::Error)
            .unwrap();
        assert_eq!(error.location.path, "policy.rules");
        assert_eq!(
            error.message,
            "cannot read `/dev/zero`: the file is larger than the limit of 4194304 bytes (raise it with AFTERSALES_MAX_POLICY_BYTES)"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn policy_texts_are_held_to_the_file_limit() {
        let limit = aftersales::MAX_POLICY_BYTES as usize;
        let manifest = format!("{SMALL}{}", "#".repeat(limit + 1 - SMALL.len()));
        assert_eq!(
            Policy::from_toml_str(&manifest).unwrap_err().to_string(),
            "policy `<text>`: the manifest is 4194305 bytes, larger than the limit of 4194304 bytes (raise it with AFTERSALES_MAX_POLICY_BYTES)"
        );
        let rules =
            std::collections::BTreeMap::from([("big.rhai".to_string(), "/".repeat(limit + 1))]);
        assert_eq!(
            Policy::from_toml_with_rules(SMALL, &rules).unwrap_err().to_string(),
            "policy `<text>`, `policy.rules`: the rule text `big.rhai` is 4194305 bytes, larger than the limit of 4194304 bytes (raise it with AFTERSALES_MAX_POLICY_BYTES)"
        );
        let at_limit = format!("{SMALL}{}", "#".repeat(limit - SMALL.len()));
        assert!(Policy::from_toml_str(&at_limit).is_ok());
    }

    /// A policy that bills parts at their catalogue price, and `n` tickets
    /// each with one part at 700,000,000,000,000,000,000,000,000.00.
    fn expensive(n: usize) -> (Policy, String) {
        let policy = Policy::from_toml_str(&format!(
            "{SMALL}[fees]\n[fees.parts]\nmarkup_percent = \"0\"\n"
        ))
        .unwrap();
        let ticket = "{\"id\":\"A\",\"opened_at\":\"2026-03-02T09:00:00+08:00\",\"work\":{\"parts\":[{\"sku\":\"X\",\"qty\":1,\"unit_price\":\"700000000000000000000000000\"}]}}\n";
        (policy, ticket.repeat(n))
    }

    #[test]
    fn a_total_that_overflows_is_an_error_not_a_saturated_figure() {
        // 113 x 7e26 = 7.91e28 fits under the decimal maximum
        // 79,228,162,514,264,337,593,543,950,335 (about 7.92e28);
        // 114 x 7e26 = 7.98e28 does not.
        let as_of = Some(at("2026-03-02T02:00:00Z"));
        let (policy, tickets) = expensive(114);
        let report: serde_json::Value =
            serde_json::from_str(&api::report_json(&policy, tickets.as_bytes(), as_of)).unwrap();
        assert_eq!(report["evaluated"], 114, "{report}");
        assert_eq!(
            report["money"]["charged"],
            serde_json::Value::Null,
            "{report}"
        );
        assert_eq!(report["money"]["overflow"], serde_json::json!(["charged"]));
        let (policy, tickets) = expensive(113);
        let report: serde_json::Value =
            serde_json::from_str(&api::report_json(&policy, tickets.as_bytes(), as_of)).unwrap();
        assert_eq!(report["evaluated"], 113, "{report}");
        assert_eq!(
            report["money"]["charged"]
                .as_str()
                .map(|s| s.split('.').next().unwrap_or(s)),
            Some("79100000000000000000000000000")
        );
        assert!(report["money"].get("overflow").is_none());
    }

    #[test]
    fn the_overflow_error_names_the_total() {
        let (policy, tickets) = expensive(114);
        let report = api::evaluate_stream(
            &policy,
            tickets.as_bytes(),
            Some(at("2026-03-02T02:00:00Z")),
            aftersales::EvaluateOptions::default(),
            |_, _| Ok(()),
        )
        .unwrap();
        assert_eq!(
            report.money.overflow_error().map(|e| e.to_string()),
            Some("`money`: the total `money.charged` overflowed the decimal range (at most 79228162514264337593543950335): no figure is reported for it".to_string())
        );
        assert!(report
            .to_table()
            .contains("money (CNY): charged OVERFLOW (tax 0"));
    }

    #[test]
    fn locations_read_without_stray_spaces() {
        let place = |path: &str, line, column| Location {
            path: path.to_string(),
            line,
            column,
        };
        assert_eq!(place("", Some(1), Some(1)).to_string(), "line 1, column 1");
        assert_eq!(place("", Some(3), None).to_string(), "line 3");
        assert_eq!(
            place("a.b", Some(1), Some(8)).to_string(),
            "`a.b` (line 1, column 8)"
        );
        assert_eq!(place("a.b", None, None).to_string(), "`a.b`");
        let policy_error = |location| Error::Policy {
            policy: "<text>".to_string(),
            location,
            message: "bad".to_string(),
        };
        assert_eq!(
            policy_error(place("", Some(1), Some(8))).to_string(),
            "policy `<text>`, line 1, column 8: bad"
        );
        assert_eq!(
            policy_error(Location::default()).to_string(),
            "policy `<text>`: bad"
        );
        assert_eq!(
            Error::ticket("", "id", "missing").to_string(),
            "a ticket without an id, field `id`: missing"
        );
        assert_eq!(
            Error::ticket("T-1", "", "bad").to_string(),
            "ticket `T-1`: bad"
        );
        assert_eq!(
            Error::ticket("T-1", "opened_at", "missing").to_string(),
            "ticket `T-1`, field `opened_at`: missing"
        );
    }

    #[test]
    fn a_toml_syntax_error_in_policy_text_reads_cleanly() {
        // `[policy` lacks its `]`: TOML stops at the end of line 1, column 8.
        let e = Policy::from_toml_str("[policy\n").unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("policy `<text>`, line 1, column 8: "),
            "{text}"
        );
        assert!(!text.contains("  "), "{text}");
    }
}
