//! The `aftersales` command line.

fn main() {
    println!("aftersales {}", env!("CARGO_PKG_VERSION"));
}
