//! Where each function of a script is defined: Rhai's AST keeps no
//! position for a function's `fn`, so the script is read once, skipping
//! comments and string literals, for each `fn NAME` it defines.

use std::collections::HashMap;

/// The line and column (1-based, in characters, as Rhai counts them) of
/// the `fn` keyword of each function the script defines; the first
/// definition of a name (overloads by arity share it).
pub(super) fn definitions(source: &str) -> HashMap<String, (u32, u32)> {
    let mut found = HashMap::new();
    for (name, at) in every_definition(source) {
        found.entry(name).or_insert(at);
    }
    found
}

/// Every `fn NAME` of the script in order, overloads included, with the
/// line and column of its `fn`.
pub(crate) fn every_definition(source: &str) -> Vec<(String, (u32, u32))> {
    let chars: Vec<char> = source.chars().collect();
    let mut found = Vec::new();
    let (mut line, mut column) = (1u32, 1u32);
    let mut i = 0;
    // Advances over one character, keeping the line and column.
    let step = |i: &mut usize, line: &mut u32, column: &mut u32| {
        if chars.get(*i) == Some(&'\n') {
            *line += 1;
            *column = 1;
        } else {
            *column += 1;
        }
        *i += 1;
    };
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        match (c, next) {
            ('/', Some('/')) => {
                while chars.get(i).is_some_and(|&c| c != '\n') {
                    step(&mut i, &mut line, &mut column);
                }
            }
            ('/', Some('*')) => {
                let mut depth = 0usize;
                while let Some(&c) = chars.get(i) {
                    let next = chars.get(i + 1).copied();
                    if c == '/' && next == Some('*') {
                        depth += 1;
                        step(&mut i, &mut line, &mut column);
                    } else if c == '*' && next == Some('/') {
                        depth = depth.saturating_sub(1);
                        step(&mut i, &mut line, &mut column);
                        if depth == 0 {
                            step(&mut i, &mut line, &mut column);
                            break;
                        }
                    }
                    step(&mut i, &mut line, &mut column);
                }
            }
            ('"' | '\'' | '`', _) => {
                step(&mut i, &mut line, &mut column);
                while let Some(&d) = chars.get(i) {
                    if d == '\\' && c != '`' {
                        step(&mut i, &mut line, &mut column);
                    } else if d == c {
                        break;
                    }
                    step(&mut i, &mut line, &mut column);
                }
                step(&mut i, &mut line, &mut column);
            }
            (c, _) if c.is_alphabetic() || c == '_' => {
                let at = (line, column);
                let word = identifier(&chars, &mut i, &mut line, &mut column, step);
                if word == "fn" {
                    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                        step(&mut i, &mut line, &mut column);
                    }
                    let name = identifier(&chars, &mut i, &mut line, &mut column, step);
                    if !name.is_empty() {
                        found.push((name, at));
                    }
                }
            }
            _ => step(&mut i, &mut line, &mut column),
        }
    }
    found
}

/// Reads an identifier at `i` (empty if none starts there).
fn identifier(
    chars: &[char],
    i: &mut usize,
    line: &mut u32,
    column: &mut u32,
    step: impl Fn(&mut usize, &mut u32, &mut u32),
) -> String {
    let mut word = String::new();
    while let Some(&c) = chars.get(*i) {
        if !(c.is_alphanumeric() || c == '_') {
            break;
        }
        word.push(c);
        step(i, line, column);
    }
    word
}

#[cfg(test)]
mod tests {
    use super::definitions;

    #[test]
    fn finds_each_fn_outside_comments_and_strings() {
        // Line 1: a comment naming `fn ghost`; line 2: a function at column 1;
        // line 3: a string holding "fn fake("; line 4: `private fn` — the
        // `fn` is at column 9 (after "private "); line 5-7: a block comment.
        let script = "// fn ghost(x) {}\nfn severity(t) { 1 }\nlet s = \"fn fake(\";\nprivate fn helper() {}\n/* fn hidden()\n/* nested */ fn still_hidden()\n*/\n  fn   target(t, s) {}";
        let found = definitions(script);
        assert_eq!(found.get("severity"), Some(&(2, 1)));
        assert_eq!(found.get("helper"), Some(&(4, 9)));
        // Line 8, two spaces, then `fn`: column 3.
        assert_eq!(found.get("target"), Some(&(8, 3)));
        assert_eq!(found.get("ghost"), None);
        assert_eq!(found.get("fake"), None);
        assert_eq!(found.get("hidden"), None);
        assert_eq!(found.get("still_hidden"), None);
        assert_eq!(found.len(), 3);
    }
}
