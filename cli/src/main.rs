//! The `aftersales` command line: evaluate tickets against a policy, lint a
//! policy, explain one ticket's decisions. A thin adapter over the engine:
//! it reads files, formats answers and holds no policy logic.

mod output;

/// mimalloc: evaluations allocate many small strings and maps, and glibc's
/// allocator spent a fifth of the instructions of an evaluation (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use aftersales::EvaluateOptions;
use aftersales::Level;
use aftersales::{api, Policy};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::process::ExitCode;

/// Evaluate after-sales service policies: SLA deadlines, warranty, charges.
#[derive(Parser)]
#[command(name = "aftersales", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output formats of `eval`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One evaluation (or error) as JSON per line.
    Jsonl,
    /// One row per ticket and metric, CSV with a header.
    Csv,
    /// One row per ticket and metric, aligned for reading.
    Table,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate tickets (JSON lines or a JSON array; `-` for stdin).
    Eval {
        /// The policy manifest (.toml).
        policy: String,
        /// The tickets.
        tickets: String,
        /// The evaluation instant: RFC 3339, or `now`; without it, each
        /// ticket's own `as_of` (a ticket without one is an error).
        #[arg(long)]
        as_of: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
        /// Include every rule that fired (jsonl only).
        #[arg(long)]
        trace: bool,
        /// The language of the reasons: `en` or `zh-CN`.
        #[arg(long, default_value = "en")]
        lang: aftersales::Lang,
        /// What `because` carries: `text` (in --lang), `codes` (code and
        /// arguments, see docs/reasons.md) or `none`.
        #[arg(long, default_value = "text")]
        because: aftersales::Because,
        /// Tickets evaluated together between writes (tuning and tests; the
        /// answers do not depend on it).
        #[arg(long, hide = true, default_value_t = CHUNK, value_parser = chunk_range())]
        chunk: u64,
        /// The longest ticket line (or JSON array element) read, in bytes;
        /// a longer one is an error and ends the input.
        #[arg(long, env = "AFTERSALES_MAX_LINE_BYTES", default_value_t = MAX_LINE_BYTES, value_parser = line_range())]
        max_line_bytes: u64,
        /// Write CSV cells as they are: without it, a cell that a
        /// spreadsheet would read as a formula (starting with `=`, `+`,
        /// `-`, `@`, tab or CR, and not a number) gets a leading `'`.
        #[arg(long)]
        csv_raw: bool,
    },
    /// Lint a policy: errors and warnings with their location.
    Check {
        /// The policy manifest (.toml).
        policy: String,
    },
    /// The portfolio's KPIs and totals over a set of tickets.
    Report {
        /// The policy manifest (.toml).
        policy: String,
        /// The tickets (JSON lines or a JSON array; `-` for stdin).
        tickets: String,
        /// The evaluation instant: RFC 3339, or `now`; without it, each
        /// ticket's own `as_of` (a ticket without one is an error).
        #[arg(long)]
        as_of: Option<String>,
        /// Print the report as JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Tickets evaluated together between writes (tuning and tests; the
        /// answers do not depend on it).
        #[arg(long, hide = true, default_value_t = CHUNK, value_parser = chunk_range())]
        chunk: u64,
        /// The longest ticket line (or JSON array element) read, in bytes;
        /// a longer one is an error and ends the input.
        #[arg(long, env = "AFTERSALES_MAX_LINE_BYTES", default_value_t = MAX_LINE_BYTES, value_parser = line_range())]
        max_line_bytes: u64,
    },
    /// Fuzz a policy: generated tickets against the engine's invariants and
    /// the policy's `[[properties]]`; a failure prints the shrunk ticket.
    Fuzz {
        /// The policy manifest (.toml).
        policy: String,
        /// How many tickets to try, from 1 to 10,000,000.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
        cases: u32,
        /// The seed: the same seed tries the same tickets.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// The most seconds the whole run may take, shrinking included
        /// (1 to 86400): past it no further ticket is tried, and a
        /// counter-example is shown as far as it was shrunk.
        #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86_400))]
        time_limit: u64,
    },
    /// Explain one ticket: every decision and the rule that made it.
    Explain {
        /// The policy manifest (.toml).
        policy: String,
        /// The ticket's id.
        ticket_id: String,
        /// The tickets file holding it.
        tickets: String,
        /// The evaluation instant: RFC 3339, or `now`; without it, each
        /// ticket's own `as_of` (a ticket without one is an error).
        #[arg(long)]
        as_of: Option<String>,
        /// The language of the explanation: `en` or `zh-CN`.
        #[arg(long, default_value = "en")]
        lang: aftersales::Lang,
        /// The longest ticket line (or JSON array element) read, in bytes;
        /// a longer one is an error and ends the input.
        #[arg(long, env = "AFTERSALES_MAX_LINE_BYTES", default_value_t = MAX_LINE_BYTES, value_parser = line_range())]
        max_line_bytes: u64,
    },
}

