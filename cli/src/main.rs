//! The `aftersales` command line: evaluate tickets against a policy, lint a
//! policy, explain one ticket's decisions. A thin adapter over the engine:
//! it reads files, formats answers and holds no policy logic.

mod input;
mod output;

/// mimalloc: evaluations allocate many small strings and maps, and glibc's
/// allocator spent a fifth of the instructions of an evaluation (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use aftersales::evaluation::EvaluateOptions;
use aftersales::policy::Level;
use aftersales::Policy;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

/// Evaluate after-sales service policies: SLA deadlines, warranty, charges.
#[derive(Parser)]
#[command(name = "aftersales", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output formats of `eval`.
#[derive(Clone, Copy, ValueEnum)]
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
        /// The evaluation instant (RFC 3339); default now.
        #[arg(long)]
        as_of: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
        /// Include every rule that fired (jsonl only).
        #[arg(long)]
        trace: bool,
    },
    /// Lint a policy: errors and warnings with their location.
    Check {
        /// The policy manifest (.toml).
        policy: String,
    },
    /// Explain one ticket: every decision and the rule that made it.
    Explain {
        /// The policy manifest (.toml).
        policy: String,
        /// The ticket's id.
        ticket_id: String,
        /// The tickets file holding it.
        tickets: String,
        /// The evaluation instant (RFC 3339); default now.
        #[arg(long)]
        as_of: Option<String>,
    },
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
        } => eval(&policy, &tickets, as_of.as_deref(), format, trace),
        Command::Check { policy } => check(&policy),
        Command::Explain {
            policy,
            ticket_id,
            tickets,
            as_of,
        } => explain(&policy, &ticket_id, &tickets, as_of.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(reason) => {
            eprintln!("aftersales: {reason}");
            ExitCode::from(2)
        }
    }
}

fn parse_as_of(as_of: Option<&str>) -> Result<DateTime<Utc>, String> {
    match as_of {
        None => Ok(Utc::now()),
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| format!("--as-of `{text}` is not an RFC 3339 instant such as 2026-03-03T12:00:00+08:00: {e}")),
    }
}

fn load_policy(path: &str) -> Result<Policy, String> {
    Policy::from_path(path).map_err(|e| e.to_string())
}

/// Tickets per batch between progress updates.
const BATCH: usize = 2_000;

fn eval(
    policy: &str,
    tickets: &str,
    as_of: Option<&str>,
    format: Format,
    trace: bool,
) -> Result<ExitCode, String> {
    let as_of = parse_as_of(as_of)?;
    let policy = load_policy(policy)?;
    let entries = input::parse_tickets(&input::read_text(tickets)?)?;
    let progress = (entries.len() > BATCH).then(|| {
        let bar = indicatif::ProgressBar::new(entries.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} tickets {per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let options = EvaluateOptions { trace };
    let mut writer = output::Writer::new(format, std::io::stdout().lock())?;
    let mut failed = 0usize;
    for batch in entries.chunks(BATCH) {
        let valid: Vec<aftersales::Ticket> = batch
            .iter()
            .filter_map(|e| e.ticket.as_ref().ok().cloned())
            .collect();
        let mut results = policy
            .evaluate_many_with(&valid, as_of, options)
            .into_iter();
        for entry in batch {
            let result = match &entry.ticket {
                Ok(_) => results.next().unwrap_or_else(|| {
                    Err(aftersales::Error::ticket("", "", "lost in evaluation"))
                }),
                Err(e) => Err(e.clone()),
            };
            if let Err(e) = &result {
                failed += 1;
                eprintln!("aftersales: ticket at position {}: {e}", entry.position);
            }
            writer.write(entry.position, &result)?;
        }
        if let Some(bar) = &progress {
            bar.inc(batch.len() as u64);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    writer.finish()?;
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn check(path: &str) -> Result<ExitCode, String> {
    let diagnostics = Policy::check_path(path);
    for d in &diagnostics {
        println!("{path}: {d}");
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
    println!(
        "{path}: ok: policy {} version {}, {} metric(s), {} warning(s), {}",
        policy.id(),
        policy.version(),
        policy.metric_names().len(),
        diagnostics.len(),
        policy.digest()
    );
    Ok(ExitCode::SUCCESS)
}

fn explain(
    policy: &str,
    ticket_id: &str,
    tickets: &str,
    as_of: Option<&str>,
) -> Result<ExitCode, String> {
    let as_of = parse_as_of(as_of)?;
    let policy = load_policy(policy)?;
    let entries = input::parse_tickets(&input::read_text(tickets)?)?;
    let found = entries.into_iter().find(|e| match &e.ticket {
        Ok(t) => t.id == ticket_id,
        Err(aftersales::Error::Ticket { ticket, .. }) => ticket == ticket_id,
        Err(_) => false,
    });
    let ticket = match found {
        Some(entry) => entry.ticket.map_err(|e| e.to_string())?,
        None => return Err(format!("no ticket `{ticket_id}` in `{tickets}`")),
    };
    let evaluation = policy
        .evaluate_with(&ticket, as_of, EvaluateOptions { trace: true })
        .map_err(|e| e.to_string())?;
    print!("{}", output::explanation(&evaluation));
    Ok(ExitCode::SUCCESS)
}
