//! `check` finds each problem with its location; compiled policies are
//! shareable and carry their identity.

use super::*;

const BASE: &str = r#"
[policy]
id = "p"
version = "1"
timezone = "Asia/Shanghai"
script = '''
fn severity(ticket) { "high" }
'''

[calendars.office]
weekdays = ["09:00-18:00"]

[severity]
levels = ["critical", "high", "normal"]
default = "normal"
rule = "severity"

[[targets]]
metric = "contact"
stop = "contacted"
target = "2h"
"#;

fn findings(extra: &str) -> Vec<(Level, String, String)> {
    Policy::check_source(&format!("{BASE}{extra}"), None)
        .into_iter()
        .map(|d| (d.level, d.location.path.clone(), d.message))
        .collect()
}

fn only(extra: &str) -> (Level, String, String) {
    let found = findings(extra);
    assert_eq!(found.len(), 1, "{found:?}");
    found.into_iter().next().unwrap()
}

#[test]
fn a_clean_policy_has_no_findings() {
    assert!(findings("").is_empty(), "{:?}", findings(""));
    let policy = Policy::from_toml_str(BASE).unwrap();
    assert_eq!((policy.id(), policy.version()), ("p", "1"));
    assert!(policy.digest().starts_with("sha256:") && policy.digest().len() == 7 + 64);
}

#[test]
fn the_digest_ignores_comments_and_layout_but_not_content() {
    let a = Policy::from_toml_str(BASE).unwrap();
    let b = Policy::from_toml_str(&format!(
        "# a comment\n{}",
        BASE.replace("target = \"2h\"", "target   =   \"2h\"")
    ))
    .unwrap();
    let c = Policy::from_toml_str(&BASE.replace("target = \"2h\"", "target = \"3h\"")).unwrap();
    assert_eq!(a.digest(), b.digest());
    assert_ne!(a.digest(), c.digest());
}

#[test]
fn unknown_calendar() {
    let (level, path, message) = only("\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ncalendar = \"ofice\"\ntarget = \"1h\"\n");
    assert_eq!(
        (level, path.as_str()),
        (Level::Error, "targets[1].calendar")
    );
    assert!(message.contains("unknown calendar `ofice`"), "{message}");
}

#[test]
fn unknown_event_kind() {
    let (level, path, message) =
        only("\n[[targets]]\nmetric = \"m\"\nstop = \"resovled\"\ntarget = \"1h\"\n");
    assert_eq!((level, path.as_str()), (Level::Error, "targets[1].stop"));
    assert!(
        message.contains("unknown event kind `resovled`"),
        "{message}"
    );
}

#[test]
fn target_for_a_severity_that_does_not_exist() {
    let (level, path, _) = only(
        "\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarget = { critical = \"1h\", high = \"2h\", normal = \"4h\", urgent = \"30m\" }\n",
    );
    assert_eq!(
        (level, path.as_str()),
        (Level::Error, "targets[1].target.urgent")
    );
}

#[test]
fn a_metric_that_can_never_start() {
    let (level, path, message) = only(
        "\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarget = \"1h\"\nwhen = \"1 > 2\"\n",
    );
    assert_eq!((level, path.as_str()), (Level::Warning, "targets[1].when"));
    assert!(message.contains("can never start"), "{message}");
}

#[test]
fn days_on_a_business_calendar() {
    let (level, path, message) =
        only("\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ncalendar = \"office\"\ntarget = \"2d\"\n");
    assert_eq!(
        (level, path.as_str()),
        (Level::Warning, "targets[1].target")
    );
    assert!(
        message.contains("`bd` (business days) or `h` is probably meant"),
        "{message}"
    );
}

#[test]
fn rhai_syntax_error_with_line_and_column() {
    let source = BASE.replace(
        "fn severity(ticket) { \"high\" }",
        "fn severity(ticket) {\n  let x = ;\n}",
    );
    let found = Policy::check_source(&source, None);
    let d = found.first().unwrap();
    assert_eq!(d.level, Level::Error);
    assert_eq!(d.location.path, "policy.script");
    assert_eq!(d.location.line, Some(2));
    assert!(d.location.column.is_some());
}

#[test]
fn functions_the_manifest_names_but_the_script_lacks() {
    let (level, path, message) =
        only("\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarget = { rule = \"resolve_target\" }\n");
    assert_eq!(
        (level, path.as_str()),
        (Level::Error, "targets[1].target.rule")
    );
    assert!(
        message.contains("no function `resolve_target`"),
        "{message}"
    );
}

