//! Repair (信用修复): when a violation may be repaired and on which conditions. An internal
//! record waits `credit.repair_after_years` from its date. An official record follows the
//! market-regulation rules, counted from the decision date: an abnormal-operations listing is
//! removed once the duty is met; a serious-list entry after 1 year; a published penalty after
//! 6 months (1 year for food, drugs and special equipment), while a minor penalty's
//! publication ends by itself after 3 months. An official repair records its conditions and
//! keeps the signed 信用承诺书 as evidence.

use std::path::PathBuf;

use anyhow::Result;
use chrono::{Months, NaiveDate};
use rusqlite::Connection;

use super::catalog::{CreditKind, Official};
use super::{attach_evidence, close, get, refuse_closed, CreditEvent, EventStatus};
use crate::audit::Stamp;
use crate::config::Credit;
use crate::domain::company::required;
use crate::error::Failure;
use crate::i18n::{Lang, Text};
use crate::{refused, text};

/// What a `credit repair` states: the reason, the conditions met and the signed commitment.
#[derive(Debug, Clone, Default)]
pub struct Repair {
    pub reason: String,
    /// The duties of the decision are fulfilled (for a listing: the duty to publish).
    pub duties_fulfilled: bool,
    /// The harm and its ill effects are removed.
    pub harm_removed: bool,
    /// No new penalty of the same kind (or heavier) since.
    pub no_new_penalty: bool,
    /// The signed 信用承诺书, kept as evidence of the event.
    pub commitment: Option<PathBuf>,
}

/// A condition of a repair, as stored and as the flag that states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Condition {
    DutiesFulfilled,
    HarmRemoved,
    NoNewPenalty,
    Commitment,
}

impl Condition {
    fn as_str(self) -> &'static str {
        match self {
            Condition::DutiesFulfilled => "duties-fulfilled",
            Condition::HarmRemoved => "harm-removed",
            Condition::NoNewPenalty => "no-new-penalty",
            Condition::Commitment => "commitment",
        }
    }

    fn flag(self) -> &'static str {
        match self {
            Condition::Commitment => "--commitment FILE",
            Condition::DutiesFulfilled => "--duties-fulfilled",
            Condition::HarmRemoved => "--harm-removed",
            Condition::NoNewPenalty => "--no-new-penalty",
        }
    }
}

impl Repair {
    /// The conditions this repair states.
    fn met(&self) -> Vec<Condition> {
        [
            (self.duties_fulfilled, Condition::DutiesFulfilled),
            (self.harm_removed, Condition::HarmRemoved),
            (self.no_new_penalty, Condition::NoNewPenalty),
            (self.commitment.is_some(), Condition::Commitment),
        ]
        .into_iter()
        .filter_map(|(met, condition)| met.then_some(condition))
        .collect()
    }
}

/// The conditions an official record's repair needs.
fn needed(official: Official) -> &'static [Condition] {
    match official {
        Official::AbnormalOperations => &[Condition::DutiesFulfilled],
        Official::SeriousIllegal | Official::Penalty | Official::PenaltyMinor => &[
            Condition::DutiesFulfilled,
            Condition::HarmRemoved,
            Condition::NoNewPenalty,
            Condition::Commitment,
        ],
    }
}

/// The first day repair may be applied for, or why it may not be at all.
fn earliest(event: &CreditEvent, credit: &Credit) -> Result<NaiveDate, Failure> {
    let id = event.id;
    let Some(official) = event.official else {
        let years = credit.repair_after_years;
        return Ok(add(event.occurred_on, Months::new(12 * years)));
    };
    let decided_on = event.decided_on.unwrap_or(event.occurred_on);
    match official.repair_after(event.sector) {
        Some(wait) => Ok(add(decided_on, wait)),
        None => {
            let ends = event.expires_on.map_or_else(String::new, |d| d.to_string());
            Err(refused!(
                "event {id} is a minor penalty: its publication ends by itself on {ends}; there is nothing to repair",
                "记录 {id} 是通报批评或较低数额罚款：公示于 {ends} 自动停止，无需信用修复"
            )
            .hint(text!(
                "市场监督管理行政处罚信息公示规定 art. 13: publication of a minor penalty ends 3 months after it began",
                "《市场监督管理行政处罚信息公示规定》第十三条：仅受到通报批评或较低数额罚款的，自公示之日起满三个月停止公示"
            )))
        }
    }
}

/// `date + months`, or the last date when that is out of range.
fn add(date: NaiveDate, months: Months) -> NaiveDate {
    date.checked_add_months(months).unwrap_or(NaiveDate::MAX)
}

