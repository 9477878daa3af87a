//! `check` (compile) time against policy size: 1,000 to 100,000 entries of
//! each kind that a policy can hold many of — `[[targets]]`,
//! `[[properties]]`, entries of one two-key target table, Rhai functions —
//! each raised in `[limits]` as far as it needs. Linear growth shows as a
//! constant time per entry across the sizes (see BENCHMARKS.md, "Policy
//! size").

use aftersales::Policy;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::fmt::Write as _;

const HEAD: &str = "[policy]\nid = \"big\"\nversion = \"1\"\ntimezone = \"Asia/Shanghai\"\n";

/// A policy with `n` entries of `kind`, its `[limits]` raised to fit.
fn policy(kind: &str, n: usize) -> String {
    let mut text = String::from(HEAD);
    match kind {
        "targets" => {
            for i in 0..n {
                let _ = write!(
                    text,
                    "[[targets]]\nmetric = \"m{i}\"\nstop = \"resolved\"\ntarget = \"1h\"\n"
                );
            }
            let _ = write!(text, "[limits]\ntargets = {n}\n");
        }
        "properties" => {
            for i in 0..n {
                let _ = write!(
                    text,
                    "[[properties]]\nname = \"p{i}\"\nholds = 'evaluation.sla.len() >= 0'\n"
                );
            }
            let _ = write!(text, "[limits]\nproperties = {n}\n");
        }
        "table_entries" => {
            text.push_str(
                "[[targets]]\nmetric = \"m\"\nstop = \"resolved\"\n\
                 target_by = [\"severity\", \"customer.zone\"]\ntarget = { normal = { ",
            );
            for i in 0..n {
                let _ = write!(text, "Z{i} = \"1h\", ");
            }
            text.push_str("\"*\" = \"2h\" } }\n");
            let _ = write!(text, "[limits]\ntable_entries = {}\n", n + 1);
        }
        _ => {
            text.push_str("script = '''\n");
            for i in 0..n {
                let _ = writeln!(text, "fn f{i}(x) {{ x + {i} }}");
            }
            text.push_str("'''\n");
            let _ = write!(text, "[limits]\nfunctions = {n}\nscript_bytes = 67108864\n");
        }
    }
    text
}

fn sizes(c: &mut Criterion) {
    for (kind, sizes) in [
        ("targets", &[1_000usize, 10_000, 100_000][..]),
        ("properties", &[1_000, 10_000, 100_000][..]),
        ("table_entries", &[1_000, 10_000, 100_000][..]),
        // At most 20,000 (`[limits] functions`): Rhai's parser is quadratic in them.
        ("functions", &[1_000, 5_000, 20_000][..]),
    ] {
        let mut group = c.benchmark_group(format!("check/{kind}"));
        group.sample_size(10);
        for &n in sizes {
            let text = policy(kind, n);
            assert!(
                Policy::check_source(&text, None)
                    .iter()
                    .all(|d| d.level != aftersales::Level::Error),
                "{kind} {n}"
            );
            group.throughput(Throughput::Elements(n as u64));
            group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
                b.iter(|| Policy::check_source(text, None))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, sizes);
criterion_main!(benches);
