//! The public surface of the crate, kept on purpose: every name a Rust
//! user can reach (`aftersales::Policy`, `aftersales::api::evaluate`, …)
//! and every member of a public type (`aftersales::Policy::id (method)`,
//! `aftersales::Report::tickets (field)`, `aftersales::Level::Error
//! (variant)`) is listed in `core/tests/data/public_api.txt`. A name added
//! or removed by accident fails this test; a name added on purpose is
//! added to the list with
//! `UPDATE_PUBLIC_API=1 cargo test -p aftersales --test public_api`
//! (and documented with an example).
//!
//! The test reads the sources, not rustdoc (whose JSON needs a nightly
//! compiler): `core/src/lib.rs`, its `pub use` re-exports and its `pub mod`
//! modules, whose own `pub` items (and re-exports) it lists in turn. Then,
//! for every public type, the public fields and enum variants (with a
//! variant's fields) of its declaration, and the `pub` methods, constants
//! and types of its inherent `impl` blocks in any file under `core/src`,
//! at any indentation: inside an inline module or a `macro_rules!` body
//! (the `codes!` and `terms!` tables write `impl Code` and `impl Term`).
//! An `impl` in a file that declares a private type of the same name is
//! that type's; a public type's name declared `pub` twice fails the test.
//! A `#[doc(hidden)]` name is listed with ` (hidden)`. Not read: variants
//! a macro writes from its input (`Code`'s, listed in `docs/reasons.md`
//! and checked by `core/tests/reasons.rs`) and trait impls.

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
    lines.extend(members(&src, &lines));
    lines.sort();
    lines
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
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
    files.sort();
    files
}

/// The leading identifier of `text`.
fn ident(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The leading spaces of `line`.
fn indent_of(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// The type a header `impl<…> Path<…> {` (the text after `impl`) gives
/// methods to: its last path segment; `None` for a trait's impl.
fn impl_owner(header: &str) -> Option<String> {
    let mut rest = header.trim_start();
    if rest.starts_with('<') {
        let mut depth = 0;
        let end = rest.char_indices().find_map(|(i, c)| {
            match c {
                '<' => depth += 1,
                '>' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(i)
        })?;
        rest = rest.get(end + 1..)?.trim_start();
    }
    let head = rest.split(['{']).next().unwrap_or(rest);
    if head.contains(" for ") {
        return None;
    }
    let path: String = head
        .trim_start_matches('&')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    Some(path.rsplit("::").next().unwrap_or_default().to_string())
}

/// The item a line declares at `indent`: `pub fn f`, `pub const fn f`,
/// `pub unsafe fn f` (a method), `pub const X` (a constant), `pub name:`
/// (a field); `pub(crate)` and private ones are not members.
fn member(code: &str) -> Option<(String, &'static str)> {
    let rest = code.strip_prefix("pub ")?;
    let mut rest = rest.trim_start();
    for qualifier in ["const fn ", "unsafe fn ", "async fn ", "extern \"C\" fn "] {
        if let Some(after) = rest.strip_prefix(qualifier) {
            rest = after;
            return Some((ident(rest), "method"));
        }
    }
    if let Some(after) = rest.strip_prefix("fn ") {
        return Some((ident(after), "method"));
    }
    if let Some(after) = rest.strip_prefix("const ") {
        return Some((ident(after), "const"));
    }
    if let Some(after) = rest.strip_prefix("type ") {
        return Some((ident(after), "type"));
    }
    let name = ident(rest);
    (!name.is_empty() && rest.get(name.len()..)?.trim_start().starts_with(':'))
        .then_some((name, "field"))
}

/// The lines of the block that opens at `lines[open]` (its header may run
/// over several lines until one ends with `{`) and closes at the first
/// line that is its indentation and `}`: (the block's indentation, the
/// header, the body lines). A block written on one line has no body lines.
fn block<'a>(lines: &[&'a str], open: usize) -> (String, String, Vec<&'a str>) {
    let indent = indent_of(lines.get(open).copied().unwrap_or_default()).to_string();
    let mut header = String::new();
    let mut i = open;
    while let Some(line) = lines.get(i) {
        header.push_str(line.trim());
        header.push(' ');
        i += 1;
        // A line with a `{` opens the block, or holds all of it.
        if line.contains('{') || line.trim_end().ends_with(';') {
            break;
        }
    }
    if !header.trim_end().ends_with('{') {
        return (indent, header, Vec::new());
    }
    let close = format!("{indent}}}");
    let body = lines
        .get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|l| l.trim_end() != close)
        .copied()
        .collect();
    (indent, header, body)
}

