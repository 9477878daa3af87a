//! The public surface of the crate, kept on purpose: every name a Rust
//! user can reach (`aftersales::Policy`, `aftersales::api::evaluate`, …)
//! is listed in `core/tests/data/public_api.txt`. A name added or removed
//! by accident fails this test; a name added on purpose is added to the
//! list with `UPDATE_PUBLIC_API=1 cargo test -p aftersales --test public_api`
//! (and documented with an example).
//!
//! The test reads `core/src/lib.rs`: its `pub use` re-exports and its
//! `pub mod` modules, whose own `pub` items (and re-exports) it lists in
//! turn, and the public methods of the public types (their inherent
//! `impl` blocks). A `#[doc(hidden)]` name is listed with ` (hidden)`.

#![allow(clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

fn core() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The names a `pub use` statement brings in: `a::{B, c::D as E}` gives
/// `B` and `E`.
fn used_names(statement: &str) -> Vec<String> {
    let body = statement.trim().trim_end_matches(';');
    let items: Vec<&str> = match (body.find('{'), body.rfind('}')) {
        (Some(open), Some(close)) if open < close => body
            .get(open + 1..close)
            .unwrap_or_default()
            .split(',')
            .collect(),
        _ => vec![body],
    };
    items
        .into_iter()
        .map(str::trim)
        .filter(|item| !item.is_empty() && *item != "self")
        .map(|item| match item.split_once(" as ") {
            Some((_, alias)) => alias.trim().to_string(),
            None => item.rsplit("::").next().unwrap_or(item).trim().to_string(),
        })
        .collect()
}

/// One public item of a module: its name, its kind, whether it is hidden,
/// and for a module, where its items live.
#[derive(Debug)]
struct Item {
    name: String,
    kind: String,
    hidden: bool,
    body: Option<Body>,
}

/// Where a public module's items are: its own file, or a block inside
/// the file that declares it.
#[derive(Debug)]
enum Body {
    File(PathBuf),
    Inline(String),
}

/// The public items of a module, read from its text at `indent`.
/// `dir` is the folder its submodule files live in.
fn public_items(text: &str, indent: &str, dir: &Path) -> Vec<Item> {
    let lines: Vec<&str> = text.lines().collect();
    let mut items = Vec::new();
    let mut hidden = false;
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        i += 1;
        let Some(code) = line.strip_prefix(indent) else {
            continue;
        };
        if code.starts_with("#[doc(hidden)]") {
            hidden = true;
            continue;
        }
        if code.starts_with("#[") || code.starts_with("///") || code.starts_with("//") {
            continue;
        }
        let Some(rest) = code.strip_prefix("pub ") else {
            if !code.trim().is_empty() {
                hidden = false;
            }
            continue;
        };
        if let Some(path) = rest.strip_prefix("use ") {
            let mut statement = path.to_string();
            while !statement.contains(';') {
                let Some(next) = lines.get(i) else { break };
                statement.push_str(next.trim());
                i += 1;
            }
            let (source, _) = statement.split_once(';').unwrap_or((&statement, ""));
            for name in used_names(source) {
                // A re-exported module (`rules::limits as rule_limits`)
                // is read where it is declared.
                let body = source
                    .split_once(" as ")
                    .map(|(path, _)| path.trim().trim_start_matches("crate::"))
                    .and_then(|path| inline_module(dir, path));
                items.push(Item {
                    name,
                    kind: if body.is_some() { "mod" } else { "use" }.to_string(),
                    hidden,
                    body,
                });
            }
            hidden = false;
            continue;
        }
        let rest = rest
            .trim_start_matches("unsafe ")
            .trim_start_matches("async ");
        let Some((kind, after)) = rest.split_once(' ') else {
            continue;
        };
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        let body = (kind == "mod").then(|| {
            if after.trim_end().ends_with('{') {
                let mut block = String::new();
                let inner = format!("{indent}    ");
                while let Some(next) = lines.get(i) {
                    if next.starts_with(&format!("{indent}}}")) {
                        break;
                    }
                    block.push_str(next.strip_prefix(&inner).unwrap_or(next));
                    block.push('\n');
                    i += 1;
                }
                Body::Inline(block)
            } else {
                let file = dir.join(format!("{name}.rs"));
                Body::File(if file.exists() {
                    file
                } else {
                    dir.join(&name).join("mod.rs")
                })
            }
        });
        items.push(Item {
            name,
            kind: kind.to_string(),
            hidden,
            body,
        });
        hidden = false;
    }
    items
}

/// The text of an inline module `a::b` (`rules::limits`), when `a.rs` or
/// `a/mod.rs` declares `pub mod b { … }`.
fn inline_module(dir: &Path, path: &str) -> Option<Body> {
    let (parent, name) = path.split_once("::")?;
    let file = [
        dir.join(format!("{parent}.rs")),
        dir.join(parent).join("mod.rs"),
    ]
    .into_iter()
    .find(|f| f.exists())?;
    public_items(&read(&file), "", dir)
        .into_iter()
        .find(|item| item.name == name && item.kind == "mod")
        .and_then(|item| item.body)
}

