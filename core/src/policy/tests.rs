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