/// `--chunk`'s default.
const CHUNK: u64 = api::CHUNK as u64;

/// `--max-line-bytes`' default.
const MAX_LINE_BYTES: u64 = api::MAX_LINE_BYTES as u64;

/// `--chunk`: 1 to `api::MAX_CHUNK` tickets.
fn chunk_range() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(1..=api::MAX_CHUNK as u64)
}

/// `--max-line-bytes`: 1 byte to `api::MAX_LINE_BYTES_CEILING`.
fn line_range() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(1..=api::MAX_LINE_BYTES_CEILING as u64)
}

/// A stream's batching from the range-checked options.
fn batching(chunk: u64, max_line_bytes: u64) -> api::Batching {
    api::Batching {
        chunk: usize::try_from(chunk).unwrap_or(api::CHUNK),
        max_line_bytes: usize::try_from(max_line_bytes).unwrap_or(api::MAX_LINE_BYTES),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Eval {
            policy,
            tickets,
            as_of,
            format,
            trace,
            lang,
            because,
            chunk,
            max_line_bytes,
            csv_raw,
        } => {
            let options = EvaluateOptions {
                trace,
                lang,
                because,
            };
            let output = output::Options { format, csv_raw };
            eval(
                &policy,
                &tickets,
                as_of.as_deref(),
                output,
                options,
                batching(chunk, max_line_bytes),
            )
        }
        Command::Check { policy } => check(&policy),
        Command::Report {
            policy,
            tickets,
            as_of,
            json,
            chunk,
            max_line_bytes,
        } => report(
            &policy,
            &tickets,
            as_of.as_deref(),
            json,
            batching(chunk, max_line_bytes),
        ),
        Command::Explain {
            policy,
            ticket_id,
            tickets,
            as_of,
            lang,
            max_line_bytes,
        } => explain(
            &policy,
            &ticket_id,
            &tickets,
            as_of.as_deref(),
            lang,
            batching(api::CHUNK as u64, max_line_bytes).max_line_bytes,
        ),
        Command::Fuzz {
            policy,
            cases,
            seed,
            time_limit,
        } => fuzz(&policy, cases, seed, time_limit),
    };
    match result {
        Ok(code) => code,
        Err(Failure::ClosedPipe) => ExitCode::SUCCESS,
        Err(Failure::Reason(reason)) => {
            eprintln!("aftersales: {reason}");
            ExitCode::from(2)
        }
    }
}

/// Why a command stopped.
enum Failure {
    /// The reader of the output went away (`aftersales … | head -1`): not an error.
    ClosedPipe,
    /// Bad input or arguments: a one-line reason.
    Reason(String),
}

impl From<String> for Failure {
    fn from(reason: String) -> Self {
        Failure::Reason(reason)
    }
}

/// An output error: a closed pipe ends quietly, anything else is a reason.
fn output_error(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::ClosedPipe
    } else {
        Failure::Reason(format!("cannot write the output: {e}"))
    }
}

/// The call's `as_of`: an RFC 3339 instant, `now` (read once, when the
/// command starts), or none given — then each ticket's own `as_of`, and a
/// ticket without one is an error entry, as in every host.
fn parse_as_of(as_of: Option<&str>) -> Result<Option<DateTime<Utc>>, String> {
    match as_of {
        None => Ok(None),
        Some("now") => Ok(Some(Utc::now())),
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|e| format!("--as-of `{text}` is not an RFC 3339 instant such as 2026-03-03T12:00:00+08:00, nor `now`: {e}")),
    }
}

