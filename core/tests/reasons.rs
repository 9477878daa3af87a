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

use aftersales::reason::{Code, Lang, Term};
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
         given as `{\"code\": ..., \"args\": {...}}`. Free text supplied by a\n\
         policy (a Rhai rule's reason, a manifest description) and reasons\n\
         not yet coded have the code `text` and the one argument `text`; they\n\
         are never translated. Arguments are strings except counts and\n\
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
