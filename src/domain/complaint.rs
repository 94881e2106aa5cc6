//! Complaints with service-level clocks: three deadlines (accept, feedback, resolve) fixed at
//! filing from config `[sla]` and the working-day calendar, moved later by the time on hold;
//! the states received → accepted → mediating → resolved, or received → rejected; an event
//! trail; evidence files kept in the database; and the statistics of a period.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use rusqlite::types::Type;
use rusqlite::{named_params, params, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::json;

use super::company::required;
use super::{customer, evidence, handover};
use crate::audit::{self, Stamp};
use crate::config::Sla;
use crate::error::{in_field, Failure};
use crate::i18n::Lang;
use crate::import::{self, Column, Outcome as ImportOutcome};
use crate::time::{self, Calendar};
use crate::{bad_input, refused, text_enum};

text_enum! { "category" / "投诉类别":
    /// What a complaint is about.
    pub enum Category {
        ServiceGap = "service-gap" / "服务中断",
        Commitment = "commitment" / "承诺未兑现",
        Quality = "quality" / "质量",
        Billing = "billing" / "收费",
        Data = "data" / "数据",
        Other = "other" / "其他",
    }
}

text_enum! { "channel" / "渠道":
    /// How a complaint came in.
    pub enum Channel {
        Phone = "phone" / "电话",
        Online = "online" / "网络",
        Visit = "visit" / "来访",
        Letter = "letter" / "信函",
        Platform = "platform" / "平台",
    }
}

text_enum! { "complaint status" / "投诉状态":
    pub enum ComplaintStatus {
        Received = "received" / "已登记",
        Accepted = "accepted" / "已受理",
        Mediating = "mediating" / "调解中",
        Resolved = "resolved" / "已办结",
        Rejected = "rejected" / "不予受理",
    }
}

text_enum! { "outcome" / "办结结果":
    /// How mediation ended.
    pub enum Outcome {
        Agreement = "agreement" / "达成协议",
        Withdrawn = "withdrawn" / "撤回",
        Referred = "referred" / "移送",
        Failed = "failed" / "调解不成",
    }
}

text_enum! { "complaint action" / "投诉操作":
    /// A row of `complaint_events`.
    pub enum Action {
        File = "file" / "登记",
        Accept = "accept" / "受理",
        Reject = "reject" / "不予受理",
        Feedback = "feedback" / "反馈",
        Mediate = "mediate" / "调解",
        Hold = "hold" / "中止",
        Resume = "resume" / "恢复",
        Resolve = "resolve" / "办结",
        Evidence = "evidence" / "证据",
    }
}

/// The three clocks of a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Accept,
    Feedback,
    Resolve,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Accept, Stage::Feedback, Stage::Resolve];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Accept => "accept",
            Stage::Feedback => "feedback",
            Stage::Resolve => "resolve",
        }
    }

    /// The stage's name in `lang` (受理, 反馈, 办结 in Chinese).
    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, _) => self.as_str(),
            (Lang::Zh, Stage::Accept) => "受理",
            (Lang::Zh, Stage::Feedback) => "反馈",
            (Lang::Zh, Stage::Resolve) => "办结",
        }
    }
}

/// Where a stage stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Standing {
    /// Its action happened by the deadline.
    #[serde(rename = "met")]
    Met,
    /// Its action happened late, or is still outstanding after the deadline.
    #[serde(rename = "breached")]
    Breached,
    /// Outstanding, deadline still ahead.
    #[serde(rename = "pending")]
    Pending,
    /// Closed without it: a rejected complaint needs no feedback nor resolution.
    #[serde(rename = "n/a")]
    NotApplicable,
}

/// A complaint as listed (the fields of DESIGN.md, then `rejected_at` and `on_hold_since`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Complaint {
    pub id: i64,
    pub customer: Option<String>,
    pub complainant: Option<String>,
    pub category: Category,
    pub channel: Channel,
    pub summary: String,
    pub handover: Option<i64>,
    pub status: ComplaintStatus,
    pub received_at: String,
    pub accept_due: String,
    pub feedback_due: String,
    pub resolve_due: String,
    pub accepted_at: Option<String>,
    pub feedback_at: Option<String>,
    pub resolved_at: Option<String>,
    pub outcome: Option<Outcome>,
    pub terms: Option<String>,
    /// The stages breached and still open, e.g. `accept,feedback`.
    pub overdue: Option<String>,
    pub rejected_at: Option<String>,
    pub on_hold_since: Option<String>,
}

/// `complaint show`: the complaint, each clock, the event trail and the evidence.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintDetail {
    pub company: String,
    #[serde(flatten)]
    pub complaint: Complaint,
    pub customer_name: Option<String>,
    pub hold_hours: f64,
    pub stages: Vec<StageReport>,
    pub events: Vec<ComplaintEvent>,
    pub evidence: Vec<Evidence>,
}

/// One clock: met or breached, and by how many hours (to spare, late, or left).
#[derive(Debug, Clone, Serialize)]
pub struct StageReport {
    pub stage: Stage,
    pub due: String,
    pub done_at: Option<String>,
    pub result: Standing,
    pub by_hours: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComplaintEvent {
    pub at: String,
    pub actor: String,
    pub action: Action,
    pub note: Option<String>,
}

/// An evidence file of a complaint.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub complaint: i64,
    pub file_name: String,
    pub sha256: String,
    pub bytes: i64,
    pub description: Option<String>,
    pub added_at: String,
}

/// The clocks a new complaint gets.
#[derive(Debug, Clone, Copy)]
pub struct Clocks<'a> {
    pub sla: &'a Sla,
    pub calendar: &'a Calendar,
}

/// What `file` needs (one row of an import, or the flags of `complaint file`).
#[derive(Debug, Clone)]
pub struct NewComplaint {
    /// A customer's code, or ...
    pub customer: Option<String>,
    /// ... the name of someone who is not a customer.
    pub complainant: Option<String>,
    pub summary: String,
    pub category: Category,
    pub channel: Channel,
    pub received_at: DateTime<Utc>,
    /// The handover (departure) that caused it; it must belong to the company.
    pub handover: Option<i64>,
}

/// A change of state (or a note) that `act` applies.
#[derive(Debug, Clone)]
pub enum Act {
    Accept,
    Reject { reason: String },
    Feedback { note: String },
    Mediate { note: String },
    Hold { reason: String },
    Resume,
    Resolve { outcome: Outcome, terms: String },
}

