//! The committed header `include/aftersales.h` is what cbindgen generates
//! from this crate and `cbindgen.toml`, and `include/aftersales_ffi.h`, the
//! same declarations for FFIs that read no preprocessor line, is what
//! `ffi_header` derives from it. Run with
//! `AFTERSALES_UPDATE_HEADER=1` to rewrite it after changing the API or
//! the reason codes (the header lists them, from the core's code table).

// A test's helpers: a failure is the test failing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

/// The version macros, from the crate's version.
fn version_macros() -> String {
    format!(
        "\n#define AFTERSALES_VERSION \"{}\"\n#define AFTERSALES_VERSION_MAJOR {}\n#define AFTERSALES_VERSION_MINOR {}\n#define AFTERSALES_VERSION_PATCH {}\n",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
    )
}

/// The reason codes, one macro each, generated from the core's code table
/// (`aftersales::Code::ALL`, the table docs/reasons.md is made
/// from): `AFTERSALES_REASON_FEES_DIAGNOSTIC` is `"fees.diagnostic"`.
fn reason_code_macros() -> String {
    use aftersales::{Code, Lang};
    let mut out = String::from(
        "
/*
 * Reason codes. With `because` = codes, every reason of an answer is
 * {\"code\": ..., \"args\": {...}}: one of these codes with its arguments
 * by name, or \"text\" (AFTERSALES_REASON_TEXT) for a policy's own words.
 * The codes are a public contract; docs/reasons.md gives each code's
 * arguments and its English and Chinese templates. Generated from the
 * engine's code table.
 */
#define AFTERSALES_REASON_TEXT \"text\"
",
    );
    let mut names = std::collections::BTreeSet::new();
    for code in Code::ALL {
        let name: String = code
            .code()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        assert!(names.insert(name.clone()), "two codes make {name}");
        let template = code.template(Lang::En).replace("*/", "* /");
        out.push_str(&format!(
            "/** {template} */\n#define AFTERSALES_REASON_{name} \"{}\"\n",
            code.code()
        ));
    }
    out
}

/// The C header's text as cbindgen generates it, with the C wording of
/// the safety notes (rustdoc's `# Safety` heading becomes "Pointers:").
fn generated_header(dir: &Path) -> String {
    let mut config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).unwrap();
    config.after_includes = Some(format!("{}{}", version_macros(), reason_code_macros()));
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .unwrap()
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    assert!(
        !generated.contains("# Safety\n * \n"),
        "an empty safety note"
    );
    generated.replace(" * # Safety\n * ", " * Pointers: ")
}