/// Why repair of `official` waits as long as it does, for the hint of a refusal.
fn wait_rule(event: &CreditEvent, credit: &Credit) -> Text {
    let years = credit.repair_after_years;
    match event.official {
        None => text!(
            "an internal record may be repaired {years} year(s) after its date (config credit.repair_after_years)",
            "内部记录自发生之日起满 {years} 年方可修复（配置项 credit.repair_after_years）"
        ),
        Some(Official::SeriousIllegal) => text!(
            "a serious-list entry: early removal may be applied for 1 year after the decision",
            "严重违法失信名单：自列入决定之日起满 1 年方可申请提前移出"
        ),
        Some(_) => text!(
            "a published penalty: repair may be applied for 6 months after the decision, 1 year for food, drugs and special equipment",
            "已公示的行政处罚：自决定之日起满 6 个月方可申请信用修复，食品、药品、特种设备领域满 1 年"
        ),
    }
}

/// Marks a violation repaired when its rules allow it today: the waiting time has passed and,
/// for an official record, every condition is stated. The conditions are stored with it and
/// the commitment (at most `max_bytes`) is kept as evidence.
pub fn repair(
    conn: &Connection,
    stamp: &Stamp,
    credit: &Credit,
    today: NaiveDate,
    id: i64,
    repair: &Repair,
    max_bytes: u64,
) -> Result<CreditEvent> {
    let reason = required("reason", &repair.reason)?;
    let before = get(conn, id, today)?;
    refuse_closed(&before)?;
    if before.kind == CreditKind::Incentive {
        return Err(refused!(
            "event {id} is an incentive; only a violation is repaired",
            "记录 {id} 是守信激励；只有违规记录可以修复"
        )
        .hint(text!(
            "if it was recorded in error: baton credit revoke {id} --reason R",
            "如系误录：baton credit revoke {id} --reason 原因"
        ))
        .into());
    }
    let earliest = earliest(&before, credit)?;
    if today < earliest {
        return Err(refused!(
            "event {id} may be repaired from {earliest} on",
            "记录 {id} 自 {earliest} 起方可申请修复"
        )
        .hint(wait_rule(&before, credit))
        .into());
    }
    let met = repair.met();
    if let Some(official) = before.official {
        let missing: Vec<&str> = needed(official)
            .iter()
            .filter(|c| !met.contains(c))
            .map(|c| c.flag())
            .collect();
        if !missing.is_empty() {
            let (missing, official_zh) = (missing.join(", "), official.label(Lang::Zh));
            return Err(refused!(
                "repair of event {id} ({official}) needs {missing}",
                "记录 {id}（{official_zh}）的信用修复还需要 {missing}"
            )
            .hint(text!(
                "state each condition that is met, and give the signed 信用承诺书 with --commitment FILE",
                "逐项声明已满足的条件，并用 --commitment 文件 提交签署的信用承诺书"
            ))
            .into());
        }
    }
    if let Some(path) = &repair.commitment {
        attach_evidence(conn, stamp, id, path, max_bytes)?;
    }
    let conditions: Vec<&str> = met.iter().map(|c| c.as_str()).collect();
    let conditions = (!conditions.is_empty()).then(|| conditions.join(","));
    close(
        conn,
        stamp,
        today,
        before,
        EventStatus::Repaired,
        &reason,
        conditions.as_deref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::credit::catalog::Sector;
    use crate::domain::credit::tests::day;

    fn official(official: Official, sector: Option<Sector>) -> CreditEvent {
        CreditEvent {
            id: 1,
            kind: CreditKind::Violation,
            official: Some(official),
            sector,
            occurred_on: day("2025-01-10"),
            decided_on: Some(day("2025-03-01")),
            expires_on: Some(day("2025-06-01")),
            ..CreditEvent::default()
        }
    }

    #[test]
    fn repair_waits_count_from_the_decision() {
        let credit = Credit::default();
        let at = |e: &CreditEvent| earliest(e, &credit).unwrap();
        assert_eq!(at(&official(Official::Penalty, None)), day("2025-09-01"));
        assert_eq!(
            at(&official(Official::Penalty, Some(Sector::Food))),
            day("2026-03-01")
        );
        assert_eq!(
            at(&official(Official::SeriousIllegal, None)),
            day("2026-03-01")
        );
        assert_eq!(
            at(&official(Official::AbnormalOperations, None)),
            day("2025-03-01")
        );
        let minor = earliest(&official(Official::PenaltyMinor, None), &credit).unwrap_err();
        assert!(minor.message.en.contains("2025-06-01"), "{minor:?}");
        let internal = CreditEvent {
            official: None,
            decided_on: None,
            ..official(Official::Penalty, None)
        };
        assert_eq!(at(&internal), day("2026-01-10"));
    }

    #[test]
    fn an_official_repair_needs_every_condition() {
        let all = Repair {
            duties_fulfilled: true,
            harm_removed: true,
            no_new_penalty: true,
            commitment: Some("承诺书.pdf".into()),
            ..Repair::default()
        };
        assert_eq!(all.met(), needed(Official::Penalty));
        let duties = Repair {
            duties_fulfilled: true,
            ..Repair::default()
        };
        assert_eq!(duties.met(), needed(Official::AbnormalOperations));
    }
}
