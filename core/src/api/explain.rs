//! The readable explanation of one evaluation: every decision and the rule
//! that made it, as `aftersales explain` prints it.

use crate::duration::{format_human_in, ServiceDuration};
use crate::evaluation::Evaluation;
use crate::reason::{Lang, Reason, Term};
use crate::sla::MetricStatus;
use crate::warranty::WarrantyStatus;
use std::fmt::Write as _;

/// The fixed words of an explanation in one language.
struct Words {
    head: &'static str,
    severity: &'static str,
    promises: &'static str,
    target: &'static str,
    deadline: &'static str,
    warn_at: &'static str,
    elapsed: &'static str,
    remaining: &'static str,
    overdue: &'static str,
    sep: &'static str,
    colon: &'static str,
    warranty: &'static str,
    covered: &'static str,
    not_covered: &'static str,
    until: &'static str,
    remedy: &'static str,
    claim_by: &'static str,
    charges: &'static str,
    amount: &'static str,
    covered_col: &'static str,
    payable: &'static str,
    totals: &'static str,
    credits: &'static str,
    credit_for: &'static str,
    rules: &'static str,
}

const EN: Words = Words {
    head: "Ticket {0} — policy {1} {2} ({3}), as of {4}",
    severity: "\nSeverity: ",
    promises: "\nService promises:",
    target: "target ",
    deadline: "deadline ",
    warn_at: "warn at ",
    elapsed: "elapsed ",
    remaining: "remaining ",
    overdue: "overdue ",
    sep: ", ",
    colon: ": ",
    warranty: "\nWarranty: ",
    covered: "covered",
    not_covered: "not covered",
    until: " until ",
    remedy: "  remedy: {0} under {1} ({2}){3}",
    claim_by: ", claim by ",
    charges: "\nCharges ({0}):",
    amount: "amount",
    covered_col: "covered",
    payable: "payable",
    totals: "  subtotal {0}, tax {1}, total {2} (warranty and plans bore {3})",
    credits: "\nCredits:",
    credit_for: "  {0} {1} {2} for {3}",
    rules: "\nRules that fired, in order:",
};

const ZH: Words = Words {
    head: "工单 {0} — 政策 {1} {2}（{3}），评估时间 {4}",
    severity: "\n严重级别：",
    promises: "\n服务承诺：",
    target: "目标 ",
    deadline: "截止 ",
    warn_at: "预警 ",
    elapsed: "已用 ",
    remaining: "剩余 ",
    overdue: "超时 ",
    sep: "，",
    colon: "：",
    warranty: "\n保修：",
    covered: "在保",
    not_covered: "不在保",
    until: "，至 ",
    remedy: "  救济：{0}，依据 {1}（{2}）{3}",
    claim_by: "，须于 {0} 前提出",
    charges: "\n费用（{0}）：",
    amount: "金额",
    covered_col: "免付",
    payable: "应付",
    totals: "  小计 {0}，税 {1}，合计 {2}（保修及套餐承担 {3}）",
    credits: "\n补偿：",
    credit_for: "  {0} {1} {2}，因 {3}",
    rules: "\n依次触发的规则：",
};

/// `template` with `{0}`, `{1}`… replaced by `args`.
fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = template.to_string();
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), &arg.to_string());
    }
    out
}

fn reasons(text: &mut String, indent: &str, because: &[Reason], lang: Lang) {
    for reason in because {
        let _ = writeln!(text, "{indent}- {}", reason.render(lang));
    }
}

fn duration(d: &Option<crate::duration::Duration>, lang: Lang) -> String {
    d.map(|d| format_human_in(d.0, lang)).unwrap_or_default()
}

/// A metric's target in `lang`: as the answer writes it in English (`PT1H`,
/// `1bd`), in words in Chinese (`1 小时`, `1 个工作日`).
fn target(target: &str, lang: Lang) -> String {
    match (lang, ServiceDuration::parse(target)) {
        (Lang::En, _) | (_, Err(_)) => target.to_string(),
        (_, Ok(duration)) => duration.render(lang),
    }
}

