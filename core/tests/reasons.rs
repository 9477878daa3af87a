//! docs/reasons.md lists every reason code, its arguments and both
//! templates, and every term; it is generated from the code table and
//! must match it (regenerate with `UPDATE_REASONS=1 cargo test -p
//! aftersales --test reasons`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aftersales::{Code, Lang, Term};
use std::path::Path;

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn generated() -> String {
    let mut out = String::from(
        "# Reason codes\n\n\
         Every `because` entry of an answer is a reason: a stable code with\n\
         named arguments, rendered in the answer's language (`--lang`,\n\
         `EvaluateOptions::lang`: `en` or `zh-CN`), or, with `--because codes`,\n\
         given as `{\"code\": ..., \"args\": {...}}`. Every reason the engine\n\
         writes is one of the codes below. Free text supplied by a policy (a\n\
         Rhai rule's reason, a manifest description) has the code `text` and\n\
         the one argument `text`; it is never translated. Rule hooks see and\n\
         return reasons in the `{code, args}` form (docs/policy.md, \"Reasons\n\
         in a hook\"). Arguments are strings except counts and\n\
         indexes (numbers); amounts and quantities are decimal strings as on\n\
         the bill, dates `2026-03-08`, instants RFC 3339, durations `1h 30m`,\n\
         and a term (below) its code.\n\n\
         This file is generated from `core/src/reason/codes.rs` by\n\
         `core/tests/reasons.rs`; the codes are a public contract.\n\n\
         ## Codes\n\n\
         | code | arguments | en | zh-CN |\n|---|---|---|---|\n",
    );
    for code in Code::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            code.code(),
            code.args()
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", "),
            cell(code.template(Lang::En)),
            cell(code.template(Lang::ZhCn)),
        ));
    }
    out.push_str("\n## Terms\n\nWords inside reasons, translated with them.\n\n| term | en | zh-CN |\n|---|---|---|\n");
    for term in Term::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            term.code(),
            term.render(Lang::En),
            term.render(Lang::ZhCn)
        ));
    }
    out
}

#[test]
fn docs_reasons_md_lists_every_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/reasons.md");
    let text = generated();
    if std::env::var_os("UPDATE_REASONS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "docs/reasons.md is stale; regenerate with UPDATE_REASONS=1 cargo test -p aftersales --test reasons"
    );
}

/// The `ReasonCode` type of the Python stubs, between its markers.
fn python_reason_codes() -> String {
    let mut out = String::from(
        "# BEGIN reason codes: generated from core/src/reason/codes.rs by\n\
         # core/tests/reasons.rs (UPDATE_REASONS=1); docs/reasons.md gives each\n\
         # code's arguments and templates.\n\
         # The `code` of a reason with `because=\"codes\"`: a code of the engine,\n\
         # or \"text\" for the policy's own words.\n\
         ReasonCode = Literal[\n    \"text\",\n",
    );
    for code in Code::ALL {
        out.push_str(&format!("    \"{}\",\n", code.code()));
    }
    out.push_str("]\n# END reason codes\n");
    out
}

