//! The committed header `include/aftersales.h` is what cbindgen generates
//! from this crate and `cbindgen.toml`. Run with
//! `AFTERSALES_UPDATE_HEADER=1` to rewrite it after changing the API or
//! the reason codes (the header lists them, from the core's code table).

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

#[test]
fn the_committed_header_is_the_generated_one() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
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
    let path = dir.join("include/aftersales.h");
    if std::env::var_os("AFTERSALES_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/aftersales.h differs from what cbindgen generates; regenerate it with\n  \
         AFTERSALES_UPDATE_HEADER=1 cargo test -p aftersales-ffi --test header\n\
         and review the diff"
    );
}
