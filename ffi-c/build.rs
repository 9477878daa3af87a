//! Link settings of the C library.
//!
//! On ELF platforms the shared library carries the SONAME
//! `libaftersales.so.ABI`, where ABI is [`ABI_VERSION`]: programs linked
//! against it record that name, so a library with an incompatible ABI
//! (a new ABI version) installs beside the old one. The rule for bumping
//! it is in ffi-c/README.md ("ABI version").

/// The ABI version: the number in the SONAME. Bumped when a program built
/// against the previous header may no longer run against the library
/// (a function removed or its signature changed, a struct's layout
/// changed, a result code, flag or constant renumbered).
const ABI_VERSION: u32 = 0;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-env=AFTERSALES_ABI_VERSION={ABI_VERSION}");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let family = std::env::var("CARGO_CFG_TARGET_FAMILY").unwrap_or_default();
    if family == "unix" && os != "macos" && os != "ios" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libaftersales.so.{ABI_VERSION}");
    }
}