#[test]
fn python_stubs_list_every_code() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../py/python/aftersales/_aftersales.pyi");
    let stubs = std::fs::read_to_string(&path).unwrap();
    let start = stubs
        .find("# BEGIN reason codes")
        .expect("the BEGIN marker");
    let end =
        stubs.find("# END reason codes\n").expect("the END marker") + "# END reason codes\n".len();
    let block = python_reason_codes();
    if std::env::var_os("UPDATE_REASONS").is_some() {
        let updated = format!("{}{block}{}", &stubs[..start], &stubs[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        stubs[start..end] == block,
        "the ReasonCode list in py/python/aftersales/_aftersales.pyi is stale; regenerate with UPDATE_REASONS=1 cargo test -p aftersales --test reasons"
    );
}

#[test]
fn codes_are_unique_and_templates_name_only_their_arguments() {
    let mut seen = std::collections::BTreeSet::new();
    for code in Code::ALL {
        assert!(seen.insert(code.code()), "duplicate code {}", code.code());
        for lang in Lang::ALL {
            let template = code.template(lang);
            let mut rest = template;
            let mut named = Vec::new();
            while let Some(open) = rest.find('{') {
                let after = &rest[open + 1..];
                let close = after.find('}').unwrap();
                named.push(&after[..close]);
                rest = &after[close + 1..];
            }
            for name in &named {
                assert!(
                    code.args().contains(name),
                    "{}: {{{name}}} in {lang}",
                    code.code()
                );
            }
            // Every argument is shown in English and in Chinese.
            for arg in code.args() {
                assert!(named.contains(arg), "{}: {arg} not in {lang}", code.code());
            }
        }
    }
}

/// The English words in `text`: runs of ASCII letters that are not part of
/// a technical token. A token (a run of ASCII without spaces) is technical
/// when it names a field, a key, a rule or a value: it holds `.`, `_`, `-`,
/// `=`, `/`, `*`, a digit, a bracket or a quote, or is in capitals (`CRM`);
/// a TOML key or value beside `=` or after a `[section]` is one too.
/// Argument places (`{name}`) and text in backquotes are left out.
fn english_words(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut quoted = false;
    let mut place = false;
    for c in text.chars() {
        match c {
            '`' => quoted = !quoted,
            '{' if !quoted => place = true,
            '}' if place => place = false,
            _ if quoted || place => {}
            _ => plain.push(c),
        }
        if c == '`' || c == '{' || c == '}' {
            plain.push(' ');
        }
    }
    let mut words = Vec::new();
    for phrase in plain.split(|c: char| !c.is_ascii()) {
        let tokens: Vec<&str> = phrase.split_ascii_whitespace().collect();
        for (i, token) in tokens.iter().enumerate() {
            let word = token.trim_matches(|c: char| "(),;:!?".contains(c));
            if !word.chars().any(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            let technical = word
                .chars()
                .any(|c| c.is_ascii_digit() || "._-=/*[]\"'<>".contains(c))
                || word.chars().all(|c| !c.is_ascii_lowercase());
            // A TOML key or value: `breach = "kept"`, `[severity] default`.
            let before = i.checked_sub(1).and_then(|j| tokens.get(j));
            let toml = before.is_some_and(|b| *b == "=" || b.ends_with(']'))
                || tokens.get(i + 1).is_some_and(|a| *a == "=");
            if !technical && !toml {
                words.push(word.to_string());
            }
        }
    }
    words
}

#[test]
fn the_english_word_check_finds_words_and_spares_names() {
    assert_eq!(
        english_words("政策没有 [warranty] 部分"),
        Vec::<String>::new()
    );
    assert_eq!(
        english_words("{level}：由 CRM 给定（product.intact = false；cn-sanbao）`n/a`"),
        Vec::<String>::new()
    );
    assert_eq!(english_words("保修：in_warranty"), Vec::<String>::new());
    assert_eq!(
        english_words("（breach = \"kept\"；[severity] default）"),
        Vec::<String>::new()
    );
    assert_eq!(english_words("目标 1 分钟：waived"), vec!["waived"]);
    assert_eq!(
        english_words("the policy has no"),
        ["the", "policy", "has", "no"]
    );
}

#[test]
fn every_chinese_template_and_term_reads_in_chinese() {
    for code in Code::ALL {
        let words = english_words(code.template(Lang::ZhCn));
        assert!(words.is_empty(), "{}: English {words:?}", code.code());
    }
    for term in Term::ALL {
        let words = english_words(term.render(Lang::ZhCn));
        assert!(words.is_empty(), "term {}: English {words:?}", term.code());
    }
}

/// The code whose English template reads `text` (its literal pieces in
/// order, the first at the start and the last at the end; at least a few
/// words of its own), if any: text the engine wrote, that lost its code on
/// the way.
fn engine_wrote(text: &str) -> Option<&'static str> {
    Code::ALL.iter().find_map(|code| {
        let template = code.template(Lang::En);
        let mut pieces = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let close = open + rest[open..].find('}')?;
            pieces.push(&rest[..open]);
            rest = &rest[close + 1..];
        }
        pieces.push(rest);
        // A template of little more than its arguments (`{component}:
        // {reason}`) reads like anything.
        let letters = pieces
            .iter()
            .flat_map(|p| p.chars())
            .filter(char::is_ascii_alphabetic)
            .count();
        if letters < 6 {
            return None;
        }
        let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
        if !text.starts_with(first) || !text.ends_with(last) || pieces.len() == 1 && text != first {
            return None;
        }
        let mut at = first.len();
        for piece in &pieces[1..pieces.len() - 1] {
            at += text.get(at..)?.find(piece)? + piece.len();
        }
        (at + last.len() <= text.len()).then(|| code.code())
    })
}

