//! The reason codes and the engine's vocabulary, each with its English and
//! Simplified Chinese template. A template names its arguments in braces;
//! the English one reproduces the engine's historical wording exactly.

use super::Lang;

/// The description of one reason code.
struct Spec {
    code: &'static str,
    args: &'static [&'static str],
    en: &'static str,
    zh: &'static str,
}

macro_rules! codes {
    ($( $variant:ident = $code:literal ( $($arg:ident),* ) en $en:literal zh $zh:literal ; )*) => {
        /// A stable reason code: what kind of reason, with named arguments.
        /// The string form ([`Code::code`]) is the public contract listed
        /// in `docs/reasons.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[allow(missing_docs)]
        pub enum Code { $($variant),* }

        impl Code {
            /// Every code, in the order of `docs/reasons.md`.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            fn spec(self) -> &'static Spec {
                match self {
                    $(Code::$variant => &Spec {
                        code: $code,
                        args: &[$(stringify!($arg)),*],
                        en: $en,
                        zh: $zh,
                    }),*
                }
            }
        }
    };
}

macro_rules! terms {
    ($( $variant:ident = $code:literal en $en:literal zh $zh:literal ; )*) => {
        /// A word of the engine's vocabulary used inside reasons (a
        /// warranty status, a remedy), translated with them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[allow(missing_docs)]
        pub enum Term { $($variant),* }

        impl Term {
            /// Every term, in the order of `docs/reasons.md`.
            pub const ALL: &'static [Term] = &[$(Term::$variant),*];

            /// The stable name, as serialised with `because: codes`.
            pub fn code(self) -> &'static str {
                match self { $(Term::$variant => $code),* }
            }

            /// The word in `lang`.
            pub fn render(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Term::$variant, Lang::En) => $en,
                      (Term::$variant, Lang::ZhCn) => $zh,)*
                }
            }
        }
    };
}

impl Code {
    /// The stable string form, e.g. `fees.diagnostic`.
    pub fn code(self) -> &'static str {
        self.spec().code
    }

    /// The names of the arguments, in order.
    pub fn args(self) -> &'static [&'static str] {
        self.spec().args
    }

    /// The template in `lang`, arguments in braces.
    pub fn template(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.spec().en,
            Lang::ZhCn => self.spec().zh,
        }
    }
}

