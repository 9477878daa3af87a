//! The one-way flow of STYLE.md, checked: every module of `core/src` may
//! refer only to modules below it in [`ORDER`], and the files of a folder
//! module only to the files below them in its row of [`FOLDERS`].
//!
//! The test reads the sources: `crate::…` paths (in `use` lines and in
//! code, groups `crate::{a, b}` included), `super::…` paths that climb out
//! of a module, and names re-exported at the crate root (`crate::Ticket` is
//! an arrow to `ticket`). Test code (`tests.rs`, `#[cfg(test)] mod … {}`)
//! and comments are not read: a test may build a whole policy.
//!
//! To place a new module, add it to [`ORDER`] above everything it uses.
//! `STRUCTURE_EDGES=1 cargo test -p aftersales --test structure` prints
//! every arrow found.

#![allow(clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The modules of the crate, lowest first: a module refers only to the
/// modules before it.
const ORDER: &[&str] = &[
    "marker",
    "lang",
    "calendar",
    "error",
    "duration",
    "money",
    "ticket",
    "reason",
    "rules",
    "sla",
    "warranty",
    "fees",
    "credits",
    "settlement",
    "kpi",
    "policy",
    "evaluation",
    "portfolio",
    "api",
    "testing",
];

/// Folder modules whose files have an order, lowest first. A file of the
/// folder that is not listed (its `mod.rs`, which assembles the others, or
/// `warranty/statutory`, whose specs `spec.rs` re-exports) is not checked.
const FOLDERS: &[(&str, &[&str])] = &[
    (
        "warranty",
        &[
            "decision",
            "spec",
            "counting",
            "exclusions",
            "term",
            "parts",
        ],
    ),
    (
        "fees",
        &["spec", "charges", "schedule", "compile", "charge", "totals"],
    ),
    ("settlement", &["spec", "compile", "statement", "refund"]),
    (
        "credits",
        &["spec", "because", "rules", "compile", "caps", "hook"],
    ),
    (
        "sla",
        &[
            "result",
            "next",
            "events",
            "segments",
            "escalation",
            "clock",
            "timeline",
            "metric",
            "targets",
        ],
    ),
    ("kpi", &["spec"]),
    (
        "rules",
        &[
            "field",
            "view",
            "condition",
            "definitions",
            "instants",
            "helpers",
            "session",
        ],
    ),
    ("reason", &["codes", "hook"]),
];

/// One arrow found in the sources.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Arrow {
    /// The file, relative to `core/src`.
    file: String,
    /// The module path of the file (`["warranty", "counting"]`).
    from: Vec<String>,
    /// The path referred to, from the crate root (`["ticket", "Repair"]`).
    to: Vec<String>,
}

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `warranty/mod.rs` is `["warranty"]`,
/// `warranty/statutory/cn_sanbao.rs` is `["warranty", "statutory", "cn_sanbao"]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs").to_string();
    }
    if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
        parts.pop();
    }
    parts
}

/// Removes string literals and character literals from a line, so that
/// braces and paths inside them are not read.
fn without_literals(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '\'' => {
                // A character literal ('{', '\n'); a lifetime ('a) is kept.
                let ahead: Vec<char> = chars.clone().take(2).collect();
                if ahead.first() == Some(&'\\') {
                    chars.next();
                    for next in chars.by_ref() {
                        if next == '\'' {
                            break;
                        }
                    }
                } else if ahead.get(1) == Some(&'\'') {
                    chars.next();
                    chars.next();
                } else {
                    out.push(c);
                }
            }
            '/' if chars.peek() == Some(&'/') => break,
            _ => out.push(c),
        }
    }
    out
}

/// The code of a file as the test reads it: no comments, no literals, no
/// `#[cfg(test)] mod … { … }` blocks.
fn code_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut test_attribute = false;
    let mut skipping: Option<i64> = None;
    for line in text.lines() {
        let code = without_literals(line);
        let trimmed = code.trim();
        if let Some(depth) = skipping.as_mut() {
            *depth += brace_balance(&code);
            if *depth <= 0 {
                skipping = None;
            }
            continue;
        }
        if trimmed == "#[cfg(test)]" {
            test_attribute = true;
            continue;
        }
        if test_attribute && trimmed.starts_with("#[") {
            continue;
        }
        if test_attribute && trimmed.starts_with("mod ") && trimmed.ends_with('{') {
            let depth = brace_balance(&code);
            skipping = (depth > 0).then_some(depth);
            test_attribute = false;
            continue;
        }
        test_attribute = false;
        lines.push(code);
    }
    lines
}