/// The members of the body lines of a block at `indent`: each `(name,
/// kind, hidden)` one level in. For an enum (`variants`), each variant
/// and the fields of a variant written with braces (`Variant::field`).
fn members_of(body: &[&str], indent: &str, variants: bool) -> Vec<(String, &'static str, bool)> {
    let inner = format!("{indent}    ");
    let deeper = format!("{inner}    ");
    let mut found = Vec::new();
    let mut hidden = false;
    let mut variant: Option<String> = None;
    for line in body {
        if variants {
            if let Some(code) = line.strip_prefix(&deeper) {
                if let (Some(owner), Some((name, _))) = (&variant, member(&format!("pub {code}"))) {
                    if !code.starts_with(|c: char| c == '#' || c == '/' || c.is_whitespace()) {
                        found.push((format!("{owner}::{name}"), "field", false));
                    }
                }
                continue;
            }
        }
        let Some(code) = line.strip_prefix(&inner) else {
            continue;
        };
        if code.starts_with("#[doc(hidden)]") {
            hidden = true;
            continue;
        }
        if code.starts_with("#[") || code.starts_with("//") || code.trim().is_empty() {
            continue;
        }
        if code.starts_with(' ') || code.starts_with('}') || code.starts_with(')') {
            continue;
        }
        if variants && code.starts_with(|c: char| c.is_ascii_uppercase()) {
            let name = ident(code);
            variant = code.trim_end().ends_with('{').then(|| name.clone());
            found.push((name, "variant", hidden));
        } else if let Some((name, kind)) = member(code) {
            found.push((name, kind, hidden));
        }
        hidden = false;
    }
    found
}

/// The fields of a tuple struct declared on one line:
/// `pub struct Name(pub A, B);` gives `0`.
fn tuple_fields(header: &str) -> Vec<(String, &'static str, bool)> {
    let Some(open) = header.find('(') else {
        return Vec::new();
    };
    let inside = header
        .get(open + 1..header.rfind(')').unwrap_or(open + 1))
        .unwrap_or_default();
    let mut fields = Vec::new();
    let (mut depth, mut index, mut part) = (0, 0, String::new());
    for c in inside.chars().chain([',']) {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                if part.trim_start().starts_with("pub ") {
                    fields.push((index.to_string(), "field", false));
                }
                if !part.trim().is_empty() {
                    index += 1;
                }
                part.clear();
                continue;
            }
            _ => {}
        }
        part.push(c);
    }
    fields
}