impl Act {
    fn action(&self) -> Action {
        match self {
            Act::Accept => Action::Accept,
            Act::Reject { .. } => Action::Reject,
            Act::Feedback { .. } => Action::Feedback,
            Act::Mediate { .. } => Action::Mediate,
            Act::Hold { .. } => Action::Hold,
            Act::Resume => Action::Resume,
            Act::Resolve { .. } => Action::Resolve,
        }
    }

    /// What the act does, for refusals: "cannot accept it".
    fn verb(&self) -> &'static str {
        match self {
            Act::Accept => "accept it",
            Act::Reject { .. } => "reject it",
            Act::Feedback { .. } => "record feedback on it",
            Act::Mediate { .. } => "mediate it",
            Act::Hold { .. } => "put it on hold",
            Act::Resume => "resume it",
            Act::Resolve { .. } => "resolve it",
        }
    }

    /// `verb` in Chinese.
    fn verb_zh(&self) -> &'static str {
        match self {
            Act::Accept => "受理",
            Act::Reject { .. } => "不予受理",
            Act::Feedback { .. } => "记录反馈",
            Act::Mediate { .. } => "调解",
            Act::Hold { .. } => "中止",
            Act::Resume => "恢复",
            Act::Resolve { .. } => "办结",
        }
    }

    /// The text stored with the event; required for the acts that carry one.
    fn note(&self) -> Result<Option<String>, Failure> {
        Ok(match self {
            Act::Accept | Act::Resume => None,
            Act::Reject { reason } | Act::Hold { reason } => Some(required("reason", reason)?),
            Act::Feedback { note } | Act::Mediate { note } => Some(required("note", note)?),
            Act::Resolve { outcome, terms } => {
                Some(format!("{outcome}: {}", required("terms", terms)?))
            }
        })
    }
}

/// A complaint as stored.
#[derive(Debug, Clone, PartialEq)]
struct Stored {
    id: i64,
    customer: Option<String>,
    complainant: Option<String>,
    category: Category,
    channel: Channel,
    summary: String,
    handover: Option<i64>,
    status: ComplaintStatus,
    received_at: DateTime<Utc>,
    accept_due: DateTime<Utc>,
    feedback_due: DateTime<Utc>,
    resolve_due: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
    rejected_at: Option<DateTime<Utc>>,
    feedback_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
    outcome: Option<Outcome>,
    terms: Option<String>,
    on_hold_since: Option<DateTime<Utc>>,
    held_seconds: i64,
}

const COLUMNS: &str = "c.id, cu.code AS customer, c.complainant, c.category, c.channel,
    c.summary, c.handover_id, c.status, c.received_at, c.accept_due, c.feedback_due,
    c.resolve_due, c.accepted_at, c.rejected_at, c.feedback_at, c.resolved_at, c.outcome,
    c.terms, c.on_hold_since, c.held_seconds";
const FROM: &str = "FROM complaints c LEFT JOIN customers cu ON cu.id = c.customer_id";

/// An open complaint with a stage past its deadline (`:now` in the storage form). The clocks
/// of a complaint on hold stopped when it went on hold. Kept equal to `Stored::overdue`.
const OVERDUE: &str = "c.status IN ('received', 'accepted', 'mediating') AND (
       (c.accepted_at IS NULL AND c.accept_due < coalesce(c.on_hold_since, :now))
    OR (c.feedback_at IS NULL AND c.feedback_due < coalesce(c.on_hold_since, :now))
    OR c.resolve_due < coalesce(c.on_hold_since, :now))";

fn instant(row: &Row<'_>, column: &str) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(column)?
        .map(|text| {
            time::from_db(&text)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, e.into()))
        })
        .transpose()
}

fn required_instant(row: &Row<'_>, column: &str) -> rusqlite::Result<DateTime<Utc>> {
    instant(row, column)?.ok_or_else(|| rusqlite::Error::InvalidColumnName(column.into()))
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: row.get("id")?,
        customer: row.get("customer")?,
        complainant: row.get("complainant")?,
        category: row.get("category")?,
        channel: row.get("channel")?,
        summary: row.get("summary")?,
        handover: row.get("handover_id")?,
        status: row.get("status")?,
        received_at: required_instant(row, "received_at")?,
        accept_due: required_instant(row, "accept_due")?,
        feedback_due: required_instant(row, "feedback_due")?,
        resolve_due: required_instant(row, "resolve_due")?,
        accepted_at: instant(row, "accepted_at")?,
        rejected_at: instant(row, "rejected_at")?,
        feedback_at: instant(row, "feedback_at")?,
        resolved_at: instant(row, "resolved_at")?,
        outcome: row.get("outcome")?,
        terms: row.get("terms")?,
        on_hold_since: instant(row, "on_hold_since")?,
        held_seconds: row.get("held_seconds")?,
    })
}

fn shown(t: DateTime<Utc>) -> String {
    time::to_local_rfc3339(t)
}

fn hours(delta: TimeDelta) -> f64 {
    (delta.num_seconds() as f64 / 360.0).round() / 10.0
}

impl Stored {
    fn is_open(&self) -> bool {
        matches!(
            self.status,
            ComplaintStatus::Received | ComplaintStatus::Accepted | ComplaintStatus::Mediating
        )
    }

    fn due(&self, stage: Stage) -> DateTime<Utc> {
        match stage {
            Stage::Accept => self.accept_due,
            Stage::Feedback => self.feedback_due,
            Stage::Resolve => self.resolve_due,
        }
    }

    /// When the stage's action happened: accepting or rejecting; the first feedback (or the
    /// resolution, which answers the complainant too); the resolution.
    fn done(&self, stage: Stage) -> Option<DateTime<Utc>> {
        match stage {
            Stage::Accept => self.accepted_at.or(self.rejected_at),
            Stage::Feedback => self.feedback_at.or(self.resolved_at),
            Stage::Resolve => self.resolved_at,
        }
    }

    /// The stage's standing at `now`, and the time to spare, late, or left.
    fn standing(&self, stage: Stage, now: DateTime<Utc>) -> (Standing, Option<TimeDelta>) {
        let due = self.due(stage);
        match self.done(stage) {
            Some(t) if t <= due => (Standing::Met, Some(due - t)),
            Some(t) => (Standing::Breached, Some(t - due)),
            None if !self.is_open() => (Standing::NotApplicable, None),
            None => {
                let clock = self.on_hold_since.unwrap_or(now);
                if clock > due {
                    (Standing::Breached, Some(clock - due))
                } else {
                    (Standing::Pending, Some(due - clock))
                }
            }
        }
    }