#[test]
fn engine_text_is_recognised() {
    assert_eq!(
        engine_wrote("[fees.callout.zones.A]: zone A (customer.zone)"),
        Some("fees.zone")
    );
    assert_eq!(
        engine_wrote("not covered: warranty expired"),
        Some("fees.not_covered_status")
    );
    assert_eq!(
        engine_wrote("attributes.remote_diagnosis_paid: 29.00 paid in the APP for a remote diagnosis, credited against this visit"),
        None
    );
}

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every pack of examples/packs.txt with its `as_of`.
fn packs() -> Vec<(String, chrono::DateTime<chrono::Utc>)> {
    std::fs::read_to_string(root().join("examples/packs.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.split_whitespace();
            let pack = parts.next().unwrap().to_string();
            let at = chrono::DateTime::parse_from_rfc3339(parts.next().unwrap()).unwrap();
            (pack, at.to_utc())
        })
        .collect()
}

/// Every reason (`{"code", "args"}`) in an answer written with `because:
/// codes`, nested reasons included.
fn reasons_in<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key("code") && map.get("args").is_some_and(|a| a.is_object()) {
                out.push(value);
            }
            map.values().for_each(|v| reasons_in(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| reasons_in(v, out)),
        _ => {}
    }
}

/// Under `--lang zh-CN --because codes`, every reason in every answer of
/// every example pack is a code whose Chinese template has no English word,
/// or free text the policy wrote (found in its TOML or Rhai source, up to
/// what a rule interpolated).
#[test]
fn example_answers_give_coded_reasons_that_read_in_chinese() {
    let options = aftersales::EvaluateOptions {
        lang: Lang::ZhCn,
        because: aftersales::Because::Codes,
        ..aftersales::EvaluateOptions::default()
    };
    let mut coded = 0;
    let mut policy_text = 0;
    for (pack, as_of) in packs() {
        let path = root().join(format!("examples/policies/{pack}.toml"));
        let policy = aftersales::Policy::from_path(&path).unwrap();
        let mut sources = std::fs::read_to_string(&path).unwrap();
        sources.push_str(
            &std::fs::read_to_string(root().join(format!("examples/policies/{pack}.rhai")))
                .unwrap_or_default(),
        );
        let tickets =
            std::fs::read_to_string(root().join(format!("examples/tickets/{pack}.jsonl"))).unwrap();
        for line in tickets.lines().filter(|l| !l.trim().is_empty()) {
            let answer = aftersales::api::evaluate_json(&policy, line, Some(as_of), options);
            let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
            assert!(answer.get("error").is_none(), "{pack}: {answer}");
            let mut reasons = Vec::new();
            reasons_in(&answer, &mut reasons);
            for reason in reasons {
                let code = reason["code"].as_str().unwrap();
                if code == "text" {
                    // The policy's words: the longest start of the text
                    // found in its sources is long enough to be its own.
                    let text = reason["args"]["text"].as_str().unwrap();
                    let found = text
                        .char_indices()
                        .map(|(i, c)| i + c.len_utf8())
                        .take_while(|end| sources.contains(&text[..*end]))
                        .last()
                        .unwrap_or(0);
                    assert!(
                        found >= text.len().min(16),
                        "{pack} {}: `text` reason not written by the policy: {text}",
                        answer["ticket"]
                    );
                    assert_eq!(
                        engine_wrote(text),
                        None,
                        "{pack} {}: the engine's words as `text`: {text}",
                        answer["ticket"]
                    );
                    policy_text += 1;
                    continue;
                }
                let known = Code::ALL
                    .iter()
                    .find(|c| c.code() == code)
                    .unwrap_or_else(|| panic!("{pack}: unknown code {code}"));
                let words = english_words(known.template(Lang::ZhCn));
                assert!(words.is_empty(), "{pack}: {code}: English {words:?}");
                coded += 1;
            }
        }
    }
    assert!(coded > 1000, "{coded} coded reasons");
    // smart_home's fee rule writes its own line's reason.
    assert!(policy_text >= 1, "{policy_text} policy reasons");
}