/// `text` without its C comments.
fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    loop {
        let block = rest.find("/*");
        let line = rest.find("//");
        match (block, line) {
            (Some(b), l) if l.is_none_or(|l| b < l) => {
                out.push_str(&rest[..b]);
                let end = rest[b..].find("*/").expect("an unclosed comment") + b + 2;
                rest = &rest[end..];
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                rest = rest[l..].find('\n').map_or("", |end| &rest[l + end..]);
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// The FFI header: the main header's declarations as a C11 compiler that
/// is not C++ reads them, with no preprocessor line at all (PHP's
/// `FFI::cdef`, Python's cffi and LuaJIT's `ffi.cdef` read declarations,
/// not directives), its integer macros as enum constants, and no comments
/// but the one on top. The string macros (the version, the reason codes)
/// have no place in it: they are in the main header.
fn ffi_header(main: &str) -> String {
    let mut constants = Vec::new();
    let mut body = String::new();
    // Whether each open conditional is taken, for C11 and not C++.
    let mut taken: Vec<bool> = Vec::new();
    for line in without_comments(main).lines() {
        let directive = line.trim_start();
        if let Some(directive) = directive.strip_prefix('#') {
            let directive = directive.trim();
            match directive {
                "ifndef AFTERSALES_H" | "ifndef __cplusplus" => taken.push(true),
                "ifdef __cplusplus"
                | "if __STDC_VERSION__ >= 202311L"
                | "if defined(__cplusplus) || __STDC_VERSION__ >= 202311L" => taken.push(false),
                "else" => {
                    let last = taken.last_mut().expect("#else outside a conditional");
                    *last = !*last;
                }
                "endif" => {
                    taken.pop().expect("#endif outside a conditional");
                }
                _ if directive.starts_with("include") || directive == "define AFTERSALES_H" => {}
                _ if directive.starts_with("define ") => {
                    let mut words = directive.split_whitespace().skip(1);
                    let (name, value) = (words.next().unwrap(), words.next().unwrap_or(""));
                    if value.parse::<i32>().is_ok() && taken.iter().all(|t| *t) {
                        constants.push(format!("  {name} = {value}"));
                    }
                }
                _ => panic!("the FFI header has no rule for `#{directive}`"),
            }
            continue;
        }
        if taken.iter().all(|t| *t) {
            body.push_str(line.trim_end());
            body.push('\n');
        }
    }
    assert!(taken.is_empty(), "an unclosed conditional");
    // No blank line but one after each declaration.
    let mut tidy = String::new();
    let mut depth = 0i32;
    for line in body.lines().filter(|line| !line.trim().is_empty()) {
        depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
        tidy.push_str(line);
        tidy.push('\n');
        if depth == 0 && line.ends_with(';') {
            tidy.push('\n');
        }
    }
    format!(
        "/* aftersales_ffi.h: the declarations of aftersales.h, for FFIs that read\n   \
         C declarations but no preprocessor (PHP FFI::cdef, Python cffi, LuaJIT\n   \
         ffi.cdef). Generated from aftersales.h by ffi-c/tests/header.rs; do not\n   \
         edit. The documentation is in aftersales.h; the integer macros are the\n   \
         constants below; AFTERSALES_AS_OF_FROM_TICKET is the smallest int64_t\n   \
         (PHP_INT_MIN). The types are C's own: uint32_t, int64_t, size_t, bool. */\n\n\
         enum {{\n{}\n}};\n\n{}\n",
        constants.join(",\n"),
        tidy.trim()
    )
}

/// Writes `text` to `path` with `AFTERSALES_UPDATE_HEADER` set, else
/// requires the committed file to be `text`.
fn check_or_update(path: &Path, text: &str) {
    if std::env::var_os("AFTERSALES_UPDATE_HEADER").is_some() {
        std::fs::write(path, text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == text,
        "{} differs from what is generated; regenerate it with\n  \
         AFTERSALES_UPDATE_HEADER=1 cargo test -p aftersales-ffi --test header\n\
         and review the diff",
        path.display()
    );
}

#[test]
fn the_committed_headers_are_the_generated_ones() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let main = generated_header(dir);
    check_or_update(&dir.join("include/aftersales.h"), &main);
    check_or_update(&dir.join("include/aftersales_ffi.h"), &ffi_header(&main));
}

/// The FFI header has every function and constant of the main one, and no
/// line an FFI cannot read.
#[test]
fn the_ffi_header_declares_what_the_main_one_does() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let main = generated_header(dir);
    let ffi = ffi_header(&main);
    assert!(!ffi.lines().any(|line| line.trim_start().starts_with('#')));
    assert!(!ffi.contains("//"));
    let functions = |text: &str| -> Vec<String> {
        let mut names: Vec<String> = without_comments(text)
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|word| word.starts_with("aftersales_"))
            .map(str::to_string)
            .collect();
        names.sort();
        names.dedup();
        names
    };
    assert_eq!(functions(&main), functions(&ffi));
    for name in [
        "AFTERSALES_RESULT_OK = 0",
        "AFTERSALES_RESULT_BUFFER_TOO_SMALL = 103",
        "AFTERSALES_EVALUATE_TRACE = 1",
        "AFTERSALES_EVALUATE_BECAUSE_NONE = 8",
        "AFTERSALES_VERSION_MAJOR = 0",
    ] {
        assert!(ffi.contains(name), "{name}");
    }
    assert!(ffi.contains("typedef uint32_t aftersales_result;"));
}
