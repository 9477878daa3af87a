use super::*;

fn context() -> RuleContext {
    RuleContext {
        today: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap_or_default(),
    }
}

fn rules(script: &str) -> Rules {
    Rules::new("p", Some(script), "rules.rhai").unwrap()
}

#[test]
fn helpers_give_iso_durations_dates_and_money() {
    let r = rules(
        r#"
        fn target() { hours(1.5) }
        fn minute() { minutes(1) }
        fn age() { age_days("2026-02-01") }
        fn price() { money("12.50") * 2 }
        fn bd() { business_days(2) }
        "#,
    );
    let call = |f: &str| r.call(context(), f, vec![]).unwrap().to_string();
    assert_eq!(call("target"), "PT1H30M");
    assert_eq!(call("minute"), "PT1M");
    // 2026-02-01 to 2026-03-03: 28 days of February minus 1, plus 3 = 30.
    assert_eq!(call("age"), "30");
    assert_eq!(call("price"), "25.00");
    assert_eq!(call("bd"), "2bd");
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let err = Rules::new("p", Some("fn a() {\n  let x = ;\n}"), "rules.rhai").unwrap_err();
    match err {
        Error::Policy { location, .. } => {
            assert_eq!(location.path, "rules.rhai");
            assert_eq!(location.line, Some(2));
        }
        other => panic!("{other:?}"),
    }
    let mut r = rules("");
    let err = r
        .compile_expression("targets[0].when", "ticket.channel ==", &["ticket"])
        .unwrap_err();
    assert!(
        matches!(err, Error::Policy { ref location, .. } if location.path == "targets[0].when"),
        "{err:?}"
    );
}

#[test]
fn runaway_scripts_hit_the_limits() {
    let mut r = rules("fn spin() { loop { } }\nfn deep(n) { deep(n + 1) }\nfn big() { let s = \"x\"; loop { s += s; } }");
    // The longest time budget, so that on a loaded machine the operation
    // limit is still the one reached first.
    r.set_time_limit(limits::MAX_TIME);
    let message = |f: &str, args: Vec<Dynamic>| match r.call(context(), f, args).unwrap_err() {
        Error::Rule {
            function, message, ..
        } => format!("{function}: {message}"),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        message("spin", vec![]),
        "spin(): exceeded the limit of 10000 operations per rule call"
    );
    assert_eq!(
        message("deep", vec![Dynamic::from(0_i64)]),
        "deep(): exceeded the limit of 32 nested function calls"
    );
    assert!(message("big", vec![]).contains("exceeded its limit"));
}

#[test]
fn expressions_see_their_parameters_and_script_functions() {
    let mut r = rules("fn is_vip(t) { t.customer.tier == \"vip\" }");
    let id = r
        .compile_expression(
            "targets[0].when",
            "is_vip(ticket) && severity == \"critical\"",
            &["ticket", "severity"],
        )
        .unwrap();
    let ticket = Ticket::from_json(
        r#"{"id":"T","opened_at":"2026-03-02T00:00:00Z","customer":{"tier":"vip"}}"#,
    )
    .unwrap();
    let value = ticket_value(&ticket);
    let yes = r
        .evaluate(
            context(),
            id,
            vec![value.clone(), Dynamic::from("critical")],
        )
        .unwrap();
    let no = r
        .evaluate(context(), id, vec![value, Dynamic::from("low")])
        .unwrap();
    assert_eq!((yes.as_bool(), no.as_bool()), (Ok(true), Ok(false)));
}