    /// The stages breached and still outstanding.
    fn overdue(&self, now: DateTime<Utc>) -> Vec<Stage> {
        Stage::ALL
            .into_iter()
            .filter(|&s| self.done(s).is_none() && self.standing(s, now).0 == Standing::Breached)
            .collect()
    }

    fn to_row(&self, now: DateTime<Utc>) -> Complaint {
        let overdue: Vec<&str> = self.overdue(now).into_iter().map(Stage::as_str).collect();
        Complaint {
            id: self.id,
            customer: self.customer.clone(),
            complainant: self.complainant.clone(),
            category: self.category,
            channel: self.channel,
            summary: self.summary.clone(),
            handover: self.handover,
            status: self.status,
            received_at: shown(self.received_at),
            accept_due: shown(self.accept_due),
            feedback_due: shown(self.feedback_due),
            resolve_due: shown(self.resolve_due),
            accepted_at: self.accepted_at.map(shown),
            feedback_at: self.feedback_at.map(shown),
            resolved_at: self.resolved_at.map(shown),
            outcome: self.outcome,
            terms: self.terms.clone(),
            overdue: Some(overdue.join(",")).filter(|o| !o.is_empty()),
            rejected_at: self.rejected_at.map(shown),
            on_hold_since: self.on_hold_since.map(shown),
        }
    }

    /// The state in words, for refusals.
    fn state(&self) -> String {
        match self.on_hold_since {
            Some(since) => format!(
                "{} and on hold since {}",
                self.status,
                time::to_local_short(since)
            ),
            None => self.status.to_string(),
        }
    }

    /// `state` in Chinese.
    fn state_zh(&self) -> String {
        let status = self.status.label(Lang::Zh);
        match self.on_hold_since {
            Some(since) => format!("{status},且自 {} 起中止", time::to_local_short(since)),
            None => status.to_string(),
        }
    }

    /// Applies `act` at `at`; None when the current state does not allow it.
    fn apply(&self, act: &Act, at: DateTime<Utc>) -> Option<Stored> {
        use ComplaintStatus::*;
        let working = matches!(self.status, Accepted | Mediating) && self.on_hold_since.is_none();
        let mut next = self.clone();
        match act {
            Act::Accept | Act::Reject { .. } if self.status != Received => return None,
            Act::Accept => {
                next.status = Accepted;
                next.accepted_at = Some(at);
            }
            Act::Reject { .. } => {
                next.status = Rejected;
                next.rejected_at = Some(at);
            }
            Act::Resume => {
                let since = self.on_hold_since?;
                let held = at - since;
                for stage in Stage::ALL.into_iter().filter(|&s| self.done(s).is_none()) {
                    let due = match stage {
                        Stage::Accept => &mut next.accept_due,
                        Stage::Feedback => &mut next.feedback_due,
                        Stage::Resolve => &mut next.resolve_due,
                    };
                    *due += held;
                }
                next.held_seconds += held.num_seconds();
                next.on_hold_since = None;
            }
            _ if !working => return None,
            Act::Feedback { .. } => next.feedback_at = self.feedback_at.or(Some(at)),
            Act::Mediate { .. } => next.status = Mediating,
            Act::Hold { .. } => next.on_hold_since = Some(at),
            Act::Resolve { outcome, terms } => {
                next.status = Resolved;
                next.resolved_at = Some(at);
                next.outcome = Some(*outcome);
                next.terms = Some(terms.trim().to_string());
            }
        }
        Some(next)
    }

    /// What to do instead of a refused act.
    fn next_steps(&self) -> String {
        let id = self.id;
        match (self.status, self.on_hold_since) {
            (ComplaintStatus::Received, _) => format!(
                "accept it first (`baton complaint accept {id}`) or reject it (`baton complaint reject {id} --reason R`)"
            ),
            (_, Some(_)) => format!("resume it first: `baton complaint resume {id}`"),
            (ComplaintStatus::Accepted | ComplaintStatus::Mediating, None) => format!(
                "it is being handled: feedback, mediate, hold or resolve it (`baton complaint show {id}`)"
            ),
            _ => "it is closed; file a new complaint if the matter comes back".to_string(),
        }
    }

    /// `next_steps` in Chinese.
    fn next_steps_zh(&self) -> String {
        let id = self.id;
        match (self.status, self.on_hold_since) {
            (ComplaintStatus::Received, _) => format!(
                "请先受理(`baton complaint accept {id}`)或不予受理(`baton complaint reject {id} --reason R`)"
            ),
            (_, Some(_)) => format!("请先恢复:`baton complaint resume {id}`"),
            (ComplaintStatus::Accepted | ComplaintStatus::Mediating, None) => format!(
                "正在处理中:可反馈、调解、中止或办结(`baton complaint show {id}`)"
            ),
            _ => "投诉已结束;如问题再次出现,请重新登记投诉".to_string(),
        }
    }
}

fn find(conn: &Connection, id: i64) -> Result<Option<Stored>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} {FROM} WHERE c.id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

fn get(conn: &Connection, id: i64) -> Result<Stored> {
    find(conn, id)?.ok_or_else(|| {
        bad_input!("no complaint {id}")
            .zh(format!("没有编号为 {id} 的投诉"))
            .hint("see `baton complaint list`")
            .hint_zh("用 `baton complaint list` 查看")
            .into()
    })
}

