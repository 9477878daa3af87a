//! The same answer under any load (issue 20): every example pack, its
//! tickets repeated so that the run lasts a few seconds, evaluated by the
//! CLI once undisturbed and once while this test stops and resumes the
//! process (SIGSTOP / SIGCONT) every 50–150 ms. The two outputs must be
//! byte-identical: a rule's limits count its work, never the time it took,
//! so a machine that pauses a process changes nothing in the answer.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Each pack of `examples/packs.txt` with its `as_of`.
fn packs() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("examples/packs.txt")).unwrap();
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut words = l.split_whitespace();
            (
                words.next().unwrap().to_string(),
                words.next().unwrap().to_string(),
            )
        })
        .collect()
}

/// How many times each pack's tickets are repeated.
const REPEAT: usize = 40;

/// The tickets of `pack`, repeated [`REPEAT`] times, in a file of their own.
fn repeated_tickets(pack: &str) -> PathBuf {
    let text =
        std::fs::read_to_string(root().join(format!("examples/tickets/{pack}.jsonl"))).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut out = String::new();
    for _ in 0..REPEAT {
        for line in &lines {
            out.push_str(line);
            out.push('\n');
        }
    }
    let dir = std::env::temp_dir().join(format!("aftersales-stalls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{pack}.jsonl"));
    std::fs::write(&path, out).unwrap();
    path
}

/// Sends `signal` (`STOP`, `CONT`) to process `pid`.
fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} {pid}");
}

/// Runs `aftersales eval` and returns its stdout, its stderr and how many
/// times it was stopped (`stall`: stop and resume it every 50–150 ms).
fn eval(pack: &str, as_of: &str, tickets: &Path, stall: bool) -> (Vec<u8>, String, u32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftersales"))
        .args([
            "eval",
            &format!("examples/policies/{pack}.toml"),
            tickets.to_str().unwrap(),
            "--as-of",
            as_of,
            "--trace",
        ])
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).unwrap();
        text
    });
    let mut stops = 0;
    if stall {
        // A fixed pseudo-random sequence of pauses and runs of 50–150 ms.
        let mut state: u64 = 0x2026_1207;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            Duration::from_millis(50 + (state >> 33) % 101)
        };
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(600) {
            std::thread::sleep(next());
            if child.try_wait().unwrap().is_some() {
                break;
            }
            signal(child.id(), "STOP");
            stops += 1;
            std::thread::sleep(next());
            signal(child.id(), "CONT");
        }
    }
    let status = child.wait().unwrap();
    let out = reader.join().unwrap();
    let err = errors.join().unwrap();
    assert!(status.success(), "{pack}: {status}: {err}");
    (out, err, stops)
}

#[test]
fn a_stopped_and_resumed_cli_gives_the_same_answers() {
    for (pack, as_of) in packs() {
        let tickets = repeated_tickets(&pack);
        let started = Instant::now();
        let (calm, calm_err, _) = eval(&pack, &as_of, &tickets, false);
        let took = started.elapsed();
        let (stalled, stalled_err, stops) = eval(&pack, &as_of, &tickets, true);
        eprintln!("{pack}: {took:?} undisturbed, stopped {stops} times when stalled");
        assert!(!calm.is_empty(), "{pack}: no output");
        assert_eq!(calm_err, stalled_err, "{pack}: stderr differs");
        let lines = calm
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
        let tickets = std::fs::read_to_string(&tickets).unwrap().lines().count();
        assert_eq!(lines, tickets, "{pack}: one answer per ticket");
        if calm != stalled {
            let calm = String::from_utf8_lossy(&calm);
            let stalled = String::from_utf8_lossy(&stalled);
            let (a, b) = calm
                .lines()
                .zip(stalled.lines())
                .find(|(a, b)| a != b)
                .unwrap_or_default();
            panic!("{pack}: the answers differ under stalls (stopped {stops} times):\n{a}\n{b}");
        }
        assert!(
            stops >= 1,
            "{pack}: the run ended before it could be stopped"
        );
    }
}