fn brace_balance(code: &str) -> i64 {
    code.chars()
        .map(|c| match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        })
        .sum()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The first names of a path group `{a::b, c, d::{e, f}}`: `a`, `c`, `d`.
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    let mut at_head = true;
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                at_head = true;
                continue;
            }
            _ => {}
        }
        if depth == 0 && at_head {
            if is_ident(c) {
                current.push(c);
            } else if !current.is_empty() {
                heads.push(std::mem::take(&mut current));
                at_head = false;
            }
        }
    }
    if !current.is_empty() {
        heads.push(current);
    }
    heads
}

/// What follows `::` at `rest`: the names it refers to (one name, or the
/// heads of a group), each with the name after it when there is one.
fn names_after(rest: &str) -> Vec<Vec<String>> {
    if let Some(group) = rest.strip_prefix('{') {
        let mut depth = 1;
        let end = group
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(group.len(), |(i, _)| i);
        return group_heads(&group[..end])
            .into_iter()
            .map(|h| vec![h])
            .collect();
    }
    let path: String = rest
        .chars()
        .take_while(|&c| is_ident(c) || c == ':')
        .collect();
    let segments: Vec<String> = path
        .split("::")
        .filter(|s| !s.is_empty())
        .take(2)
        .map(str::to_string)
        .collect();
    if segments.is_empty() {
        Vec::new()
    } else {
        vec![segments]
    }
}