/// A metric's status in `lang`: its JSON value in English (`breached`), a
/// word in Chinese (`已超时`).
fn status(status: MetricStatus, lang: Lang) -> String {
    let term = match status {
        MetricStatus::Pending => Term::MetricPending,
        MetricStatus::Running => Term::MetricRunning,
        MetricStatus::Paused => Term::MetricPaused,
        MetricStatus::Met => Term::MetricMet,
        MetricStatus::Breached => Term::MetricBreached,
        MetricStatus::NotApplicable => Term::MetricNotApplicable,
    };
    match lang {
        Lang::En => status.to_string(),
        _ => term.render(lang).to_string(),
    }
}

/// A warranty status in `lang`: its JSON value in English (`in_warranty`),
/// a word in Chinese (`在保`).
fn warranty_status(status: WarrantyStatus, lang: Lang) -> String {
    crate::reason::Arg::from(status).render(lang)
}

/// A credit's kind in `lang`: as the answer writes it in English
/// (`compensation`), a word in Chinese (`补偿`).
fn credit_kind(kind: &str, lang: Lang) -> String {
    let term = match kind {
        "service_credit" => Some(Term::ServiceCredit),
        "compensation" => Some(Term::Compensation),
        _ => None,
    };
    match (lang, term) {
        (Lang::En, _) | (_, None) => kind.to_string(),
        (_, Some(term)) => term.render(lang).to_string(),
    }
}

/// The readable explanation of one evaluation, in English.
pub fn explain(evaluation: &Evaluation) -> String {
    explain_in(evaluation, Lang::En)
}

/// The readable explanation of one evaluation in `lang`: the prose, every
/// coded reason, the statuses, durations, targets and credit kinds in that
/// language; names and codes from the policy and the answer as they are.
/// Evaluate with [`crate::Because::Codes`] so that the reasons are still
/// codes: a reason already rendered keeps the words it was rendered in.
pub fn explain_in(evaluation: &Evaluation, lang: Lang) -> String {
    let w = match lang {
        Lang::ZhCn => &ZH,
        _ => &EN,
    };
    let mut text = String::new();
    for section in [head, promises, warranty, remedy, charges, credits, rules] {
        section(&mut text, evaluation, w, lang);
    }
    text
}

/// The ticket, the policy and the instant; the severity and why.
fn head(text: &mut String, evaluation: &Evaluation, w: &Words, lang: Lang) {
    let as_of = evaluation.as_of.to_rfc3339();
    let _ = writeln!(
        text,
        "{}",
        fill(
            w.head,
            &[
                &evaluation.ticket,
                &evaluation.policy.id,
                &evaluation.policy.version,
                &evaluation.policy.digest,
                &as_of,
            ]
        )
    );
    let _ = writeln!(text, "{}{}", w.severity, evaluation.severity.level);
    reasons(text, "  ", &evaluation.severity.because, lang);
}

/// Each promise: its status, target, deadline and counted time, and why.
fn promises(text: &mut String, evaluation: &Evaluation, w: &Words, lang: Lang) {
    let _ = writeln!(text, "{}", w.promises);
    for metric in &evaluation.sla {
        let c = &metric.current;
        let mut facts = Vec::new();
        if let Some(t) = &metric.target {
            facts.push(format!("{}{}", w.target, target(t, lang)));
        }
        if let Some(d) = c.deadline {
            facts.push(format!("{}{}", w.deadline, d.to_rfc3339()));
        }
        if let Some(at) = c.warn_at {
            facts.push(format!("{}{}", w.warn_at, at.to_rfc3339()));
        }
        for (label, value) in [
            (w.elapsed, &c.elapsed),
            (w.remaining, &c.remaining),
            (w.overdue, &c.overdue),
        ] {
            if value.is_some() {
                facts.push(format!("{label}{}", duration(value, lang)));
            }
        }
        let _ = writeln!(
            text,
            "  {} [{}]{}{}{}",
            metric.metric,
            metric.calendar,
            w.colon,
            status(c.status, lang),
            if facts.is_empty() {
                String::new()
            } else {
                format!(" — {}", facts.join(w.sep))
            }
        );
        reasons(text, "      ", &metric.because, lang);
    }
}