#[test]
fn rules_cannot_change_the_ticket_other_rules_see() {
    let r = rules("fn meddle(t) { t.channel = \"changed\"; t.channel }\nfn read(t) { t.channel }");
    let ticket =
        Ticket::from_json(r#"{"id":"T","opened_at":"2026-03-02T00:00:00Z","channel":"hotline"}"#)
            .unwrap();
    let value = ticket_value(&ticket);
    let _ = r.call(context(), "meddle", vec![value.clone()]);
    assert_eq!(
        r.call(context(), "read", vec![value]).unwrap().to_string(),
        "hotline"
    );
}

#[test]
fn expressions_compiled_after_a_call_are_seen() {
    // A policy's constant `when` is evaluated while later expressions are
    // still being compiled; this thread's copy must then be made again.
    let mut r = rules("fn one() { 1 }");
    assert_eq!(r.call(context(), "one", vec![]).unwrap().as_int(), Ok(1));
    let id = r
        .compile_expression("targets[0].when", "1 + 1 == 2", &[])
        .unwrap();
    assert_eq!(
        r.evaluate(context(), id, vec![]).unwrap().as_bool(),
        Ok(true)
    );
}

#[test]
fn rules_give_the_same_answers_on_every_thread() {
    let r = std::sync::Arc::new(rules("fn twice(n) { n * 2 }"));
    let answers: Vec<i64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4_i64)
            .map(|i| {
                let r = std::sync::Arc::clone(&r);
                s.spawn(move || {
                    r.call(context(), "twice", vec![Dynamic::from(i)])
                        .unwrap()
                        .as_int()
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(answers, vec![0, 2, 4, 6]);
}

#[test]
fn rules_have_no_file_system() {
    // A module file that exists: the engine's resolver must still not load it.
    let dir = std::env::temp_dir().join(format!("aftersales-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("m.rhai"), "export const A = 1;").unwrap();
    let path = dir.join("m");
    let engine = new_engine(limits::OPERATIONS);
    let resolved = engine.module_resolver().resolve(
        &engine,
        None,
        &path.display().to_string(),
        rhai::Position::NONE,
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(resolved.is_err());
    // And `import` is not even a statement.
    assert!(Rules::new("p", Some("fn f() { import \"m\" as m; 1 }"), "rules.rhai").is_err());
}

#[test]
fn business_days_helper_is_bounded() {
    let r = rules("fn many() { business_days(4000000000) }\nfn most() { business_days(10000) }");
    assert_eq!(
        r.call(context(), "most", vec![]).unwrap().to_string(),
        "10000bd"
    );
    match r.call(context(), "many", vec![]).unwrap_err() {
        Error::Rule { message, .. } => assert!(message.contains("at most 10000"), "{message}"),
        other => panic!("{other:?}"),
    }
}

/// A policy whose severity comes from a rule, so that evaluating a ticket
/// makes this thread's copy of its engine.
fn policy_with_rules(n: usize) -> crate::Policy {
    let toml = format!(
        "[policy]\nid = \"p{n}\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\nrules = \"r.rhai\"\n\n\
         [severity]\nlevels = [\"high\", \"normal\"]\ndefault = \"normal\"\nrule = \"severity\"\n\n\
         [[targets]]\nmetric = \"respond\"\nstop = \"responded\"\ntarget = \"2h\"\n"
    );
    let rules = std::collections::BTreeMap::from([(
        "r.rhai".to_string(),
        format!("fn severity(ticket) {{ [\"high\", \"policy {n}\"] }}"),
    )]);
    crate::Policy::from_toml_with_rules(&toml, &rules).unwrap()
}

fn evaluate_high(policy: &crate::Policy) {
    let ticket =
        crate::Ticket::from_json(r#"{"id": "T", "opened_at": "2026-03-02T09:00:00+08:00"}"#)
            .unwrap();
    let as_of = "2026-03-02T10:00:00+08:00".parse().unwrap();
    let evaluation = policy.evaluate(&ticket, as_of).unwrap();
    assert_eq!(evaluation.severity.level, "high");
}

#[test]
fn dropped_policies_free_their_copies_on_every_thread() {
    // 8 threads each load 125 policies (1,000 in all), evaluate with each,
    // keep them alive together, then drop them. A policy that lives on is
    // evaluated before and after: its call after the drops frees the
    // copies of the dropped ones, so each thread ends with one copy, and at
    // no time more than the bound.
    let keep = policy_with_rules(0);
    std::thread::scope(|scope| {
        for thread in 0..8 {
            let keep = &keep;
            scope.spawn(move || {
                evaluate_high(keep);
                let policies: Vec<crate::Policy> = (0..125)
                    .map(|i| policy_with_rules(1 + thread * 125 + i))
                    .collect();
                for policy in &policies {
                    evaluate_high(policy);
                    assert!(local_copies() <= MAX_LOCAL_COPIES);
                }
                drop(policies);
                evaluate_high(keep);
                assert_eq!(local_copies(), 1, "thread {thread}");
            });
        }
    });
}

#[test]
fn a_thread_keeps_at_most_the_bound_of_copies() {
    // 100 live rules called on one thread: at most MAX_LOCAL_COPIES (64)
    // copies stay; a rule whose copy was forgotten still answers.
    let all: Vec<Rules> = (0..100)
        .map(|i| rules(&format!("fn f() {{ {i} }}")))
        .collect();
    for (i, r) in all.iter().enumerate() {
        assert_eq!(
            r.call(context(), "f", vec![]).unwrap().to_string(),
            i.to_string()
        );
    }
    assert_eq!(local_copies(), MAX_LOCAL_COPIES);
    assert_eq!(
        all[0].call(context(), "f", vec![]).unwrap().to_string(),
        "0"
    );
    assert_eq!(local_copies(), MAX_LOCAL_COPIES);
    drop(all);
    let other = rules("fn g() { 1 }");
    assert_eq!(other.call(context(), "g", vec![]).unwrap().to_string(), "1");
    assert_eq!(local_copies(), 1);
}