const HOOK_POLICY: &str = r#"
[policy]
id = "hook-reasons"
version = "1"
currency = "CNY"
timezone = "Asia/Shanghai"
script = '''
fn adjust_bill(ticket, charges) {
    let tier = ticket.customer?.tier ?? "";
    if tier == "" {
        return ();
    }
    for i in 0..charges.lines.len() {
        // What the rule sees: a reason is a code and its arguments.
        if charges.lines[i].because[0].code != "fees.labor" {
            throw "not a code: " + charges.lines[i].because[0];
        }
        if tier == "vip" {
            charges.lines[i].covered = charges.lines[i].amount;
            charges.lines[i].covered_by = "tier:vip";
            charges.lines[i].because.push(#{ code: "fees.tier", args: #{ name: "vip" } });
            charges.lines[i].because.push("VIP customers never pay for labour");
        } else {
            charges.lines[i].because.push(#{ code: "fees.nope", args: #{} });
        }
    }
    charges
}
'''

[fees]
rule = "adjust_bill"
[fees.labor]
rate = "100.00"
[fees.tax]
percent = "13"
mode = "exclusive"
"#;

fn hook_ticket(tier: &str) -> aftersales::Ticket {
    aftersales::Ticket::from_json(&format!(
        r#"{{"id": "H-1", "opened_at": "2026-03-02T10:00:00+08:00", "work": {{"labor": "1h"}}, "customer": {{"tier": "{tier}"}}}}"#
    ))
    .unwrap()
}

/// A fee rule keeps the engine's reasons (they come back as the same codes
/// with their typed arguments, so they read in Chinese as before), adds a
/// coded reason and its own words; the tax note is worked out again once,
/// found by its code.
#[test]
fn reasons_keep_their_codes_through_a_rule_hook() {
    let policy = aftersales::Policy::from_toml_str(HOOK_POLICY).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T12:00:00+08:00")
        .unwrap()
        .to_utc();
    // Reasons as codes, to be written here in Chinese.
    let codes = aftersales::EvaluateOptions {
        because: aftersales::Because::Codes,
        ..aftersales::EvaluateOptions::default()
    };
    let kept = policy.evaluate_with(&hook_ticket(""), at, codes).unwrap();
    let changed = policy
        .evaluate_with(&hook_ticket("vip"), at, codes)
        .unwrap();
    let render = |reasons: &[aftersales::Reason]| -> Vec<(String, String)> {
        reasons
            .iter()
            .map(|r| (r.code().to_string(), r.render(Lang::ZhCn)))
            .collect()
    };
    let before = kept.charges.unwrap();
    let after = changed.charges.unwrap();
    let mut expected = render(&before.lines[0].because);
    expected.extend([
        ("fees.tier".to_string(), "会员等级 `vip`".to_string()),
        (
            "text".to_string(),
            "VIP customers never pay for labour".to_string(),
        ),
        (
            "rule.changed_line".to_string(),
            "由规则 adjust_bill() 修改".to_string(),
        ),
    ]);
    assert_eq!(render(&after.lines[0].because), expected);
    assert_eq!(before.lines[0].because[0].code(), "fees.labor");
    assert_eq!(after.lines[0].because[0], before.lines[0].because[0]);
    // One tax note, worked out again on the new total.
    let notes: Vec<_> = after
        .because
        .iter()
        .filter(|r| r.code() == "fees.tax_exclusive")
        .collect();
    assert_eq!(notes.len(), 1, "{:?}", after.because);
    assert_eq!(after.total.to_string(), "0.00");
}

/// An unknown code in what a rule returns is an error naming the rule and
/// where in its result the reason is.
#[test]
fn an_unknown_reason_code_from_a_rule_is_a_located_error() {
    let policy = aftersales::Policy::from_toml_str(HOOK_POLICY).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T12:00:00+08:00")
        .unwrap()
        .to_utc();
    let error = policy
        .evaluate(&hook_ticket("gold"), at)
        .unwrap_err()
        .to_string();
    assert!(error.contains("adjust_bill()"), "{error}");
    assert!(error.contains("lines[0].because[1]"), "{error}");
    assert!(error.contains("unknown reason code `fees.nope`"), "{error}");
}