/// A type's declaration in one file: `pub struct Name` or `pub enum Name`
/// at any indentation, with the line it starts at.
fn declarations(lines: &[&str], name: &str, public_only: bool) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| {
            let code = line.trim_start();
            let code = if public_only {
                code.strip_prefix("pub ")
            } else {
                Some(code.split_once(' ').map_or(code, |(first, rest)| {
                    if first.starts_with("pub") {
                        rest
                    } else {
                        code
                    }
                }))
            };
            code.and_then(|c| {
                c.strip_prefix("struct ")
                    .or_else(|| c.strip_prefix("enum "))
            })
            .is_some_and(|rest| ident(rest) == name)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The members of the public types of the surface (at the root, in `api`,
/// in `testing`, …), read under `core/src`: their public fields, enum
/// variants (and their fields), and the public methods, associated
/// constants and types of their inherent `impl` blocks wherever those are,
/// at any indentation (inside an inline module or a `macro_rules!` body).
/// A public type's name declared `pub` twice is an error: the reader could
/// not tell the two apart.
fn members(src: &Path, surface: &[String]) -> Vec<String> {
    let types: Vec<(String, String, bool)> = surface
        .iter()
        .filter_map(|line| {
            let (path, kind) = line.split_once(' ')?;
            let name = path.rsplit("::").next()?;
            let is_type = name.chars().next().is_some_and(char::is_uppercase)
                && name.chars().any(char::is_lowercase)
                && !kind.starts_with("(mod)");
            is_type.then(|| {
                (
                    path.to_string(),
                    name.to_string(),
                    kind.contains("(hidden)"),
                )
            })
        })
        .collect();
    let files: Vec<(PathBuf, String)> = rust_files(src)
        .into_iter()
        .map(|f| {
            let text = read(&f);
            (f, text)
        })
        .collect();
    let mut found = Vec::new();
    for (path, name, type_hidden) in &types {
        let mut declared = 0;
        for (_, text) in &files {
            let lines: Vec<&str> = text.lines().collect();
            for at in declarations(&lines, name, true) {
                declared += 1;
                let (indent, header, body) = block(&lines, at);
                let is_enum = header.trim_start().starts_with("pub enum");
                let mut list = members_of(&body, &indent, is_enum);
                list.extend(tuple_fields(header.split('{').next().unwrap_or_default()));
                for (member, kind, hidden) in list {
                    found.push(line_for(path, &member, kind, hidden || *type_hidden));
                }
            }
            // An impl in a file that declares its own (private) type of
            // that name is that type's.
            let shadowed =
                declarations(&lines, name, false).len() > declarations(&lines, name, true).len();
            for (at, line) in lines.iter().enumerate() {
                let Some(header) = line.trim_start().strip_prefix("impl") else {
                    continue;
                };
                if shadowed || !header.starts_with([' ', '<']) {
                    continue;
                }
                let (indent, header, body) = block(&lines, at);
                if impl_owner(header.trim_start().trim_start_matches("impl")).as_deref()
                    != Some(name.as_str())
                {
                    continue;
                }
                for (member, kind, hidden) in members_of(&body, &indent, false) {
                    found.push(line_for(path, &member, kind, hidden || *type_hidden));
                }
            }
        }
        assert!(
            declared <= 1,
            "`{name}` ({path}) is declared `pub` in {declared} places: \
             the surface test cannot tell them apart; rename one"
        );
    }
    found
}

/// One line of the list: `aftersales::Policy::id (method)`.
fn line_for(path: &str, member: &str, kind: &str, hidden: bool) -> String {
    format!(
        "{path}::{member} ({kind}){}",
        if hidden { " (hidden)" } else { "" }
    )
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

#[test]
fn the_reader_finds_methods_fields_and_variants_wherever_they_are_written() {
    // Generic impls, trait impls (not members), impls indented in a macro.
    assert_eq!(
        impl_owner("<R: BufRead> TicketReader<R> {").as_deref(),
        Some("TicketReader")
    );
    assert_eq!(impl_owner(" crate::a::Policy {").as_deref(), Some("Policy"));
    assert_eq!(
        impl_owner("<R: BufRead> Iterator for TicketReader<R> {"),
        None
    );
    let text = "macro_rules! m {\n    () => {\n        impl Code {\n            \
                /// Doc.\n            pub const ALL: u8 = 1;\n            \
                pub(crate) fn inner() {}\n            #[doc(hidden)]\n            \
                pub const fn shown() {}\n            fn helper() {\n                \
                pub fn nested() {}\n            }\n        }\n    };\n}\n";
    let lines: Vec<&str> = text.lines().collect();
    let (indent, header, body) = block(&lines, 2);
    assert_eq!(
        (indent.as_str(), impl_owner(&header[4..]).as_deref()),
        ("        ", Some("Code"))
    );
    assert_eq!(
        members_of(&body, &indent, false),
        vec![
            ("ALL".to_string(), "const", false),
            ("shown".to_string(), "method", true)
        ]
    );
    // Fields, variants and the fields of a variant; a one-line enum has none.
    let text = "pub struct S {\n    pub a: u8,\n    b: u8,\n    pub(crate) c: u8,\n}\n\
                pub enum E {\n    /// Doc.\n    One,\n    Two {\n        /// Doc.\n        \
                x: u8,\n    },\n    Three(u8),\n}\npub enum F { A, B }\n";
    let lines: Vec<&str> = text.lines().collect();
    let (indent, _, body) = block(&lines, 0);
    assert_eq!(
        members_of(&body, &indent, false),
        vec![("a".to_string(), "field", false)]
    );
    let (indent, _, body) = block(&lines, 5);
    let names: Vec<(String, &str)> = members_of(&body, &indent, true)
        .into_iter()
        .map(|(name, kind, _)| (name, kind))
        .collect();
    assert_eq!(
        names,
        vec![
            ("One".to_string(), "variant"),
            ("Two".to_string(), "variant"),
            ("Two::x".to_string(), "field"),
            ("Three".to_string(), "variant"),
        ]
    );
    assert!(block(&lines, 14).2.is_empty());
    assert_eq!(
        tuple_fields("pub struct T(pub u8, Vec<(u8, u8)>, pub String);"),
        vec![
            ("0".to_string(), "field", false),
            ("2".to_string(), "field", false)
        ]
    );
}