/// Files a complaint in the company `company_id`, its deadlines counted from `received_at`.
pub fn file(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    clocks: Clocks<'_>,
    new: &NewComplaint,
) -> Result<Complaint> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let (customer, complainant) = (text(&new.customer), text(&new.complainant));
    let customer_id = match (&customer, &complainant) {
        (Some(code), None) => Some(customer::ids(conn, company_id, code)?.0),
        (None, Some(_)) => None,
        _ => {
            return Err(Failure::bad_input(
                "a complaint names either a customer or a complainant (not both)",
            )
            .zh("投诉须指明客户或投诉人(二者只能选一)")
            .hint("--customer C001 for a customer, --complainant NAME for anyone else")
            .hint_zh("客户用 --customer C001,其他人用 --complainant NAME")
            .into())
        }
    };
    let summary = required("summary", &new.summary)?;
    if let Some(id) = new.handover {
        handover_of_company(conn, company_id, id)?;
    }
    // Whole seconds, as stored, so that what is computed here is what is read back.
    let received = new.received_at.trunc_subsecs(0);
    not_in_future(received, stamp)?;
    let due = |d| clocks.calendar.deadline(received, d);
    let (accept_due, feedback_due, resolve_due) = (
        due(clocks.sla.accept),
        due(clocks.sla.feedback),
        due(clocks.sla.resolve),
    );
    conn.prepare_cached(
        "INSERT INTO complaints (company_id, customer_id, complainant, category, channel, summary,
                                 handover_id, received_at, accept_due, feedback_due, resolve_due)
         VALUES (:company, :customer, :complainant, :category, :channel, :summary,
                 :handover, :received, :accept_due, :feedback_due, :resolve_due)",
    )?
    .execute(named_params! {
        ":company": company_id, ":customer": customer_id, ":complainant": complainant,
        ":category": new.category, ":channel": new.channel, ":summary": summary,
        ":handover": new.handover,
        ":received": time::to_db(received), ":accept_due": time::to_db(accept_due),
        ":feedback_due": time::to_db(feedback_due), ":resolve_due": time::to_db(resolve_due),
    })
    .context("cannot file the complaint")?;
    let id = conn.last_insert_rowid();
    add_event(conn, stamp, id, Action::File, received, None)?;
    let filed = get(conn, id)?.to_row(stamp.at);
    audit::record(
        conn,
        stamp,
        "complaint.file",
        "complaint",
        Some(&id.to_string()),
        &json!({ "after": filed }),
    )?;
    Ok(filed)
}

/// Refuses a handover that does not exist or belongs to another company (exit 4, naming it).
fn handover_of_company(conn: &Connection, company_id: i64, id: i64) -> Result<()> {
    if handover::stored(conn, id)?.company_id != company_id {
        return Err(bad_input!("handover {id} belongs to another company")
            .zh(format!("交接 {id} 属于其他公司"))
            .hint("see `baton handover list` for the handovers of the company in context")
            .hint_zh("用 `baton handover list` 查看当前公司的交接")
            .into());
    }
    Ok(())
}

fn not_in_future(at: DateTime<Utc>, stamp: &Stamp) -> Result<(), Failure> {
    if at > stamp.at {
        return Err(
            bad_input!("{} is in the future", time::to_local_rfc3339(at))
                .zh(format!("{} 晚于当前时间", time::to_local_rfc3339(at)))
                .hint("give a time up to now (BATON_NOW fixes now for back-filling)")
                .hint_zh("请给出不晚于现在的时间(补录时可用 BATON_NOW 固定当前时间)"),
        );
    }
    Ok(())
}

fn add_event(
    conn: &Connection,
    stamp: &Stamp,
    complaint: i64,
    action: Action,
    at: DateTime<Utc>,
    note: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO complaint_events (complaint_id, action, at, actor, note)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        complaint,
        action,
        time::to_db(at),
        stamp.actor,
        note
    ])
    .context("cannot record the complaint event")?;
    Ok(())
}

/// Applies `act` to complaint `id` as of `at` (now, or earlier when back-filling, but never
/// before the complaint's previous action; evidence, added when it arrives, does not count).
/// A state that does not allow it is refused.
pub fn act(
    conn: &Connection,
    stamp: &Stamp,
    id: i64,
    at: DateTime<Utc>,
    act: &Act,
) -> Result<Complaint> {
    let before = get(conn, id)?;
    let at = at.trunc_subsecs(0);
    let action = act.action();
    let Some(after) = before.apply(act, at) else {
        return Err(refused!(
            "complaint {id} is {}: cannot {}",
            before.state(),
            act.verb()
        )
        .zh(format!(
            "投诉 {id} 目前{},无法{}",
            before.state_zh(),
            act.verb_zh()
        ))
        .hint(before.next_steps())
        .hint_zh(before.next_steps_zh())
        .into());
    };
    let note = act.note()?;
    not_in_future(at, stamp)?;
    let last: String = conn
        .prepare_cached(
            "SELECT max(at) FROM complaint_events WHERE complaint_id = ?1 AND action != 'evidence'",
        )?
        .query_row([id], |r| r.get(0))?;
    if time::to_db(at) < last {
        return Err(refused!(
            "complaint {id}'s last action was at {}; {action} cannot be earlier ({})",
            time::to_local_rfc3339(time::from_db(&last)?),
            time::to_local_rfc3339(at)
        )
        .zh(format!(
            "投诉 {id} 的上一次操作在 {};{action} 不能早于它({})",
            time::to_local_rfc3339(time::from_db(&last)?),
            time::to_local_rfc3339(at)
        ))
        .hint("give --at a later time, or leave it out for now")
        .hint_zh("请用 --at 给出更晚的时间,或省略它以使用当前时间")
        .into());
    }
    conn.prepare_cached(
        "UPDATE complaints SET status = :status, accept_due = :accept_due,
                feedback_due = :feedback_due, resolve_due = :resolve_due,
                accepted_at = :accepted_at, rejected_at = :rejected_at,
                feedback_at = :feedback_at, resolved_at = :resolved_at, outcome = :outcome,
                terms = :terms, on_hold_since = :on_hold_since, held_seconds = :held_seconds
         WHERE id = :id",
    )?
    .execute(named_params! {
        ":id": id, ":status": after.status,
        ":accept_due": time::to_db(after.accept_due),
        ":feedback_due": time::to_db(after.feedback_due),
        ":resolve_due": time::to_db(after.resolve_due),
        ":accepted_at": after.accepted_at.map(time::to_db),
        ":rejected_at": after.rejected_at.map(time::to_db),
        ":feedback_at": after.feedback_at.map(time::to_db),
        ":resolved_at": after.resolved_at.map(time::to_db),
        ":outcome": after.outcome, ":terms": after.terms,
        ":on_hold_since": after.on_hold_since.map(time::to_db),
        ":held_seconds": after.held_seconds,
    })
    .context("cannot change the complaint")?;
    add_event(conn, stamp, id, action, at, note.as_deref())?;
    let row = after.to_row(stamp.at);
    audit::record(
        conn,
        stamp,
        &format!("complaint.{action}"),
        "complaint",
        Some(&id.to_string()),
        &json!({
            "at": time::to_db(at),
            "note": note,
            "before": before.to_row(stamp.at),
            "after": row,
        }),
    )?;
    Ok(row)
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<ComplaintStatus>,
    /// Only open complaints with a breached stage.
    pub overdue: bool,
    /// A customer's code.
    pub customer: Option<String>,
    /// Only complaints linked to this handover.
    pub handover: Option<i64>,
}