#[test]
fn unknown_keys_are_refused_with_path_and_line() {
    let found = Policy::check_source(
        &format!("{BASE}\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarrget = \"1h\"\n"),
        None,
    );
    let d = found.first().unwrap();
    assert_eq!(d.location.path, "targets[1].tarrget");
    assert!(
        d.message.contains("unknown field `tarrget`"),
        "{}",
        d.message
    );
    // BASE ends on line 22 (it starts with a blank line); the bad key is
    // the fourth line of the appended table.
    assert_eq!(d.location.line, Some(26));
}

#[test]
fn calendar_errors_name_the_calendar_field() {
    let source = BASE.replace(
        "weekdays = [\"09:00-18:00\"]",
        "weekdays = [\"09:00-18:00\", \"17:00-19:00\"]",
    );
    let d = Policy::check_source(&source, None)
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(d.location.path, "calendars.office.weekdays[1]");
    let source = BASE.replace(
        "timezone = \"Asia/Shanghai\"",
        "timezone = \"Asia/Shanghia\"",
    );
    let d = Policy::check_source(&source, None)
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(d.location.path, "policy.timezone");
}

#[test]
fn from_toml_str_fails_with_the_first_error() {
    let err = Policy::from_toml_str(&BASE.replace("default = \"normal\"", "default = \"medium\""))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Policy { location, .. } if location.path == "severity.default"),
        "{err}"
    );
}

#[test]
fn policies_are_send_and_sync() {
    fn shareable<T: Send + Sync + Clone>() {}
    shareable::<Policy>();
}

#[test]
fn a_condition_on_the_date_is_not_taken_for_a_constant() {
    assert!(findings("\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarget = \"1h\"\nwhen = 'today() >= \"2026-01-01\"'\n").is_empty());
}

#[test]
fn a_severity_left_out_of_a_target_table_is_a_warning() {
    // Levels are critical, high, normal; `normal` has no entry.
    let (level, path, message) = only(
        "\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarget = { critical = \"1h\", high = \"2h\" }\n",
    );
    assert_eq!(
        (level, path.as_str()),
        (Level::Warning, "targets[1].target")
    );
    assert!(message.contains("normal = \"n/a\""), "{message}");
}

#[test]
fn an_explicit_not_applicable_entry_silences_the_warning() {
    // `normal = "n/a"`: the metric is deliberately not defined for normal
    // tickets. The old engine read "n/a" as a duration and refused it.
    assert_eq!(
        findings(
            "\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarget = { critical = \"1h\", high = \"2h\", normal = \"n/a\" }\n"
        ),
        vec![]
    );
    // "n/a" for a key that is not a level is still an error ...
    let (level, path, _) = only(
        "\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarget = { critical = \"1h\", high = \"2h\", normal = \"4h\", low = \"n/a\" }\n",
    );
    assert_eq!(
        (level, path.as_str()),
        (Level::Error, "targets[1].target.low")
    );
    // ... and so is "n/a" beside a "*" fallback, which would take its place.
    let (level, path, message) = only(
        "\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarget = { critical = \"1h\", normal = \"n/a\", \"*\" = \"4h\" }\n",
    );
    assert_eq!(
        (level, path.as_str()),
        (Level::Error, "targets[1].target.normal")
    );
    assert!(message.contains("cannot be combined"), "{message}");
}

#[test]
fn a_not_applicable_severity_gets_no_clock() {
    let policy = Policy::from_toml_str(&format!(
        "{BASE}\n[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\ntarget = {{ critical = \"1h\", high = \"2h\", normal = \"n/a\" }}\n"
    ))
    .unwrap();
    assert!(policy.check().is_empty(), "{:?}", policy.check());
    // The script classifies every ticket `high`; a CRM severity `normal`
    // takes precedence and finds "n/a": the metric does not apply.
    let ticket = crate::Ticket::from_json(
        r#"{"id": "T", "opened_at": "2026-03-02T10:00:00+08:00", "severity": "normal"}"#,
    )
    .unwrap();
    let e = policy
        .evaluate(&ticket, "2026-03-02T12:00:00+08:00".parse().unwrap())
        .unwrap();
    let m = e.sla.iter().find(|m| m.metric == "m").unwrap();
    assert_eq!(m.current.status.to_string(), "not_applicable");
}