/// Every path of a line that starts at the crate root, resolved from the
/// module `from`: `crate::a::b`, `super::super::a`.
fn paths_in(code: &str, from: &[String]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let starts_word = i == 0 || !bytes.get(i - 1).is_some_and(|&b| is_ident(b as char));
        if starts_word && rest.starts_with("crate::") {
            found.extend(names_after(&rest["crate::".len()..]));
            i += "crate::".len();
            continue;
        }
        if starts_word && rest.starts_with("super::") {
            let mut base = from.to_vec();
            let mut tail = rest;
            while let Some(after) = tail.strip_prefix("super::") {
                base.pop();
                tail = after;
            }
            for names in names_after(tail) {
                let mut path = base.clone();
                path.extend(names);
                found.push(path);
            }
            i += rest.len() - tail.len();
            continue;
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// The names `lib.rs` re-exports at the crate root, with the module each
/// comes from (`Ticket` → `ticket`).
fn root_names(lib: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    let text: String = code_lines(lib).join("\n");
    for statement in text.split(';') {
        let statement = statement.trim();
        let Some(path) = statement
            .strip_prefix("pub use ")
            .or_else(|| statement.strip_prefix("pub(crate) use "))
        else {
            continue;
        };
        let path = path.trim_start_matches("crate::");
        let Some((module, rest)) = path.split_once("::") else {
            continue;
        };
        let rest = rest.trim();
        let items: Vec<&str> = match rest.strip_prefix('{') {
            Some(group) => group.trim_end_matches('}').split(',').collect(),
            None => vec![rest],
        };
        for item in items {
            let item = item.trim();
            let name = match item.split_once(" as ") {
                Some((_, alias)) => alias.trim(),
                None => item.rsplit("::").next().unwrap_or(item).trim(),
            };
            if !name.is_empty() {
                names.insert(name.to_string(), module.to_string());
            }
        }
    }
    names
}

fn arrows() -> Vec<Arrow> {
    let root = source_root();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut arrows = BTreeSet::new();
    for path in files {
        let relative = path.strip_prefix(&root).expect("under core/src");
        let from = module_path(relative);
        let is_test =
            from.last().is_some_and(|m| m == "tests") || from.iter().any(|m| m == "tests");
        if from.is_empty() || is_test {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for code in code_lines(&text) {
            for to in paths_in(&code, &from) {
                arrows.insert(Arrow {
                    file: relative.to_string_lossy().replace('\\', "/"),
                    from: from.clone(),
                    to,
                });
            }
        }
    }
    arrows.into_iter().collect()
}

fn place(order: &[&str], name: &str) -> Option<usize> {
    order.iter().position(|m| *m == name)
}

/// The arrows that go up or sideways, as messages naming file and arrow.
fn violations(arrows: &[Arrow], root: &BTreeMap<String, String>) -> Vec<String> {
    let mut problems = Vec::new();
    for arrow in arrows {
        let (Some(from_top), Some(to_first)) = (arrow.from.first(), arrow.to.first()) else {
            continue;
        };
        // A name re-exported at the root stands for the module it comes from.
        let to_top = if place(ORDER, to_first).is_some() {
            to_first.as_str()
        } else if let Some(module) = root.get(to_first) {
            module.as_str()
        } else {
            problems.push(format!(
                "{}: `crate::{to_first}` is neither a module of the order table nor a name lib.rs re-exports",
                arrow.file
            ));
            continue;
        };
        if to_top != from_top {
            match (place(ORDER, from_top), place(ORDER, to_top)) {
                (Some(f), Some(t)) if t < f => {}
                (None, _) => problems.push(format!(
                    "{}: module `{from_top}` is not in the order table of core/tests/structure.rs",
                    arrow.file
                )),
                _ => problems.push(format!(
                    "{}: `{from_top}` → `{to_top}` goes up: `{to_top}` is not below `{from_top}` in the order table",
                    arrow.file
                )),
            }
            continue;
        }
        let Some((_, files)) = FOLDERS.iter().find(|(folder, _)| folder == from_top) else {
            continue;
        };
        let (Some(from_file), Some(to_file)) = (arrow.from.get(1), arrow.to.get(1)) else {
            continue;
        };
        if from_file == to_file {
            continue;
        }
        if let (Some(f), Some(t)) = (place(files, from_file), place(files, to_file)) {
            if t > f {
                problems.push(format!(
                    "{}: `{from_top}/{from_file}` → `{from_top}/{to_file}` goes up in the folder's order",
                    arrow.file
                ));
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

#[test]
fn modules_refer_only_to_modules_below_them() {
    let lib = std::fs::read_to_string(source_root().join("lib.rs")).expect("core/src/lib.rs");
    let root = root_names(&lib);
    let arrows = arrows();
    if std::env::var_os("STRUCTURE_EDGES").is_some() {
        let mut edges: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for arrow in &arrows {
            let to = arrow.to.first().cloned().unwrap_or_default();
            let to = root.get(&to).cloned().unwrap_or(to);
            edges
                .entry((arrow.from.join("/"), to))
                .or_default()
                .insert(arrow.file.clone());
        }
        for ((from, to), files) in edges {
            println!(
                "{from} -> {to}  ({})",
                files.into_iter().collect::<Vec<_>>().join(", ")
            );
        }
    }
    assert!(
        arrows.len() > 100,
        "the sources were not read: {} arrows",
        arrows.len()
    );
    let problems = violations(&arrows, &root);
    assert!(
        problems.is_empty(),
        "arrows against the order:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_module_of_lib_rs_has_a_place() {
    let lib = std::fs::read_to_string(source_root().join("lib.rs")).expect("core/src/lib.rs");
    let declared: Vec<String> = code_lines(&lib)
        .iter()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("pub(crate) mod "))
                .or_else(|| line.strip_prefix("mod "))?;
            Some(rest.trim_end_matches(';').trim().to_string())
        })
        .collect();
    assert!(declared.len() > 10, "lib.rs was not read: {declared:?}");
    let missing: Vec<&String> = declared
        .iter()
        .filter(|m| place(ORDER, m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a place in the order table: {missing:?}"
    );
}

#[test]
fn the_reader_sees_paths_the_way_rust_does() {
    let from: Vec<String> = ["warranty", "statutory", "cn_sanbao"]
        .map(String::from)
        .to_vec();
    let paths = paths_in("use crate::{money::Money, reason::{Arg, Term}};", &from);
    assert_eq!(
        paths,
        vec![vec!["money".to_string()], vec!["reason".to_string()]]
    );
    let paths = paths_in("let x = super::super::counting::add_days(d);", &from);
    assert_eq!(
        paths,
        vec![["warranty", "counting", "add_days"]
            .map(String::from)
            .to_vec()]
    );
    assert!(paths_in(r#"let s = "crate::sla";"#.replace('"', "").as_str(), &from).len() == 1);
    let code = code_lines("let s = \"crate::sla\"; // crate::api\n#[cfg(test)]\nmod tests {\n use crate::api;\n}\nuse crate::ticket::Ticket;");
    let found: Vec<Vec<String>> = code.iter().flat_map(|l| paths_in(l, &from)).collect();
    assert_eq!(
        found,
        vec![vec!["ticket".to_string(), "Ticket".to_string()]]
    );
    let arrow = Arrow {
        file: "ticket.rs".into(),
        from: vec!["ticket".into()],
        to: vec!["fees".into(), "TaxMode".into()],
    };
    let problems = violations(&[arrow], &BTreeMap::new());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("`ticket` → `fees` goes up"),
        "{problems:?}"
    );
}