fn list_sql() -> String {
    format!(
        "SELECT {COLUMNS} {FROM}
         WHERE c.company_id = :company AND (:status IS NULL OR c.status = :status)
           AND (:customer IS NULL OR c.customer_id = :customer)
           AND (:handover IS NULL OR c.handover_id = :handover)
           AND (NOT :overdue OR ({OVERDUE}))
         ORDER BY c.id"
    )
}

/// The company's complaints, oldest first, as of `now`.
pub fn list(
    conn: &Connection,
    company_id: i64,
    filter: &Filter,
    now: DateTime<Utc>,
    mut each: impl FnMut(Complaint) -> Result<()>,
) -> Result<()> {
    let customer_id = filter
        .customer
        .as_deref()
        .map(|code| customer::ids(conn, company_id, code).map(|(id, _)| id))
        .transpose()?;
    if let Some(id) = filter.handover {
        handover_of_company(conn, company_id, id)?;
    }
    let mut stmt = conn.prepare_cached(&list_sql())?;
    let mut rows = stmt.query(named_params! {
        ":company": company_id, ":status": filter.status, ":customer": customer_id,
        ":handover": filter.handover,
        ":overdue": filter.overdue, ":now": time::to_db(now),
    })?;
    while let Some(row) = rows.next()? {
        each(from_row(row)?.to_row(now))?;
    }
    Ok(())
}

const OF_HANDOVER_SQL: &str = "WHERE c.handover_id = ?1 ORDER BY c.id";

/// The complaints linked to a handover, oldest first, as of `now`.
pub fn of_handover(
    conn: &Connection,
    handover_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Complaint>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} {FROM} {OF_HANDOVER_SQL}"))?;
    let rows = stmt.query_map([handover_id], from_row)?;
    rows.map(|r| Ok(r?.to_row(now))).collect()
}

fn count_sql() -> String {
    format!(
        "SELECT count(*), coalesce(sum({OVERDUE}), 0) FROM complaints c
         WHERE c.company_id = :company AND c.status IN ('received', 'accepted', 'mediating')"
    )
}