fn load_policy(path: &str) -> Result<Policy, String> {
    Policy::from_path(path).map_err(|e| e.to_string())
}

/// The tickets as a buffered reader: a file, or stdin for `-`.
fn open_tickets(path: &str) -> Result<Box<dyn BufRead>, String> {
    if path == "-" {
        return Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())));
    }
    std::fs::File::open(path)
        .map(|f| Box::new(BufReader::with_capacity(1 << 16, f)) as Box<dyn BufRead>)
        .map_err(|e| format!("cannot read `{path}`: {e}"))
}

/// A progress counter on stderr when it is a terminal.
fn progress() -> Option<indicatif::ProgressBar> {
    io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} tickets {per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    })
}

fn eval(
    policy: &str,
    tickets: &str,
    as_of: Option<&str>,
    output: output::Options,
    options: EvaluateOptions,
    batching: api::Batching,
) -> Result<ExitCode, Failure> {
    let as_of = parse_as_of(as_of)?;
    let policy = load_policy(policy)?;
    let reader = open_tickets(tickets)?;
    let stdout = io::stdout().lock();
    let mut writer = output::Writer::new(output, io::BufWriter::with_capacity(1 << 16, stdout))
        .map_err(output_error)?;
    let bar = progress();
    let mut failed = 0u64;
    let mut stderr = io::stderr().lock();
    let rendered = writer.renders();
    let render = |position: u64, answer: &api::Answer, out: &mut Vec<u8>| {
        output::render(position, answer, out)
    };
    api::evaluate_stream_rendered(
        &policy,
        reader,
        as_of,
        options,
        batching,
        if rendered { &render } else { &|_, _, _| {} },
        |position, answer, bytes| {
            if let Err(e) = &answer {
                failed += 1;
                if bar.is_none() {
                    let _ = writeln!(
                        stderr,
                        "aftersales: ticket at position {position}: {}",
                        e.message
                    );
                }
            }
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            if rendered {
                writer.write_rendered(bytes)
            } else {
                writer.write(position, &answer)
            }
        },
    )
    .map_err(output_error)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
        if failed > 0 {
            let _ = writeln!(
                stderr,
                "aftersales: {failed} ticket(s) could not be evaluated"
            );
        }
    }
    writer.finish().map_err(output_error)?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn report(
    policy: &str,
    tickets: &str,
    as_of: Option<&str>,
    json: bool,
    batching: api::Batching,
) -> Result<ExitCode, Failure> {
    let as_of = parse_as_of(as_of)?;
    let policy = load_policy(policy)?;
    let reader = open_tickets(tickets)?;
    let bar = progress();
    let report = api::evaluate_stream_chunked(
        &policy,
        reader,
        as_of,
        EvaluateOptions::default(),
        batching,
        |_, _| {
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            Ok(())
        },
    )
    .map_err(|e| format!("cannot read the tickets: {e}"))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let text = if json {
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
    } else {
        report.to_table()
    };
    io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(output_error)?;
    if let Some(error) = report.money.overflow_error() {
        eprintln!("aftersales: {error}");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn check(path: &str) -> Result<ExitCode, Failure> {
    let diagnostics = Policy::check_path(path);
    let mut out = io::stdout().lock();
    for d in &diagnostics {
        writeln!(out, "{path}: {d}").map_err(output_error)?;
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    if errors > 0 {
        eprintln!("aftersales: {path}: {errors} error(s)");
        return Ok(ExitCode::from(1));
    }
    let policy = load_policy(path)?;
    writeln!(
        out,
        "{path}: ok: policy {} version {}, {} metric(s), {} warning(s), {}",
        policy.id(),
        policy.version(),
        policy.metric_names().len(),
        diagnostics.len(),
        policy.digest()
    )
    .map_err(output_error)?;
    Ok(ExitCode::SUCCESS)
}

fn explain(
    policy: &str,
    ticket_id: &str,
    tickets: &str,
    as_of: Option<&str>,
    lang: aftersales::Lang,
    max_line_bytes: usize,
) -> Result<ExitCode, Failure> {
    let as_of = parse_as_of(as_of)?;
    let policy = load_policy(policy)?;
    let mut found: Option<(u64, Result<aftersales::Ticket, aftersales::Error>)> = None;
    // The first entry that could not be read at all: the ticket may be in it.
    let mut unreadable: Option<String> = None;
    for entry in api::TicketReader::new(open_tickets(tickets)?).with_max_line_bytes(max_line_bytes)
    {
        let matches = match &entry.ticket {
            Ok(t) => t.id == ticket_id,
            Err(aftersales::Error::Ticket { ticket, .. }) => ticket == ticket_id,
            Err(e) => {
                if unreadable.is_none() {
                    unreadable = Some(e.to_string());
                }
                false
            }
        };
        if !matches {
            continue;
        }
        if let Some((first, _)) = &found {
            return Err(format!(
                "two tickets have the id `{ticket_id}` in `{tickets}` (positions {first} and {}): explain needs one",
                entry.position
            )
            .into());
        }
        found = Some((entry.position, entry.ticket));
    }
    let ticket = match found {
        Some((_, ticket)) => ticket.map_err(|e| e.to_string())?,
        None => {
            return Err(match unreadable {
                Some(e) => format!(
                    "no ticket `{ticket_id}` in `{tickets}`, which has unreadable input: {e}"
                ),
                None => format!("no ticket `{ticket_id}` in `{tickets}`"),
            }
            .into())
        }
    };
    let evaluation = api::evaluate_ticket(
        &policy,
        &ticket,
        as_of,
        EvaluateOptions {
            trace: true,
            // Reasons stay codes: the explanation writes them in `lang`.
            because: aftersales::Because::Codes,
            ..EvaluateOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    io::stdout()
        .lock()
        .write_all(api::explain_in(&evaluation, lang).as_bytes())
        .map_err(output_error)?;
    Ok(ExitCode::SUCCESS)
}

fn fuzz(path: &str, cases: u32, seed: u64, time_limit: u64) -> Result<ExitCode, Failure> {
    let policy = load_policy(path)?;
    let bar = io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(u64::from(cases));
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} tickets {per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |n: u32| {
        if let Some(bar) = &bar {
            bar.set_position(u64::from(n));
        }
    };
    let budget = std::time::Duration::from_secs(time_limit);
    let result = aftersales::testing::fuzz_within(&policy, cases, seed, Some(budget), &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut out = io::stdout().lock();
    match result {
        Ok(tried) => {
            writeln!(
                out,
                "{path}: ok: {tried} generated ticket(s) (seed {seed}) hold every invariant and {} propert{}{}",
                policy.property_names().len(),
                if policy.property_names().len() == 1 { "y" } else { "ies" },
                if tried < cases {
                    format!(" (the time limit of {time_limit} s ended the run before {cases})")
                } else {
                    String::new()
                }
            )
            .map_err(output_error)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(found) if found.ticket.is_none() => Err(Failure::Reason(format!(
            "{path}: {}",
            found.violation.detail
        ))),
        Err(found) => {
            writeln!(out, "{path}: property failed: {}", found.violation).map_err(output_error)?;
            if let Some(ticket) = &found.ticket {
                let text = serde_json::to_string_pretty(ticket).map_err(|e| e.to_string())?;
                writeln!(out, "counter-example (shrunk), seed {seed}:\n{text}")
                    .map_err(output_error)?;
            }
            if let Some(as_of) = found.as_of {
                writeln!(out, "as of {}", as_of.to_rfc3339()).map_err(output_error)?;
            }
            if let Some(evaluation) = &found.evaluation {
                let text = serde_json::to_string_pretty(evaluation).map_err(|e| e.to_string())?;
                writeln!(out, "evaluation:\n{text}").map_err(output_error)?;
            }
            eprintln!("aftersales: {path}: {}", found.violation.property);
            Ok(ExitCode::from(1))
        }
    }
}
