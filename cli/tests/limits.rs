//! The CLI's side of the rule limits (issue 20): the operator's backstop
//! variable refused out of range with its name and range, and `fuzz`
//! bounded by `--time-limit`, shrinking included.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aftersales-cli-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_operator_backstop_is_refused_out_of_range_with_its_name_and_range() {
    for value in ["0", "-1", "600001", "abc", ""] {
        let out = Command::new(env!("CARGO_BIN_EXE_aftersales"))
            .args(["check", "examples/policies/hot_water_meter.toml"])
            .env("AFTERSALES_RULE_TIME_LIMIT_MS", value)
            .current_dir(root())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{value}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains(&format!(
                "error[policy]: `AFTERSALES_RULE_TIME_LIMIT_MS`: AFTERSALES_RULE_TIME_LIMIT_MS=`{value}` \
                 is not accepted: it is the wall-clock backstop of every rule call, a whole number \
                 of milliseconds from 1000 to 600000; unset it for the default of 10000 ms"
            )),
            "{value}: {stdout}"
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_aftersales"))
        .args(["check", "examples/policies/hot_water_meter.toml"])
        .env("AFTERSALES_RULE_TIME_LIMIT_MS", "60000")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success());
}

/// A rule that takes seconds breaks fuzz's time bound on every ticket;
/// shrinking would re-run it up to 2,000 times. Within `--time-limit 3`
/// the run ends after a few evaluations, with the counter-example as far as
/// it was shrunk.
#[test]
fn fuzz_ends_within_its_time_limit_shrinking_included() {
    let policy = temp(
        "slow.toml",
        "[policy]\nid = \"slow\"\nversion = \"1\"\ntimezone = \"UTC\"\n\
         rule_operation_limit = 100_000_000\nrule_time_limit = \"600s\"\n\
         script = '''\nfn target(ticket, severity) { let n = 0; for i in 0..3000000 { n += 1; } hours(1) }\n'''\n\
         [[targets]]\nmetric = \"resolve\"\nstop = \"resolved\"\ntarget = { rule = \"target\" }\n",
    );
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_aftersales"))
        .args([
            "fuzz",
            policy.to_str().unwrap(),
            "--cases",
            "3",
            "--time-limit",
            "3",
        ])
        .output()
        .unwrap();
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("property failed: every call under its time bound"),
        "{stdout}"
    );
    assert!(took < Duration::from_secs(90), "{took:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_aftersales"))
        .args(["fuzz", policy.to_str().unwrap(), "--time-limit", "0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--time-limit"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