/// Open complaints of a company, and how many of them are overdue, as of `now`.
pub fn count_open(conn: &Connection, company_id: i64, now: DateTime<Utc>) -> Result<(i64, i64)> {
    Ok(conn.prepare_cached(&count_sql())?.query_row(
        named_params! { ":company": company_id, ":now": time::to_db(now) },
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

pub fn show(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<ComplaintDetail> {
    let stored = get(conn, id)?;
    let (company, customer_name): (String, Option<String>) = conn
        .prepare_cached(
            "SELECT co.code, cu.name FROM complaints c JOIN companies co ON co.id = c.company_id
             LEFT JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let stages = Stage::ALL
        .into_iter()
        .map(|stage| {
            let (result, by) = stored.standing(stage, now);
            StageReport {
                stage,
                due: shown(stored.due(stage)),
                done_at: stored.done(stage).map(shown),
                result,
                by_hours: by.map(hours),
            }
        })
        .collect();
    let events = conn
        .prepare_cached(
            "SELECT at, actor, action, note FROM complaint_events
             WHERE complaint_id = ?1 ORDER BY at, id",
        )?
        .query_map([id], |r| {
            Ok(ComplaintEvent {
                at: required_instant(r, "at").map(shown)?,
                actor: r.get("actor")?,
                action: r.get("action")?,
                note: r.get("note")?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ComplaintDetail {
        company,
        customer_name,
        hold_hours: hours(TimeDelta::seconds(stored.held_seconds)),
        stages,
        events,
        evidence: evidence_of(conn, id)?,
        complaint: stored.to_row(now),
    })
}

const EVIDENCE: &str = "SELECT e.id, e.complaint_id, e.file_name, b.sha256, b.bytes,
    e.description, e.added_at, e.blob_id
    FROM evidence e JOIN evidence_blobs b ON b.id = e.blob_id";

fn evidence_row(r: &Row<'_>) -> rusqlite::Result<(Evidence, i64)> {
    Ok((
        Evidence {
            id: r.get(0)?,
            complaint: r.get(1)?,
            file_name: r.get(2)?,
            sha256: r.get(3)?,
            bytes: r.get(4)?,
            description: r.get(5)?,
            added_at: required_instant(r, "added_at").map(shown)?,
        },
        r.get(7)?,
    ))
}

/// The evidence of a complaint with the blob each points at.
fn evidence_with_blobs(conn: &Connection, id: i64) -> Result<Vec<(Evidence, i64)>> {
    Ok(conn
        .prepare_cached(&format!(
            "{EVIDENCE} WHERE e.complaint_id = ?1 ORDER BY e.id"
        ))?
        .query_map([id], evidence_row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// The evidence of complaint `id`.
pub fn evidence_of(conn: &Connection, id: i64) -> Result<Vec<Evidence>> {
    get(conn, id)?;
    Ok(evidence_with_blobs(conn, id)?
        .into_iter()
        .map(|(e, _)| e)
        .collect())
}

/// Keeps the file at `path` as evidence of complaint `id` (in any state: evidence may arrive
/// late). The second value is false when the same content was stored before.
pub fn add_evidence(
    conn: &Connection,
    stamp: &Stamp,
    id: i64,
    path: &Path,
    description: Option<&str>,
    max_bytes: u64,
) -> Result<(Evidence, bool)> {
    get(conn, id)?;
    let file_name = evidence::file_name_of(path)?;
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    let blob = evidence::store(conn, path, max_bytes)?;
    conn.prepare_cached(
        "INSERT INTO evidence (complaint_id, blob_id, file_name, description, added_at, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        blob.id,
        file_name,
        description,
        time::to_db(stamp.at),
        stamp.actor
    ])
    .context("cannot add the evidence")?;
    let evidence_id = conn.last_insert_rowid();
    add_event(
        conn,
        stamp,
        id,
        Action::Evidence,
        stamp.at,
        Some(&format!("{file_name} (sha256 {})", blob.sha256)),
    )?;
    let added = evidence_with_blobs(conn, id)?
        .into_iter()
        .map(|(e, _)| e)
        .find(|e| e.id == evidence_id)
        .context("the evidence just added is missing")?;
    audit::record(
        conn,
        stamp,
        "complaint.evidence",
        "complaint",
        Some(&id.to_string()),
        &json!({ "after": added, "stored_once_before": !blob.new }),
    )?;
    Ok((added, blob.new))
}

/// Writes the evidence of complaint `id` into `dir` (created if needed) under the original
/// file names (a repeated name gets the evidence id in front); returns where each went.
pub fn export_evidence(conn: &Connection, id: i64, dir: &Path) -> Result<Vec<(Evidence, PathBuf)>> {
    get(conn, id)?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut taken = Vec::new();
    evidence_with_blobs(conn, id)?
        .into_iter()
        .map(|(e, blob_id)| {
            let path = evidence::unique_path(dir, &e.file_name, e.id, &mut taken);
            evidence::export(conn, blob_id, &path)?;
            Ok((e, path))
        })
        .collect()
}

/// A changed blob and the evidence that points at it.
#[derive(Debug, Clone)]
pub struct Changed {
    pub blob: evidence::Damaged,
    pub evidence: Vec<Evidence>,
}

/// Re-hashes the evidence of complaint `id`, or every stored blob; returns how many blobs
/// were checked and the ones that changed.
pub fn verify_evidence(conn: &Connection, id: Option<i64>) -> Result<(usize, Vec<Changed>)> {
    let (checked, damaged) = match id {
        Some(id) => {
            get(conn, id)?;
            let mut blobs: Vec<i64> = evidence_with_blobs(conn, id)?
                .into_iter()
                .map(|(_, b)| b)
                .collect();
            blobs.sort_unstable();
            blobs.dedup();
            evidence::verify(conn, Some(&blobs))?
        }
        None => evidence::verify(conn, None)?,
    };
    let mut stmt =
        conn.prepare_cached(&format!("{EVIDENCE} WHERE e.blob_id = ?1 ORDER BY e.id"))?;
    let changed = damaged
        .into_iter()
        .map(|blob| {
            let evidence = stmt
                .query_map([blob.blob_id], evidence_row)?
                .map(|r| r.map(|(e, _)| e))
                .collect::<rusqlite::Result<_>>()?;
            Ok(Changed { blob, evidence })
        })
        .collect::<Result<_>>()?;
    Ok((checked, changed))
}

/// `complaint stats`: counts, met rates and median times of the complaints received in a
/// period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub total: i64,
    pub open: i64,
    pub resolved: i64,
    pub rejected: i64,
    pub accept_met_rate: Option<f64>,
    pub feedback_met_rate: Option<f64>,
    pub resolve_met_rate: Option<f64>,
    pub median_accept_hours: Option<f64>,
    pub median_feedback_hours: Option<f64>,
    pub median_resolve_hours: Option<f64>,
    pub linked_to_handover: i64,
    pub by_category: Vec<CategoryCount>,
    pub by_outcome: Vec<OutcomeCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryCount {
    pub category: Category,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeCount {
    pub outcome: Outcome,
    pub count: i64,
}

fn stats_sql() -> String {
    format!(
        "SELECT {COLUMNS} {FROM} WHERE c.company_id = :company
           AND (:from IS NULL OR c.received_at >= :from) AND (:to IS NULL OR c.received_at < :to)"
    )
}

/// Stats of the company's complaints received from `from` (inclusive) to `to` (exclusive),
/// as of `now`. A met rate counts met stages against met and breached ones: stages still
/// open and not yet due, and stages a rejection made moot, are left out. Median times run
/// from receipt to the stage's action, time on hold included.
pub fn stats(
    conn: &Connection,
    company_id: i64,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Stats> {
    let mut stmt = conn.prepare_cached(&stats_sql())?;
    let complaints = stmt
        .query_map(
            named_params! {
                ":company": company_id, ":from": from.map(time::to_db), ":to": to.map(time::to_db),
            },
            from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stats = Stats {
        by_category: Category::ALL
            .iter()
            .map(|&category| CategoryCount { category, count: 0 })
            .collect(),
        by_outcome: Outcome::ALL
            .iter()
            .map(|&outcome| OutcomeCount { outcome, count: 0 })
            .collect(),
        ..Stats::default()
    };
    let mut met = [0u32; 3];
    let mut judged = [0u32; 3];
    let mut times: [Vec<i64>; 3] = Default::default();
    for c in &complaints {
        stats.total += 1;
        match c.status {
            ComplaintStatus::Resolved => stats.resolved += 1,
            ComplaintStatus::Rejected => stats.rejected += 1,
            _ => stats.open += 1,
        }
        stats.linked_to_handover += i64::from(c.handover.is_some());
        for counted in stats
            .by_category
            .iter_mut()
            .filter(|n| n.category == c.category)
        {
            counted.count += 1;
        }
        for counted in stats
            .by_outcome
            .iter_mut()
            .filter(|n| Some(n.outcome) == c.outcome)
        {
            counted.count += 1;
        }
        for (i, stage) in Stage::ALL.into_iter().enumerate() {
            match c.standing(stage, now).0 {
                Standing::Met => (met[i], judged[i]) = (met[i] + 1, judged[i] + 1),
                Standing::Breached => judged[i] += 1,
                Standing::Pending | Standing::NotApplicable => {}
            }
            if let Some(done) = c.done(stage) {
                times[i].push((done - c.received_at).num_seconds());
            }
        }
    }
    let rate = |i: usize| {
        (judged[i] > 0)
            .then(|| (f64::from(met[i]) / f64::from(judged[i]) * 1000.0).round() / 1000.0)
    };
    (
        stats.accept_met_rate,
        stats.feedback_met_rate,
        stats.resolve_met_rate,
    ) = (rate(0), rate(1), rate(2));
    let [a, f, r] =
        times.map(|mut seconds| median(&mut seconds).map(|s| hours(TimeDelta::seconds(s))));
    (
        stats.median_accept_hours,
        stats.median_feedback_hours,
        stats.median_resolve_hours,
    ) = (a, f, r);
    Ok(stats)
}

/// A complaint with the stages whose clock was breached (late, or outstanding past due).
#[derive(Debug, Clone)]
pub struct Breach {
    pub complaint: Complaint,
    pub stages: Vec<Stage>,
}

/// The company's complaints received from `from` on: how many, and those with a clock
/// breached as of `now`, by the stage rules of `show` and `stats`.
pub fn breached_since(
    conn: &Connection,
    company_id: i64,
    from: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(i64, Vec<Breach>)> {
    let mut stmt = conn.prepare_cached(&stats_sql())?;
    let rows = stmt.query_map(
        named_params! {
            ":company": company_id, ":from": time::to_db(from), ":to": None::<String>,
        },
        from_row,
    )?;
    let (mut total, mut breaches) = (0, Vec::new());
    for c in rows {
        let c = c?;
        total += 1;
        let stages: Vec<Stage> = Stage::ALL
            .into_iter()
            .filter(|&s| c.standing(s, now).0 == Standing::Breached)
            .collect();
        if !stages.is_empty() {
            breaches.push(Breach {
                complaint: c.to_row(now),
                stages,
            });
        }
    }
    Ok((total, breaches))
}

/// The median (the mean of the middle two for an even count), None for no values.
fn median(values: &mut [i64]) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2),
    }
}

/// `baton import complaints`: the columns of `complaint list --format csv`, of which
/// `received_at` (required: the clocks start there), `customer` or `complainant`, `summary`,
/// `category` (default `other`), `channel` (default `phone`), `handover` and `status` are
/// read; the others (deadlines, later stages) are what baton computes or what the complaint
/// commands record, so they are accepted and not read. Each new row goes through [`file`]:
/// the deadlines from `[sla]` and the calendar, the `file` event and its own
/// `complaint.file` audit event.
///
/// Complaints have no natural key of their own, and a file from another system has no
/// baton ids, so a complaint is known by what came in and when: a complaint of the company
/// received at the same second, from the same customer or complainant, with the same summary
/// is the same complaint (the `id` column is not read). Re-importing it is unchanged when
/// category, channel and handover match, else a bad row (an import does not change a
/// complaint). A new row must be `received` (or have no status): the later stages are
/// recorded by the complaint commands, each with its time. The same complaint twice in one
/// file is a bad row naming the first line.
pub struct Import<'a> {
    company_id: i64,
    clock: time::Clock,
    stamp: Stamp,
    clocks: Clocks<'a>,
    /// Complaints this file has named, and the line that first named each.
    seen: HashMap<i64, u64>,
}

const CUSTOMER: usize = 1;
const COMPLAINANT: usize = 2;
const CATEGORY: usize = 3;
const CHANNEL: usize = 4;
const SUMMARY: usize = 5;
const HANDOVER: usize = 6;
const STATUS: usize = 7;
const RECEIVED_AT: usize = 8;
const IMPORT_COLUMNS: &[Column] = &[
    Column::optional("id"),
    Column::optional("customer"),
    Column::optional("complainant"),
    Column::optional("category"),
    Column::optional("channel"),
    Column::required("summary"),
    Column::optional("handover"),
    Column::optional("status"),
    Column::required("received_at"),
    Column::optional("accept_due"),
    Column::optional("feedback_due"),
    Column::optional("resolve_due"),
    Column::optional("accepted_at"),
    Column::optional("feedback_at"),
    Column::optional("resolved_at"),
    Column::optional("outcome"),
    Column::optional("terms"),
    Column::optional("overdue"),
    Column::optional("rejected_at"),
    Column::optional("on_hold_since"),
];

impl<'a> Import<'a> {
    pub fn new(company_id: i64, clock: time::Clock, stamp: Stamp, clocks: Clocks<'a>) -> Self {
        Import {
            company_id,
            clock,
            stamp,
            clocks,
            seen: HashMap::new(),
        }
    }
}

const SAME_COMPLAINT_SQL: &str = "SELECT c.id FROM complaints c
    LEFT JOIN customers cu ON cu.id = c.customer_id
    WHERE c.company_id = :company AND c.received_at = :received
      AND c.summary = :summary AND cu.code IS :customer AND c.complainant IS :complainant
    ORDER BY c.id LIMIT 1";

/// The complaint of the company received at `received` from this customer or complainant
/// with this summary.
fn same_complaint(
    conn: &Connection,
    company_id: i64,
    received: DateTime<Utc>,
    new: &NewComplaint,
) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(SAME_COMPLAINT_SQL)?
        .query_row(
            named_params! {
                ":company": company_id, ":received": time::to_db(received),
                ":summary": new.summary.trim(), ":customer": new.customer,
                ":complainant": new.complainant,
            },
            |r| r.get(0),
        )
        .optional()?)
}

impl import::Entity for Import<'_> {
    fn nouns(&self) -> &'static str {
        "complaints"
    }

    fn columns(&self) -> &'static [Column] {
        IMPORT_COLUMNS
    }

    fn begin(&mut self, _conn: &Connection) -> Result<()> {
        self.seen.clear();
        Ok(())
    }

    fn apply(&mut self, conn: &Connection, row: &import::Row<'_>) -> Result<ImportOutcome> {
        let clock = &self.clock;
        let text = |col| row.parse(col, |s| Ok(s.to_string()));
        let new = NewComplaint {
            customer: text(CUSTOMER)?,
            complainant: text(COMPLAINANT)?,
            summary: row.required(SUMMARY)?.to_string(),
            category: row.parse(CATEGORY, str::parse)?.unwrap_or(Category::Other),
            channel: row.parse(CHANNEL, str::parse)?.unwrap_or(Channel::Phone),
            received_at: row.parse_required(RECEIVED_AT, |s| time::parse_instant(s, clock))?,
            handover: row.parse(HANDOVER, |s| {
                s.parse()
                    .map_err(|_| bad_input!("invalid handover number {s:?}"))
            })?,
        };
        let status: Option<ComplaintStatus> = row.parse(STATUS, str::parse)?;
        if let Some(code) = &new.customer {
            customer::ids(conn, self.company_id, code).map_err(|e| in_field(e, "customer"))?;
        }
        let received = new.received_at.trunc_subsecs(0);
        if let Some(id) = same_complaint(conn, self.company_id, received, &new)? {
            let Stored {
                category,
                channel,
                handover,
                ..
            } = get(conn, id)?;
            if let Some(&first) = self.seen.get(&id) {
                return Err(row.duplicate(SUMMARY, first).into());
            }
            self.seen.insert(id, row.position.number);
            let differs = |field: &'static str, stored: String| {
                refused!("complaint {id} (same time, party and summary) has {field} {stored:?}; an import does not change a complaint")
                    .hint(format!("see it with `baton complaint show {id}`"))
                    .field(field)
            };
            if category != new.category {
                return Err(differs("category", category.to_string()).into());
            }
            if channel != new.channel {
                return Err(differs("channel", channel.to_string()).into());
            }
            if handover != new.handover {
                let stored = handover.map(|h| h.to_string()).unwrap_or_default();
                return Err(differs("handover", stored).into());
            }
            return Ok(ImportOutcome::Unchanged);
        }
        if let Some(status) = status.filter(|s| *s != ComplaintStatus::Received) {
            return Err(bad_input!(
                "an import files new complaints as received, not {status}; record the later stages with the complaint commands"
            )
            .field("status")
            .into());
        }
        let filed = file(conn, &self.stamp, self.company_id, self.clocks, &new)?;
        self.seen.insert(filed.id, row.position.number);
        Ok(ImportOutcome::Inserted)
    }

    fn finish(&mut self, _conn: &Connection) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::company;
    use crate::domain::customer::{CustomerPatch, Tier};
    use crate::domain::employee::{self, EmployeePatch, Role};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn stamp(now: &str) -> Stamp {
        Stamp {
            actor: "test".into(),
            at: at(now),
        }
    }

    /// A company (row id 1) with customer C001.
    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let s = stamp("2026-01-01T00:00:00Z");
        company::add(&conn, &s, "914403001922038216", "甲", None).unwrap();
        let name = |n: &str| EmployeePatch {
            name: Some(n.into()),
            role: Some(Role::Sales),
            ..EmployeePatch::default()
        };
        employee::add(&conn, &s, 1, "E001", &name("王")).unwrap();
        let patch = CustomerPatch {
            name: Some("华丰".into()),
            tier: Some(Tier::Core),
            owner: Some("E001".into()),
            ..CustomerPatch::default()
        };
        customer::add(&conn, &s, 1, "C001", &patch).unwrap();
        conn
    }

    fn new(received: &str) -> NewComplaint {
        NewComplaint {
            customer: Some("C001".into()),
            complainant: None,
            summary: "s".into(),
            category: Category::Other,
            channel: Channel::Phone,
            received_at: at(received),
            handover: None,
        }
    }

    #[test]
    fn the_overdue_query_agrees_with_the_stage_rules() {
        let conn = db();
        let (sla, calendar) = (Sla::default(), Calendar::builtin());
        let clocks = Clocks {
            sla: &sla,
            calendar: &calendar,
        };
        let s = stamp("2026-03-31T00:00:00Z");
        let scripts: &[&[(&str, Act)]] = &[
            &[],
            &[("2026-03-02T03:00:00Z", Act::Accept)],
            &[
                ("2026-03-02T03:00:00Z", Act::Accept),
                ("2026-03-02T05:00:00Z", Act::Hold { reason: "r".into() }),
            ],
            &[
                ("2026-03-03T05:00:00Z", Act::Accept),
                ("2026-03-05T05:00:00Z", Act::Hold { reason: "r".into() }),
                ("2026-03-09T05:00:00Z", Act::Resume),
            ],
            &[
                ("2026-03-02T03:00:00Z", Act::Accept),
                ("2026-03-02T04:00:00Z", Act::Feedback { note: "n".into() }),
            ],
            &[("2026-03-04T03:00:00Z", Act::Reject { reason: "r".into() })],
            &[
                ("2026-03-02T03:00:00Z", Act::Accept),
                (
                    "2026-03-02T04:00:00Z",
                    Act::Resolve {
                        outcome: Outcome::Failed,
                        terms: "t".into(),
                    },
                ),
            ],
        ];
        for script in scripts {
            let id = file(&conn, &s, 1, clocks, &new("2026-03-02T02:00:00Z"))
                .unwrap()
                .id;
            for (when, a) in *script {
                act(&conn, &s, id, at(when), a).unwrap();
            }
        }
        let mut overdue_seen = Vec::new();
        for now in [
            "2026-03-02T02:30:00Z",
            "2026-03-03T01:59:59Z",
            "2026-03-03T02:00:01Z",
            "2026-03-04T02:00:01Z",
            "2026-03-06T00:00:00Z",
            "2026-05-30T00:00:00Z",
        ] {
            let now = at(now);
            let mut by_rules = Vec::new();
            list(&conn, 1, &Filter::default(), now, |c| {
                if c.overdue.is_some() {
                    by_rules.push(c.id);
                }
                Ok(())
            })
            .unwrap();
            let mut by_query = Vec::new();
            let overdue = Filter {
                overdue: true,
                ..Filter::default()
            };
            list(&conn, 1, &overdue, now, |c| {
                by_query.push(c.id);
                Ok(())
            })
            .unwrap();
            assert_eq!(by_query, by_rules, "at {now}");
            overdue_seen.push(by_rules.len());
            assert_eq!(count_open(&conn, 1, now).unwrap().1, by_rules.len() as i64);
        }
        // Hand-checked: 1 untouched; 2 feedback due; 4 accepted late, feedback breached before
        // its hold, resolve due 05-12 after it; 5 resolve due 05-08; 3 stays paused.
        assert_eq!(overdue_seen, [0, 0, 1, 2, 2, 4]);
        assert_eq!(count_open(&conn, 1, s.at).unwrap().0, 5);
    }

    #[test]
    fn complaint_queries_use_indexes() {
        let conn = db();
        let plans = [
            list_sql(),
            stats_sql(),
            count_sql(),
            format!("SELECT {COLUMNS} {FROM} WHERE c.id = 1"),
            format!("SELECT {COLUMNS} {FROM} {OF_HANDOVER_SQL}"),
            format!("{EVIDENCE} WHERE e.complaint_id = 1 ORDER BY e.id"),
            format!("{EVIDENCE} WHERE e.blob_id = 1 ORDER BY e.id"),
            "SELECT max(at) FROM complaint_events WHERE complaint_id = 1 AND action != 'evidence'"
                .to_string(),
        ];
        for sql in plans {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
            let details: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(
                details.iter().all(|d| !d.starts_with("SCAN")),
                "{sql}: {details:?}"
            );
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [30, 1, 2]), Some(2));
        assert_eq!(median(&mut [72, 24]), Some(48));
    }

    #[test]
    fn an_import_finds_the_same_complaint_by_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        crate::domain::customer::tests::assert_indexed(&conn, SAME_COMPLAINT_SQL);
    }
}