/// Every public path of the crate, one a line, sorted.
fn surface() -> Vec<String> {
    let src = core().join("src");
    let mut lines = Vec::new();
    let mut stack: Vec<(String, String, PathBuf, bool)> = vec![(
        "aftersales".to_string(),
        read(&src.join("lib.rs")),
        src.clone(),
        false,
    )];
    while let Some((prefix, text, dir, parent_hidden)) = stack.pop() {
        for item in public_items(&text, "", &dir) {
            let path = format!("{prefix}::{}", item.name);
            let hidden = parent_hidden || item.hidden;
            lines.push(format!(
                "{path} ({}){}",
                item.kind,
                if hidden { " (hidden)" } else { "" }
            ));
            match item.body {
                Some(Body::File(file)) => {
                    let folder = if file.ends_with("mod.rs") {
                        file.parent().map(Path::to_path_buf).unwrap_or_default()
                    } else {
                        file.with_extension("")
                    };
                    stack.push((path, read(&file), folder, hidden));
                }
                Some(Body::Inline(block)) => stack.push((path, block, dir.clone(), hidden)),
                None => {}
            }
        }
    }
    lines.extend(methods(&src, &lines));
    lines.sort();
    lines
}

/// The public methods and associated constants of the public types at
/// the crate root and in `api`, read from their inherent `impl` blocks
/// anywhere under `core/src`: `aftersales::Policy::evaluate (method)`.
fn methods(src: &Path, surface: &[String]) -> Vec<String> {
    let types: Vec<(String, String)> = surface
        .iter()
        .filter_map(|line| {
            let (path, _) = line.split_once(' ')?;
            let (module, name) = path.rsplit_once("::")?;
            let public = module == "aftersales" || module == "aftersales::api";
            let is_type = name.chars().next().is_some_and(char::is_uppercase)
                && name.chars().any(char::is_lowercase);
            (public && is_type).then(|| (path.to_string(), name.to_string()))
        })
        .collect();
    let mut files = Vec::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut found = Vec::new();
    for file in files {
        let text = read(&file);
        let mut owner: Option<&str> = None;
        for line in text.lines() {
            if let Some(head) = line.strip_prefix("impl") {
                let head = head.trim_start_matches(|c: char| c != ' ').trim();
                let name: String = head
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                owner = (!head.contains(" for ") && line.ends_with('{'))
                    .then(|| {
                        types
                            .iter()
                            .find(|(_, n)| *n == name)
                            .map(|(path, _)| path.as_str())
                    })
                    .flatten();
                continue;
            }
            if line.starts_with('}') {
                owner = None;
                continue;
            }
            let Some(path) = owner else { continue };
            for (prefix, kind) in [("    pub fn ", "method"), ("    pub const ", "const")] {
                if let Some(rest) = line.strip_prefix(prefix) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    found.push(format!("{path}::{name} ({kind})"));
                }
            }
        }
    }
    found
}

#[test]
fn the_public_surface_is_the_listed_one() {
    let listed = core().join("tests/data/public_api.txt");
    let now = surface();
    assert!(
        now.iter().any(|l| l.starts_with("aftersales::Policy ")),
        "lib.rs was not read: {now:?}"
    );
    let text = format!("{}\n", now.join("\n"));
    if std::env::var_os("UPDATE_PUBLIC_API").is_some() {
        std::fs::write(&listed, &text).unwrap_or_else(|e| panic!("{}: {e}", listed.display()));
        return;
    }
    let before = read(&listed);
    let before: Vec<&str> = before.lines().collect();
    let added: Vec<&String> = now
        .iter()
        .filter(|l| !before.contains(&l.as_str()))
        .collect();
    let removed: Vec<&&str> = before
        .iter()
        .filter(|l| !now.iter().any(|n| n == *l))
        .collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "the public surface changed.\nadded:\n  {}\nremoved:\n  {}\n\
         If this is on purpose, document the new names with an example and run\n  \
         UPDATE_PUBLIC_API=1 cargo test -p aftersales --test public_api",
        added
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        removed.iter().map(|s| **s).collect::<Vec<_>>().join("\n  "),
    );
}

#[test]
fn the_reader_finds_items_re_exports_and_hidden_modules() {
    let text = "pub use a::{B, c::D as E};\n#[doc(hidden)]\npub mod hidden;\n\
                pub(crate) mod inner;\n/// Doc.\npub fn f() {}\npub const X: u8 = 1;\n";
    let items = public_items(text, "", Path::new("/nowhere"));
    let names: Vec<(&str, &str, bool)> = items
        .iter()
        .map(|i| (i.name.as_str(), i.kind.as_str(), i.hidden))
        .collect();
    assert_eq!(
        names,
        vec![
            ("B", "use", false),
            ("E", "use", false),
            ("hidden", "mod", true),
            ("f", "fn", false),
            ("X", "const", false),
        ]
    );
}