codes! {
    // Severity.
    SeverityGiven = "severity.given" (level)
        en "{level}: given by the CRM"
        zh "{level}：由 CRM 给定";
    SeverityRule = "severity.rule" (rule, reason)
        en "rule {rule}: {reason}"
        zh "规则 {rule}：{reason}";
    SeverityRuleLevel = "severity.rule_level" (rule, level)
        en "rule {rule} classified the ticket as {level}"
        zh "规则 {rule} 将工单定级为 {level}";
    SeverityDefault = "severity.default" (level)
        en "{level}: the default level ([severity] default)"
        zh "{level}：默认级别（[severity] default）";
    SeverityChanged = "severity.changed" (level, at)
        en "changed to {level} at {at}"
        zh "于 {at} 改为 {level}";
    SeverityUnchanged = "severity.unchanged" (level, at)
        en "`severity_changed` to {level} at {at}: already {level}, not a change"
        zh "{at} 的 `severity_changed` 改为 {level}：本已是 {level}，不算变更";

    // Fees: the bill.
    FeesRateCard = "fees.rate_card" (card, index, matched)
        en "rate card `{card}` (fees.rate_cards[{index}]): {matched}"
        zh "适用价目表 `{card}`（fees.rate_cards[{index}]）：{matched}";
    FeesNoRateCard = "fees.no_rate_card" ()
        en "no rate card matches the ticket: the default [fees] prices"
        zh "没有与工单匹配的价目表：按 [fees] 默认价格计费";
    FeesNoWork = "fees.no_work" ()
        en "the ticket reports no work: nothing to bill"
        zh "工单未报任何作业：无费用";
    FeesDiagnostic = "fees.diagnostic" (fee)
        en "[fees.diagnostic]: fee {fee}"
        zh "[fees.diagnostic]：检测费 {fee}";
    FeesDiagnosticWaived = "fees.diagnostic_waived" ()
        en "waived: the customer accepted the repair ([fees.diagnostic].waived_when_repair_accepted)"
        zh "免收：客户已同意维修（[fees.diagnostic].waived_when_repair_accepted）";
    FeesVisitsNotBilled = "fees.visits_not_billed" (count)
        en "{count} visit(s) not billed: the policy has no [fees.callout]"
        zh "{count} 次上门未计费：政策没有 [fees.callout]";
    FieldVisitZone = "field.visit_zone" (visit)
        en "work.visits[{visit}].zone"
        zh "work.visits[{visit}].zone";
    FeesZone = "fees.zone" (zone, source)
        en "[fees.callout.zones.{zone}]: zone {zone} ({source})"
        zh "[fees.callout.zones.{zone}]：区域 {zone}（{source}）";
    FeesZoneDefault = "fees.zone_default" (zone, source, default)
        en "zone `{zone}` ({source}) is not listed: default zone {default} ([fees.callout].default_zone)"
        zh "区域 `{zone}`（{source}）不在列表中：按默认区域 {default} 计费（[fees.callout].default_zone）";
    FeesNoZone = "fees.no_zone" (default)
        en "no zone given: default zone {default} ([fees.callout].default_zone)"
        zh "未给出区域：按默认区域 {default} 计费（[fees.callout].default_zone）";
    FeesNoDistance = "fees.no_distance" (visit)
        en "work.visits[{visit}].distance_km not given: no travel billed"
        zh "未给出 work.visits[{visit}].distance_km：不收路程费";
    FeesTravel = "fees.travel" (zone, travelled, included, beyond, per_km)
        en "[fees.callout.zones.{zone}]: {travelled} km travelled, {included} km included, {beyond} km beyond at {per_km}/km"
        zh "[fees.callout.zones.{zone}]：行驶 {travelled} 公里，含 {included} 公里，超出 {beyond} 公里，每公里 {per_km}";
    FeesTravelIncluded = "fees.travel_included" (travelled, included)
        en "{travelled} km travelled, within the {included} km included"
        zh "行驶 {travelled} 公里，未超出所含的 {included} 公里";
    FeesLaborNotBilled = "fees.labor_not_billed" (worked)
        en "work.labor {worked} not billed: the policy has no [fees.labor]"
        zh "work.labor {worked} 未计费：政策没有 [fees.labor]";
    FeesLabor = "fees.labor" (worked, billed, how, rate)
        en "[fees.labor]: {worked} worked, billed {billed} h ({how}) at {rate}/h"
        zh "[fees.labor]：实际工时 {worked}，计费 {billed} 小时（{how}），每小时 {rate}";
    FeesLaborMinimum = "fees.labor.minimum" ()
        en "the minimum"
        zh "按最低计费工时";
    FeesLaborAboveMinimum = "fees.labor.above_minimum" (minimum)
        en "above the minimum of {minimum} h, as worked"
        zh "超过最低 {minimum} 小时，按实际工时";
    FeesLaborAsWorked = "fees.labor.as_worked" ()
        en "as worked"
        zh "按实际工时";
    FeesLaborSteps = "fees.labor.steps" (minimum, step)
        en "minimum {minimum} h, then {step} h steps, rounded up"
        zh "最低 {minimum} 小时，其后以 {step} 小时为单位向上取整";
    FeesLaborStepsOnly = "fees.labor.steps_only" (step)
        en "{step} h steps, rounded up"
        zh "以 {step} 小时为单位向上取整";
    FeesPartsNotBilled = "fees.parts_not_billed" (count)
        en "{count} part line(s) not billed: the policy has no [fees.parts]"
        zh "{count} 条配件未计费：政策没有 [fees.parts]";
    FeesPart = "fees.part" (catalogue)
        en "[fees.parts]: catalogue price {catalogue}, no markup"
        zh "[fees.parts]：目录价 {catalogue}，不加价";
    FeesPartPercent = "fees.part_percent" (catalogue, percent, unit)
        en "[fees.parts]: catalogue price {catalogue} + {percent}% = {unit}"
        zh "[fees.parts]：目录价 {catalogue} 加价 {percent}% = {unit}";
    FeesPartFixed = "fees.part_fixed" (catalogue, fixed, unit)
        en "[fees.parts]: catalogue price {catalogue} + {fixed} per unit = {unit}"
        zh "[fees.parts]：目录价 {catalogue} 每件加 {fixed} = {unit}";
    FeesPartPercentFixed = "fees.part_percent_fixed" (catalogue, percent, fixed, unit)
        en "[fees.parts]: catalogue price {catalogue} + {percent}% + {fixed} per unit = {unit}"
        zh "[fees.parts]：目录价 {catalogue} 加价 {percent}% 再每件加 {fixed} = {unit}";
    FeesCoveredComponentAs = "fees.covered_component_as" (component, entry)
        en "covered by the warranty: component `{component}` is in warranty (as `{entry}`)"
        zh "由保修承担：部件 `{component}` 在保修期内（按 `{entry}` 判定）";
    FeesCoveredComponent = "fees.covered_component" (component)
        en "covered by the warranty: component `{component}` is in warranty"
        zh "由保修承担：部件 `{component}` 在保修期内";
    FeesCoveredUnit = "fees.covered_unit" ()
        en "covered by the warranty: the unit is in warranty"
        zh "由保修承担：整机在保修期内";
    FeesNotCoveredComponent = "fees.not_covered_component" (component)
        en "not covered: the warranty does not cover `{component}`"
        zh "保修不承担：保修范围不含 `{component}`";
    FeesNotCoveredNoComponent = "fees.not_covered_no_component" ()
        en "not covered: no component of the unit is covered"
        zh "保修不承担：整机没有在保部件";
    FeesNotCoveredStatus = "fees.not_covered_status" (status)
        en "not covered: warranty {status}"
        zh "保修不承担：保修状态为{status}";
    FeesPlan = "fees.plan" (name)
        en "plan `{name}`"
        zh "服务套餐 `{name}`";
    FeesTier = "fees.tier" (name)
        en "tier `{name}`"
        zh "会员等级 `{name}`";
    FeesPlanPath = "fees.plan_path" (name)
        en "fees.plans.{name}"
        zh "fees.plans.{name}";
    FeesTierPath = "fees.tier_path" (name)
        en "fees.tiers.{name}"
        zh "fees.tiers.{name}";
    FeesDiscountWaives = "fees.discount_waives" (who, kind, path)
        en "{who} waives {kind} lines ([{path}].waive)"
        zh "{who}免收{kind}（[{path}].waive）";
    FeesDiscountPercent = "fees.discount_percent" (who, percent, amount, value, path, kind)
        en "{who}: {percent}% off {amount} = {value} ([{path}].percent_off.{kind})"
        zh "{who}：{amount} 减免 {percent}% = {value}（[{path}].percent_off.{kind}）";
    FeesDiscountPassedOver = "fees.discount_passed_over" (who, value)
        en "{who} would take {value} off: not added, discounts do not stack, the larger applies"
        zh "{who}可减免 {value}：优惠不叠加，取较大者，此项不计";
    FeesNoTime = "fees.no_time" (kind)
        en "[fees.multipliers]: no time for this {kind} line, so the calendar decides no multiplier"
        zh "[fees.multipliers]：该{kind}没有时间，日历无从确定加价倍数";
    FeesMultiplier = "fees.multiplier" (key, factor, reason)
        en "[fees.multipliers].{key} ×{factor}: {reason}"
        zh "[fees.multipliers].{key} ×{factor}：{reason}";
    FeesMultiplierAlso = "fees.multiplier_also" (key, factor, reason, other, other_factor)
        en "[fees.multipliers].{key} ×{factor}: {reason}; {other} ×{other_factor} also applies, the highest factor is used"
        zh "[fees.multipliers].{key} ×{factor}：{reason}；{other} ×{other_factor} 同时适用，取最高倍数";
    FeesHoliday = "fees.holiday" (date, calendar, when)
        en "{date} is a holiday on calendar `{calendar}` ({when})"
        zh "{date} 是日历 `{calendar}` 上的节假日（{when}）";
    FeesHolidayNamed = "fees.holiday_named" (date, holiday, calendar, when)
        en "{date} ({holiday}) is a holiday on calendar `{calendar}` ({when})"
        zh "{date}（{holiday}）是日历 `{calendar}` 上的节假日（{when}）";
    FeesAfterHoursSet = "fees.after_hours_set" ()
        en "work.after_hours is set by the CRM"
        zh "CRM 标记了 work.after_hours";
    FeesClosed = "fees.closed" (calendar, local, when)
        en "calendar `{calendar}` is closed at {local} ({when})"
        zh "日历 `{calendar}` 在 {local} 为非工作时间（{when}）";
    FeesTaxExclusive = "fees.tax_exclusive" (rate, subtotal, tax, rounding, total)
        en "[fees.tax]: {rate}% exclusive on {subtotal} = {tax} (rounded {rounding}), added: total {total}"
        zh "[fees.tax]：价外税 {rate}%，{subtotal} 计税 {tax}（{rounding}），加计后合计 {total}";
    FeesTaxInclusive = "fees.tax_inclusive" (rate, subtotal, gross, tax, rounding)
        en "[fees.tax]: {rate}% inclusive: {subtotal} contains {subtotal} × {rate} / {gross} = {tax} (rounded {rounding})"
        zh "[fees.tax]：价内税 {rate}%：{subtotal} 含税 {subtotal} × {rate} / {gross} = {tax}（{rounding}）";

    // Credits as contracts write them.
    CreditsPercentOfFeePerStarted = "credits.percent_of_fee_per_started" (count, unit, percent, fee, part)
        en "{count} {unit} × {percent}% of the contract fee {fee} = {part}"
        zh "{count} {unit} × 合同费 {fee} 的 {percent}% = {part}";
    CreditsCappedPercentPerTicket = "credits.capped_percent_per_ticket" (cap, source, percent, fee, from)
        en "capped at {cap} per ticket ({source}.cap_per_ticket_percent_of_contract_fee: {percent}% of the contract fee {fee}), from {from}"
        zh "每张工单封顶 {cap}（{source}.cap_per_ticket_percent_of_contract_fee：合同费 {fee} 的 {percent}%），原为 {from}";
    CreditsCapPercent = "credits.cap_percent" (percent, fee, cap)
        en "{percent}% of the contract fee {fee} = {cap}"
        zh "合同费 {fee} 的 {percent}% = {cap}";
    CreditsCapLower = "credits.cap_lower" (amount, percent_cap)
        en "the lower of {amount} and {percent_cap}"
        zh "{amount} 与 {percent_cap} 中较低者";
    CreditsReducedTicketCap = "credits.reduced_ticket_cap" (from, to, cap, so_far)
        en "reduced from {from} to {to}: credit_caps caps all credits of a ticket at {cap}, {so_far} already credited by earlier entries"
        zh "由 {from} 减为 {to}：credit_caps 规定每张工单的全部赔付不超过 {cap}，前面的条目已赔付 {so_far}";
    CreditsReducedIncidentCap = "credits.reduced_incident_cap" (from, to, incident, cap, so_far)
        en "reduced from {from} to {to}: credit_caps caps all credits of incident {incident} at {cap}, {so_far} already credited"
        zh "由 {from} 减为 {to}：credit_caps 规定事件 {incident} 的全部赔付不超过 {cap}，已赔付 {so_far}";
    CreditsReducedLoneIncident = "credits.reduced_lone_incident" (from, to, cap, so_far)
        en "reduced from {from} to {to}: credit_caps caps all credits of an incident (this ticket names none, so it stands alone) at {cap}, {so_far} already credited"
        zh "由 {from} 减为 {to}：credit_caps 规定每个事件的全部赔付不超过 {cap}（本工单未指明事件，单独计算），已赔付 {so_far}";
    CreditsPaidBefore = "credits.paid_before" (paid, attribute)
        en ", of which {paid} paid before these tickets (attributes.{attribute})"
        zh "，其中 {paid} 为本批工单之前已赔付（attributes.{attribute}）";

    // Warranty as manufacturers write it.
    WarrantyComponentNote = "warranty.component_note" (component, reason)
        en "{component}: {reason}"
        zh "{component}：{reason}";
    WarrantyPartOwnPeriod = "warranty.part_own_period" (index, sku, period, on, when, last)
        en "work.parts[{index}] {sku}: its own {period} from {on}, {when}: last day {last} (warranty.replaced_parts.period)"
        zh "work.parts[{index}] {sku}：自 {on}（{when}）起自有保修 {period}，最后一日 {last}（warranty.replaced_parts.period）";
    WarrantyPartUntil = "warranty.part_until" (rest, how, until)
        en "{rest}; {how} (warranty.replaced_parts.rule): {until}"
        zh "{rest}；{how}（warranty.replaced_parts.rule）：{until}";
    WarrantyPartRest = "warranty.part_rest" (component, date)
        en "the rest of the cover of {component} ends {date}"
        zh "{component} 的剩余保修期至 {date}";
    WarrantyPartNoRest = "warranty.part_no_rest" (component)
        en "{component} has no cover to pass on"
        zh "{component} 没有可延续的保修期";
    WarrantyPartNoComponent = "warranty.part_no_component" ()
        en "no component entry judges the part"
        zh "没有部件条目判定该配件";
    WarrantyPartCovered = "warranty.part_covered" (date)
        en "covered until {date}"
        zh "保修至 {date}";
    WarrantyPartNotCovered = "warranty.part_not_covered" ()
        en "not covered"
        zh "不在保修范围内";
    WarrantySanbaoAnyFault = "warranty.sanbao_any_fault" (count, repairs, until)
        en "cn-sanbao: repaired {count} times in the three-guarantee period ({repairs}), whatever the fault (warranty.cn_sanbao.repairs_counted = \"any-fault\"), and back: exchange for the same model, or return, until {until}"
        zh "cn-sanbao：三包期内已维修 {count} 次（{repairs}），不论是否同一故障（warranty.cn_sanbao.repairs_counted = \"any-fault\"），故障再次出现：可换同型号产品或退货，截止 {until}";

    // SLA: the target of a metric.
    SlaTarget = "sla.target" (target, path)
        en "target {target}: {path}"
        zh "目标 {target}：{path}";
    SlaTargetFor = "sla.target_for" (target, by, key, path)
        en "target {target} for {by} {key}: {path}"
        zh "{by} {key} 的目标为 {target}：{path}";
    SlaTargetFallback = "sla.target_fallback" (target, by, key, path)
        en "target {target} for {by} {key}: {path}.target.\"*\""
        zh "{by} {key} 的目标为 {target}：{path}.target.\"*\"";
    SlaNoTarget = "sla.no_target" (metric, path)
        en "`{metric}` has no target in this policy ({path})"
        zh "本政策没有为 `{metric}` 设定目标（{path}）";
    SlaTableNoTarget = "sla.table_no_target" (by, key, path, metric)
        en "no target for {by} `{key}` in {path}.target: `{metric}` does not apply"
        zh "{path}.target 中没有 {by} `{key}` 的目标：`{metric}` 不适用";
    SlaTargetFor2 = "sla.target_for2" (target, by, outer, by2, inner, path)
        en "target {target} for {by} {outer}, {by2} {inner}: {path}"
        zh "{by} {outer}、{by2} {inner} 的目标为 {target}：{path}";
    SlaNotApplicable2 = "sla.not_applicable2" (by, outer, by2, inner, path)
        en "no target for {by} {outer}, {by2} {inner}: `n/a` at {path}"
        zh "{by} {outer}、{by2} {inner} 没有目标：{path} 为 `n/a`";
    SlaTable2NoTarget = "sla.table2_no_target" (by, outer, by2, inner, path, metric)
        en "no target for {by} `{outer}` and {by2} `{inner}` in {path}.target: `{metric}` does not apply"
        zh "{path}.target 中没有 {by} `{outer}`、{by2} `{inner}` 的目标：`{metric}` 不适用";
    SlaRuleTarget = "sla.rule_target" (target, rule, severity)
        en "target {target}: rule {rule}() for severity {severity}"
        zh "目标 {target}：规则 {rule}() 按严重级别 {severity} 给出";
    SlaRuleNoTarget = "sla.rule_no_target" (rule, severity)
        en "rule {rule}() gives no target for severity {severity}: does not apply"
        zh "规则 {rule}() 未给出严重级别 {severity} 的目标：不适用";
    SeverityTable = "severity.table" (level, because, path)
        en "{level}: {because} ({path})"
        zh "{level}：{because}（{path}）";
    SeverityTableWhen = "severity.table_when" (level, when, path)
        en "{level}: `{when}` ({path})"
        zh "{level}：`{when}`（{path}）";

    // SLA: the clock of a metric.
    SlaDoesNotApply = "sla.does_not_apply" (condition, path)
        en "does not apply: `{condition}` is false ({path})"
        zh "不适用：`{condition}` 不成立（{path}）";
    SlaOpensLater = "sla.opens_after_as_of" (at)
        en "the ticket opens at {at}, after as_of: no clock has started"
        zh "工单于 {at} 开单，晚于 as_of：尚未开始计时";
    SlaWaiting = "sla.waiting" (events)
        en "waiting for `{events}` to start the clock"
        zh "等待 `{events}` 开始计时";
    SlaStartsBooked = "sla.starts_booked" (at, attribute)
        en "starts at {at}, the booked `{attribute}`"
        zh "于 {at} 开始计时，即预约的 `{attribute}`";
    SlaStarts = "sla.starts" (at)
        en "starts at {at}"
        zh "于 {at} 开始计时";
    SlaCalendar = "sla.calendar" (calendar)
        en "counted on calendar `{calendar}`"
        zh "按日历 `{calendar}` 计时";
    SlaCycles = "sla.cycles" (count, earlier, breached)
        en "cycle {count}; {earlier} earlier cycles, {breached} breached"
        zh "第 {count} 个周期；此前 {earlier} 个周期，其中 {breached} 个超时";
    SlaPaused = "sla.paused" (duration, from, to)
        en "paused {duration} from {from} to {to}"
        zh "暂停 {duration}，自 {from} 至 {to}";
    SlaPausedSince = "sla.paused_since" (from)
        en "paused since {from}"
        zh "自 {from} 起暂停";
    SlaChanged = "sla.changed" (what, to)
        en "{what} changed to {to}"
        zh "{what}改为 {to}";
    SlaChangeNoTarget = "sla.change_no_target" (change, at, reason)
        en "{change} at {at}: {reason}; the earlier target stays"
        zh "{at} {change}：{reason}；沿用原目标";
    SlaChangeFromStart = "sla.change_from_start" (change, at, reason, start)
        en "{change} at {at}: {reason} (from_start: counts from {start})"
        zh "{at} {change}：{reason}（from_start：自 {start} 起计）";
    SlaChangeFromChange = "sla.change_from_change" (change, at, reason, elapsed)
        en "{change} at {at}: {reason} (from_change: counts from the change, {elapsed} already elapsed)"
        zh "{at} {change}：{reason}（from_change：自变更时起计，此前已用 {elapsed}）";
    SlaBreachedAtChange = "sla.breached_at_change" (elapsed)
        en "breached at the change: {elapsed} already elapsed against the new target"
        zh "变更时即已超时：按新目标已用 {elapsed}";
    SlaBreachKept = "sla.breach_kept" (at, missed, in_force)
        en "the breach at {at} of the {missed} target stays (breach = \"kept\"); the target now in force is {in_force}"
        zh "{at} 未达 {missed} 目标的超时仍然成立（breach = \"kept\"）；现行目标为 {in_force}";
    SlaBreachKeptDue = "sla.breach_kept_due" (at, missed, in_force, due)
        en "the breach at {at} of the {missed} target stays (breach = \"kept\"); the target now in force is {in_force}, due {due}"
        zh "{at} 未达 {missed} 目标的超时仍然成立（breach = \"kept\"）；现行目标为 {in_force}，截止于 {due}";
    SlaBreachRecomputed = "sla.breach_recomputed" (at)
        en "the breach at {at} under an earlier target no longer counts (breach = \"recomputed\"): the target in force decides"
        zh "{at} 在原目标下的超时不再计入（breach = \"recomputed\"）：以现行目标为准";

    // Notes of rules that changed a decision.
    RuleChangedStatus = "rule.changed_status" (rule, from, to)
        en "rule {rule}() changed the status from {from} to {to}"
        zh "规则 {rule}() 将状态由 {from} 改为 {to}";
    RuleChangedDecision = "rule.changed_decision" (rule)
        en "rule {rule}() changed the decision"
        zh "规则 {rule}() 修改了判定";
    RuleAddedLine = "rule.added_line" (rule)
        en "added by rule {rule}()"
        zh "由规则 {rule}() 添加";
    RuleChangedLine = "rule.changed_line" (rule)
        en "changed by rule {rule}()"
        zh "由规则 {rule}() 修改";
    RuleRemovedLine = "rule.removed_line" (rule, code, description)
        en "rule {rule}() removed the line {code} ({description})"
        zh "规则 {rule}() 删除了明细 {code}（{description}）";
    // Settlement of a return.
    SettleChoseReturn = "settlement.chose_return" (rule)
        en "the customer chose a return (ticket.kind = \"return\"), one of the remedies of {rule}: the price paid is refunded"
        zh "客户选择退货（ticket.kind = \"return\"），属 {rule} 的可选补救之一：退还所付价款";
    SettleReturnOwed = "settlement.return_owed" (rule)
        en "a return is asked for (ticket.kind = \"return\") and owed under {rule}: the price paid is refunded"
        zh "客户要求退货（ticket.kind = \"return\"），依 {rule} 应予退货：退还所付价款";
    SettleQuality = "settlement.quality" ()
        en "reason: quality (the ticket reports a fault)"
        zh "原因：质量问题（工单报告了故障）";
    SettleChangeOfMind = "settlement.change_of_mind" ()
        en "reason: change of mind (the ticket reports no fault)"
        zh "原因：无理由退货（工单未报告故障）";
    SettleNoPrice = "settlement.no_price" ()
        en "no price paid is known (neither order.lines nor product.price): nothing to refund"
        zh "所付价款不明（既无 order.lines 也无 product.price）：无可退款";
    SettlePricePaid = "settlement.price_paid" (units)
        en "price paid, {units} returned"
        zh "所付价款，退回 {units} 件";
    SettleSanbaoFull = "settlement.sanbao_full" (rule)
        en "{rule}: a return within the first days after sale (art. 9) is refunded in full, without depreciation"
        zh "{rule}：售出后最初几日内退货（第九条）全额退款，不计折旧";
    SettleBenefitKept = "settlement.benefit_kept" (index, kind)
        en "order.benefits[{index}]: the {kind} is kept, its stated value is deducted ([settlement.benefits])"
        zh "order.benefits[{index}]：{kind} 未退回，扣除其标明价值（[settlement.benefits]）";
    SettleFreeShippingBelow = "settlement.free_shipping_below" (kept, threshold)
        en "[settlement.free_shipping]: the goods kept ({kept}) fall below the free-shipping threshold {threshold}: the delivery the order got free (order.free_shipping) is deducted"
        zh "[settlement.free_shipping]：留下的商品（{kept}）低于包邮门槛 {threshold}：扣除订单免付的运费（order.free_shipping）";
    SettleFreeShippingReturn = "settlement.free_shipping_return" (reason)
        en "[settlement.free_shipping]: a {reason} return: the delivery the order got free (order.free_shipping) is deducted"
        zh "[settlement.free_shipping]：{reason}退货：扣除订单免付的运费（order.free_shipping）";
    SettleFreightSettled = "settlement.freight_settled" (bearer, reason, law, paid, cost)
        en "the {bearer} bears the return freight of a {reason} return ([settlement.freight]; {law}); the {paid} paid the carrier {cost}: nothing to settle"
        zh "{reason}退货的退货运费由{bearer}承担（[settlement.freight]；{law}）；{paid}已向承运人支付 {cost}：无需结算";
    SettleFreight = "settlement.freight" (bearer, reason, law, paid)
        en "the {bearer} bears the return freight of a {reason} return ([settlement.freight]; {law}); the {paid} paid the carrier"
        zh "{reason}退货的退货运费由{bearer}承担（[settlement.freight]；{law}）；运费由{paid}支付给承运人";
    SettleFraud = "settlement.fraud" (rule, base, which, triple)
        en "{rule}: Consumer Rights Protection Law of the PRC art. 55 para. 1: fraud found (order.fraud): 3 × {base} paid for {which} = {triple}"
        zh "{rule}：《消费者权益保护法》第五十五条第一款：认定欺诈（order.fraud）：{which}所付 {base} × 3 = {triple}";
    SettleFraudMinimum = "settlement.fraud_minimum" (rule, base, which, triple)
        en "{rule}: Consumer Rights Protection Law of the PRC art. 55 para. 1: fraud found (order.fraud): 3 × {base} paid for {which} = {triple}, less than 500: 500"
        zh "{rule}：《消费者权益保护法》第五十五条第一款：认定欺诈（order.fraud）：{which}所付 {base} × 3 = {triple}，不足 500：按 500";
    SettleCapped = "settlement.capped" (left)
        en "capped at the refund left, {left}: a deduction never makes the customer pay for goods they return"
        zh "以剩余退款 {left} 为限：扣减不会让客户为退回的商品倒付钱";
    SettleDepreciation = "settlement.depreciation" (days, from, since, claim_field, claim, less, free, how, percent, cap)
        en "[settlement.depreciation]: {days} days of use from {from} ({since}) to {claim_field} ({claim}){less}{free}: {how} = {percent}%{cap}"
        zh "[settlement.depreciation]：自 {from}（{since}）至 {claim_field}（{claim}）使用 {days} 天{less}{free}：{how} = {percent}%{cap}";
    SettleLessRepair = "settlement.less_repair" (days)
        en ", less {days} days in repair"
        zh "，扣除维修 {days} 天";
    SettleFirstFree = "settlement.first_free" (days)
        en ", the first {days} free"
        zh "，前 {days} 天免计";
    SettleCappedAt = "settlement.capped_at" (percent)
        en ", capped at {percent}%"
        zh "，以 {percent}% 为上限";
    SettlePerDay = "settlement.per_day" (charged, percent)
        en "{charged} days charged × {percent}% a day"
        zh "计 {charged} 天 × 每天 {percent}%";
    SettlePerMonth = "settlement.per_month" (months, charged, percent)
        en "{months} started months ({charged} days charged / 30) × {percent}% a month"
        zh "{months} 个起算月（计 {charged} 天 / 30）× 每月 {percent}%";
    SettleScheduleStep = "settlement.schedule_step" (from_day, percent)
        en "schedule step from day {from_day}: {percent}%"
        zh "自第 {from_day} 天起的档位：{percent}%";
    SettleBeforeSchedule = "settlement.before_schedule" ()
        en "before the schedule's first step: 0%"
        zh "早于折旧表第一档：0%";
    SettlePercentOf = "settlement.percent_of" (percent, amount)
        en "{percent}% of {amount} returned"
        zh "退回的 {amount} 的 {percent}%";
    SettleSanbaoDepreciation = "settlement.sanbao_depreciation" (rule, since, claim_field, claim, repair, days, daily, whose, percent)
        en "{rule}: a return instead of the exchange owed (art. 13): depreciation from the invoice date ({since}) to {claim_field} ({claim}), less {repair} days in repair = {days} days × {daily}% ({whose}) = {percent}%"
        zh "{rule}：以退货代替应予的换货（第十三条）：自发票日期（{since}）至 {claim_field}（{claim}）计折旧，扣除维修 {repair} 天 = {days} 天 × {daily}%（{whose}）= {percent}%";
    SettleCategoryRate = "settlement.category_rate" (category)
        en "the rate of category {category}"
        zh "品类 {category} 的费率";
    SettleDailyRate = "settlement.daily_rate" ()
        en "the daily rate"
        zh "日费率";
    SettleTaxExclusive = "settlement.tax_exclusive" (rate, base, amount, rounding, whom)
        en "[settlement.tax]: the sale's {rate}% was added to its prices: {rate}% of the taxable net {base} = {amount} (rounded {rounding}), to {whom}"
        zh "[settlement.tax]：销售时价外加收 {rate}%：应税净额 {base} 的 {rate}% = {amount}（{rounding}），归{whom}";
    SettleTaxInclusive = "settlement.tax_inclusive" (rate, base, gross, amount, rounding)
        en "[settlement.tax]: the sale's prices contained {rate}%: the taxable net {base} contains {base} × {rate} / {gross} = {amount} (rounded {rounding})"
        zh "[settlement.tax]：销售价内含 {rate}%：应税净额 {base} 含税 {base} × {rate} / {gross} = {amount}（{rounding}）";
}

