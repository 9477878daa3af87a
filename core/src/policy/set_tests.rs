//! Policy sets: the version in force for a ticket, worked out by hand, and
//! `check` refusing sets whose versions leave a gap or overlap.

use super::*;
use crate::policy::{Level, Policy, PolicySource};
use crate::ticket::Ticket;
use std::collections::BTreeMap;

/// A version of policy `p`: one metric, `respond`, due `target` after
/// opening on the always-open calendar.
fn version(name: &str, target: &str) -> String {
    format!(
        "[policy]\nid = \"p\"\nversion = \"{name}\"\ncurrency = \"USD\"\ntimezone = \"America/New_York\"\n\n\
         [[targets]]\nmetric = \"respond\"\nstop = \"responded\"\ntarget = \"{target}\"\n"
    )
}

/// The texts of a set: its manifest, and versions `2025` (2h) and `2026` (1h).
fn texts(set: &str) -> PolicySource {
    PolicySource::Text {
        toml: set.to_string(),
        rules: BTreeMap::from([
            ("2025.toml".to_string(), version("2025", "2h")),
            ("2026.toml".to_string(), version("2026", "1h")),
        ]),
    }
}

/// New York's spring-forward day: at 02:00 EST (07:00Z) clocks jump to
/// 03:00 EDT, so the local 02:30 the set names does not exist and moves
/// forward by the gap, to 03:30 EDT = 07:30Z (as calendars resolve it).
const SET: &str = r#"[policy_set]
id = "p"
timezone = "America/New_York"

[[versions]]
file = "2025.toml"
effective_from = "2025-01-01"

[[versions]]
file = "2026.toml"
effective_from = "2026-03-08T02:30:00"
"#;

