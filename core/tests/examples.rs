//! The example policy packs (`examples/policies`) against their tickets
//! (`examples/tickets`), each at its pack's `as_of` (`examples/packs.txt`).
//!
//! For every ticket: the severity and every metric's status, with the key
//! instants and durations worked out by hand from the policy (the comments
//! give the arithmetic). For the tickets that exercise the warranty, fees
//! and credits: the warranty status, remedy and every component's last day
//! of cover, every line of the bill, its totals and the credits, again
//! worked out by hand. Across each pack every status occurs. Every
//! `[[properties]]` law holds for every ticket. All times are Asia/Shanghai
//! (+08:00, no daylight saving).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{Evaluation, Policy, Ticket};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const STATUSES: &[&str] = &[
    "pending",
    "running",
    "paused",
    "met",
    "breached",
    "not_applicable",
];

/// What one metric of one ticket must show. `fields` are keys of the
/// metric's JSON (`deadline`, `elapsed`, …) with their expected value,
/// `"none"` for null; `cycles` lists the statuses of the completed cycles.
struct Expect {
    metric: &'static str,
    status: &'static str,
    fields: &'static [(&'static str, &'static str)],
}

fn m(
    metric: &'static str,
    status: &'static str,
    fields: &'static [(&'static str, &'static str)],
) -> Expect {
    Expect {
        metric,
        status,
        fields,
    }
}

/// What the warranty, the bill and the credits of one ticket must show.
/// Money is compared as the decimal strings of the evaluation's JSON.
struct Money {
    /// `warranty.status`.
    warranty: &'static str,
    /// `warranty.remedy`: kind, rule, deadline.
    remedy: Option<(&'static str, &'static str, &'static str)>,
    /// Every component and its last day of cover (`"none"` when it has no
    /// period); an empty list is not checked.
    until: &'static [(&'static str, &'static str)],
    /// Every line of the bill: code, amount, covered, payable, covered_by
    /// (`""` when nothing is covered).
    lines: &'static [Line],
    /// subtotal, tax, total.
    totals: (&'static str, &'static str, &'static str),
    /// Every credit: metric, kind, amount (evaluated alone, before any
    /// per-period cap).
    credits: &'static [(&'static str, &'static str, &'static str)],
}

type Line = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// A ticket with no work: an empty bill.
const NO_BILL: (&str, &str, &str) = ("0.00", "0.00", "0.00");

/// One pack: its policy, tickets and `as_of`, and what the checks found.
struct Pack {
    name: String,
    policy: Policy,
    tickets: BTreeMap<String, Ticket>,
    as_of: DateTime<Utc>,
    statuses: BTreeSet<String>,
    checked: BTreeSet<String>,
    failures: Vec<String>,
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

impl Pack {
    fn load(name: &str) -> Pack {
        let dir = examples();
        let packs = std::fs::read_to_string(dir.join("packs.txt")).unwrap();
        let as_of = packs
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .find_map(|l| {
                let mut words = l.split_whitespace();
                (words.next() == Some(name)).then(|| words.next().unwrap().to_string())
            })
            .unwrap_or_else(|| panic!("{name} is not listed in examples/packs.txt"));
        let policy = Policy::from_path(dir.join(format!("policies/{name}.toml"))).unwrap();
        let text = std::fs::read_to_string(dir.join(format!("tickets/{name}.jsonl"))).unwrap();
        let mut tickets = BTreeMap::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let ticket = Ticket::from_json(line).unwrap();
            assert!(
                tickets.insert(ticket.id.clone(), ticket).is_none(),
                "duplicate ticket id in {name}"
            );
        }
        assert!(
            (10..=24).contains(&tickets.len()),
            "{name}: {} tickets",
            tickets.len()
        );
        Pack {
            name: name.to_string(),
            policy,
            tickets,
            as_of: as_of.parse().unwrap(),
            statuses: BTreeSet::new(),
            checked: BTreeSet::new(),
            failures: Vec::new(),
        }
    }

    fn evaluate(&self, id: &str) -> (&Ticket, Evaluation) {
        let ticket = self
            .tickets
            .get(id)
            .unwrap_or_else(|| panic!("{}: no ticket {id}", self.name));
        (ticket, self.policy.evaluate(ticket, self.as_of).unwrap())
    }

    /// Checks one ticket: its severity and every metric of the policy.
    fn ticket(&mut self, id: &str, severity: &str, expects: &[Expect]) {
        let (ticket, evaluation) = self.evaluate(id);
        let mut failures = Vec::new();
        let mut seen = Vec::new();
        if evaluation.severity.level != severity {
            failures.push(format!(
                "{id}: severity {} ({:?}), expected {severity}",
                evaluation.severity.level, evaluation.severity.because
            ));
        }
        let listed: Vec<&str> = expects.iter().map(|e| e.metric).collect();
        assert_eq!(
            listed,
            self.policy.metric_names(),
            "{id}: list every metric, in manifest order"
        );
        for expect in expects {
            let metric = evaluation.metric(expect.metric).unwrap();
            let json = serde_json::to_value(metric).unwrap();
            let mut check = |key: &str, want: &str| {
                let got = match key {
                    "cycles" => metric
                        .cycles
                        .iter()
                        .map(|c| serde_json::to_value(c.status).unwrap())
                        .map(|v| v.as_str().unwrap().to_string())
                        .collect::<Vec<_>>()
                        .join(","),
                    _ => match json.get(key) {
                        None | Some(Value::Null) => "none".to_string(),
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => other.to_string(),
                    },
                };
                if got != want {
                    failures.push(format!(
                        "{id}: {}.{key} is {got}, expected {want}",
                        expect.metric
                    ));
                }
            };
            check("status", expect.status);
            for (key, want) in expect.fields {
                check(key, want);
            }
            seen.push(expect.status.to_string());
        }
        match self.policy.check_properties(ticket, &evaluation) {
            Ok(violations) if violations.is_empty() => {}
            other => failures.push(format!("{id}: properties: {other:?}")),
        }
        self.statuses.extend(seen);
        self.failures.extend(failures);
        self.checked.insert(id.to_string());
    }

    /// Checks one ticket's warranty decision, bill and credits.
    fn money(&mut self, id: &str, want: Money) {
        let (_, evaluation) = self.evaluate(id);
        let json = serde_json::to_value(&evaluation).unwrap();
        let text = |v: &Value| match v {
            Value::Null => "none".to_string(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut failures = Vec::new();
        let mut check = |what: &str, got: String, expected: String| {
            if got != expected {
                failures.push(format!("{id}: {what} is {got}, expected {expected}"));
            }
        };
        let warranty = &json["warranty"];
        check(
            "warranty.status",
            text(&warranty["status"]),
            want.warranty.into(),
        );
        let remedy = &warranty["remedy"];
        check(
            "warranty.remedy",
            if remedy.is_null() {
                "none".into()
            } else {
                format!(
                    "{} {} {}",
                    text(&remedy["kind"]),
                    text(&remedy["rule"]),
                    text(&remedy["deadline"])
                )
            },
            want.remedy
                .map(|(k, r, d)| format!("{k} {r} {d}"))
                .unwrap_or_else(|| "none".into()),
        );
        if !want.until.is_empty() {
            let got: Vec<String> = warranty["components"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| format!("{}={}", text(&c["component"]), text(&c["until"])))
                .collect();
            let expected: Vec<String> =
                want.until.iter().map(|(c, u)| format!("{c}={u}")).collect();
            check(
                "warranty.components[].until",
                got.join(", "),
                expected.join(", "),
            );
        }
        let charges = &json["charges"];
        let got: Vec<String> = charges["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                format!(
                    "{} {} {} {} {}",
                    text(&l["code"]),
                    text(&l["amount"]),
                    text(&l["covered"]),
                    text(&l["payable"]),
                    l.get("covered_by").map(text).unwrap_or_default()
                )
            })
            .collect();
        let expected: Vec<String> = want
            .lines
            .iter()
            .map(|(c, a, v, p, b)| format!("{c} {a} {v} {p} {b}"))
            .collect();
        check(
            "charges.lines",
            format!("\n  {}", got.join("\n  ")),
            format!("\n  {}", expected.join("\n  ")),
        );
        check(
            "charges subtotal/tax/total",
            format!(
                "{}/{}/{}",
                text(&charges["subtotal"]),
                text(&charges["tax"]),
                text(&charges["total"])
            ),
            format!("{}/{}/{}", want.totals.0, want.totals.1, want.totals.2),
        );
        let got: Vec<String> = json["credits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{} {} {}",
                    text(&c["metric"]),
                    text(&c["kind"]),
                    text(&c["amount"])
                )
            })
            .collect();
        let expected: Vec<String> = want
            .credits
            .iter()
            .map(|(m, k, a)| format!("{m} {k} {a}"))
            .collect();
        check("credits", got.join("; "), expected.join("; "));
        self.failures.extend(failures);
    }

    /// Checks one ticket's settlement: every line (code, to, amount) and
    /// the totals (to_customer, to_seller, tax, net, payer).
    fn settlement(
        &mut self,
        id: &str,
        lines: &[(&str, &str, &str)],
        totals: (&str, &str, &str, &str, &str),
    ) {
        let (_, evaluation) = self.evaluate(id);
        let Some(settlement) = evaluation.settlement else {
            self.failures.push(format!("{id}: no settlement"));
            return;
        };
        let got: Vec<String> = settlement
            .lines
            .iter()
            .map(|l| format!("{} {} {}", l.code, l.to.as_str(), l.amount))
            .collect();
        let expected: Vec<String> = lines
            .iter()
            .map(|(c, t, a)| format!("{c} {t} {a}"))
            .collect();
        if got != expected {
            self.failures.push(format!(
                "{id}: settlement.lines are {got:?}, expected {expected:?}"
            ));
        }
        let got = format!(
            "{}/{}/{}/{}/{}",
            settlement.to_customer,
            settlement.to_seller,
            settlement.tax,
            settlement.net,
            settlement.payer.map_or("none", |p| p.as_str())
        );
        let expected = format!(
            "{}/{}/{}/{}/{}",
            totals.0, totals.1, totals.2, totals.3, totals.4
        );
        if got != expected {
            self.failures.push(format!(
                "{id}: settlement to_customer/to_seller/tax/net/payer is {got}, expected {expected}"
            ));
        }
    }

    /// Every ticket checked, every status seen, nothing failed.
    fn finish(self) {
        let name = &self.name;
        assert!(
            self.failures.is_empty(),
            "{name}:\n{}",
            self.failures.join("\n")
        );
        let unchecked: Vec<&String> = self
            .tickets
            .keys()
            .filter(|id| !self.checked.contains(*id))
            .collect();
        assert!(
            unchecked.is_empty(),
            "{name}: unchecked tickets {unchecked:?}"
        );
        for status in STATUSES {
            assert!(
                self.statuses.contains(*status),
                "{name}: no metric is {status}"
            );
        }
    }
}

#[test]
fn example_policies_compile_without_warnings() {
    for name in ["hot_water_meter", "smart_home", "online_retail"] {
        let pack = Pack::load(name);
        let warnings: Vec<String> = pack.policy.check().iter().map(|d| d.to_string()).collect();
        assert!(warnings.is_empty(), "{name}: {warnings:#?}");
        assert!(
            !pack.policy.manifest().kpis.is_empty(),
            "{name}: no [[kpis]]"
        );
        assert!(
            pack.policy.manifest().properties.len() >= 2,
            "{name}: fewer than two [[properties]]"
        );
    }
}

/// The code in the policy author's guide compiles: every complete policy
/// (a TOML block starting with `[policy]` and its `id`) without warnings, and every Rhai
/// block as a policy's script.
#[test]
fn the_guide_s_examples_compile() {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/policy.md");
    let text = std::fs::read_to_string(guide).unwrap();
    let block = |fence: &str| -> Vec<String> {
        text.split(fence)
            .skip(1)
            .map(|rest| rest.split("```").next().unwrap().to_string())
            .collect()
    };
    let policies: Vec<String> = block("```toml\n")
        .into_iter()
        .filter(|b| b.starts_with("[policy]\nid = "))
        .collect();
    assert!(!policies.is_empty());
    for source in &policies {
        let diagnostics = Policy::check_source(source, None);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}\n{source}");
    }
    let scripts = block("```rhai\n");
    assert!(scripts.len() >= 2);
    for script in &scripts {
        let source = format!(
            "[policy]\nid = \"guide\"\nversion = \"1\"\ntimezone = \"UTC\"\nscript = '''\n{script}'''\n"
        );
        let diagnostics = Policy::check_source(&source, None);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}\n{script}");
    }
}

/// The properties are real checks: an evaluation that breaks a law is caught.
#[test]
fn properties_catch_a_broken_evaluation() {
    let pack = Pack::load("hot_water_meter");
    let (ticket, mut evaluation) = pack.evaluate("HWM-260302-0002");
    let answer = evaluation
        .sla
        .iter_mut()
        .find(|m| m.metric == "answer")
        .unwrap();
    assert_eq!(
        answer
            .current
            .breached_at
            .map(|t| t.to_rfc3339())
            .as_deref(),
        Some("2026-03-02T10:01:00+08:00")
    );
    answer.current.breached_at = None;
    let violations = pack.policy.check_properties(ticket, &evaluation).unwrap();
    let names: Vec<&str> = violations.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["breaches are dated"]);
}

// ---------------------------------------------------------------------------
// Hot-water meters, as of Tuesday 2026-03-03 12:00. Everything on 24x7.
// Targets: answer 1m (hotline only); contact critical 30m, high 1h, else 2h;
// resolve simple 1h, complex critical 8h / high 12h / else 24h (rule);
// onsite 15m from the booked slot (repeat); follow_up 48h from resolved.