/// Five independent errors, one in each of calendars, targets, warranty,
/// fees and credits: `check` lists all five, each with its kind, TOML path,
/// line and column; `from_toml_str` returns the first with its kind and the
/// policy's id.
#[test]
fn five_independent_errors_are_all_listed_with_kind_path_line_and_column() {
    // Line 1 is empty (the raw string starts with a newline).
    let source = r#"
[policy]
id = "five"
version = "1"
timezone = "Asia/Shanghai"
currency = "CNY"

[calendars.office]
weekdays = ["09:00-18:00", "17:00-19:00"]

[[targets]]
metric = "resolve"
stop = "resolved"
target = "2x"

[warranty]
[warranty.components.main_unit]
period = "1 yeer"

[fees.labor]
rate = "-5.00"

[[credits]]
metric = "resolve"
kind = "compensation"
fixed = "-1.00"
"#;
    let found: Vec<(String, String, Option<u32>, Option<u32>)> = Policy::check_source(source, None)
        .into_iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| {
            (
                d.kind.to_string(),
                d.location.path,
                d.location.line,
                d.location.column,
            )
        })
        .collect();
    let at = |kind: &str, path: &str, line: u32, column: u32| {
        (kind.to_string(), path.to_string(), Some(line), Some(column))
    };
    assert_eq!(
        found,
        vec![
            // Each at its value. Line 9: `weekdays = [` is 12 characters,
            // `"09:00-18:00", ` 15 more: the second element at column 28.
            at("calendar", "calendars.office.weekdays[1]", 9, 28),
            // line 14: `target = ` is 9 characters: column 10.
            at("policy", "targets[0].target", 14, 10),
            // line 18: `period = `, 9 characters: column 10.
            at("policy", "warranty.components.main_unit.period", 18, 10),
            // line 21: `rate = `, 7 characters: column 8.
            at("policy", "fees.labor.rate", 21, 8),
            // line 26: `fixed = `, 8 characters: column 9.
            at("policy", "credits[0].fixed", 26, 9),
        ]
    );
    // The first error, as an Error: still a calendar error.
    let err = Policy::from_toml_str(source).unwrap_err();
    assert_eq!(err.kind(), aftersales_kind("calendar"), "{err}");
}

fn aftersales_kind(name: &str) -> crate::ErrorKind {
    crate::ErrorKind::ALL
        .into_iter()
        .find(|k| k.as_str() == name)
        .unwrap_or(crate::ErrorKind::Input)
}

#[test]
fn a_policy_error_keeps_the_policy_id_and_line() {
    let err = Policy::from_toml_str(&BASE.replace("default = \"normal\"", "default = \"medium\""))
        .unwrap_err();
    match err {
        Error::Policy {
            policy, location, ..
        } => {
            assert_eq!(policy, "p");
            assert_eq!(location.path, "severity.default");
            // BASE: line 1 empty, [policy] 2-8 (script 6-8), 9 empty,
            // [calendars.office] 10-11, 12 empty, [severity] 13, levels 14,
            // default 15; `default = ` is 10 characters: column 11.
            assert_eq!((location.line, location.column), (Some(15), Some(11)));
        }
        other => panic!("{other}"),
    }
}

#[test]
fn breach_is_kept_or_recomputed() {
    let fine = "[[targets]]\nmetric = \"resolve\"\nstop = \"resolved\"\ntarget = \"8h\"\nbreach = \"recomputed\"\n";
    assert!(findings(fine).is_empty(), "{:?}", findings(fine));
    let (level, path, message) = only(
        "[[targets]]\nmetric = \"resolve\"\nstop = \"resolved\"\ntarget = \"8h\"\nbreach = \"forgotten\"\n",
    );
    assert_eq!(level, Level::Error);
    assert_eq!(path, "targets[1].breach");
    assert!(message.contains("`forgotten` is neither"), "{message}");
}

#[test]
fn the_operator_time_limit_is_validated_with_its_range() {
    use super::bounds::operator_time_limit_from;
    assert_eq!(
        operator_time_limit_from("60000"),
        Ok(std::time::Duration::from_secs(60))
    );
    assert_eq!(
        operator_time_limit_from(" 1000 "),
        Ok(std::time::Duration::from_secs(1))
    );
    for value in ["0", "-1", "999", "600001", "abc", "", "1.5"] {
        assert_eq!(
            operator_time_limit_from(value),
            Err(format!(
                "AFTERSALES_RULE_TIME_LIMIT_MS=`{value}` is not accepted: it is the wall-clock \
                 backstop of every rule call, a whole number of milliseconds from 1000 to \
                 600000; unset it for the default of 10000 ms"
            )),
            "{value}"
        );
    }
}
