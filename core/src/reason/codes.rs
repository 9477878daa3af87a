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
        ///
        /// # Examples
        ///
        /// ```
        /// use aftersales::Code;
        ///
        /// let code = Code::ALL.iter().find(|c| c.code() == "fees.diagnostic").unwrap();
        /// assert_eq!(code.code(), "fees.diagnostic");
        /// ```
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
        ///
        /// # Examples
        ///
        /// ```
        /// use aftersales::{Lang, Term};
        ///
        /// let word = Term::ALL.iter().find(|t| t.code() == "half-up").unwrap();
        /// assert_eq!(word.render(Lang::En), "half-up");
        /// assert_eq!(word.render(Lang::ZhCn), "四舍五入");
        /// ```
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

    /// The code of a string form (`fees.diagnostic`), if it is one.
    pub fn from_code(code: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.code() == code)
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
    WarrantyPartOwnRepair = "warranty.part_own_repair" (component, days, how, until, source, counting)
        en "this repair kept the product out of service {days} ({how}): the rest of the cover of {component} runs to {until} ({source}, {counting})"
        zh "本次维修停用 {days}（{how}）：{component} 的剩余保修期顺延至 {until}（{source}；{counting}）";
    WarrantyRepairOpenedResolved = "warranty.repair_opened_resolved" (opened, resolved)
        en "opened_at {opened} to the first resolved event {resolved}"
        zh "自 opened_at {opened} 至首个 `resolved` 事件 {resolved}";
    WarrantyRepairOpenedToday = "warranty.repair_opened_today" (opened, today)
        en "still open: from the day it was opened, {opened}, to {today}"
        zh "尚未完成：自开单日 {opened} 至 {today}";
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
        zh "规则 {rule}() 将保修状态由{from}改为{to}";
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
    SettleFreeShippingWhole = "settlement.free_shipping_whole" ()
        en "[settlement.free_shipping]: the whole order comes back: the free delivery (order.free_shipping) is not clawed back (whole_return = false, the default)"
        zh "[settlement.free_shipping]：整单退回：不扣回订单免付的运费（order.free_shipping）（whole_return = false，默认）";
    SettleFreightFraudSettled = "settlement.freight_fraud_settled" (rule, paid, cost)
        en "{rule}: fraud found (order.fraud): the seller bears the return freight whatever the reason (Consumer Rights Protection Law of the PRC art. 55); the {paid} paid the carrier {cost}: nothing to settle"
        zh "{rule}：认定欺诈（order.fraud）：无论退货原因，退货运费均由商家承担（《消费者权益保护法》第五十五条）；{paid}已向承运人支付 {cost}：无需结算";
    SettleFreightFraud = "settlement.freight_fraud" (rule, paid)
        en "{rule}: fraud found (order.fraud): the seller bears the return freight whatever the reason (Consumer Rights Protection Law of the PRC art. 55); the {paid} paid the carrier"
        zh "{rule}：认定欺诈（order.fraud）：无论退货原因，退货运费均由商家承担（《消费者权益保护法》第五十五条）；运费由{paid}支付给承运人";
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
    SettleOrderTaxExclusive = "settlement.order_tax_exclusive" (rate, base, amount, rounding, whom)
        en "order.tax: the sale's own tax wins over the policy's: its {rate}% was added to its prices: {rate}% of the taxable net {base} = {amount} (rounded {rounding}), to {whom}"
        zh "order.tax：以该笔销售自身的税率为准，优先于政策的税率：销售时价外加收 {rate}%：应税净额 {base} 的 {rate}% = {amount}（{rounding}），归{whom}";
    SettleOrderTaxInclusive = "settlement.order_tax_inclusive" (rate, base, gross, amount, rounding)
        en "order.tax: the sale's own tax wins over the policy's: its prices contained {rate}%: the taxable net {base} contains {base} × {rate} / {gross} = {amount} (rounded {rounding})"
        zh "order.tax：以该笔销售自身的税率为准，优先于政策的税率：销售价内含 {rate}%：应税净额 {base} 含税 {base} × {rate} / {gross} = {amount}（{rounding}）";
    // Warranty: the decision.
    WarrantyNoSection = "warranty.no_section" ()
        en "the policy has no [warranty] section"
        zh "政策没有 [warranty] 部分：不作保修判定";
    WarrantyNoProduct = "warranty.no_product" ()
        en "no warranty decision: the ticket has no product"
        zh "无保修判定：工单没有产品信息";
    WarrantyCategory = "warranty.category" (category, path)
        en "product.category `{category}`: {path} applies"
        zh "product.category `{category}`：适用 {path}";
    WarrantyOutranks = "warranty.outranks" (status, kind, rule, contract, window)
        en "{status}: {kind} under {rule} outranks {contract}{window}"
        zh "{status}：依 {rule} 的{kind}优先于{contract}{window}";
    WarrantyContractualRemedy = "warranty.contractual_remedy" (kind)
        en "the contractual {kind}"
        zh "合同约定的{kind}";
    WarrantyContractualStatus = "warranty.contractual_status" (status)
        en "the contractual status `{status}`"
        zh "合同约定的状态 `{status}`";
    WarrantyWindowOpen = "warranty.window_open" (date)
        en " while its window is open (claim by {date})"
        zh "（在其期限内，须于 {date} 前主张）";
    WarrantyStatus = "warranty.status" (status)
        en "{status}"
        zh "{status}";
    WarrantyStatusRemedy = "warranty.status_remedy" (status, remedy, rule, claim_by)
        en "{status}: {remedy} under {rule}{claim_by}"
        zh "{status}：依 {rule} {remedy}{claim_by}";
    WarrantyClaimBy = "warranty.claim_by" (date)
        en ", to be claimed by {date}"
        zh "，须于 {date} 前主张";
    WarrantyNoFaultRequest = "warranty.no_fault_request" (kind, request, status, rule, until)
        en "{request} requested with no fault reported (ticket.kind = \"{kind}\"): no {request} is owed; {status}, but the free repair under {rule}{until} is for a fault, which this ticket does not report"
        zh "未报告故障而要求{request}（ticket.kind = \"{kind}\"）：不应予{request}；{status}，但依 {rule} 的免费维修{until}仅针对故障，而本工单未报告故障";
    WarrantyUntil = "warranty.until" (date)
        en " (until {date})"
        zh "（至 {date}）";
    WarrantyNotCovered = "warranty.not_covered" (component, exclusion)
        en "{component}: not covered: {exclusion}"
        zh "{component}：不在保修范围内：{exclusion}";
    WarrantyCoveredBeforeStart = "warranty.covered_before_start" (component, claim, start, until)
        en "{component}: covered: the claim on {claim} is before the warranty start {start}, and cover runs until {until}"
        zh "{component}：在保：{claim} 的报修早于保修起始日 {start}，保修至 {until}";
    WarrantyCovered = "warranty.covered" (component, claim, until)
        en "{component}: covered: the claim on {claim} is within cover until {until}"
        zh "{component}：在保：{claim} 的报修在保修期内（保修至 {until}）";
    WarrantyExpired = "warranty.expired" (component, until, claim)
        en "{component}: expired: cover ended {until}, the claim is on {claim}"
        zh "{component}：已过保：保修已于 {until} 结束，报修日为 {claim}";
    WarrantyUnlisted = "warranty.unlisted" (component, path)
        en "fault.component `{component}` has no warranty: no entry in {path}.components names or includes it, and there is no default_component"
        zh "fault.component `{component}` 无保修：{path}.components 中没有条目列出或包含它，也没有 default_component";
    WarrantyWhole = "warranty.whole" ()
        en "the fault names no component and there is no default_component: the product is covered while any component is"
        zh "故障未指明部件，也没有 default_component：只要有部件在保，产品即在保";
    WarrantyNoComponents = "warranty.no_components" ()
        en "no contractual warranty: warranty.components names no component"
        zh "无合同保修：warranty.components 未列出任何部件";
    WarrantyExcluded = "warranty.excluded" (exclusion)
        en "excluded: {exclusion}"
        zh "不予保修：{exclusion}";
    WarrantyExclusion = "warranty.exclusion" (description, how, path)
        en "{description} ({how}, {path})"
        zh "{description}（{how}，{path}）";
    WarrantyExclusionCause = "warranty.exclusion_cause" (cause)
        en "fault.cause `{cause}`"
        zh "fault.cause `{cause}`";
    WarrantyExclusionNoProof = "warranty.exclusion_no_proof" ()
        en "product.proof_of_purchase = false"
        zh "product.proof_of_purchase = false";
    WarrantyJudgedDefault = "warranty.judged_default" (component)
        en "the fault names no component: judged as `{component}` (the default component)"
        zh "故障未指明部件：按 `{component}`（默认部件）判定";
    WarrantyIncluded = "warranty.included" (fault, component, path)
        en "fault.component `{fault}` is covered as `{component}` ({path}.includes)"
        zh "fault.component `{fault}` 按 `{component}` 保修（{path}.includes）";
    WarrantyNoEntryDefault = "warranty.no_entry_default" (fault, component)
        en "fault.component `{fault}` has no entry of its own: judged as `{component}` (the default component)"
        zh "fault.component `{fault}` 没有单独的条目：按 `{component}`（默认部件）判定";

    // Warranty: the term.
    WarrantyStarts = "warranty.starts" (date, field, path)
        en "warranty starts {date}: {field} ({path}.date)"
        zh "保修自 {date} 起算：{field}（{path}.date）";
    WarrantyStartsFallback = "warranty.starts_fallback" (missing, date, field, base, plus, path)
        en "no {missing}: warranty starts {date} = {field} {base}{plus} ({path})"
        zh "无 {missing}：保修自 {date} 起算 = {field} {base}{plus}（{path}）";
    WarrantyPlus = "warranty.plus" (period)
        en " + {period}"
        zh " + {period}";
    WarrantyNoStart = "warranty.no_start" (fields, path)
        en "no start date: the ticket has no {fields} ({path})"
        zh "无起始日期：工单没有 {fields}（{path}）";
    WarrantyStartsCapped = "warranty.starts_capped" (latest, start, cap, path)
        en "warranty starts {latest}, not {start}: never later than {cap} = {latest} ({path})"
        zh "保修自 {latest} 起算，而非 {start}：不晚于 {cap} = {latest}（{path}）";
    WarrantyDatePlus = "warranty.date_plus" (field, period)
        en "{field} + {period}"
        zh "{field} + {period}";
    WarrantyRestart = "warranty.restart" (on, source)
        en "replacement unit since {on} (product.replaced_on): every period starts again on {on} ({source})"
        zh "自 {on} 起为更换后的新机（product.replaced_on）：各保修期自 {on} 重新起算（{source}）";
    WarrantyRestartRule = "warranty.restart_rule" (rule)
        en "{rule}: an exchanged unit's period starts again"
        zh "{rule}：换货后的新机重新计算保修期";
    WarrantyReplacementMinimum = "warranty.replacement_minimum" (on)
        en "replacement unit since {on} (product.replaced_on): it keeps the original warranty, or the minimum if that ends later (warranty.replacement)"
        zh "自 {on} 起为更换后的新机（product.replaced_on）：沿用原保修期，若最低保修期结束更晚则按最低保修期（warranty.replacement）";
    WarrantyReplacementRemainder = "warranty.replacement_remainder" (on)
        en "replacement unit since {on} (product.replaced_on): it keeps the remainder of the original warranty (warranty.replacement.rule = \"remainder\")"
        zh "自 {on} 起为更换后的新机（product.replaced_on）：沿用原保修的剩余期限（warranty.replacement.rule = \"remainder\"）";
    WarrantyNoPeriod = "warranty.no_period" (component, path, period)
        en "{component}: no warranty ({path}.period = \"{period}\")"
        zh "{component}：无保修（{path}.period = \"{period}\"）";
    WarrantyPeriod = "warranty.period" (component, period, start, last, path)
        en "{component}: {period} from {start}, last day {last} ({path}.period)"
        zh "{component}：自 {start} 起 {period}，最后一日 {last}（{path}.period）";
    WarrantyEndsEarlier = "warranty.ends_earlier" (component, other, field, base, plus, until, path)
        en "{component}: ends {other} = {field} {base} + {plus}, before {until}: whichever ends first ({path})"
        zh "{component}：于 {other} 结束 = {field} {base} + {plus}，早于 {until}：以先到者为准（{path}）";
    WarrantyNoEndDate = "warranty.no_end_date" (component, field, path)
        en "{component}: no {field}, so only the period applies ({path})"
        zh "{component}：无 {field}，仅按保修期计算（{path}）";
    WarrantyExtended = "warranty.extended" (component, days, repairs, extended, source, counting)
        en "{component}: extended by {days} out of service ({repairs}) to {extended} ({source}, {counting})"
        zh "{component}：停用 {days}（{repairs}），保修顺延至 {extended}（{source}；{counting}）";
    WarrantyRepairDays = "warranty.repair_days" (index, days, how)
        en "history.repairs[{index}]: {days} ({how})"
        zh "history.repairs[{index}]：{days}（{how}）";
    WarrantyRepairHours = "warranty.repair_hours" (hours)
        en "{hours} h from received_at to resolved_at"
        zh "received_at 至 resolved_at 共 {hours} 小时";
    WarrantyRepairHoursMinutes = "warranty.repair_hours_minutes" (hours, minutes)
        en "{hours} h {minutes} min from received_at to resolved_at"
        zh "received_at 至 resolved_at 共 {hours} 小时 {minutes} 分钟";
    WarrantyRepairDates = "warranty.repair_dates" (from, to)
        en "received {from}, resolved {to}"
        zh "{from} 收件，{to} 修复";
    WarrantyReplacementFloor = "warranty.replacement_floor" (component, floor, on, minimum, until)
        en "{component}: replacement unit covered until {floor} = {on} + {minimum}, later than the remainder ending {until} (warranty.replacement.minimum)"
        zh "{component}：更换后的新机保修至 {floor} = {on} + {minimum}，晚于剩余期限的结束日 {until}（warranty.replacement.minimum）";
    WarrantyRemainderLonger = "warranty.remainder_longer" (component, until, on, minimum, floor)
        en "{component}: the remainder ending {until} is longer than the minimum ({on} + {minimum} = {floor}, warranty.replacement.minimum)"
        zh "{component}：剩余期限至 {until}，长于最低保修期（{on} + {minimum} = {floor}，warranty.replacement.minimum）";
    WarrantyMovedRestDay = "warranty.moved_rest_day" (date)
        en " (moved from {date}, a rest day: Civil Code art. 203)"
        zh "（原为 {date}，逢休息日顺延：《民法典》第二百零三条）";

    // Warranty: cn-7day-return.
    Warranty7NoChannel = "warranty.7day.no_channel" ()
        en "cn-7day-return: product.sold_via not given, so no sale online, by phone, TV or mail is known (Consumer Protection Law art. 25): no return without reason"
        zh "cn-7day-return：未给出 product.sold_via，无从认定为网络、电话、电视或邮购销售（《消费者权益保护法》第二十五条）：不适用无理由退货";
    Warranty7NotDistance = "warranty.7day.not_distance" (channel)
        en "cn-7day-return: sold via `{channel}`, not at a distance (Consumer Protection Law art. 25; warranty.cn_7day_return.channels): no return without reason"
        zh "cn-7day-return：经由 `{channel}` 销售，不属于远程购物（《消费者权益保护法》第二十五条；warranty.cn_7day_return.channels）：不适用无理由退货";
    Warranty7NoSignDate = "warranty.7day.no_sign_date" ()
        en "cn-7day-return: neither product.signed_for_on nor product.delivered_on is given, so the 7 days cannot be counted: no return without reason"
        zh "cn-7day-return：product.signed_for_on 与 product.delivered_on 均未给出，无法计算七日期限：不适用无理由退货";
    Warranty7ExcludedCategory = "warranty.7day.excluded_category" (category)
        en "cn-7day-return: category `{category}` is never returnable without reason (Consumer Protection Law art. 25 para. 1; SAMR measures art. 6; warranty.cn_7day_return.excluded_categories)"
        zh "cn-7day-return：品类 `{category}` 不适用无理由退货（《消费者权益保护法》第二十五条第一款；《网络购买商品七日无理由退货暂行办法》第六条；warranty.cn_7day_return.excluded_categories）";
    Warranty7NoReturnConfirmed = "warranty.7day.no_return_confirmed" ()
        en "cn-7day-return: the customer confirmed at checkout that the goods are not returnable without reason (product.no_return_confirmed; Consumer Protection Law art. 25 para. 2; SAMR measures art. 7)"
        zh "cn-7day-return：客户下单时已确认该商品不适用无理由退货（product.no_return_confirmed；《消费者权益保护法》第二十五条第二款；《网络购买商品七日无理由退货暂行办法》第七条）";
    Warranty7TooLate = "warranty.7day.too_late" (signed, field, window, claim)
        en "cn-7day-return: signed for on {signed} ({field}); {window}; the claim on {claim} is too late: no return without reason (Consumer Protection Law art. 25)"
        zh "cn-7day-return：{signed} 签收（{field}）；{window}；{claim} 提出已逾期：不适用无理由退货（《消费者权益保护法》第二十五条）";
    Warranty7Opened = "warranty.7day.opened" (category)
        en "cn-7day-return: `{category}` goods were opened (product.intact = false): not returnable without reason (Consumer Protection Law art. 25 para. 1; SAMR measures art. 6)"
        zh "cn-7day-return：`{category}` 类商品已拆封（product.intact = false）：不适用无理由退货（《消费者权益保护法》第二十五条第一款；《网络购买商品七日无理由退货暂行办法》第六条）";
    Warranty7NotIntact = "warranty.7day.not_intact" ()
        en "cn-7day-return: the goods are not intact (product.intact = false): no return without reason (Consumer Protection Law art. 25 para. 3; SAMR measures art. 8)"
        zh "cn-7day-return：商品不完好（product.intact = false）：不适用无理由退货（《消费者权益保护法》第二十五条第三款；《网络购买商品七日无理由退货暂行办法》第八条）";
    Warranty7Open = "warranty.7day.open" (channel, signed, field, claim, when, window, last)
        en "cn-7day-return: sold via `{channel}`, signed for on {signed} ({field}); claim on {claim} is {when}; {window}: return without reason until {last} (Consumer Protection Law art. 25)"
        zh "cn-7day-return：经由 `{channel}` 销售，{signed} 签收（{field}）；{claim} 提出，{when}；{window}：可无理由退货至 {last}（《消费者权益保护法》第二十五条）";
    Warranty7DayOf = "warranty.7day.day_of" (day, days)
        en "day {day} of {days}"
        zh "为 {days} 日中的第 {day} 日";
    Warranty7SignDay = "warranty.7day.sign_day" ()
        en "not after the sign-for day"
        zh "未晚于签收当日";
    Warranty7TakenIntact = "warranty.7day.taken_intact" ()
        en "cn-7day-return: goods taken as intact (product.intact not given); the seller may check them on receipt (Consumer Protection Law art. 25 para. 3; SAMR measures art. 8)"
        zh "cn-7day-return：未给出 product.intact，视为商品完好；商家可在收货时查验（《消费者权益保护法》第二十五条第三款；《网络购买商品七日无理由退货暂行办法》第八条）";
    Warranty7RefundDue = "warranty.7day.refund_due" (received, due, moved, days)
        en "cn-7day-return: return received on {received} (event `return_received`): refund due by {due}{moved} (within {days} days, Consumer Protection Law art. 25 para. 3)"
        zh "cn-7day-return：{received} 收到退货（事件 `return_received`）：应于 {due}{moved}前退款（{days} 日内，《消费者权益保护法》第二十五条第三款）";
    Warranty7Window168h = "warranty.7day.window_168h" (hours, signed, end)
        en "{hours} h from signing at {signed} end at {end} (warranty.cn_7day_return.counting = \"168h\")"
        zh "自 {signed} 签收起 {hours} 小时，至 {end} 届满（warranty.cn_7day_return.counting = \"168h\"）";
    Warranty7WindowDays = "warranty.7day.window_days" (days, last, moved, fallback)
        en "the {days} days count from the day after sign-for and end at 24:00 on {last}{moved}{fallback}"
        zh "{days} 日自签收次日起算，至 {last}{moved} 24 时届满{fallback}";
    Warranty7HoursFallback = "warranty.7day.168h_fallback" ()
        en " (counting = \"168h\" without product.signed_for_at: 168 h from 00:00 of the next day)"
        zh "（counting = \"168h\" 但无 product.signed_for_at：自次日 0 时起算 168 小时）";

    // Warranty: cn-sanbao.
    SanbaoNotListed = "warranty.sanbao.not_listed" (category)
        en "cn-sanbao: category `{category}` is not among the listed products (warranty.cn_sanbao.categories): not applied"
        zh "cn-sanbao：品类 `{category}` 不在所列产品之中（warranty.cn_sanbao.categories）：不适用";
    SanbaoNoProof = "warranty.sanbao.no_proof" ()
        en "cn-sanbao: no proof of purchase (product.proof_of_purchase = false): the three guarantees need the certificate and invoice (《部分商品修理更换退货责任规定》 (1995))"
        zh "cn-sanbao：无购买凭证（product.proof_of_purchase = false）：三包须凭三包凭证和发票（《部分商品修理更换退货责任规定》（1995））";
    SanbaoExcluded = "warranty.sanbao.excluded" (exclusion)
        en "cn-sanbao: not applied: {exclusion} puts the fault outside the three guarantees (《部分商品修理更换退货责任规定》 (1995))"
        zh "cn-sanbao：不适用：{exclusion}，该故障不属于三包范围（《部分商品修理更换退货责任规定》（1995））";
    SanbaoNoSale = "warranty.sanbao.no_sale" ()
        en "cn-sanbao: no product.purchased_on (the date of sale): not applied"
        zh "cn-sanbao：无 product.purchased_on（销售日期）：不适用";
    SanbaoSaleDay = "warranty.sanbao.sale_day" (sale)
        en "on the day of sale ({sale})"
        zh "于销售当日（{sale}）";
    SanbaoDayAfterSale = "warranty.sanbao.day_after_sale" (day, sale)
        en "on day {day} after sale ({sale})"
        zh "于售后第 {day} 日（{sale} 售出）";
    SanbaoArt9 = "warranty.sanbao.art9" (when, deadline, moved)
        en "cn-sanbao art. 9: performance fault {when}: return, exchange or repair, the customer's choice, until {deadline}{moved}"
        zh "cn-sanbao 第九条：{when}出现性能故障：退货、换货或维修，由客户选择，至 {deadline}{moved}";
    SanbaoArt10 = "warranty.sanbao.art10" (when, deadline, moved)
        en "cn-sanbao art. 10: performance fault {when}: exchange or repair, the customer's choice, until {deadline}{moved}"
        zh "cn-sanbao 第十条：{when}出现性能故障：换货或维修，由客户选择，至 {deadline}{moved}";
    SanbaoNotPerformance = "warranty.sanbao.not_performance" (when)
        en "cn-sanbao arts. 9-10: {when}, but the fault is not marked as a performance fault (fault.performance): no return or exchange on that ground"
        zh "cn-sanbao 第九、十条：{when}，但故障未标记为性能故障（fault.performance）：不能据此退货或换货";
    SanbaoFreeRepair = "warranty.sanbao.free_repair" (component, until)
        en "cn-sanbao: {component} is within the three-guarantee period until {until}: free repair"
        zh "cn-sanbao：{component} 在三包有效期内（至 {until}）：免费维修";
    SanbaoPeriodEnded = "warranty.sanbao.period_ended" (until)
        en "cn-sanbao: the three-guarantee period ended {until}: no statutory remedy"
        zh "cn-sanbao：三包有效期已于 {until} 结束：无法定补救";
    SanbaoNoPeriod = "warranty.sanbao.no_period" (component, days)
        en "cn-sanbao: no three-guarantee period is known for {component}: no statutory remedy after day {days}"
        zh "cn-sanbao：{component} 的三包有效期不明：售后第 {days} 日之后无法定补救";
    SanbaoRepeated = "warranty.sanbao.repeated" (what, count, repairs, until)
        en "cn-sanbao arts. 11 and 13: {what} was repaired {count} times in the three-guarantee period ({repairs}) and is back: exchange for the same model, or return (a used product may bear a depreciation charge), until {until}"
        zh "cn-sanbao 第十一、十三条：三包有效期内，{what}已维修 {count} 次（{repairs}），故障再次出现：可换同型号产品或退货（已使用的产品可收取折旧费），至 {until}";
    SanbaoFaultCode = "warranty.sanbao.fault_code" (code)
        en "fault `{code}`"
        zh "`{code}` 故障";
    SanbaoFaultOn = "warranty.sanbao.fault_on" (component)
        en "a fault on `{component}`"
        zh "部件 `{component}` 的故障";
    SanbaoRepairOn = "warranty.sanbao.repair_on" (index, on)
        en "history.repairs[{index}] {on}"
        zh "history.repairs[{index}] {on}";
    SanbaoLongWait = "warranty.sanbao.long_wait" (what, waited, sent, threshold, field, deadline)
        en "cn-sanbao: {what} for {waited} days since the product was sent in on {sent} (more than {threshold}, warranty.cn_sanbao.{field}): free exchange for the same model, until {deadline}"
        zh "cn-sanbao：自 {sent} 送修起{what}已 {waited} 日（超过 {threshold} 日，warranty.cn_sanbao.{field}）：免费换同型号产品，至 {deadline}";
    SanbaoCategoryField = "warranty.sanbao.category_field" (category)
        en "parts_wait_exchange_days_by_category.{category}"
        zh "parts_wait_exchange_days_by_category.{category}";

    // Credits: the amount of a breach.
    CreditsBreach = "credits.breach" (source, metric, at, late, parts)
        en "{source}: `{metric}` breached{at}, {late} late: {parts}"
        zh "{source}：`{metric}` {at}超时，逾期 {late}：{parts}";
    CreditsBreachedAt = "credits.breached_at" (at)
        en " at {at}"
        zh "于 {at} ";
    CreditsFixed = "credits.fixed" (amount)
        en "{amount} fixed"
        zh "固定 {amount}";
    CreditsPercentOfFee = "credits.percent_of_fee" (percent, fee, part)
        en "{percent}% of the contract fee {fee} = {part}"
        zh "合同费 {fee} 的 {percent}% = {part}";
    CreditsPerStarted = "credits.per_started" (count, unit, rate, part)
        en "{count} {unit} × {rate} = {part}"
        zh "{count} {unit} × {rate} = {part}";
    CreditsRounded = "credits.rounded" (exact, how, amount)
        en "{exact} rounded {how} to {amount}"
        zh "{exact} 舍入为 {amount}（{how}）";
    CreditsCappedPerTicket = "credits.capped_per_ticket" (cap, source, from)
        en "capped at {cap} per ticket ({source}.cap_per_ticket), from {from}"
        zh "每张工单封顶 {cap}（{source}.cap_per_ticket），原为 {from}";
    CreditsReducedPeriodCap = "credits.reduced_period_cap" (from, to, source, cap, per, whose, period, so_far, before)
        en "reduced from {from} to {to}: {source}.cap_per_period is {cap} per {per}{whose} ({period}), {so_far} already credited{before}"
        zh "由 {from} 减为 {to}：{source}.cap_per_period 规定{whose}每{per}不超过 {cap}（{period}），已赔付 {so_far}{before}";
    CreditsForCustomer = "credits.for_customer" (customer)
        en " for customer {customer}"
        zh "客户 {customer} ";
    CreditsForTicket = "credits.for_ticket" ()
        en " for this ticket (no customer id)"
        zh "本工单（无客户编号）";
    CreditsRule = "credits.rule" (rule, reason)
        en "rule {rule}(): {reason}"
        zh "规则 {rule}()：{reason}";
    CreditsRuleBreach = "credits.rule_breach" (rule, metric)
        en "rule {rule}() for the breach of {metric}"
        zh "规则 {rule}() 因 {metric} 超时给出";
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
    StatusInWarranty = "status.in_warranty" en "in warranty" zh "在保修期内";
    StatusExpired = "status.expired" en "expired: the fault is not covered" zh "已过保：故障不在保修范围内";
    StatusExcluded = "status.excluded" en "excluded: the fault is not covered" zh "不予保修：故障不在保修范围内";
    StatusNone = "status.not_applicable" en "no warranty decision" zh "无保修判定";
    Repair = "repair" en "repair" zh "维修";
    Exchange = "exchange" en "exchange" zh "换货";
    Return = "return" en "return" zh "退货";
    FreeRepair = "free_repair" en "free repair" zh "免费维修";
    Started24h = "started-24h" en "each started 24 h counts as a day" zh "不足 24 小时按一日计";
    Whole24h = "whole-24h" en "only whole 24 h count" zh "只计满 24 小时的整日";
    CalendarDays = "calendar-days" en "every calendar day out of service counts" zh "停用的每个日历日均计入";
    SanbaoExtension = "sanbao_extension" en "cn-sanbao: the three-guarantee period excludes time in repair" zh "cn-sanbao：三包有效期不含维修占用时间";
    Never = "never" en "never" zh "永不";
    NoCategory = "no_category" en "(none)" zh "（无）";
    TheProduct = "the_product" en "the product" zh "产品";
    Undated = "undated" en "undated" zh "日期不明";
    WaitingForParts = "waiting_for_parts" en "waiting for spare parts" zh "等待备件";
    InRepair = "in_repair" en "in repair" zh "维修中";
    Month = "month" en "month" zh "月";
    Quarter = "quarter" en "quarter" zh "季度";
    Year = "year" en "year" zh "年";
    PlanYear = "plan_year" en "plan year" zh "服务年度";
    MetricPending = "metric.pending" en "pending" zh "未开始计时";
    MetricRunning = "metric.running" en "running" zh "计时中";
    MetricPaused = "metric.paused" en "paused" zh "已暂停";
    MetricMet = "metric.met" en "met" zh "已达成";
    MetricBreached = "metric.breached" en "breached" zh "已超时";
    MetricNotApplicable = "metric.not_applicable" en "not applicable" zh "不适用";
    ServiceCredit = "credit.service_credit" en "service credit" zh "服务抵扣";
    Compensation = "credit.compensation" en "compensation" zh "补偿";
    CauseMisuse = "cause.misuse" en "misuse: damage from use, care or storage contrary to the instructions" zh "使用不当：未按说明书使用、维护或保管造成的损坏";
    CauseWater = "cause.water_damage" en "water or liquid damage" zh "进水或液体损坏";
    CauseFreezing = "cause.freezing" en "frost damage" zh "冻裂损坏";
    CauseBrokenSeal = "cause.broken_seal" en "the warranty seal is broken" zh "保修封条已破损";
    CauseUnauthorisedRepair = "cause.unauthorised_repair" en "opened or repaired by someone not authorised to" zh "经未获授权者拆修";
    CauseNoProof = "cause.no_proof_of_purchase" en "no proof of purchase" zh "无购买凭证";
    CauseForceMajeure = "cause.force_majeure" en "force majeure (fire, flood, lightning, earthquake …)" zh "不可抗力（火灾、水灾、雷击、地震等）";
    CauseAccident = "cause.accident" en "accidental damage (drop, impact)" zh "意外损坏（跌落、撞击）";
    CauseNormalWear = "cause.normal_wear" en "normal wear and tear" zh "正常磨损";
    CauseCosmetic = "cause.cosmetic" en "cosmetic damage that does not affect function" zh "不影响功能的外观损伤";
}