#[test]
fn hot_water_meter() {
    let mut pack = Pack::load("hot_water_meter");

    // Industrial meter with no reading: critical by the rule. Everything met.
    pack.ticket(
        "HWM-260302-0001",
        "critical",
        &[
            // 08:59:30 + 1m = 09:00:30; answered after 12s; warn 20s before = 09:00:10.
            m(
                "answer",
                "met",
                &[
                    ("deadline", "2026-03-02T09:00:30+08:00"),
                    ("warn_at", "2026-03-02T09:00:10+08:00"),
                    ("elapsed", "PT12S"),
                    ("remaining", "PT48S"),
                ],
            ),
            // critical 30m -> 09:29:30; contacted 09:20 after 20m30s; warn at 75% = 22m30s -> 09:22.
            m(
                "contact",
                "met",
                &[
                    ("target", "PT30M"),
                    ("deadline", "2026-03-02T09:29:30+08:00"),
                    ("warn_at", "2026-03-02T09:22:00+08:00"),
                    ("elapsed", "PT20M30S"),
                ],
            ),
            // simple: 1h -> 09:59:30; resolved 09:45 after 45m30s.
            m(
                "resolve",
                "met",
                &[
                    ("target", "PT1H"),
                    ("deadline", "2026-03-02T09:59:30+08:00"),
                    ("elapsed", "PT45M30S"),
                    ("remaining", "PT14M30S"),
                ],
            ),
            // fixed remotely: no visit booked.
            m("onsite", "pending", &[("deadline", "none")]),
            // from resolved 03-02 09:45 + 48h = 03-04 09:45; followed up 03-03 10:00 after 24h15m.
            m(
                "follow_up",
                "met",
                &[
                    ("deadline", "2026-03-04T09:45:00+08:00"),
                    ("elapsed", "PT24H15M"),
                ],
            ),
        ],
    );

    // Industrial, complex: answer 30s late, resolved 1h30m late.
    pack.ticket(
        "HWM-260302-0002",
        "critical",
        &[
            // 10:00 + 1m = 10:01; answered 10:01:30: 30s over.
            m(
                "answer",
                "breached",
                &[
                    ("deadline", "2026-03-02T10:01:00+08:00"),
                    ("breached_at", "2026-03-02T10:01:00+08:00"),
                    ("overdue", "PT30S"),
                    ("remaining", "none"),
                ],
            ),
            m(
                "contact",
                "met",
                &[("deadline", "2026-03-02T10:30:00+08:00")],
            ),
            // complex critical 8h -> 18:00; resolved 19:30: 9h30m elapsed, 1h30m over.
            m(
                "resolve",
                "breached",
                &[
                    ("target", "PT8H"),
                    ("deadline", "2026-03-02T18:00:00+08:00"),
                    ("breached_at", "2026-03-02T18:00:00+08:00"),
                    ("elapsed", "PT9H30M"),
                    ("overdue", "PT1H30M"),
                ],
            ),
            // slot 12:00, arrived 11:50: early counts as at the slot, 0 elapsed.
            m(
                "onsite",
                "met",
                &[
                    ("started_at", "2026-03-02T12:00:00+08:00"),
                    ("deadline", "2026-03-02T12:15:00+08:00"),
                    ("elapsed", "PT0S"),
                ],
            ),
            // from 19:30: 48h -> 03-04 19:30; 16h30m elapsed at as_of; warn 4h before = 15:30.
            m(
                "follow_up",
                "running",
                &[
                    ("deadline", "2026-03-04T19:30:00+08:00"),
                    ("warn_at", "2026-03-04T15:30:00+08:00"),
                    ("elapsed", "PT16H30M"),
                    ("remaining", "PT31H30M"),
                ],
            ),
        ],
    );

    // Household battery fault via WeChat, paused: the customer is away.
    pack.ticket(
        "HWM-260303-0003",
        "normal",
        &[
            m("answer", "not_applicable", &[("target", "none")]),
            // normal 2h -> 10:30; contacted 09:00.
            m(
                "contact",
                "met",
                &[("deadline", "2026-03-03T10:30:00+08:00")],
            ),
            // simple 1h; 08:30-09:10 counted (40m), paused since 09:10: no deadline, 20m left.
            m(
                "resolve",
                "paused",
                &[
                    ("deadline", "none"),
                    ("warn_at", "none"),
                    ("elapsed", "PT40M"),
                    ("remaining", "PT20M"),
                ],
            ),
            m("onsite", "pending", &[]),
            m("follow_up", "pending", &[]),
        ],
    );

    // Household valve fault raised to critical after 10h: breached at the change.
    pack.ticket(
        "HWM-260302-0004",
        "critical",
        &[
            m("answer", "met", &[("elapsed", "PT25S")]),
            // contact stopped at 08:30, before the change: normal 2h -> 09:00 stands.
            m(
                "contact",
                "met",
                &[
                    ("target", "PT2H"),
                    ("deadline", "2026-03-02T09:00:00+08:00"),
                ],
            ),
            // normal complex 24h from 07:00; at 17:00 critical 8h from the start (15:00) is
            // already used up (10h elapsed): breached at the change, deadline = 17:00.
            // Resolved 20:00: 13h elapsed, 5h over the 8h target.
            m(
                "resolve",
                "breached",
                &[
                    ("target", "PT8H"),
                    ("deadline", "2026-03-02T17:00:00+08:00"),
                    ("breached_at", "2026-03-02T17:00:00+08:00"),
                    ("elapsed", "PT13H"),
                    ("overdue", "PT5H"),
                ],
            ),
            // slot 13:00, arrived 13:10: 10m of the 15m tolerance.
            m(
                "onsite",
                "met",
                &[
                    ("deadline", "2026-03-02T13:15:00+08:00"),
                    ("elapsed", "PT10M"),
                ],
            ),
            // 20:00 + 48h = 03-04 20:00; 16h elapsed.
            m(
                "follow_up",
                "running",
                &[
                    ("deadline", "2026-03-04T20:00:00+08:00"),
                    ("elapsed", "PT16H"),
                ],
            ),
        ],
    );

    // Industrial display board: high by the rule, complex 12h, on its way.
    pack.ticket(
        "HWM-260303-0005",
        "high",
        &[
            m("answer", "met", &[("elapsed", "PT40S")]),
            // high 1h -> 07:00; contacted 06:45.
            m(
                "contact",
                "met",
                &[
                    ("target", "PT1H"),
                    ("deadline", "2026-03-03T07:00:00+08:00"),
                ],
            ),
            // 06:00 + 12h = 18:00; 6h elapsed; warn at 80% = 9h36m -> 15:36.
            m(
                "resolve",
                "running",
                &[
                    ("target", "PT12H"),
                    ("deadline", "2026-03-03T18:00:00+08:00"),
                    ("warn_at", "2026-03-03T15:36:00+08:00"),
                    ("elapsed", "PT6H"),
                    ("remaining", "PT6H"),
                ],
            ),
            // slot 09:00, arrived 09:10.
            m("onsite", "met", &[("elapsed", "PT10M")]),
            m("follow_up", "pending", &[]),
        ],
    );

    // A billing question: low; nothing to resolve, visit or follow up.
    pack.ticket(
        "HWM-260303-0006",
        "low",
        &[
            m("answer", "met", &[("elapsed", "PT50S")]),
            // low 2h -> 11:15; contacted 10:30.
            m(
                "contact",
                "met",
                &[("deadline", "2026-03-03T11:15:00+08:00")],
            ),
            // resolve_target() returns () for a consultation.
            m(
                "resolve",
                "not_applicable",
                &[("target", "none"), ("deadline", "none")],
            ),
            // `when` false: not a repair.
            m("onsite", "not_applicable", &[]),
            m("follow_up", "not_applicable", &[]),
        ],
    );

    // Household flow sensor via the app: first visit late, part ordered,
    // second visit booked for 14:00 (a new onsite cycle).
    pack.ticket(
        "HWM-260302-0007",
        "normal",
        &[
            m("answer", "not_applicable", &[]),
            m("contact", "met", &[("elapsed", "PT30M")]),
            // complex 24h: 14:00-17:00 (3h), paused 17:00 to 09:00, 09:00-12:00 (3h): 6h.
            // 21h left from 09:00 -> 03-04 06:00; warn at 19h12m: 16h12m after 09:00 -> 03-04 01:12.
            m(
                "resolve",
                "running",
                &[
                    ("deadline", "2026-03-04T06:00:00+08:00"),
                    ("warn_at", "2026-03-04T01:12:00+08:00"),
                    ("elapsed", "PT6H"),
                    ("remaining", "PT18H"),
                ],
            ),
            // cycle 1: slot 16:00, arrived 16:25 -> breached at 16:15.
            // cycle 2: slot 03-03 14:00, still ahead -> pending, due 14:15.
            m(
                "onsite",
                "pending",
                &[
                    ("cycles", "breached"),
                    ("started_at", "2026-03-03T14:00:00+08:00"),
                    ("deadline", "2026-03-03T14:15:00+08:00"),
                ],
            ),
            m("follow_up", "pending", &[]),
        ],
    );

    // Industrial leak: critical; nobody has called the site back.
    pack.ticket(
        "HWM-260303-0008",
        "critical",
        &[
            m("answer", "met", &[("remaining", "PT10S")]),
            // critical 30m -> 11:00; not contacted at 12:00: 1h over.
            m(
                "contact",
                "breached",
                &[
                    ("deadline", "2026-03-03T11:00:00+08:00"),
                    ("breached_at", "2026-03-03T11:00:00+08:00"),
                    ("overdue", "PT1H"),
                ],
            ),
            // not diagnosed yet: counts as complex, critical 8h -> 18:30.
            m(
                "resolve",
                "running",
                &[
                    ("target", "PT8H"),
                    ("deadline", "2026-03-03T18:30:00+08:00"),
                    ("elapsed", "PT1H30M"),
                ],
            ),
            m("onsite", "pending", &[]),
            m("follow_up", "pending", &[]),
        ],
    );

    // A call still ringing at as_of.
    pack.ticket(
        "HWM-260303-0009",
        "normal",
        &[
            // 11:59:20 + 1m = 12:00:20; 40s elapsed; warn 20s before = 12:00:00.
            m(
                "answer",
                "running",
                &[
                    ("deadline", "2026-03-03T12:00:20+08:00"),
                    ("warn_at", "2026-03-03T12:00:00+08:00"),
                    ("elapsed", "PT40S"),
                    ("remaining", "PT20S"),
                ],
            ),
            m(
                "contact",
                "running",
                &[("deadline", "2026-03-03T13:59:20+08:00")],
            ),
            m("resolve", "running", &[("target", "PT24H")]),
            m("onsite", "pending", &[]),
            m("follow_up", "pending", &[]),
        ],
    );

    // Closed last week: resolved on time, followed up 6h late.
    pack.ticket(
        "HWM-260227-0010",
        "normal",
        &[
            m("answer", "met", &[]),
            m("contact", "met", &[]),
            // 02-27 10:00 + 24h = 02-28 10:00; resolved 09:00.
            m(
                "resolve",
                "met",
                &[
                    ("deadline", "2026-02-28T10:00:00+08:00"),
                    ("remaining", "PT1H"),
                ],
            ),
            m("onsite", "met", &[("elapsed", "PT0S")]),
            // 02-28 09:00 + 48h = 03-02 09:00; followed up 15:00: 54h elapsed, 6h over.
            m(
                "follow_up",
                "breached",
                &[
                    ("breached_at", "2026-03-02T09:00:00+08:00"),
                    ("elapsed", "PT54H"),
                    ("overdue", "PT6H"),
                ],
            ),
        ],
    );

    // Replay: resolved at 12:10 and followed up at 17:00, after as_of, so unseen.
    pack.ticket(
        "HWM-260303-0011",
        "high",
        &[
            m("answer", "not_applicable", &[]),
            // household leak: high 1h -> 12:20; contacted 11:35.
            m(
                "contact",
                "met",
                &[("deadline", "2026-03-03T12:20:00+08:00")],
            ),
            // simple 1h -> 12:20; 40m elapsed at 12:00.
            m(
                "resolve",
                "running",
                &[
                    ("stopped_at", "none"),
                    ("deadline", "2026-03-03T12:20:00+08:00"),
                    ("elapsed", "PT40M"),
                ],
            ),
            m("onsite", "pending", &[]),
            m("follow_up", "pending", &[]),
        ],
    );

    // Industrial battery swap booked through the web portal: all on time.
    pack.ticket(
        "HWM-260303-0012",
        "high",
        &[
            m("answer", "not_applicable", &[]),
            m("contact", "met", &[("elapsed", "PT15M")]),
            // simple 1h -> 09:00; resolved 08:55.
            m("resolve", "met", &[("remaining", "PT5M")]),
            // slot 08:30 + 15m = 08:45; arrived 08:40.
            m(
                "onsite",
                "met",
                &[("deadline", "2026-03-03T08:45:00+08:00")],
            ),
            // 08:55 + 48h = 03-05 08:55; 3h05m elapsed.
            m(
                "follow_up",
                "running",
                &[
                    ("deadline", "2026-03-05T08:55:00+08:00"),
                    ("elapsed", "PT3H5M"),
                ],
            ),
        ],
    );

    // Industrial, lowered from critical to normal at 03:00 (only the display is dead):
    // the longer target counts from the start.
    pack.ticket(
        "HWM-260303-0013",
        "normal",
        &[
            m("answer", "met", &[]),
            // contacted 02:25, before the change: critical 30m stands.
            m("contact", "met", &[("target", "PT30M")]),
            // complex normal 24h from 02:00 -> 03-04 02:00; 10h elapsed; warn 19h12m -> 21:12.
            m(
                "resolve",
                "running",
                &[
                    ("target", "PT24H"),
                    ("deadline", "2026-03-04T02:00:00+08:00"),
                    ("warn_at", "2026-03-03T21:12:00+08:00"),
                    ("remaining", "PT14H"),
                ],
            ),
            m("onsite", "pending", &[]),
            m("follow_up", "pending", &[]),
        ],
    );

    // -----------------------------------------------------------------------
    // Warranty, fees and credits. Warranty from installed_on (else delivered_on
    // + 30 days), civil-code counting (the start day not counted: 3 years from
    // 2023-03-03 end on 2026-03-03); components meter_body 5 y (body,
    // connection_nut), flow_sensor 3 y, electronics 3 y (calculator_board,
    // display, mbus_module), valve 2 y, battery 2 y; industrial: flow_sensor
    // 2 y, electronics 2 y, battery 1 y. Days in repair extend every component.
    // cn-sanbao for household meters only.
    // Fees: labour 120.00/h, 1 h minimum then 0.5 h steps rounded up; call-out
    // A 60.00, B 100.00 (20 km incl., 3.00/km), C 150.00 (30 km incl.,
    // 3.50/km); diagnostic 80.00 waived when the repair is accepted; parts
    // +15%; key_account 10% off labour; office Mon-Fri 08:30-12:00,
    // 13:00-17:30: after hours ×1.5, holiday ×2 on labour and call-out;
    // VAT 13% added. Credits: resolve, industrial tiers, 200.00 per started
    // hour late, 1000.00 per ticket (1200.00 a month per customer in a batch).

    // Existing tickets: an industrial repair 1 h 30 min late earns a credit;
    // a household one does not (no tier).
    // HWM-0002: flow_sensor (industrial 2 y) from 2025-04-02 -> 2027-04-02.
    // 1h30m late = 2 started hours × 200.00 = 400.00.
    pack.money(
        "HWM-260302-0002",
        Money {
            warranty: "in_warranty",
            remedy: Some(("repair", "warranty", "2027-04-02")),
            until: &[],
            lines: &[],
            totals: NO_BILL,
            credits: &[("resolve", "service_credit", "400.00")],
        },
    );
    // HWM-0004: valve 2 y from 2024-06-10 -> 2026-06-10; 5 h late but a household: no credit.
    pack.money(
        "HWM-260302-0004",
        Money {
            warranty: "in_warranty",
            remedy: Some(("repair", "warranty", "2026-06-10")),
            until: &[],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );
    // HWM-0013: industrial display (electronics 2 y) from 2023-09-20 -> 2025-09-20: expired.
    pack.money(
        "HWM-260303-0013",
        Money {
            warranty: "expired",
            remedy: None,
            until: &[],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );

    // The last day of cover: installed 2023-03-03, flow_sensor 3 years -> 2026-03-03,
    // claimed that very day.
    pack.ticket(
        "HWM-260303-0014",
        "normal",
        &[
            // 08:10 + 1m = 08:11; answered after 40s.
            m(
                "answer",
                "met",
                &[
                    ("deadline", "2026-03-03T08:11:00+08:00"),
                    ("elapsed", "PT40S"),
                ],
            ),
            // normal 2h -> 10:10; contacted 08:50.
            m(
                "contact",
                "met",
                &[
                    ("deadline", "2026-03-03T10:10:00+08:00"),
                    ("elapsed", "PT40M"),
                ],
            ),
            // complex normal 24h -> 03-04 08:10; resolved 11:40 after 3h30m.
            m(
                "resolve",
                "met",
                &[
                    ("deadline", "2026-03-04T08:10:00+08:00"),
                    ("elapsed", "PT3H30M"),
                    ("remaining", "PT20H30M"),
                ],
            ),
            // slot 10:30 + 15m = 10:45; arrived 10:35.
            m(
                "onsite",
                "met",
                &[
                    ("deadline", "2026-03-03T10:45:00+08:00"),
                    ("elapsed", "PT5M"),
                ],
            ),
            // 11:40 + 48h = 03-05 11:40; warn 4h before = 07:40; 20m elapsed.
            m(
                "follow_up",
                "running",
                &[
                    ("deadline", "2026-03-05T11:40:00+08:00"),
                    ("warn_at", "2026-03-05T07:40:00+08:00"),
                    ("elapsed", "PT20M"),
                ],
            ),
        ],
    );
    // Start 2023-03-03: battery, valve 2 y -> 2025-03-03 (expired); electronics,
    // flow_sensor 3 y -> 2026-03-03; meter_body 5 y -> 2028-03-03. The claim date
    // 2026-03-03 is on flow_sensor's last day: covered, repair until then
    // (cn-sanbao offers the same repair, so the contract's stands).
    // Visit 10:35 on a Tuesday: office open, no multiplier.
    //   diagnostic 80.00, repair accepted: waived
    //   call-out zone B 100.00; travel 26 - 20 = 6 km × 3.00 = 18.00
    //   labour 50m -> the 1 h minimum × 120.00 = 120.00
    //   FS-25 (flow_sensor) 180.00 × 1.15 = 207.00: all these covered by the warranty
    //   BAT-36-D (battery, expired) 38.00 × 1.15 = 43.70: payable
    // subtotal 43.70; tax 13% = 5.681 -> 5.68; total 49.38.
    pack.money(
        "HWM-260303-0014",
        Money {
            warranty: "in_warranty",
            remedy: Some(("repair", "warranty", "2026-03-03")),
            until: &[
                ("battery", "2025-03-03"),
                ("electronics", "2026-03-03"),
                ("flow_sensor", "2026-03-03"),
                ("meter_body", "2028-03-03"),
                ("valve", "2025-03-03"),
            ],
            lines: &[
                ("diagnostic", "80.00", "80.00", "0.00", "waiver"),
                ("callout", "100.00", "100.00", "0.00", "warranty"),
                ("travel", "18.00", "18.00", "0.00", "warranty"),
                ("labor", "120.00", "120.00", "0.00", "warranty"),
                ("part", "207.00", "207.00", "0.00", "warranty"),
                ("part", "43.70", "0.00", "43.70", ""),
            ],
            totals: ("43.70", "5.68", "49.38"),
            credits: &[],
        },
    );

    // Extension by days in repair: the display's 3 years ended 2026-02-18, but
    // two earlier repairs kept the meter out of service for 15 days.
    pack.ticket(
        "HWM-260302-0015",
        "normal",
        &[
            m("answer", "not_applicable", &[]),
            // 16:20 + 2h = 18:20; contacted 17:00.
            m(
                "contact",
                "met",
                &[
                    ("deadline", "2026-03-02T18:20:00+08:00"),
                    ("elapsed", "PT40M"),
                ],
            ),
            // 24h -> 03-03 16:20; resolved 03-03 10:30 after 18h10m.
            m(
                "resolve",
                "met",
                &[
                    ("deadline", "2026-03-03T16:20:00+08:00"),
                    ("elapsed", "PT18H10M"),
                ],
            ),
            // slot 03-03 09:00, arrived 09:05.
            m("onsite", "met", &[("elapsed", "PT5M")]),
            // 10:30 + 48h = 03-05 10:30; 1h30m elapsed.
            m(
                "follow_up",
                "running",
                &[
                    ("deadline", "2026-03-05T10:30:00+08:00"),
                    ("elapsed", "PT1H30M"),
                ],
            ),
        ],
    );
    // Start 2023-02-18. Repairs: 8 days (days_in_repair); 2025-01-10 09:00 to
    // 01-16 15:00 = 6 d 6 h, each started 24 h a day = 7 days. Both began inside
    // every period, so every component gets + 15 days:
    //   electronics, flow_sensor: 2026-02-18 + 8 = 02-26, + 7 = 2026-03-05
    //   battery, valve: 2025-02-18 + 15 = 2025-03-05 (expired)
    //   meter_body: 2028-02-18 + 15 = 2028-03-04 (2028 is a leap year)
    // `display` is included in electronics: covered on 2026-03-02. cn-sanbao:
    // neither earlier repair was the same fault (display_blank): repair only.
    // Visit 03-03 09:05 in zone C (customer.zone), 42 km:
    //   diagnostic 80.00 waived (repair accepted)
    //   call-out C 150.00; travel 42 - 30 = 12 km × 3.50 = 42.00
    //   labour 1h20m -> 1 h + one 0.5 h step = 1.5 h × 120.00 = 180.00
    //   LCD-20 (display) 95.00 × 1.15 = 109.25
    // all borne by the warranty (display -> electronics): total 0.00.
    pack.money(
        "HWM-260302-0015",
        Money {
            warranty: "in_warranty",
            remedy: Some(("repair", "warranty", "2026-03-05")),
            until: &[
                ("battery", "2025-03-05"),
                ("electronics", "2026-03-05"),
                ("flow_sensor", "2026-03-05"),
                ("meter_body", "2028-03-04"),
                ("valve", "2025-03-05"),
            ],
            lines: &[
                ("diagnostic", "80.00", "80.00", "0.00", "waiver"),
                ("callout", "150.00", "150.00", "0.00", "warranty"),
                ("travel", "42.00", "42.00", "0.00", "warranty"),
                ("labor", "180.00", "180.00", "0.00", "warranty"),
                ("part", "109.25", "109.25", "0.00", "warranty"),
            ],
            totals: ("0.00", "0.00", "0.00"),
            credits: &[],
        },
    );

    // Exclusion: a meter body cracked by frost in an unheated garage.
    pack.ticket(
        "HWM-260302-0016",
        "high",
        &[
            m("answer", "met", &[("elapsed", "PT30S")]),
            // household leak: high 1h -> 08:45; contacted 08:15.
            m(
                "contact",
                "met",
                &[
                    ("target", "PT1H"),
                    ("deadline", "2026-03-02T08:45:00+08:00"),
                ],
            ),
            // complex high 12h -> 19:45; resolved 12:10 after 4h25m.
            m(
                "resolve",
                "met",
                &[
                    ("target", "PT12H"),
                    ("deadline", "2026-03-02T19:45:00+08:00"),
                    ("elapsed", "PT4H25M"),
                ],
            ),
            // slot 10:00, arrived 09:55: early counts as at the slot.
            m("onsite", "met", &[("elapsed", "PT0S")]),
            // 12:10 + 48h = 03-04 12:10; followed up 03-03 09:30 after 21h20m.
            m(
                "follow_up",
                "met",
                &[
                    ("deadline", "2026-03-04T12:10:00+08:00"),
                    ("elapsed", "PT21H20M"),
                ],
            ),
        ],
    );
    // Start 2025-01-08; every component is in its period but fault.cause
    // `freezing` takes cover from all of them: excluded, no remedy (and no
    // three guarantees). Visit 09:55 Monday, office open.
    //   diagnostic 80.00, waived: the waiver comes before the warranty
    //   call-out A 60.00; labour 45m -> 1 h × 120.00 = 120.00
    //   HWM-20-BODY 260.00 × 1.15 = 299.00
    //   GASKET-20 × 3: 4.50 × 1.15 = 5.175 (kept exact), × 3 = 15.525 -> 15.53
    // subtotal 60.00 + 120.00 + 299.00 + 15.53 = 494.53; tax 13% = 64.2889 -> 64.29;
    // total 558.82.
    pack.money(
        "HWM-260302-0016",
        Money {
            warranty: "excluded",
            remedy: None,
            until: &[
                ("battery", "2027-01-08"),
                ("electronics", "2028-01-08"),
                ("flow_sensor", "2028-01-08"),
                ("meter_body", "2030-01-08"),
                ("valve", "2027-01-08"),
            ],
            lines: &[
                ("diagnostic", "80.00", "80.00", "0.00", "waiver"),
                ("callout", "60.00", "0.00", "60.00", ""),
                ("labor", "120.00", "0.00", "120.00", ""),
                ("part", "299.00", "0.00", "299.00", ""),
                ("part", "15.53", "0.00", "15.53", ""),
            ],
            totals: ("494.53", "64.29", "558.82"),
            credits: &[],
        },
    );

    // An industrial visit after hours: a key account's meter out of warranty.
    pack.ticket(
        "HWM-260302-0017",
        "critical",
        &[
            m("answer", "met", &[("elapsed", "PT35S")]),
            // critical 30m -> 20:10; contacted 19:55.
            m(
                "contact",
                "met",
                &[
                    ("deadline", "2026-03-02T20:10:00+08:00"),
                    ("elapsed", "PT15M"),
                ],
            ),
            // complex critical 8h -> 03-03 03:40; resolved 23:50 after 4h10m.
            m(
                "resolve",
                "met",
                &[
                    ("target", "PT8H"),
                    ("deadline", "2026-03-03T03:40:00+08:00"),
                    ("elapsed", "PT4H10M"),
                ],
            ),
            // slot 21:00 + 15m = 21:15; arrived 21:10.
            m("onsite", "met", &[("elapsed", "PT10M")]),
            // 23:50 + 48h = 03-04 23:50; followed up 03-03 10:00 after 10h10m.
            m(
                "follow_up",
                "met",
                &[
                    ("deadline", "2026-03-04T23:50:00+08:00"),
                    ("elapsed", "PT10H10M"),
                ],
            ),
        ],
    );
    // Industrial flow_sensor 2 y from 2023-06-15 -> 2025-06-15: expired; cn-sanbao
    // does not list industrial meters. Monday 21:10 (arrival) and 21:15 (labour
    // start) are after the 17:30 close: ×1.5 on call-out and labour, not on travel.
    //   diagnostic 80.00 waived (repair accepted)
    //   call-out B 100.00 × 1.5 = 150.00
    //   travel 35 - 20 = 15 km × 3.00 = 45.00
    //   labour 2h10m -> 1 h + 3 steps (70 min / 30 min, rounded up) = 2.5 h
    //     × 180.00 = 450.00; key_account 10% off = 45.00, payable 405.00
    //   FS-DN80 860.00 × 1.15 = 989.00
    // subtotal 150.00 + 45.00 + 405.00 + 989.00 = 1589.00; tax 13% = 206.57;
    // total 1795.57. Resolved on time: no credit.
    pack.money(
        "HWM-260302-0017",
        Money {
            warranty: "expired",
            remedy: None,
            until: &[
                ("battery", "2024-06-15"),
                ("electronics", "2025-06-15"),
                ("flow_sensor", "2025-06-15"),
                ("meter_body", "2028-06-15"),
                ("valve", "2025-06-15"),
            ],
            lines: &[
                ("diagnostic", "80.00", "80.00", "0.00", "waiver"),
                ("callout", "150.00", "0.00", "150.00", ""),
                ("travel", "45.00", "0.00", "45.00", ""),
                ("labor", "450.00", "45.00", "405.00", "tier:key_account"),
                ("part", "989.00", "0.00", "989.00", ""),
            ],
            totals: ("1589.00", "206.57", "1795.57"),
            credits: &[],
        },
    );

    // A battery swapped on a public holiday (Spring Festival), an hour late.
    pack.ticket(
        "HWM-260217-0018",
        "normal",
        &[
            m("answer", "met", &[("elapsed", "PT45S")]),
            m("contact", "met", &[("elapsed", "PT20M")]),
            // simple 1h -> 10:30; resolved 11:30: 2h elapsed, 1h over.
            m(
                "resolve",
                "breached",
                &[
                    ("target", "PT1H"),
                    ("breached_at", "2026-02-17T10:30:00+08:00"),
                    ("elapsed", "PT2H"),
                    ("overdue", "PT1H"),
                ],
            ),
            m("onsite", "met", &[("elapsed", "PT5M")]),
            // 11:30 + 48h = 02-19 11:30; followed up 02-18 10:00 after 22h30m.
            m(
                "follow_up",
                "met",
                &[
                    ("deadline", "2026-02-19T11:30:00+08:00"),
                    ("elapsed", "PT22H30M"),
                ],
            ),
        ],
    );
    // Battery 2 y from 2023-12-20 -> 2025-12-20: expired. 02-17 is a holiday of
    // the office calendar (and closed): holiday ×2 beats after hours ×1.5.
    //   diagnostic 80.00 waived
    //   call-out A 60.00 × 2 = 120.00
    //   labour 30m -> 1 h × 240.00 = 240.00
    //   BAT-36-D 38.00 × 1.15 = 43.70
    // subtotal 403.70; tax 13% = 52.481 -> 52.48; total 456.18. The repair was
    // late, but a household customer has no service credit.
    pack.money(
        "HWM-260217-0018",
        Money {
            warranty: "expired",
            remedy: None,
            until: &[
                ("battery", "2025-12-20"),
                ("electronics", "2026-12-20"),
                ("flow_sensor", "2026-12-20"),
                ("meter_body", "2028-12-20"),
                ("valve", "2025-12-20"),
            ],
            lines: &[
                ("diagnostic", "80.00", "80.00", "0.00", "waiver"),
                ("callout", "120.00", "0.00", "120.00", ""),
                ("labor", "240.00", "0.00", "240.00", ""),
                ("part", "43.70", "0.00", "43.70", ""),
            ],
            totals: ("403.70", "52.48", "456.18"),
            credits: &[],
        },
    );

    // A broken calibration seal, and a repair 5h30m late: the credit is capped.
    pack.ticket(
        "HWM-260302-0019",
        "critical",
        &[
            m("answer", "met", &[("elapsed", "PT20S")]),
            m(
                "contact",
                "met",
                &[
                    ("deadline", "2026-03-02T22:30:00+08:00"),
                    ("elapsed", "PT20M"),
                ],
            ),
            // critical 8h -> 03-03 06:00; resolved 11:30: 13h30m, 5h30m over.
            m(
                "resolve",
                "breached",
                &[
                    ("deadline", "2026-03-03T06:00:00+08:00"),
                    ("breached_at", "2026-03-03T06:00:00+08:00"),
                    ("elapsed", "PT13H30M"),
                    ("overdue", "PT5H30M"),
                ],
            ),
            // slot 08:30, arrived 08:40.
            m("onsite", "met", &[("elapsed", "PT10M")]),
            m(
                "follow_up",
                "running",
                &[
                    ("deadline", "2026-03-05T11:30:00+08:00"),
                    ("elapsed", "PT30M"),
                ],
            ),
        ],
    );
    // Industrial, from 2025-04-02: flow_sensor until 2027-04-02, but fault.cause
    // `broken_seal` excludes every component. Visit 08:40 Tuesday, office open;
    // zone B from customer.zone, 18 km: within the 20 km included, no travel.
    //   diagnostic 80.00 waived; call-out B 100.00
    //   labour 2h30m -> 1 h + 3 steps = 2.5 h × 120.00 = 300.00; key_account 10% = 30.00
    //   FS-DN80 989.00; SEAL-KIT (no component: the fault's) 12.00 × 1.15 = 13.80
    // subtotal 100.00 + 270.00 + 989.00 + 13.80 = 1372.80; tax 13% = 178.464 -> 178.46;
    // total 1551.26.
    // Credit: 5h30m late = 6 started hours × 200.00 = 1200.00, capped at 1000.00.
    pack.money(
        "HWM-260302-0019",
        Money {
            warranty: "excluded",
            remedy: None,
            until: &[
                ("battery", "2026-04-02"),
                ("electronics", "2027-04-02"),
                ("flow_sensor", "2027-04-02"),
                ("meter_body", "2030-04-02"),
                ("valve", "2027-04-02"),
            ],
            lines: &[
                ("diagnostic", "80.00", "80.00", "0.00", "waiver"),
                ("callout", "100.00", "0.00", "100.00", ""),
                ("labor", "300.00", "30.00", "270.00", "tier:key_account"),
                ("part", "989.00", "0.00", "989.00", ""),
                ("part", "13.80", "0.00", "13.80", ""),
            ],
            totals: ("1372.80", "178.46", "1551.26"),
            credits: &[("resolve", "service_credit", "1000.00")],
        },
    );

    // Water damage, the repair declined: the diagnostic fee is charged. No
    // installation date: the warranty starts 30 days after delivery.
    pack.ticket(
        "HWM-260303-0020",
        "normal",
        &[
            m("answer", "not_applicable", &[]),
            m("contact", "met", &[("elapsed", "PT40M")]),
            // 24h -> 03-04 07:30; resolved 10:50 after 3h20m.
            m(
                "resolve",
                "met",
                &[
                    ("deadline", "2026-03-04T07:30:00+08:00"),
                    ("elapsed", "PT3H20M"),
                ],
            ),
            // slot 10:00 + 15m = 10:15; arrived 10:20: 5m over.
            m(
                "onsite",
                "breached",
                &[
                    ("breached_at", "2026-03-03T10:15:00+08:00"),
                    ("elapsed", "PT20M"),
                    ("overdue", "PT5M"),
                ],
            ),
            m(
                "follow_up",
                "running",
                &[
                    ("deadline", "2026-03-05T10:50:00+08:00"),
                    ("elapsed", "PT1H10M"),
                ],
            ),
        ],
    );
    // No installed_on: delivered 2025-06-05 + 30 days = 2025-07-05 (start.fallback);
    // the battery starts on delivery itself: 2025-06-05 + 2 years = 2027-06-05.
    // fault.cause `water_damage`: excluded. Repair declined (repair_accepted false):
    //   diagnostic 80.00 payable
    //   call-out C 150.00; travel 38 - 30 = 8 km × 3.50 = 28.00
    // subtotal 258.00; tax 13% = 33.54; total 291.54.
    pack.money(
        "HWM-260303-0020",
        Money {
            warranty: "excluded",
            remedy: None,
            until: &[
                ("battery", "2027-06-05"),
                ("electronics", "2028-07-05"),
                ("flow_sensor", "2028-07-05"),
                ("meter_body", "2030-07-05"),
                ("valve", "2027-07-05"),
            ],
            lines: &[
                ("diagnostic", "80.00", "0.00", "80.00", ""),
                ("callout", "150.00", "0.00", "150.00", ""),
                ("travel", "28.00", "0.00", "28.00", ""),
            ],
            totals: ("258.00", "33.54", "291.54"),
            credits: &[],
        },
    );

    // A new household meter that reads nothing: exchanged under the three guarantees.
    pack.ticket(
        "HWM-260302-0021",
        "normal",
        &[
            m("answer", "met", &[("elapsed", "PT30S")]),
            m("contact", "met", &[("elapsed", "PT30M")]),
            // 24h -> 03-03 11:00; resolved 09:50 after 22h50m.
            m(
                "resolve",
                "met",
                &[
                    ("deadline", "2026-03-03T11:00:00+08:00"),
                    ("elapsed", "PT22H50M"),
                    ("remaining", "PT1H10M"),
                ],
            ),
            m("onsite", "met", &[("elapsed", "PT0S")]),
            m(
                "follow_up",
                "running",
                &[
                    ("deadline", "2026-03-05T09:50:00+08:00"),
                    ("elapsed", "PT2H10M"),
                ],
            ),
        ],
    );
    // Sold 2026-02-20; claimed 2026-03-02 = day 10 (the sale day not counted): a
    // performance fault on days 8-15 entitles exchange or repair (cn-sanbao
    // art. 10) until 02-20 + 15 days = 03-07, stronger than the contract's repair.
    // Installed 2026-02-25: valve -> 2028-02-25; electronics, flow_sensor
    // -> 2029-02-25; meter_body -> 2031-02-25. The battery from delivery
    // 2026-02-21 -> 2028-02-21.
    //   diagnostic 80.00 waived; call-out A 60.00; labour 40m -> 1 h = 120.00;
    //   HWM-20 (meter_body) 420.00 × 1.15 = 483.00: all covered, total 0.00.
    pack.money(
        "HWM-260302-0021",
        Money {
            warranty: "statutory_exchange",
            remedy: Some(("exchange", "cn-sanbao", "2026-03-07")),
            until: &[
                ("battery", "2028-02-21"),
                ("electronics", "2029-02-25"),
                ("flow_sensor", "2029-02-25"),
                ("meter_body", "2031-02-25"),
                ("valve", "2028-02-25"),
            ],
            lines: &[
                ("diagnostic", "80.00", "80.00", "0.00", "waiver"),
                ("callout", "60.00", "60.00", "0.00", "warranty"),
                ("labor", "120.00", "120.00", "0.00", "warranty"),
                ("part", "483.00", "483.00", "0.00", "warranty"),
            ],
            totals: ("0.00", "0.00", "0.00"),
            credits: &[],
        },
    );

    // A battery that sat in stock: delivered 2024-01-15, installed 2024-09-01.
    pack.ticket(
        "HWM-260302-0022",
        "normal",
        &[
            m("answer", "not_applicable", &[]),
            // normal 2h: 09:00 -> 11:00; contacted 09:40.
            m("contact", "met", &[("elapsed", "PT40M")]),
            // simple: 1h -> 10:00; resolved 14:30: 5h30m, 4h30m over.
            m(
                "resolve",
                "breached",
                &[
                    ("target", "PT1H"),
                    ("breached_at", "2026-03-02T10:00:00+08:00"),
                    ("elapsed", "PT5H30M"),
                    ("overdue", "PT4H30M"),
                ],
            ),
            // slot 14:00 + 15m; arrived 14:00.
            m("onsite", "met", &[("elapsed", "PT0S")]),
            // resolved 14:30 + 48h = 03-04 14:30; as of 03-03 12:00: 21h30m.
            m(
                "follow_up",
                "running",
                &[
                    ("deadline", "2026-03-04T14:30:00+08:00"),
                    ("elapsed", "PT21H30M"),
                ],
            ),
        ],
    );
    // Installed 2024-09-01: valve -> 2026-09-01; electronics, flow_sensor ->
    // 2027-09-01; meter_body -> 2029-09-01. The battery runs from delivery:
    // 2024-01-15 + 2 years = 2026-01-15, so the battery fault claimed
    // 2026-03-02 has expired (from installation it would run to 2026-09-01).
    // cn-sanbao: the period ended 2026-01-15, no statutory remedy.
    // Repair accepted:
    //   diagnostic 80.00 waived; call-out A 60.00 (Monday 14:00, office hours)
    //   labour 30m -> the first hour = 120.00
    //   HWM-BAT-36 38.00 × 1.15 = 43.70
    // subtotal 60.00 + 120.00 + 43.70 = 223.70; tax 13% = 29.081 -> 29.08;
    // total 252.78. Household: no service credit.
    // The new battery (warranty.replaced_parts): 90 days from the repair on
    // 2026-03-02 = 2026-05-31, longer than the old battery's cover (ended
    // 2026-01-15): see `replaced_parts_after_the_repair` below.
    pack.money(
        "HWM-260302-0022",
        Money {
            warranty: "expired",
            remedy: None,
            until: &[
                ("battery", "2026-01-15"),
                ("electronics", "2027-09-01"),
                ("flow_sensor", "2027-09-01"),
                ("meter_body", "2029-09-01"),
                ("valve", "2026-09-01"),
            ],
            lines: &[
                ("diagnostic", "80.00", "80.00", "0.00", "waiver"),
                ("callout", "60.00", "0.00", "60.00", ""),
                ("labor", "120.00", "0.00", "120.00", ""),
                ("part", "43.70", "0.00", "43.70", ""),
            ],
            totals: ("223.70", "29.08", "252.78"),
            credits: &[],
        },
    );

    // A district-heating utility's industrial meter (customer.segment
    // `utility`): priced by the `utility` rate card.
    pack.ticket(
        "HWM-260302-0023",
        "critical",
        &[
            // hotline: 1m from 09:00; answered after 20s.
            m("answer", "met", &[("elapsed", "PT20S")]),
            // critical 30m: 09:00 -> 09:30; contacted 09:15.
            m(
                "contact",
                "met",
                &[("deadline", "2026-03-02T09:30:00+08:00")],
            ),
            // complex, critical: 8h -> 17:00; resolved 11:40 after 2h40m.
            m(
                "resolve",
                "met",
                &[("target", "PT8H"), ("elapsed", "PT2H40M")],
            ),
            // slot 10:15 + 15m; arrived 10:20.
            m("onsite", "met", &[("elapsed", "PT5M")]),
            // resolved 11:40 + 48h = 03-04 11:40; as of 03-03 12:00: 24h20m.
            m(
                "follow_up",
                "running",
                &[
                    ("deadline", "2026-03-04T11:40:00+08:00"),
                    ("elapsed", "PT24H20M"),
                ],
            ),
        ],
    );
    // Installed 2019-06-10, industrial: electronics (which includes the
    // calculator board) 2 years -> 2021-06-10, expired; cn-sanbao is for
    // household meters only. Repair accepted, rate card `utility`:
    //   diagnostic 80.00 waived; call-out A 60.00 (the card has none of its
    //   own: [fees]'s; Monday 10:20, office hours, no multiplier)
    //   labour 1h10m -> the card's minimum 2 h × 150.00 = 300.00
    //   CB-50 420.00 × 1.15 = 483.00
    // subtotal 60.00 + 300.00 + 483.00 = 843.00; tax 13% = 109.59;
    // total 952.59. No tier: no service credit.
    pack.money(
        "HWM-260302-0023",
        Money {
            warranty: "expired",
            remedy: None,
            until: &[
                ("battery", "2020-06-10"),
                ("electronics", "2021-06-10"),
                ("flow_sensor", "2021-06-10"),
                ("meter_body", "2024-06-10"),
                ("valve", "2021-06-10"),
            ],
            lines: &[
                ("diagnostic", "80.00", "80.00", "0.00", "waiver"),
                ("callout", "60.00", "0.00", "60.00", ""),
                ("labor", "300.00", "0.00", "300.00", ""),
                ("part", "483.00", "0.00", "483.00", ""),
            ],
            totals: ("843.00", "109.59", "952.59"),
            credits: &[],
        },
    );

    pack.finish();
}

// ---------------------------------------------------------------------------
// Smart home, as of Tuesday 2026-04-07 20:00, the first working day after
// the Tomb-sweeping Day holiday (04-04 to 04-06).
// service_hours: 08:00-22:00 every day (14 h). tech_hours: Mon-Fri
// 09:00-12:00, 13:00-18:00 (8 h) on official working days.
// first_response 1h (service hours) / first_response_critical 1h (24x7);
// reply 2h per APP message; centre_acceptance critical 30m, high 1h, else 2h;
// tech_acceptance critical 1h, high 4h, else 1bd; slot_offer 8h (service hours,
// installations requested in the APP); onsite 30m from the slot, 5m grace;
// resolve high 14h, normal 2bd, low 5bd (service hours) / resolve_critical 8h (24x7).

#[test]
fn smart_home() {
    let mut pack = Pack::load("smart_home");

    // Jammed door lock on a holiday night: critical, served around the clock.
    pack.ticket(
        "SH-260404-0001",
        "critical",
        &[
            m("first_response", "not_applicable", &[]),
            // 23:10 + 1h = 00:10 on 24x7; responded 23:25.
            m(
                "first_response_critical",
                "met",
                &[
                    ("deadline", "2026-04-05T00:10:00+08:00"),
                    ("elapsed", "PT15M"),
                ],
            ),
            m("reply", "not_applicable", &[]),
            m("centre_acceptance", "pending", &[("target", "PT30M")]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            // slot 00:30 + 30m = 01:00; arrived 00:50.
            m(
                "onsite",
                "met",
                &[("deadline", "2026-04-05T01:00:00+08:00")],
            ),
            m("resolve", "not_applicable", &[]),
            // 23:10 + 8h = 07:10; resolved 01:30 after 2h20m.
            m(
                "resolve_critical",
                "met",
                &[
                    ("deadline", "2026-04-05T07:10:00+08:00"),
                    ("elapsed", "PT2H20M"),
                ],
            ),
        ],
    );

    // Bulb pairing via the APP, opened 30 minutes before closing on a holiday.
    pack.ticket(
        "SH-260406-0002",
        "normal",
        &[
            // 21:30-22:00 (30m), then 08:00 + 30m = 08:30; responded 08:20: 50m.
            // warn 15m before: 45m counted -> 08:15.
            m(
                "first_response",
                "met",
                &[
                    ("deadline", "2026-04-07T08:30:00+08:00"),
                    ("warn_at", "2026-04-07T08:15:00+08:00"),
                    ("elapsed", "PT50M"),
                ],
            ),
            m("first_response_critical", "not_applicable", &[]),
            // cycle 1: 09:00-09:30 met; cycle 2: 12:00 + 2h = 14:00, answered 15:00: breached;
            // cycle 3: from 19:00, due 21:00, 1h elapsed.
            m(
                "reply",
                "running",
                &[
                    ("cycles", "met,breached"),
                    ("started_at", "2026-04-07T19:00:00+08:00"),
                    ("deadline", "2026-04-07T21:00:00+08:00"),
                    ("elapsed", "PT1H"),
                ],
            ),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[("target", "1bd")]),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "pending", &[]),
            // 2bd: the 2nd following date, same time: 04-08 21:30 (open). As counted time:
            // 30m (04-06) + 14h (04-07) + 13h30m (04-08 08:00-21:30) = 28h.
            // Elapsed 30m + 12h = 12h30m. Warn at 80% = 22h24m -> 04-08 08:00 + 7h54m = 15:54.
            m(
                "resolve",
                "running",
                &[
                    ("target", "PT28H"),
                    ("deadline", "2026-04-08T21:30:00+08:00"),
                    ("warn_at", "2026-04-08T15:54:00+08:00"),
                    ("elapsed", "PT12H30M"),
                    ("remaining", "PT15H30M"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );

    // Camera firmware bug escalated twice; the tech team's day spans the holiday.
    pack.ticket(
        "SH-260403-0003",
        "normal",
        &[
            m("first_response", "met", &[("elapsed", "PT20M")]),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "not_applicable", &[]),
            // escalated 11:00 + 2h = 13:00; accepted 11:40.
            m(
                "centre_acceptance",
                "met",
                &[
                    ("deadline", "2026-04-03T13:00:00+08:00"),
                    ("elapsed", "PT40M"),
                ],
            ),
            // 1bd from Fri 04-03 16:00: 04-04..04-06 are holidays -> Tue 04-07 16:00.
            // Counted: 16:00-18:00 (2h) + 09:00-12:00 (3h) + 13:00-16:00 (3h) = 8h.
            // Accepted 15:00: 2h + 3h + 2h = 7h.
            m(
                "tech_acceptance",
                "met",
                &[
                    ("target", "PT8H"),
                    ("deadline", "2026-04-07T16:00:00+08:00"),
                    ("elapsed", "PT7H"),
                ],
            ),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "pending", &[]),
            // 2bd from 04-03 10:00 -> 04-05 10:00 (service hours run on holidays): 12h + 14h + 2h = 28h.
            // Elapsed 12h + 14h + 14h + 14h + 12h = 66h: 38h over.
            m(
                "resolve",
                "breached",
                &[
                    ("target", "PT28H"),
                    ("breached_at", "2026-04-05T10:00:00+08:00"),
                    ("elapsed", "PT66H"),
                    ("overdue", "PT38H"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );

    // Curtain motor raised to high after 16 service hours: breached at the change.
    pack.ticket(
        "SH-260406-0004",
        "high",
        &[
            m("first_response", "met", &[]),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "pending", &[]),
            m("centre_acceptance", "pending", &[("target", "PT1H")]),
            m("tech_acceptance", "pending", &[("target", "PT4H")]),
            m("slot_offer", "not_applicable", &[]),
            // slot 14:00 + 30m = 14:30, + 5m grace = 14:35; arrived 14:45:
            // elapsed 45m > 35m, breached at 14:35, overdue 45m - 35m = 10m.
            m(
                "onsite",
                "breached",
                &[
                    ("deadline", "2026-04-07T14:30:00+08:00"),
                    ("due_with_grace", "2026-04-07T14:35:00+08:00"),
                    ("breached_at", "2026-04-07T14:35:00+08:00"),
                    ("overdue", "PT10M"),
                ],
            ),
            // normal 2bd from 04-06 08:00; at 04-07 10:00 high 14h from the start is used up
            // (14h + 2h = 16h elapsed): breached at the change. Resolved 16:00: 22h, 8h over.
            m(
                "resolve",
                "breached",
                &[
                    ("target", "PT14H"),
                    ("deadline", "2026-04-07T10:00:00+08:00"),
                    ("breached_at", "2026-04-07T10:00:00+08:00"),
                    ("elapsed", "PT22H"),
                    ("overdue", "PT8H"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );

    // Gas detector offline at night: first response 30m late; paused for the customer.
    pack.ticket(
        "SH-260407-0005",
        "critical",
        &[
            m("first_response", "not_applicable", &[]),
            // 02:00 + 1h = 03:00; responded 03:30.
            m(
                "first_response_critical",
                "breached",
                &[
                    ("breached_at", "2026-04-07T03:00:00+08:00"),
                    ("overdue", "PT30M"),
                ],
            ),
            m("reply", "not_applicable", &[]),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "pending", &[]),
            m("resolve", "not_applicable", &[]),
            // 02:00-04:00 (2h), paused 04:00-18:00, 18:00-20:00 (2h): 4h; 6h left from
            // 18:00 -> 04-08 00:00; warn at 6h24m: 4h24m after 18:00 -> 22:24.
            m(
                "resolve_critical",
                "running",
                &[
                    ("deadline", "2026-04-08T00:00:00+08:00"),
                    ("warn_at", "2026-04-07T22:24:00+08:00"),
                    ("elapsed", "PT4H"),
                    ("remaining", "PT4H"),
                ],
            ),
        ],
    );

    // Robot vacuum: waiting for the customer's video since 10:00.
    pack.ticket(
        "SH-260407-0006",
        "normal",
        &[
            m("first_response", "met", &[]),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "pending", &[]),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "pending", &[]),
            // 2bd from 04-07 09:00 -> 04-09 09:00: 13h + 14h + 1h = 28h. 09:00-10:00 counted.
            m(
                "resolve",
                "paused",
                &[
                    ("target", "PT28H"),
                    ("deadline", "none"),
                    ("elapsed", "PT1H"),
                    ("remaining", "PT27H"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );

    // How-to question: low, not answered yet.
    pack.ticket(
        "SH-260407-0007",
        "low",
        &[
            // 19:45 + 1h = 20:45; 15m elapsed; warn 15m before = 20:30.
            m(
                "first_response",
                "running",
                &[
                    ("deadline", "2026-04-07T20:45:00+08:00"),
                    ("warn_at", "2026-04-07T20:30:00+08:00"),
                    ("remaining", "PT45M"),
                ],
            ),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "not_applicable", &[]),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "pending", &[]),
            // low "*" = 5bd -> 04-12 19:45: 2h15m + 4 x 14h + 11h45m = 70h.
            m(
                "resolve",
                "running",
                &[
                    ("target", "PT70H"),
                    ("deadline", "2026-04-12T19:45:00+08:00"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );

    // Lock installation opened on site: everything met.
    pack.ticket(
        "SH-260402-0008",
        "normal",
        &[
            m("first_response", "met", &[("elapsed", "PT5M")]),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "not_applicable", &[]),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "met", &[("elapsed", "PT20M")]),
            // 2bd -> 04-04 10:00; resolved 04-03 11:00: 12h + 3h = 15h.
            m(
                "resolve",
                "met",
                &[
                    ("deadline", "2026-04-04T10:00:00+08:00"),
                    ("elapsed", "PT15H"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );

    // Hub offline: high; the centre accepted late, the tech team has not yet.
    pack.ticket(
        "SH-260407-0009",
        "high",
        &[
            m("first_response", "met", &[]),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "pending", &[]),
            // 14:00 + 1h = 15:00; accepted 15:30.
            m(
                "centre_acceptance",
                "breached",
                &[
                    ("breached_at", "2026-04-07T15:00:00+08:00"),
                    ("overdue", "PT30M"),
                ],
            ),
            // 4h from 16:30: 16:30-18:00 (1h30m), then 04-08 09:00 + 2h30m = 11:30.
            m(
                "tech_acceptance",
                "running",
                &[
                    ("deadline", "2026-04-08T11:30:00+08:00"),
                    ("elapsed", "PT1H30M"),
                    ("remaining", "PT2H30M"),
                ],
            ),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "pending", &[]),
            // 14h from 13:00: 9h to 22:00, then 04-08 08:00 + 5h = 13:00; 7h elapsed.
            m(
                "resolve",
                "running",
                &[
                    ("deadline", "2026-04-08T13:00:00+08:00"),
                    ("elapsed", "PT7H"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );

    // VIP customer, called before opening: clocks start at 08:00.
    pack.ticket(
        "SH-260407-0010",
        "high",
        &[
            // 08:00 + 1h = 09:00; responded 08:50 after 50m.
            m(
                "first_response",
                "met",
                &[
                    ("deadline", "2026-04-07T09:00:00+08:00"),
                    ("elapsed", "PT50M"),
                ],
            ),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "not_applicable", &[]),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "pending", &[]),
            // 14h from 08:00 is used up at the 22:00 close: deadline = the next opening.
            // Resolved 19:30 after 11h30m.
            m(
                "resolve",
                "met",
                &[
                    ("deadline", "2026-04-08T08:00:00+08:00"),
                    // The customer reads "by 22:00 today", the close.
                    ("due_by", "2026-04-07T22:00:00+08:00"),
                    ("elapsed", "PT11H30M"),
                    ("remaining", "PT2H30M"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );

    // Lock battery: a message answered, a visit booked for tomorrow.
    pack.ticket(
        "SH-260407-0011",
        "normal",
        &[
            m("first_response", "met", &[]),
            m("first_response_critical", "not_applicable", &[]),
            // 11:40 -> 11:50.
            m("reply", "met", &[("elapsed", "PT10M"), ("cycles", "")]),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            // slot 04-08 10:00 is ahead: pending, due 10:30.
            m(
                "onsite",
                "pending",
                &[("deadline", "2026-04-08T10:30:00+08:00")],
            ),
            // 2bd -> 04-09 11:00; 9h elapsed.
            m(
                "resolve",
                "running",
                &[
                    ("deadline", "2026-04-09T11:00:00+08:00"),
                    ("elapsed", "PT9H"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );

    // Camera raised to critical at 12:00: at as_of the critical clocks apply
    // (`when` reads the level at as_of), counted from the ticket's start.
    pack.ticket(
        "SH-260405-0012",
        "critical",
        &[
            m("first_response", "not_applicable", &[]),
            // 10:00 + 1h on 24x7 = 11:00; responded 10:30.
            m(
                "first_response_critical",
                "met",
                &[("deadline", "2026-04-05T11:00:00+08:00")],
            ),
            m("reply", "pending", &[]),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "pending", &[]),
            m("resolve", "not_applicable", &[]),
            // 10:00 + 8h = 18:00; resolved 16:00.
            m(
                "resolve_critical",
                "met",
                &[
                    ("deadline", "2026-04-05T18:00:00+08:00"),
                    ("remaining", "PT2H"),
                ],
            ),
        ],
    );

    // -----------------------------------------------------------------------
    // Warranty, fees and credits. Warranty from purchased_on, civil-code
    // counting: main_unit 1 year (and every unlisted component, the default),
    // accessories 6 months (battery, dock, side_brush …). cn-sanbao on every
    // product, which extends the periods by the days in repair.
    // Fees: labour 100.00/h, 30 min minimum then 15 min steps rounded up;
    // call-out A 50.00, B 80.00 (15 km incl., 2.00/km), C 120.00 (30 km incl.,
    // 2.50/km); diagnostic 50.00 waived when the repair is accepted; parts
    // +10%; Care Plus waives labour, call-out and travel and takes 20% off
    // parts; VAT 13% added; rule adjust_bill() credits a paid remote diagnosis.
    // Credits: onsite late 20.00; resolve late: late_resolution_voucher() =
    // 30.00 × (days from the due date to the fix + 1), ×2 for Care Plus,
    // capped at 100.00.

    // Existing tickets with credits.
    // SH-0003: camera bought 2025-01-28: main_unit until 2026-01-28, expired.
    // resolve breached at 04-05 10:00, still open on 04-07: 2 days: 30.00 × 3 = 90.00.
    pack.money(
        "SH-260403-0003",
        Money {
            warranty: "expired",
            remedy: None,
            until: &[("accessories", "2025-07-28"), ("main_unit", "2026-01-28")],
            lines: &[],
            totals: NO_BILL,
            credits: &[("resolve", "compensation", "90.00")],
        },
    );
    // SH-0004: onsite 15m late: 20.00; resolve breached 04-07 10:00, fixed 04-07
    // 16:00, the same day: 30.00 × 1 = 30.00.
    pack.money(
        "SH-260406-0004",
        Money {
            warranty: "expired",
            remedy: None,
            until: &[],
            lines: &[],
            totals: NO_BILL,
            credits: &[
                ("onsite", "compensation", "20.00"),
                ("resolve", "compensation", "30.00"),
            ],
        },
    );

    // The second failed repair: the fingerprint reader fails a third time.
    pack.ticket(
        "SH-260407-0013",
        "normal",
        &[
            // 09:10 + 1h = 10:10; responded 09:30.
            m(
                "first_response",
                "met",
                &[
                    ("deadline", "2026-04-07T10:10:00+08:00"),
                    ("elapsed", "PT20M"),
                ],
            ),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "not_applicable", &[]),
            m("centre_acceptance", "pending", &[("target", "PT2H")]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            // slot 14:00 + 30m = 14:30; arrived 14:20.
            m("onsite", "met", &[("elapsed", "PT20M")]),
            // 2bd from Tue 09:10 -> Thu 04-09 09:10: 12h50m + 14h + 1h10m = 28h.
            // Resolved 15:30 after 6h20m.
            m(
                "resolve",
                "met",
                &[
                    ("target", "PT28H"),
                    ("deadline", "2026-04-09T09:10:00+08:00"),
                    ("elapsed", "PT6H20M"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );
    // Bought 2025-09-10. cn-sanbao extends by the 3 + 3 days in repair:
    // main_unit 2026-09-10 + 6 = 2026-09-16; accessories 2026-03-10 + 6 = 2026-03-16.
    // `fingerprint_reader` has no entry: judged by main_unit (the default), in
    // its period. Two earlier repairs of the same fault (fingerprint_fail),
    // 2025-12-02 and 2026-02-10, both in the period, and it is back: exchange or
    // return (arts. 11, 13) until the period's last day, 2026-09-16.
    //   diagnostic 50.00 waived; call-out B 80.00; travel 22 - 15 = 7 km × 2.00 = 14.00
    //   labour 1h: 30 min + 2 × 15 min = 1 h × 100.00 = 100.00
    //   L7P-LOCK (main_unit) 1299.00 × 1.10 = 1428.90
    // all covered by the warranty: total 0.00.
    pack.money(
        "SH-260407-0013",
        Money {
            warranty: "statutory_exchange",
            remedy: Some(("exchange", "cn-sanbao", "2026-09-16")),
            until: &[("accessories", "2026-03-16"), ("main_unit", "2026-09-16")],
            lines: &[
                ("diagnostic", "50.00", "50.00", "0.00", "waiver"),
                ("callout", "80.00", "80.00", "0.00", "warranty"),
                ("travel", "14.00", "14.00", "0.00", "warranty"),
                ("labor", "100.00", "100.00", "0.00", "warranty"),
                ("part", "1428.90", "1428.90", "0.00", "warranty"),
            ],
            totals: ("0.00", "0.00", "0.00"),
            credits: &[],
        },
    );

    // Care Plus on an old robot vacuum, fixed three days late: the voucher is capped.
    pack.ticket(
        "SH-260402-0014",
        "normal",
        &[
            m("first_response", "met", &[("elapsed", "PT30M")]),
            m("first_response_critical", "not_applicable", &[]),
            // customer_replied 04-03 09:00, responded 09:40 (the 04-02 reply came before it).
            m(
                "reply",
                "met",
                &[
                    ("deadline", "2026-04-03T11:00:00+08:00"),
                    ("elapsed", "PT40M"),
                    ("cycles", ""),
                ],
            ),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "met", &[("elapsed", "PT10M")]),
            // 2bd from Thu 04-02 10:00 -> Sat 04-04 10:00: 12h + 14h + 2h = 28h.
            // Resolved 04-07 17:00: 12h + 14h × 4 + 9h = 77h, 49h over.
            m(
                "resolve",
                "breached",
                &[
                    ("target", "PT28H"),
                    ("breached_at", "2026-04-04T10:00:00+08:00"),
                    ("elapsed", "PT77H"),
                    ("overdue", "PT49H"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );
    // Bought 2024-11-02: main_unit until 2025-11-02, accessories until 2025-05-02:
    // expired. Care Plus:
    //   diagnostic 50.00 waived (repair accepted: the waiver comes first)
    //   call-out B 80.00, travel 25 - 15 = 10 km × 2.00 = 20.00: waived by the plan
    //   labour 50m -> 30 min + 2 steps = 1 h × 100.00 = 100.00: waived
    //   RV8-BM 180.00 × 1.10 = 198.00; 20% off = 39.60, payable 158.40
    //   RV8-SB × 2: 15.00 × 1.10 = 16.50, × 2 = 33.00; 20% off = 6.60, payable 26.40
    // subtotal 184.80; tax 13% = 24.024 -> 24.02; total 208.82.
    // Voucher: due 04-04, fixed 04-07: 3 days: 30.00 × 4 = 120.00, ×2 for Care Plus
    // = 240.00, capped at 100.00.
    pack.money(
        "SH-260402-0014",
        Money {
            warranty: "expired",
            remedy: None,
            until: &[("accessories", "2025-05-02"), ("main_unit", "2025-11-02")],
            lines: &[
                ("diagnostic", "50.00", "50.00", "0.00", "waiver"),
                ("callout", "80.00", "80.00", "0.00", "plan:care_plus"),
                ("travel", "20.00", "20.00", "0.00", "plan:care_plus"),
                ("labor", "100.00", "100.00", "0.00", "plan:care_plus"),
                ("part", "198.00", "39.60", "158.40", "plan:care_plus"),
                ("part", "33.00", "6.60", "26.40", "plan:care_plus"),
            ],
            totals: ("184.80", "24.02", "208.82"),
            credits: &[("resolve", "compensation", "100.00")],
        },
    );

    // A remote diagnosis paid in the APP, credited against the visit by a rule.
    pack.ticket(
        "SH-260407-0015",
        "normal",
        &[
            m("first_response", "met", &[("elapsed", "PT30M")]),
            m("first_response_critical", "not_applicable", &[]),
            // 09:20 -> 09:35.
            m("reply", "met", &[("elapsed", "PT15M")]),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "met", &[("elapsed", "PT5M")]),
            // 2bd from 08:30 -> 04-09 08:30: 13h30m + 14h + 30m = 28h; 7h40m elapsed.
            m(
                "resolve",
                "met",
                &[
                    ("target", "PT28H"),
                    ("deadline", "2026-04-09T08:30:00+08:00"),
                    ("elapsed", "PT7H40M"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );
    // Bought 2024-12-28: expired 2025-12-28.
    //   diagnostic 50.00 waived; call-out A 50.00
    //   labour 40m -> 30 min + 1 step = 45 min = 0.75 h × 100.00 = 75.00
    //   C36S-WIFI 60.00 × 1.10 = 66.00
    // payable so far 50.00 + 75.00 + 66.00 = 191.00; adjust_bill() adds the
    // 29.00 paid in the APP as a line of -29.00 (less than 191.00, so in full).
    // subtotal 162.00; tax 13% = 21.06; total 183.06.
    pack.money(
        "SH-260407-0015",
        Money {
            warranty: "expired",
            remedy: None,
            until: &[("accessories", "2025-06-28"), ("main_unit", "2025-12-28")],
            lines: &[
                ("diagnostic", "50.00", "50.00", "0.00", "waiver"),
                ("callout", "50.00", "0.00", "50.00", ""),
                ("labor", "75.00", "0.00", "75.00", ""),
                ("part", "66.00", "0.00", "66.00", ""),
                ("remote_diagnosis", "-29.00", "0.00", "-29.00", ""),
            ],
            totals: ("162.00", "21.06", "183.06"),
            credits: &[],
        },
    );

    // A lock keypad in warranty, its battery pack (an accessory) not; the
    // engineer arrives late.
    pack.ticket(
        "SH-260407-0016",
        "normal",
        &[
            m("first_response", "met", &[("elapsed", "PT15M")]),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "not_applicable", &[]),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            m("slot_offer", "not_applicable", &[]),
            // slot 16:00 + 30m = 16:30, + 5m grace = 16:35; arrived 16:40:
            // 40m > 35m, breached at 16:35, 5m past the grace.
            m(
                "onsite",
                "breached",
                &[
                    ("deadline", "2026-04-07T16:30:00+08:00"),
                    ("breached_at", "2026-04-07T16:35:00+08:00"),
                    ("elapsed", "PT40M"),
                    ("overdue", "PT5M"),
                ],
            ),
            // 2bd from 12:30 -> 04-09 12:30: 9h30m + 14h + 4h30m = 28h; 5h elapsed.
            m(
                "resolve",
                "met",
                &[
                    ("deadline", "2026-04-09T12:30:00+08:00"),
                    ("elapsed", "PT5H"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );
    // Bought 2025-09-01: main_unit until 2026-09-01, accessories until 2026-03-01.
    // `keypad` has no entry: main_unit judges it, covered. `battery` is an
    // accessory: expired.
    //   diagnostic 50.00 waived; call-out C 120.00; travel 36 - 30 = 6 km × 2.50 = 15.00
    //   labour 1h10m -> 30 min + 3 steps (40 min / 15 min, rounded up) = 1.25 h = 125.00
    //   L5-KEYPAD 120.00 × 1.10 = 132.00: all covered
    //   L5-BATT (battery) 89.00 × 1.10 = 97.90: payable
    // subtotal 97.90; tax 13% = 12.727 -> 12.73; total 110.63. Late visit: 20.00.
    pack.money(
        "SH-260407-0016",
        Money {
            warranty: "in_warranty",
            remedy: Some(("repair", "warranty", "2026-09-01")),
            until: &[("accessories", "2026-03-01"), ("main_unit", "2026-09-01")],
            lines: &[
                ("diagnostic", "50.00", "50.00", "0.00", "waiver"),
                ("callout", "120.00", "120.00", "0.00", "warranty"),
                ("travel", "15.00", "15.00", "0.00", "warranty"),
                ("labor", "125.00", "125.00", "0.00", "warranty"),
                ("part", "132.00", "132.00", "0.00", "warranty"),
                ("part", "97.90", "0.00", "97.90", ""),
            ],
            totals: ("97.90", "12.73", "110.63"),
            credits: &[("onsite", "compensation", "20.00")],
        },
    );

    // A new hub offline on day 5: the three guarantees' return.
    pack.ticket(
        "SH-260406-0017",
        "high",
        &[
            // 20:30 + 1h = 21:30; responded 20:50.
            m("first_response", "met", &[("elapsed", "PT20M")]),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "pending", &[]),
            m("centre_acceptance", "pending", &[("target", "PT1H")]),
            m("tech_acceptance", "pending", &[("target", "PT4H")]),
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "pending", &[]),
            // high 14h: 1h30m (to 22:00) + 12h30m from 04-07 08:00 -> 20:30.
            // Resolved 10:00: 1h30m + 2h = 3h30m.
            m(
                "resolve",
                "met",
                &[
                    ("target", "PT14H"),
                    ("deadline", "2026-04-07T20:30:00+08:00"),
                    ("elapsed", "PT3H30M"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );
    // Sold 2026-04-01, claimed 04-06 = day 5, a performance fault: return,
    // exchange or repair (cn-sanbao art. 9) until 04-01 + 7 days = 04-08.
    // No work: an empty bill.
    pack.money(
        "SH-260406-0017",
        Money {
            warranty: "statutory_return",
            remedy: Some(("return", "cn-sanbao", "2026-04-08")),
            until: &[("accessories", "2026-10-01"), ("main_unit", "2027-04-01")],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );

    // A hub installation: the slot offered at 09:40 starts at 16:00 (a slot
    // object: its start), the engineer arrives inside the grace.
    pack.ticket(
        "SH-260407-0018",
        "normal",
        &[
            // 09:00 + 1h = 10:00; responded 09:20 after 20m.
            m(
                "first_response",
                "met",
                &[
                    ("deadline", "2026-04-07T10:00:00+08:00"),
                    ("elapsed", "PT20M"),
                ],
            ),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "pending", &[]),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            // 8h of service hours from 09:00 -> 17:00. The stop is the slot's
            // start, 16:00, not the offer at 09:40: 7h elapsed, 1h remaining.
            m(
                "slot_offer",
                "met",
                &[
                    ("deadline", "2026-04-07T17:00:00+08:00"),
                    ("stopped_at", "2026-04-07T16:00:00+08:00"),
                    ("elapsed", "PT7H"),
                    ("remaining", "PT1H"),
                ],
            ),
            // slot 16:00 + 30m = 16:30, + 5m grace = 16:35; arrived 16:33:
            // 33m <= 35m, met although after the deadline; remaining 35m - 33m = 2m.
            m(
                "onsite",
                "met",
                &[
                    ("deadline", "2026-04-07T16:30:00+08:00"),
                    ("grace", "PT5M"),
                    ("due_with_grace", "2026-04-07T16:35:00+08:00"),
                    ("elapsed", "PT33M"),
                    ("remaining", "PT2M"),
                    ("overdue", "none"),
                ],
            ),
            // normal 2bd from 04-07 09:00 -> 04-09 09:00: 13h + 14h + 1h = 28h;
            // resolved 17:30 after 8h30m.
            m(
                "resolve",
                "met",
                &[("target", "PT28H"), ("elapsed", "PT8H30M")],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );

    // A Care Plus contract's camera, not yet repaired: a covered repair, late.
    pack.ticket(
        "SH-260402-0018",
        "normal",
        &[
            // 10:00 + 1h = 11:00; responded 10:20.
            m("first_response", "met", &[("elapsed", "PT20M")]),
            m("first_response_critical", "not_applicable", &[]),
            m("reply", "not_applicable", &[]),
            m("centre_acceptance", "pending", &[]),
            m("tech_acceptance", "pending", &[]),
            // A repair, not an installation.
            m("slot_offer", "not_applicable", &[]),
            m("onsite", "pending", &[]),
            // 2bd from Thu 04-02 10:00 -> Sat 04-04 10:00 (28h, as SH-260402-0014).
            // Open at as_of 04-07 20:00: 12h + 14h × 4 + 12h = 80h, 52h over.
            m(
                "resolve",
                "breached",
                &[
                    ("target", "PT28H"),
                    ("breached_at", "2026-04-04T10:00:00+08:00"),
                    ("elapsed", "PT80H"),
                    ("overdue", "PT52H"),
                ],
            ),
            m("resolve_critical", "not_applicable", &[]),
        ],
    );
    // Bought 2025-10-20: main_unit until 2026-10-20, accessories until
    // 2026-04-20; claimed 04-02 on the main unit: in warranty, free repair.
    // No work: an empty bill.
    // Voucher: due 04-04, open on 04-07: 3 days: 30.00 × 4 = 120.00, × 2 for
    // Care Plus = 240.00, capped at 100.00.
    // Care Plus service credit (credits[2], covered repairs only, `when`
    // kind is repair): 52h late = 3 started days (52 / 24 = 2.17); 1% of
    // 1188.00 = 11.88 a day; 3 × 11.88 = 35.64. [credit_caps] per_ticket
    // 120.00: the voucher 100.00 first, the service credit 120.00 − 100.00 =
    // 20.00. Then the plan-year cap, which the ticket alone decides from its
    // own attributes: 10% of 1188.00 = 118.80, less the 100.00 already paid
    // in the plan year from 2025-10-20 — leaves 18.80. The incident FW-4.2.1
    // cap of 150.00 holds (100.00 + 18.80 = 118.80). (In a batch, the
    // incident cap also counts SH-260403-0003's 90.00: the voucher 60.00,
    // the service credit 0.00.)
    pack.money(
        "SH-260402-0018",
        Money {
            warranty: "in_warranty",
            remedy: Some(("repair", "warranty", "2026-10-20")),
            until: &[("accessories", "2026-04-20"), ("main_unit", "2026-10-20")],
            lines: &[],
            totals: NO_BILL,
            credits: &[
                ("resolve", "compensation", "100.00"),
                ("resolve", "service_credit", "18.80"),
            ],
        },
    );

    pack.finish();
}

// ---------------------------------------------------------------------------
// Online retail, as of Tuesday 2026-02-24 11:00, the first working day after
// the Spring Festival holiday (02-15 to 02-23; Saturday 02-14 was a working day).
// office: Mon-Fri 09:00-12:00, 13:30-18:00 (7h30m) on official working days.
// chat_answer 15s, chat_reply 1m per message (24x7); complaint_answer PLUS
// 30m, else 1h; complaint_follow_up high 24h, normal 48h (24x7);
// email_answer 2bd on the office calendar.

#[test]
fn online_retail() {
    let mut pack = Pack::load("online_retail");

    // E-mail on the Friday before the holiday: the adjusted Saturday counts.
    pack.ticket(
        "RT-260213-40117",
        "normal",
        &[
            m("chat_answer", "not_applicable", &[]),
            m("chat_reply", "not_applicable", &[]),
            m("complaint_answer", "not_applicable", &[]),
            m("complaint_follow_up", "not_applicable", &[]),
            // 2bd from Fri 02-13 16:00: Sat 02-14 (working), then 02-24 -> 02-24 16:00.
            // Counted: 2h (02-13) + 7h30m (02-14) + 3h + 2h30m (02-24) = 15h.
            // Elapsed 2h + 7h30m + 2h = 11h30m. Warn 2h before: 13h counted -> 02-24 14:00.
            m(
                "email_answer",
                "running",
                &[
                    ("target", "PT15H"),
                    ("deadline", "2026-02-24T16:00:00+08:00"),
                    ("warn_at", "2026-02-24T14:00:00+08:00"),
                    ("elapsed", "PT11H30M"),
                    ("remaining", "PT3H30M"),
                ],
            ),
        ],
    );

    // Return request answered on the adjusted Saturday, a day late.
    pack.ticket(
        "RT-260211-39502",
        "normal",
        &[
            m("chat_answer", "not_applicable", &[]),
            m("chat_reply", "not_applicable", &[]),
            m("complaint_answer", "not_applicable", &[]),
            m("complaint_follow_up", "not_applicable", &[]),
            // 2bd from Wed 02-11 10:00 -> Fri 02-13 10:00. Answered Sat 02-14 11:00:
            // 6h30m + 7h30m + 7h30m + 2h = 23h30m against 15h: 8h30m over.
            m(
                "email_answer",
                "breached",
                &[
                    ("deadline", "2026-02-13T10:00:00+08:00"),
                    ("breached_at", "2026-02-13T10:00:00+08:00"),
                    ("elapsed", "PT23H30M"),
                    ("overdue", "PT8H30M"),
                ],
            ),
        ],
    );

    // E-mail before opening, answered the same morning.
    pack.ticket(
        "RT-260224-41833",
        "normal",
        &[
            m("chat_answer", "not_applicable", &[]),
            m("chat_reply", "not_applicable", &[]),
            m("complaint_answer", "not_applicable", &[]),
            m("complaint_follow_up", "not_applicable", &[]),
            // 2bd from 08:30 -> 02-26 08:30, closed -> 09:00; 15h. Counting from 09:00,
            // answered 10:15: 1h15m.
            m(
                "email_answer",
                "met",
                &[
                    ("deadline", "2026-02-26T09:00:00+08:00"),
                    ("elapsed", "PT1H15M"),
                    ("remaining", "PT13H45M"),
                ],
            ),
        ],
    );

    // Pre-sale chat: picked up in 9s; three follow-up messages, one late.
    pack.ticket(
        "RT-260224-41870",
        "normal",
        &[
            m(
                "chat_answer",
                "met",
                &[
                    ("deadline", "2026-02-24T10:20:15+08:00"),
                    ("elapsed", "PT9S"),
                ],
            ),
            // 10:22 -> 10:22:40 met; 10:25 -> 10:26:30 breached at 10:26; 10:30 -> 10:30:20 met.
            m(
                "chat_reply",
                "met",
                &[("cycles", "met,breached"), ("elapsed", "PT20S")],
            ),
            m("complaint_answer", "not_applicable", &[]),
            m("complaint_follow_up", "not_applicable", &[]),
            m("email_answer", "not_applicable", &[]),
        ],
    );

    // A chat waiting for an agent at as_of.
    pack.ticket(
        "RT-260224-41902",
        "normal",
        &[
            // 10:59:50 + 15s = 11:00:05; 10s elapsed.
            m(
                "chat_answer",
                "running",
                &[
                    ("deadline", "2026-02-24T11:00:05+08:00"),
                    ("remaining", "PT5S"),
                ],
            ),
            m("chat_reply", "pending", &[]),
            m("complaint_answer", "not_applicable", &[]),
            m("complaint_follow_up", "not_applicable", &[]),
            m("email_answer", "not_applicable", &[]),
        ],
    );

    // Exchange chat picked up after 45s.
    pack.ticket(
        "RT-260224-41891",
        "normal",
        &[
            m(
                "chat_answer",
                "breached",
                &[
                    ("breached_at", "2026-02-24T10:40:15+08:00"),
                    ("overdue", "PT30S"),
                ],
            ),
            m("chat_reply", "met", &[("elapsed", "PT30S")]),
            m("complaint_answer", "not_applicable", &[]),
            m("complaint_follow_up", "not_applicable", &[]),
            m("email_answer", "not_applicable", &[]),
        ],
    );

    // Phone complaint answered in 40 minutes, 10 minutes late for the
    // hotline's 30; follow-up due in two days.
    pack.ticket(
        "RT-260224-41755",
        "normal",
        &[
            m("chat_answer", "not_applicable", &[]),
            m("chat_reply", "not_applicable", &[]),
            // member on the hotline: ("*", hotline) 30m -> 09:30; warn at
            // 75% = 22m30s = 09:22:30; answered 09:40: 40m, 10m over.
            m(
                "complaint_answer",
                "breached",
                &[
                    ("target", "PT30M"),
                    ("deadline", "2026-02-24T09:30:00+08:00"),
                    ("warn_at", "2026-02-24T09:22:30+08:00"),
                    ("breached_at", "2026-02-24T09:30:00+08:00"),
                    ("elapsed", "PT40M"),
                    ("overdue", "PT10M"),
                ],
            ),
            m(
                "complaint_follow_up",
                "running",
                &[
                    ("deadline", "2026-02-26T09:00:00+08:00"),
                    ("elapsed", "PT2H"),
                ],
            ),
            m("email_answer", "not_applicable", &[]),
        ],
    );

    // Cracked screen, escalated to 12315 after 30h: breached at the change.
    pack.ticket(
        "RT-260222-41206",
        "high",
        &[
            m("chat_answer", "not_applicable", &[]),
            m("chat_reply", "not_applicable", &[]),
            m("complaint_answer", "met", &[("elapsed", "PT50M")]),
            // normal 48h from 02-22 10:00; at 02-23 16:00 high 24h from the start is used
            // up (30h): breached at the change. Followed up 02-24 09:30: 47h30m, 23h30m over.
            m(
                "complaint_follow_up",
                "breached",
                &[
                    ("target", "PT24H"),
                    ("deadline", "2026-02-23T16:00:00+08:00"),
                    ("breached_at", "2026-02-23T16:00:00+08:00"),
                    ("elapsed", "PT47H30M"),
                    ("overdue", "PT23H30M"),
                ],
            ),
            m("email_answer", "not_applicable", &[]),
        ],
    );

    // The customer turns out to be a PLUS member 10 minutes in: 30m from the start.
    pack.ticket(
        "RT-260224-41790",
        "normal",
        &[
            m("chat_answer", "not_applicable", &[]),
            m("chat_reply", "not_applicable", &[]),
            // member 1h until 09:40, then plus 30m from 09:30 -> 10:00; answered 10:05.
            m(
                "complaint_answer",
                "breached",
                &[
                    ("target", "PT30M"),
                    ("breached_at", "2026-02-24T10:00:00+08:00"),
                    ("overdue", "PT5M"),
                ],
            ),
            m("complaint_follow_up", "running", &[]),
            m("email_answer", "not_applicable", &[]),
        ],
    );

    // PLUS member's complaint, not answered yet.
    pack.ticket(
        "RT-260224-41884",
        "normal",
        &[
            m("chat_answer", "not_applicable", &[]),
            m("chat_reply", "not_applicable", &[]),
            // 10:35 + 30m = 11:05; warn at 22m30s -> 10:57:30.
            m(
                "complaint_answer",
                "running",
                &[
                    ("deadline", "2026-02-24T11:05:00+08:00"),
                    ("warn_at", "2026-02-24T10:57:30+08:00"),
                    ("remaining", "PT5M"),
                ],
            ),
            m("complaint_follow_up", "running", &[("elapsed", "PT25M")]),
            m("email_answer", "not_applicable", &[]),
        ],
    );

    // Complaint in the chat on the last holiday: waiting for the customer's photos.
    pack.ticket(
        "RT-260223-41530",
        "normal",
        &[
            m("chat_answer", "met", &[("elapsed", "PT12S")]),
            m("chat_reply", "pending", &[]),
            m("complaint_answer", "met", &[("elapsed", "PT30M")]),
            // 20:00-21:00 counted, paused since: 47h left.
            m(
                "complaint_follow_up",
                "paused",
                &[
                    ("deadline", "none"),
                    ("elapsed", "PT1H"),
                    ("remaining", "PT47H"),
                ],
            ),
            m("email_answer", "not_applicable", &[]),
        ],
    );

    // E-mail sent during the holiday: counting starts on the first working day.
    pack.ticket(
        "RT-260221-41177",
        "normal",
        &[
            m("chat_answer", "not_applicable", &[]),
            m("chat_reply", "not_applicable", &[]),
            m("complaint_answer", "not_applicable", &[]),
            m("complaint_follow_up", "not_applicable", &[]),
            // 2bd from Sat 02-21 15:00: 02-24, 02-25 -> 02-25 15:00.
            // Counted: 7h30m (02-24) + 3h + 1h30m (02-25) = 12h; 2h elapsed (09:00-11:00).
            m(
                "email_answer",
                "running",
                &[
                    ("target", "PT12H"),
                    ("deadline", "2026-02-25T15:00:00+08:00"),
                    ("elapsed", "PT2H"),
                ],
            ),
        ],
    );

    // A WeChat question: the policy makes no promise for the social channel.
    pack.ticket(
        "RT-260224-41802",
        "normal",
        &[
            m("chat_answer", "not_applicable", &[]),
            m("chat_reply", "not_applicable", &[]),
            m("complaint_answer", "not_applicable", &[]),
            m("complaint_follow_up", "not_applicable", &[]),
            m("email_answer", "not_applicable", &[]),
        ],
    );

    // -----------------------------------------------------------------------
    // Warranty, fees and credits. Warranty from purchased_on: main_unit 1 year
    // (the default), battery 6 months. cn-7day-return: 7 days after delivery
    // (days counted from the day after; no rest days). cn-sanbao for the
    // listed electronics. Fees (mail-in repairs, prices include VAT 13%):
    // labour 90.00/h, 30 min minimum then 30 min steps; diagnostic 30.00
    // waived when the repair is accepted; parts + 5.00 each; PLUS 20% off
    // labour. Credits: complaint_answer late 10.00 + 5.00 per started hour,
    // at most 50.00; complaint_follow_up late 20.00 per started day, at most 60.00.

    // Existing tickets.
    // Headphones delivered 02-08, return asked 02-11 (day 3): until 02-08 + 7 = 02-15.
    pack.money(
        "RT-260211-39502",
        Money {
            warranty: "statutory_return",
            remedy: Some(("return", "cn-7day-return", "2026-02-15")),
            until: &[("battery", "2026-08-06"), ("main_unit", "2027-02-06")],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );
    // Settlement: the price paid, 2299.00, back to the customer; prices
    // include VAT 13%: 2299.00 × 13 / 113 = 264.4867 -> 264.49 contained.
    pack.settlement(
        "RT-260211-39502",
        &[("refund", "customer", "2299.00")],
        ("2299.00", "0.00", "264.49", "2299.00", "seller"),
    );
    // Earbuds sold 02-12, a performance fault on 02-24 = day 12: exchange or repair
    // (cn-sanbao art. 10) until 02-12 + 15 = 02-27. The 7-day return ended 02-20
    // (delivered 02-13).
    pack.money(
        "RT-260224-41891",
        Money {
            warranty: "statutory_exchange",
            remedy: Some(("exchange", "cn-sanbao", "2026-02-27")),
            until: &[("battery", "2026-08-12"), ("main_unit", "2027-02-12")],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );
    // Follow-up breached at the escalation, 23h30m late: 1 started day × 20.00.
    // Delivered 02-21, claimed 02-22 (day 1): the 7-day return is open until 02-28.
    pack.money(
        "RT-260222-41206",
        Money {
            warranty: "statutory_return",
            remedy: Some(("return", "cn-7day-return", "2026-02-28")),
            until: &[],
            lines: &[],
            totals: NO_BILL,
            credits: &[("complaint_follow_up", "compensation", "20.00")],
        },
    );
    // Complaint answered 5m late: 10.00 + 1 started hour × 5.00 = 15.00.
    pack.money(
        "RT-260224-41790",
        Money {
            warranty: "in_warranty",
            remedy: Some(("repair", "warranty", "2027-02-11")),
            until: &[],
            lines: &[],
            totals: NO_BILL,
            credits: &[("complaint_answer", "compensation", "15.00")],
        },
    );

    let no_promises = || {
        [
            m("chat_answer", "not_applicable", &[]),
            m("chat_reply", "not_applicable", &[]),
            m("complaint_answer", "not_applicable", &[]),
            m("complaint_follow_up", "not_applicable", &[]),
            m("email_answer", "not_applicable", &[]),
        ]
    };

    // A return asked on day 7: allowed; the goods arrive two days later.
    pack.ticket("RT-260212-40655", "normal", &no_promises());
    // Delivered 02-05: day 1 is 02-06, day 7 is 02-12, the claim's date (21:30).
    // Return until 02-12; received 02-14, so the refund is due by 02-21.
    pack.money(
        "RT-260212-40655",
        Money {
            warranty: "statutory_return",
            remedy: Some(("return", "cn-7day-return", "2026-02-12")),
            until: &[("battery", "2026-08-03"), ("main_unit", "2027-02-03")],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );
    // Refund 699.00, containing 699.00 × 13 / 113 = 80.4159 -> 80.42 of VAT.
    pack.settlement(
        "RT-260212-40655",
        &[("refund", "customer", "699.00")],
        ("699.00", "0.00", "80.42", "699.00", "seller"),
    );

    // A return asked on day 8: refused. The customer reports no fault, so
    // the warranty's free repair is no answer: no remedy.
    pack.ticket("RT-260213-40702", "normal", &no_promises());
    // Delivered 02-05: the window ended 02-12; claimed 02-13. Bought 02-04:
    // main_unit until 2027-02-04 (no fault: judged as main_unit): in warranty.
    pack.money(
        "RT-260213-40702",
        Money {
            warranty: "in_warranty",
            remedy: None,
            until: &[("battery", "2026-08-04"), ("main_unit", "2027-02-04")],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );

    // A phone returned on day 2 with the box's seal cut: not intact, refused.
    pack.ticket("RT-260220-41388", "normal", &no_promises());
    // Delivered 02-18, claimed 02-20, inside the window (until 02-25), but
    // product.intact = false (art. 25 para. 3): refused; no fault, so no
    // remedy (main_unit in warranty until 2027-02-17).
    pack.money(
        "RT-260220-41388",
        Money {
            warranty: "in_warranty",
            remedy: None,
            until: &[("battery", "2026-08-17"), ("main_unit", "2027-02-17")],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );

    // A built-to-order laptop: an excluded category.
    pack.ticket("RT-260222-41540", "normal", &no_promises());
    // made_to_order is in excluded_categories (art. 25 para. 1), and not a
    // cn-sanbao category: refused; no fault, so no remedy (main_unit in
    // warranty until 2026-02-16 + 1 year = 2027-02-16).
    pack.money(
        "RT-260222-41540",
        Money {
            warranty: "in_warranty",
            remedy: None,
            until: &[("battery", "2026-08-16"), ("main_unit", "2027-02-16")],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );

    // A mail-in repair out of warranty for a PLUS member: tax-inclusive prices.
    pack.ticket("RT-260223-41602", "normal", &no_promises());
    // Bought 2024-12-01: main_unit until 2025-12-01: expired (display -> main_unit).
    //   diagnostic 30.00 waived (repair accepted)
    //   labour 1h05m -> 30 min + 2 steps (35 min / 30 min, rounded up) = 1.5 h
    //     × 90.00 = 135.00; PLUS 20% off = 27.00, payable 108.00
    //   KO3-SCREEN 280.00 + 5.00 = 285.00
    // subtotal (gross) 393.00, which contains 393.00 × 13 / 113 = 45.2124 -> 45.21
    // of tax; total 393.00.
    pack.money(
        "RT-260223-41602",
        Money {
            warranty: "expired",
            remedy: None,
            until: &[("battery", "2025-06-01"), ("main_unit", "2025-12-01")],
            lines: &[
                ("diagnostic", "30.00", "30.00", "0.00", "waiver"),
                ("labor", "135.00", "27.00", "108.00", "tier:plus"),
                ("part", "285.00", "0.00", "285.00", ""),
            ],
            totals: ("393.00", "45.21", "393.00"),
            credits: &[],
        },
    );

    // A complaint left overnight: answered 11h40m late, the compensation capped.
    pack.ticket(
        "RT-260223-41620",
        "normal",
        &[
            m("chat_answer", "not_applicable", &[]),
            m("chat_reply", "not_applicable", &[]),
            // member on the hotline: 30m -> 21:00 (warn at 75% = 20:52:30);
            // answered 02-24 09:10: 12h40m, 12h10m over.
            m(
                "complaint_answer",
                "breached",
                &[
                    ("target", "PT30M"),
                    ("warn_at", "2026-02-23T20:52:30+08:00"),
                    ("breached_at", "2026-02-23T21:00:00+08:00"),
                    ("elapsed", "PT12H40M"),
                    ("overdue", "PT12H10M"),
                ],
            ),
            // normal 48h -> 02-25 20:30; 14h30m elapsed at 11:00.
            m(
                "complaint_follow_up",
                "running",
                &[
                    ("deadline", "2026-02-25T20:30:00+08:00"),
                    ("elapsed", "PT14H30M"),
                    ("remaining", "PT33H30M"),
                ],
            ),
            m("email_answer", "not_applicable", &[]),
        ],
    );
    // 10.00 + 13 started hours × 5.00 = 75.00, capped at 50.00. Delivered 02-12,
    // claimed 02-23: the 7-day return ended 02-19; main_unit until 2027-02-10.
    pack.money(
        "RT-260223-41620",
        Money {
            warranty: "in_warranty",
            remedy: Some(("repair", "warranty", "2027-02-10")),
            until: &[("battery", "2026-08-10"), ("main_unit", "2027-02-10")],
            lines: &[],
            totals: NO_BILL,
            credits: &[("complaint_answer", "compensation", "50.00")],
        },
    );

    // Settlements of returns. None of these app tickets has a promise.
    //
    // A 7-day return of the speaker; the cable (39.00) and the gift strap
    // stay. Delivered 02-20: days 1-7 are 02-21..02-27, claimed 02-24.
    // Bought 02-18: main_unit until 2027-02-18, battery until 2026-08-18.
    pack.ticket("RT-260224-41910", "normal", &no_promises());
    pack.money(
        "RT-260224-41910",
        Money {
            warranty: "statutory_return",
            remedy: Some(("return", "cn-7day-return", "2026-02-27")),
            until: &[("battery", "2026-08-18"), ("main_unit", "2027-02-18")],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );
    // Refund 699.00; the strap kept: 19.00; kept goods 39.00 < 99.00: the
    // free delivery, 10.00, clawed back. A change of mind: the customer
    // bears the freight and paid it: no line. Taxable net 699.00 − 19.00 −
    // 10.00 = 670.00, containing 670.00 × 13 / 113 = 77.0796 -> 77.08.
    pack.settlement(
        "RT-260224-41910",
        &[
            ("refund", "customer", "699.00"),
            ("benefit", "seller", "19.00"),
            ("free_shipping", "seller", "10.00"),
        ],
        ("699.00", "29.00", "77.08", "670.00", "seller"),
    );

    // A phone that does not charge, activated (not intact: no 7-day
    // return). Sold 02-19, a performance fault on 02-24 = day 5: cn-sanbao
    // art. 9 return until 02-19 + 7 = 02-26 (charging_port -> main_unit).
    pack.ticket("RT-260224-41925", "normal", &no_promises());
    pack.money(
        "RT-260224-41925",
        Money {
            warranty: "statutory_return",
            remedy: Some(("return", "cn-sanbao", "2026-02-26")),
            until: &[("battery", "2026-08-19"), ("main_unit", "2027-02-19")],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );
    // Art. 9: refunded in full, 1299.00. A quality fault: the retailer
    // bears the freight the customer paid, 18.00, reimbursed (not taxed).
    // 1299.00 contains 1299.00 × 13 / 113 = 149.4425 -> 149.44.
    // To the customer 1299.00 + 18.00 = 1317.00.
    pack.settlement(
        "RT-260224-41925",
        &[
            ("refund", "customer", "1299.00"),
            ("freight", "customer", "18.00"),
        ],
        ("1317.00", "0.00", "149.44", "1317.00", "seller"),
    );

    // A tablet whose touch screen died a third time: the customer takes
    // the return rather than the exchange (arts. 11 and 13). Sold
    // 2025-09-01: 1 year to 2026-09-01, extended by the 6 + 8 = 14 days in
    // repair: 2026-09-15.
    pack.ticket("RT-260224-41940", "normal", &no_promises());
    pack.money(
        "RT-260224-41940",
        Money {
            warranty: "statutory_exchange",
            remedy: Some(("exchange", "cn-sanbao", "2026-09-15")),
            until: &[],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );
    // Days from the invoice (2025-09-01) to the claim (2026-02-24): Sept 30
    // + Oct 31 + Nov 30 + Dec 31 + Jan 31 + 23 = 176, less 14 in repair =
    // 162; × 0.1% = 16.2% of 2399.00 = 388.638 -> 388.64. Taxable net
    // 2399.00 − 388.64 = 2010.36, containing 2010.36 × 13 / 113 = 231.2803
    // -> 231.28.
    pack.settlement(
        "RT-260224-41940",
        &[
            ("refund", "customer", "2399.00"),
            ("depreciation", "seller", "388.64"),
        ],
        ("2399.00", "388.64", "231.28", "2010.36", "seller"),
    );

    // A phone mailed in on 2026-01-20 and waiting for a charging board
    // since the next day: on 2026-02-24 it has waited 35 days (Jan 20 to
    // Feb 24: 11 + 24), more than the 30 days phones get
    // (parts_wait_exchange_days_by_category; the 90 of the other
    // categories would leave it a repair). Exchange until the period's
    // last day 2026-11-28 + 35 days = 2027-01-02. Battery 6 months from
    // 2025-11-28: 2026-05-28. No work reported: nothing billed.
    pack.ticket("RT-260120-38804", "normal", &no_promises());
    pack.money(
        "RT-260120-38804",
        Money {
            warranty: "statutory_exchange",
            remedy: Some(("exchange", "cn-sanbao", "2027-01-02")),
            until: &[("battery", "2026-05-28"), ("main_unit", "2026-11-28")],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );

    // A laptop back a third time, for a third fault (Wi-Fi in December,
    // keyboard in January, now it does not start). Art. 11 counts repairs
    // of the same fault (none here: a repair); this retailer counts any
    // fault (repairs_counted = "any-fault"): 2 earlier repairs in the
    // period = repair_attempts, so exchange or return. Bought 2025-10-01:
    // main unit 1 year to 2026-10-01, battery 6 months to 2026-04-01, both
    // extended by the 5 + 5 = 10 days in repair: 2026-10-11 and 2026-04-11.
    pack.ticket("RT-260220-40563", "normal", &no_promises());
    pack.money(
        "RT-260220-40563",
        Money {
            warranty: "statutory_exchange",
            remedy: Some(("exchange", "cn-sanbao", "2026-10-11")),
            until: &[("battery", "2026-04-11"), ("main_unit", "2026-10-11")],
            lines: &[],
            totals: NO_BILL,
            credits: &[],
        },
    );

    pack.finish();
}

/// The calendars that follow China's official working days hold the 2026
/// notice exactly as `tests/data/cn_holidays.json`: every holiday closed and
/// named, every adjusted weekend open. The file is part of the repository;
/// a missing file fails the test.
#[test]
fn working_day_calendars_match_the_holiday_notice() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/cn_holidays.json");
    let text = std::fs::read_to_string(&data).unwrap_or_else(|e| panic!("{}: {e}", data.display()));
    let json: Value = serde_json::from_str(&text).unwrap();
    let year = &json["years"]["2026"];
    let off: BTreeMap<String, String> = year["days_off"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_string(),
                d["holiday"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let working: BTreeSet<&str> = year["adjusted_working_days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    for (pack, calendar) in [
        ("online_retail", "office"),
        ("smart_home", "tech_hours"),
        ("hot_water_meter", "office"),
    ] {
        let pack = Pack::load(pack);
        let calendar = pack.policy.calendar(calendar).unwrap();
        let mut date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        while date.year() == 2026 {
            let key = date.to_string();
            let weekend = date.weekday().number_from_monday() > 5;
            let open = !off.contains_key(&key) && (!weekend || working.contains(key.as_str()));
            assert_eq!(
                calendar.is_business_day(date),
                open,
                "{}: {key}",
                calendar.name()
            );
            if let Some(name) = off.get(&key) {
                assert_eq!(calendar.holiday_name(date), Some(name.as_str()), "{key}");
            }
            date = date.succ_opt().unwrap();
        }
    }
}

/// The battery fitted by HWM-260302-0022 has its own cover after the
/// repair, and the battery's warranty ran from delivery.
#[test]
fn replaced_parts_after_the_repair() {
    let pack = Pack::load("hot_water_meter");
    let (_, evaluation) = pack.evaluate("HWM-260302-0022");
    let parts = &evaluation.warranty.replaced_parts;
    // 2026-03-02 + 90 days (civil code) = 03-31 (29) + 30 + 31 = 2026-05-31.
    assert_eq!(parts.len(), 1);
    let part = &parts[0];
    assert_eq!(part.sku, "HWM-BAT-36");
    assert_eq!(part.component.as_deref(), Some("battery"));
    assert_eq!(part.replaced_on.to_string(), "2026-03-02");
    assert_eq!(
        part.until.map(|d| d.to_string()).as_deref(),
        Some("2026-05-31")
    );
    let battery = evaluation
        .warranty
        .components
        .iter()
        .find(|c| c.component == "battery")
        .unwrap();
    assert_eq!(
        battery.starts_on.map(|d| d.to_string()).as_deref(),
        Some("2024-01-15")
    );
}

/// The parts fitted by HWM-260302-0016 take the rest of the meter body's
/// cover, which grows by this repair's own day out of service (as the next
/// ticket's history will show it).
#[test]
fn replaced_parts_count_their_own_repairs_day_out_of_service() {
    let pack = Pack::load("hot_water_meter");
    let (_, evaluation) = pack.evaluate("HWM-260302-0016");
    // Opened 2026-03-02 07:45, resolved 12:10: 4 h 25 min out of service,
    // one started 24 h = 1 day ([warranty.extension] started-24h). The
    // meter body's cover (warranty.components) ends 2030-01-08; the
    // repair began inside it, so the rest runs to 2030-01-08 + 1 =
    // 2030-01-09. Each part's own 90 days from 2026-03-02 end 2026-05-31;
    // whichever ends later: 2030-01-09.
    let parts: Vec<(String, String)> = evaluation
        .warranty
        .replaced_parts
        .iter()
        .map(|p| {
            (
                p.sku.clone(),
                p.until.map(|d| d.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        vec![
            ("HWM-20-BODY".to_string(), "2030-01-09".to_string()),
            ("GASKET-20".to_string(), "2030-01-09".to_string()),
        ]
    );
}

/// The monthly cap on service credits spans tickets: the whole
/// hot-water-meter pack through one portfolio, as a month's report would.
#[test]
fn hot_water_meter_monthly_credit_cap() {
    let pack = Pack::load("hot_water_meter");
    let tickets: Vec<Ticket> = pack.tickets.values().cloned().collect();
    let mut portfolio = aftersales::Portfolio::new(&pack.policy);
    let results: Vec<_> = tickets
        .iter()
        .map(|t| {
            let mut answer = pack.policy.evaluate(t, pack.as_of);
            portfolio.add(t, &mut answer);
            answer
        })
        .collect();
    let credits: Vec<(String, String)> = tickets
        .iter()
        .zip(&results)
        .flat_map(|(t, r)| {
            r.as_ref()
                .unwrap()
                .credits
                .iter()
                .map(|c| (t.id.clone(), c.amount.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    // Customer C-IND-0107 (key_account), March 2026, taken by opened_at:
    // HWM-0002 (03-02 10:00): 2 started hours × 200.00 = 400.00, paid in full;
    // HWM-0019 (03-02 22:00): 1000.00 after the per-ticket cap, but only
    // 1200.00 - 400.00 = 800.00 is left of the month's cap.
    // No other ticket earns a credit (household customers have no tier; the
    // other industrial repairs were on time).
    assert_eq!(
        credits,
        vec![
            ("HWM-260302-0002".to_string(), "400.00".to_string()),
            ("HWM-260302-0019".to_string(), "800.00".to_string()),
        ]
    );
    let capped = &results[tickets
        .iter()
        .position(|t| t.id == "HWM-260302-0019")
        .unwrap()]
    .as_ref()
    .unwrap()
    .credits[0];
    assert!(
        capped.because.iter().any(|b| b
            == "reduced from 1000.00 to 800.00: credits[0].cap_per_period is 1200.00 per month \
                for customer C-IND-0107 (2026-03), 400.00 already credited"),
        "{:?}",
        capped.because
    );
}

/// The 7-day return says why it is granted or refused, with the law.
#[test]
fn online_retail_returns_say_why() {
    let pack = Pack::load("online_retail");
    for (id, words) in [
        (
            "RT-260212-40655",
            "cn-7day-return: return received on 2026-02-14 (event `return_received`): refund due by 2026-02-21",
        ),
        (
            "RT-260213-40702",
            "the claim on 2026-02-13 is too late: no return without reason",
        ),
        (
            "RT-260220-41388",
            "the goods are not intact (product.intact = false): no return without reason (Consumer Protection Law art. 25 para. 3; SAMR measures art. 8)",
        ),
        (
            "RT-260222-41540",
            "category `made_to_order` is never returnable without reason",
        ),
        (
            "RT-260222-41540",
            "return requested with no fault reported (ticket.kind = \"return\"): no return \
             is owed; in warranty, but the free repair under warranty (until 2027-02-16) is \
             for a fault, which this ticket does not report",
        ),
    ] {
        let (_, evaluation) = pack.evaluate(id);
        let because = evaluation.warranty.because.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
        assert!(because.contains(words), "{id}:\n{because}");
    }
}
