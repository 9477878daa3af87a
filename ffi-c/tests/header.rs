//! The committed header `include/aftersales.h` is what cbindgen generates
//! from this crate and `cbindgen.toml`. Run with
//! `AFTERSALES_UPDATE_HEADER=1` to rewrite it after changing the API.

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

#[test]
fn the_committed_header_is_the_generated_one() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).unwrap();
    config.after_includes = Some(version_macros());
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