terms! {
    InWarranty = "in_warranty" en "in warranty" zh "在保";
    Expired = "expired" en "expired" zh "已过保";
    Excluded = "excluded" en "excluded" zh "不予保修";
    StatutoryReturn = "statutory_return" en "statutory return" zh "法定退货";
    StatutoryExchange = "statutory_exchange" en "statutory exchange" zh "法定换货";
    NotApplicable = "not_applicable" en "not applicable" zh "不适用";
    Labor = "labor" en "labor" zh "工时费";
    Callout = "callout" en "callout" zh "上门费";
    Travel = "travel" en "travel" zh "路程费";
    Diagnostic = "diagnostic" en "diagnostic" zh "检测费";
    Part = "part" en "part" zh "配件费";
    Holiday = "holiday" en "holiday" zh "节假日";
    AfterHours = "after_hours" en "after hours" zh "非工作时间";
    WhenLaborStarted = "labor_started" en "the start of the work, work.labor_started_at" zh "作业开始时间，work.labor_started_at";
    WhenFirstVisit = "first_visit" en "the start of the work, the first visit's arrival" zh "作业开始时间，即首次上门到达时间";
    WhenVisit = "visit_arrival" en "the visit's arrival, work.visits[].at" zh "上门到达时间，work.visits[].at";
    HalfUp = "half-up" en "half-up" zh "四舍五入";
    HalfEven = "half-even" en "half-even" zh "四舍六入五成双";
    Up = "up" en "up" zh "向上取整";
    Down = "down" en "down" zh "向下取整";
    StartedHour = "started_hour" en "started hour" zh "个起算小时";
    StartedHours = "started_hours" en "started hours" zh "个起算小时";
    StartedDay = "started_day" en "started day (24 h of counted time)" zh "个起算日（按计时 24 小时为一日）";
    StartedDays = "started_days" en "started days (24 h of counted time)" zh "个起算日（按计时 24 小时为一日）";
    RepairResolved = "repair_resolved" en "the day the repair was resolved" zh "维修完成之日";
    RepairOpen = "repair_open" en "today: the repair is not resolved yet" zh "今日：维修尚未完成";
    PeriodOrRemainder = "period-or-remainder" en "whichever ends later" zh "取较晚结束者";
    PeriodOnly = "period" en "its own period only" zh "仅按其自有保修期";
    RemainderOnly = "remainder" en "the rest of its component's cover only" zh "仅按所属部件的剩余保修期";

    Severity = "severity" en "severity" zh "严重级别";
    Tier = "tier" en "tier" zh "客户等级";
    Any = "any" en "any" zh "任意";
    Quality = "quality" en "quality" zh "质量问题";
    ChangeOfMind = "change-of-mind" en "change-of-mind" zh "无理由";
    Customer = "customer" en "customer" zh "客户";
    Seller = "seller" en "seller" zh "商家";
    TheCustomer = "the_customer" en "the customer" zh "客户";
    TheSeller = "the_seller" en "the seller" zh "商家";
    ReturnedGoods = "returned_goods" en "the returned goods" zh "退回的商品";
    GoodsBought = "goods_bought" en "the goods bought" zh "所购商品";
}