/// The warranty status and each component's cover, and why.
fn warranty(text: &mut String, evaluation: &Evaluation, w: &Words, lang: Lang) {
    let _ = writeln!(
        text,
        "{}{}",
        w.warranty,
        warranty_status(evaluation.warranty.status, lang)
    );
    reasons(text, "  ", &evaluation.warranty.because, lang);
    for component in &evaluation.warranty.components {
        let _ = writeln!(
            text,
            "  {}{}{}{}",
            component.component,
            w.colon,
            if component.covered {
                w.covered
            } else {
                w.not_covered
            },
            component
                .until
                .map(|d| format!("{}{d}", w.until))
                .unwrap_or_default()
        );
        reasons(text, "      ", &component.because, lang);
    }
}

/// The remedy owed, if any: its kind, rule, basis and claim deadline.
fn remedy(text: &mut String, evaluation: &Evaluation, w: &Words, lang: Lang) {
    if let Some(remedy) = &evaluation.warranty.remedy {
        let kind = match lang {
            Lang::ZhCn => {
                let term = match remedy.kind {
                    crate::warranty::RemedyKind::Repair => crate::reason::Term::Repair,
                    crate::warranty::RemedyKind::Exchange => crate::reason::Term::Exchange,
                    crate::warranty::RemedyKind::Return => crate::reason::Term::Return,
                };
                term.render(lang).to_string()
            }
            _ => format!("{:?}", remedy.kind),
        };
        let claim = match (remedy.deadline, lang) {
            (None, _) => String::new(),
            (Some(d), Lang::ZhCn) => fill(w.claim_by, &[&d]),
            (Some(d), _) => format!("{}{d}", w.claim_by),
        };
        let _ = writeln!(
            text,
            "{}",
            fill(w.remedy, &[&kind, &remedy.rule, &remedy.basis, &claim])
        );
    }
}

/// The bill, line by line, and its totals.
fn charges(text: &mut String, evaluation: &Evaluation, w: &Words, lang: Lang) {
    if let Some(charges) = &evaluation.charges {
        let _ = writeln!(text, "{}", fill(w.charges, &[&charges.currency]));
        for line in &charges.lines {
            let _ = writeln!(
                text,
                "  {:<12} {:<40} {} {:>10}  {} {:>10}  {} {:>10}",
                line.code,
                line.description,
                w.amount,
                line.amount,
                w.covered_col,
                line.covered,
                w.payable,
                line.payable
            );
            reasons(text, "      ", &line.because, lang);
        }
        let _ = writeln!(
            text,
            "{}",
            fill(
                w.totals,
                &[
                    &charges.subtotal,
                    &charges.tax,
                    &charges.total,
                    &charges.covered_total
                ]
            )
        );
    }
}

/// The credits owed, and why.
fn credits(text: &mut String, evaluation: &Evaluation, w: &Words, lang: Lang) {
    if !evaluation.credits.is_empty() {
        let _ = writeln!(text, "{}", w.credits);
        for credit in &evaluation.credits {
            let _ = writeln!(
                text,
                "{}",
                fill(
                    w.credit_for,
                    &[
                        &credit_kind(&credit.kind, lang),
                        &credit.amount,
                        &credit.currency,
                        &credit.metric
                    ]
                )
            );
            reasons(text, "      ", &credit.because, lang);
        }
    }
}

/// The rules that fired, in order, when traced (names and results as
/// they are, in every language).
fn rules(text: &mut String, evaluation: &Evaluation, w: &Words, _: Lang) {
    if !evaluation.trace.is_empty() {
        let _ = writeln!(text, "{}", w.rules);
        for (i, entry) in evaluation.trace.iter().enumerate() {
            let _ = writeln!(text, "  {:>2}. {} → {}", i + 1, entry.rule, entry.result);
        }
    }
}