fn ticket(opened_at: &str) -> Ticket {
    Ticket::from_json(&format!(r#"{{"id": "T", "opened_at": "{opened_at}"}}"#)).unwrap()
}

/// The version, its digest and the `respond` deadline of a ticket opened
/// at `opened_at`, evaluated after every ticket here was opened.
fn answer(policy: &Policy, opened_at: &str) -> (String, String, String) {
    let evaluation = policy
        .evaluate(&ticket(opened_at), "2028-01-01T00:00:00Z".parse().unwrap())
        .unwrap();
    let deadline = evaluation.sla[0].current.deadline.unwrap().to_rfc3339();
    (
        evaluation.policy.version,
        evaluation.policy.digest,
        deadline,
    )
}

#[test]
fn a_ticket_gets_the_version_in_force_at_its_opening_across_a_dst_switch() {
    let policy = Policy::from_source(&texts(SET)).unwrap();
    let v2025 = Policy::from_toml_str(&version("2025", "2h")).unwrap();
    let v2026 = Policy::from_toml_str(&version("2026", "1h")).unwrap();
    assert_eq!(policy.id(), "p");
    assert_eq!(policy.version(), "2025,2026");
    assert_ne!(policy.digest(), v2025.digest());
    assert_ne!(policy.digest(), v2026.digest());

    // Just before the switch: 07:29:59Z is 03:29:59 EDT; 2025's 2h target
    // gives 09:29:59Z = 05:29:59 EDT.
    let before = answer(&policy, "2026-03-08T07:29:59Z");
    assert_eq!(
        before,
        (
            "2025".to_string(),
            v2025.digest().to_string(),
            "2026-03-08T05:29:59-04:00".to_string()
        )
    );
    // At the switch, 07:30Z (03:30 EDT): 2026's 1h target, 08:30Z = 04:30 EDT.
    let at = answer(&policy, "2026-03-08T03:30:00-04:00");
    assert_eq!(
        at,
        (
            "2026".to_string(),
            v2026.digest().to_string(),
            "2026-03-08T04:30:00-04:00".to_string()
        )
    );
    // After it: 10:00Z + 1h = 11:00Z = 07:00 EDT.
    assert_eq!(
        answer(&policy, "2026-03-08T10:00:00Z").2,
        "2026-03-08T07:00:00-04:00"
    );
    // The first version from New Year 2025 00:00 EST = 05:00Z: 05:00Z + 2h
    // = 07:00Z = 02:00 EST.
    assert_eq!(answer(&policy, "2025-01-01T05:00:00Z").0, "2025");
    assert_eq!(
        answer(&policy, "2025-01-01T05:00:00Z").2,
        "2025-01-01T02:00:00-05:00"
    );
}

#[test]
fn a_ticket_before_the_first_version_is_an_error_naming_the_field() {
    let policy = Policy::from_source(&texts(SET)).unwrap();
    // 2024-12-31 23:59:59 EST is one second before the first version.
    let error = policy
        .evaluate(
            &ticket("2024-12-31T23:59:59-05:00"),
            "2025-01-02T00:00:00Z".parse().unwrap(),
        )
        .unwrap_err();
    match error {
        Error::Ticket {
            ticket,
            field,
            message,
        } => {
            assert_eq!((ticket.as_str(), field.as_str()), ("T", "opened_at"));
            assert_eq!(
                message,
                "2024-12-31T23:59:59-05:00 is before the first version of policy set `p` takes effect (2025-01-01T00:00:00-05:00)"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn local_dates_and_times_resolve_in_the_sets_zone() {
    let zone = Zone::parse("America/New_York").unwrap();
    let utc = |t: &str| t.parse::<DateTime<Utc>>().unwrap();
    // A date: its local midnight, EST (-05:00).
    assert_eq!(
        instant_in(zone, "2026-03-08").unwrap(),
        utc("2026-03-08T05:00:00Z")
    );
    // Fall-back day: 01:30 happens twice; the first, EDT (-04:00), 05:30Z.
    assert_eq!(
        instant_in(zone, "2026-11-01T01:30:00").unwrap(),
        utc("2026-11-01T05:30:00Z")
    );
    // An offset wins over the zone: 08:00 at +08:00 is midnight UTC.
    assert_eq!(
        instant_in(zone, "2026-01-01T08:00:00+08:00").unwrap(),
        utc("2026-01-01T00:00:00Z")
    );
    assert!(instant_in(zone, "1 March").is_err());
}

#[test]
fn a_named_ticket_field_selects_the_version() {
    let set = SET.replace(
        "timezone = \"America/New_York\"\n",
        "timezone = \"America/New_York\"\nselect = \"attributes.contract_signed_on\"\n",
    );
    let policy = Policy::from_source(&texts(&set)).unwrap();
    let as_of = "2026-03-09T00:00:00Z".parse().unwrap();
    // Opened after the switch, under a contract signed in 2025: 2025's 2h.
    let signed = Ticket::from_json(
        r#"{"id": "T", "opened_at": "2026-03-08T10:00:00Z", "attributes": {"contract_signed_on": "2025-06-30"}}"#,
    )
    .unwrap();
    assert_eq!(
        policy.evaluate(&signed, as_of).unwrap().policy.version,
        "2025"
    );
    match policy
        .evaluate(&ticket("2026-03-08T10:00:00Z"), as_of)
        .unwrap_err()
    {
        Error::Ticket { field, .. } => assert_eq!(field, "attributes.contract_signed_on"),
        other => panic!("{other:?}"),
    }
}

/// The findings of a set as (path, line, message).
fn findings(set: &str) -> Vec<(String, Option<u32>, String)> {
    Policy::check_policy_source(&texts(set))
        .into_iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| (d.location.path, d.location.line, d.message))
        .collect()
}

#[test]
fn check_refuses_two_versions_from_one_instant() {
    // Line 11 is the second entry's effective_from.
    let set = SET.replace("2026-03-08T02:30:00", "2025-01-01T00:00:00");
    assert_eq!(
        findings(&set),
        vec![(
            "versions[1].effective_from".to_string(),
            Some(11),
            "versions[0] and versions[1] both take effect at 2025-01-01T00:00:00-05:00: two versions in force at once (an overlap)".to_string()
        )]
    );
}

#[test]
fn check_refuses_versions_out_of_order() {
    let set = SET.replace("2026-03-08T02:30:00", "2024-07-01");
    assert_eq!(
        findings(&set),
        vec![(
            "versions[1].effective_from".to_string(),
            Some(11),
            "2024-07-01T00:00:00-04:00 is before versions[0]'s effective_from 2025-01-01T00:00:00-05:00: list the versions in the order they take effect".to_string()
        )]
    );
}

#[test]
fn check_refuses_a_gap_and_an_overlap_of_effective_until() {
    // Line 7 holds versions[0]'s effective_from; until follows on line 8.
    let until = |when: &str| {
        SET.replace(
            "effective_from = \"2025-01-01\"\n",
            &format!("effective_from = \"2025-01-01\"\neffective_until = \"{when}\"\n"),
        )
    };
    // Until 2026-03-01 midnight EST, the next from 2026-03-08 03:30 EDT.
    assert_eq!(
        findings(&until("2026-03-01")),
        vec![(
            "versions[0].effective_until".to_string(),
            Some(8),
            "a gap: no version is in force from 2026-03-01T00:00:00-05:00 to 2026-03-08T03:30:00-04:00 (versions[1].effective_from)".to_string()
        )]
    );
    assert_eq!(
        findings(&until("2026-04-01")),
        vec![(
            "versions[0].effective_until".to_string(),
            Some(8),
            "an overlap: versions[0] and versions[1] are both in force from 2026-03-08T03:30:00-04:00 to 2026-04-01T00:00:00-04:00".to_string()
        )]
    );
    // Meeting the next version exactly (02:30 resolves as it does there).
    assert_eq!(findings(&until("2026-03-08T02:30:00")), vec![]);
}

#[test]
fn a_ticket_after_the_last_versions_end_is_an_error() {
    let set = format!("{SET}effective_until = \"2027-01-01\"\n");
    let policy = Policy::from_source(&texts(&set)).unwrap();
    // 2027-01-01 00:00 EST = 05:00Z: in force until just before it.
    assert_eq!(answer(&policy, "2027-01-01T04:59:59Z").0, "2026");
    let error = policy
        .evaluate(
            &ticket("2027-01-01T05:00:00Z"),
            "2027-01-02T00:00:00Z".parse().unwrap(),
        )
        .unwrap_err();
    assert!(
        matches!(error, Error::Ticket { ref field, .. } if field == "opened_at"),
        "{error:?}"
    );
}

#[test]
fn check_names_the_version_file_and_its_line() {
    let mut source = texts(SET);
    if let PolicySource::Text { rules, .. } = &mut source {
        // Another policy's id, and another metric: both found at the entry
        // that names the file (line 10 of the set).
        let text = version("2026", "1h")
            .replace("id = \"p\"", "id = \"q\"")
            .replace("metric = \"respond\"", "metric = \"answer\"");
        rules.insert("2026.toml".to_string(), text);
    }
    let found: Vec<(String, Option<u32>, String)> = Policy::check_policy_source(&source)
        .into_iter()
        .map(|d| (d.location.path, d.location.line, d.message))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "versions[1].file".to_string(),
                Some(10),
                "`2026.toml` is policy `q`, not a version of `p` (its `[policy] id` must be the set's id)".to_string()
            ),
            (
                "versions[1].file".to_string(),
                Some(10),
                "`2026.toml` has the metrics [answer], versions[0] `2025.toml` has [respond]: the versions of a set share it, so that a report across them adds up".to_string()
            ),
        ]
    );
    // A missing text is an error at the entry naming what was given.
    let missing = PolicySource::Text {
        toml: SET.to_string(),
        rules: BTreeMap::from([("2025.toml".to_string(), version("2025", "2h"))]),
    };
    let found = Policy::check_policy_source(&missing);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].location.path, "versions[1].file");
    assert_eq!(found[0].location.line, Some(10));
    assert_eq!(
        found[0].message,
        "no text named `2026.toml` was given with the set (given: 2025.toml)"
    );
}

#[test]
fn a_versions_own_error_carries_its_file_and_line() {
    let mut source = texts(SET);
    if let PolicySource::Text { rules, .. } = &mut source {
        // Line 10 of the version: `target = "soon"`.
        rules.insert("2026.toml".to_string(), version("2026", "soon"));
    }
    let found = Policy::check_policy_source(&source);
    let error = found.iter().find(|d| d.level == Level::Error).unwrap();
    assert_eq!(error.location.path, "2026.toml: targets[0].target");
    assert_eq!(error.location.line, Some(10));
}
