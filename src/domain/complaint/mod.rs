//! Complaints (投诉) and reports (举报) under 《市场监督管理投诉举报处理暂行办法》: a
//! complaint goes received → accepted → mediating → resolved, or received → rejected on a
//! ground of art. 15, then both parties are told (art. 21); a report goes received → a case
//! decision (accept: 立案, reject: none), then a real-name reporter is told (art. 31), and
//! its reporter is confidential (art. 33). Each change is an event of the trail; their SQL
//! and the lists and details the commands show. The clocks live in `clock`, the statistics
//! of a period in `stats`, evidence files in `evidence` and `baton import complaints` in
//! `import`.

mod clock;
mod evidence;
mod import;
mod paper;
mod recompute;
mod stats;

use std::fmt;

use anyhow::{Context as _, Result};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use rusqlite::types::Type;
use rusqlite::{named_params, params, Connection, OptionalExtension, Row, RowIndex};
use serde::Serialize;
use serde_json::json;

use self::clock::{hours, INFORM_PARTIES, INFORM_REPORTER, OPEN, OVERDUE, REPORT_EXTENSION};
pub use self::clock::{open_clocks, Clocks, OpenClock, ResolveDue, Stage, StageReport, Standing};
pub use self::evidence::{
    add_evidence, evidence_of, export_evidence, verify_evidence, Changed, Evidence,
};
pub use self::import::Import;
pub use self::paper::{paper, MediationPaper, Session};
pub use self::recompute::{mark_provisional, provisional_reach, recompute_open, Moved};
pub use self::stats::{
    breached_since, stats, tallies, Breach, CategoryCount, ComplainantCount, OutcomeCount,
    ReportBy, Stats, Summary, Tally,
};
use super::company::required;
use super::{customer, handover};
use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::i18n::{Lang, Text};
use crate::time::{self, Calendar, SlaDuration};
use crate::{bad_input, refused, text, text_enum};

text_enum! { "kind" / "类型":
    /// A complaint asks the agency to settle a dispute (art. 3, first paragraph); a report
    /// gives it a lead on a suspected violation (art. 3, second paragraph).
    pub enum Kind {
        Complaint = "complaint" / "投诉",
        Report = "report" / "举报",
    }
}

text_enum! { "complainant kind" / "投诉人类型":
    /// Who complains: a complaint in the rules' sense is a consumer's (art. 3); a business's
    /// or anyone else's is handled by reference (参照, art. 38).
    pub enum ComplainantKind {
        Consumer = "consumer" / "消费者",
        Business = "business" / "企业",
        Other = "other" / "其他",
    }
}

text_enum! { "refusal ground" / "不予受理情形":
    /// The cases of art. 15 in which a complaint is not accepted, in its order.
    pub enum Ground {
        /// (1) not the agency's remit, or not within its power to handle
        OutsideRemit = "outside-remit" / "不属于职责或无处理权限",
        /// (2) a court, arbitration, agency or mediation body has it or had it
        HandledElsewhere = "handled-elsewhere" / "已由其他机构受理或处理",
        /// (3) not for daily consumption, or no consumer dispute shown
        NotConsumer = "not-consumer" / "非生活消费或无法证明消费争议",
        /// (4) more than three years after the complainant knew of the harm
        TimeBarred = "time-barred" / "超过三年",
        /// (5) the materials of arts. 9 and 10 not provided
        MissingMaterials = "missing-materials" / "未提供规定材料",
        /// (6) another case a law, regulation or rule names
        OtherRule = "other-rule" / "法律法规规章规定的其他情形",
    }
}

text_enum! { "mediation paper" / "调解文书":
    /// What an ended mediation leaves on file (art. 22): a 调解书 for an agreement reached on
    /// site (signed by both parties, sealed, three copies), else a 调解记录.
    pub enum Paper {
        Record = "record" / "调解记录",
        Document = "document" / "调解书",
    }
}

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
        Wechat = "wechat" / "微信",
    }
}

text_enum! { "complaint status" / "投诉状态":
    /// Where a complaint is in its handling.
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
        Extend = "extend" / "延长核查",
        Inform = "inform" / "告知",
    }
}

/// A complaint as listed (the documented complaint fields, then `rejected_at` and `on_hold_since`).
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
    pub feedback_due: Option<String>,
    /// Pending while it waits for acceptance (the rules count it from there).
    pub resolve_due: ResolveDue,
    pub accepted_at: Option<String>,
    pub feedback_at: Option<String>,
    pub resolved_at: Option<String>,
    pub outcome: Option<Outcome>,
    pub terms: Option<String>,
    /// The stages breached and still open: `accept,feedback` in data, their labels in tables.
    pub overdue: Overdue,
    pub rejected_at: Option<String>,
    pub on_hold_since: Option<String>,
    pub kind: Kind,
    pub complainant_kind: ComplainantKind,
    /// A report's real-name reporter: masked in every output unless `--reveal`.
    pub reporter: Option<String>,
    pub inform_due: Option<String>,
    pub informed_at: Option<String>,
    pub reject_ground: Option<Ground>,
    pub paper: Option<Paper>,
    pub extension_reason: Option<String>,
    /// The provisional calendar years its open clocks reach (`2027`): their deadlines may
    /// move when the year's official arrangement is imported.
    pub provisional: Option<String>,
}

/// The stages of a complaint breached and still open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overdue(pub Vec<Stage>);

impl Overdue {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The stages by their labels in `lang`: `accept, feedback` / `受理、反馈`.
    pub fn labels(&self, lang: Lang) -> String {
        let labels: Vec<&str> = self.0.iter().map(|s| s.label(lang)).collect();
        labels.join(crate::tr!(lang, ", ", "、").as_str())
    }
}

/// `accept,feedback` in JSON and CSV (null when none), the labels in tables.
impl Serialize for Overdue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self.is_empty(), crate::i18n::labels_lang()) {
            (true, _) => s.serialize_none(),
            (false, Some(lang)) => s.serialize_str(&self.labels(lang)),
            (false, None) => {
                let stages: Vec<&str> = self.0.iter().map(|s| s.as_str()).collect();
                s.serialize_str(&stages.join(","))
            }
        }
    }
}

/// `complaint show`: the complaint, each clock, the event trail and the evidence.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintDetail {
    pub company: String,
    #[serde(flatten)]
    pub complaint: Complaint,
    pub customer_name: Option<String>,
    pub hold_hours: f64,
    pub holds: Vec<Hold>,
    pub stages: Vec<StageReport>,
    pub events: Vec<ComplaintEvent>,
    pub evidence: Vec<Evidence>,
}

/// A time the clocks were paused (art. 20), still running when `resumed_at` is None.
#[derive(Debug, Clone, Serialize)]
pub struct Hold {
    pub held_at: String,
    pub resumed_at: Option<String>,
    pub reason: String,
}

/// A row of the event trail.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintEvent {
    pub at: String,
    pub actor: String,
    pub action: Action,
    pub note: Option<String>,
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
    pub kind: Kind,
    pub complainant_kind: ComplainantKind,
    /// A report's reporter, when they give their name (None: anonymous).
    pub reporter: Option<String>,
}

/// A change of state (or a note) that `act` applies.
#[derive(Debug, Clone)]
pub enum Act {
    /// A complaint accepted; a report's decision to open a case (立案).
    Accept,
    /// A complaint refused on a ground of art. 15; a report's decision not to open a case.
    Reject {
        reason: String,
        ground: Option<Ground>,
    },
    Feedback {
        note: String,
    },
    Mediate {
        note: String,
    },
    Hold {
        reason: String,
    },
    Resume,
    Resolve {
        outcome: Outcome,
        paper: Paper,
        terms: String,
    },
    /// A report's check extended by 15 working days (art. 23).
    Extend {
        reason: String,
    },
    /// The parties (a report: the reporter) told how it ended.
    Inform {
        note: Option<String>,
    },
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
            Act::Extend { .. } => Action::Extend,
            Act::Inform { .. } => Action::Inform,
        }
    }

    /// What the act does, for refusals: "cannot accept it".
    fn verb(&self) -> Text {
        let (en, zh) = match self {
            Act::Accept => ("accept it", "受理"),
            Act::Reject { .. } => ("reject it", "不予受理"),
            Act::Feedback { .. } => ("record feedback on it", "记录反馈"),
            Act::Mediate { .. } => ("mediate it", "调解"),
            Act::Hold { .. } => ("put it on hold", "中止"),
            Act::Resume => ("resume it", "恢复"),
            Act::Resolve { .. } => ("resolve it", "办结"),
            Act::Extend { .. } => ("extend its check", "延长核查"),
            Act::Inform { .. } => ("record that the parties were told", "记录告知"),
        };
        Text::new(en, zh)
    }

    /// The text stored with the event; required for the acts that carry one.
    fn note(&self) -> Result<Option<String>, Failure> {
        Ok(match self {
            Act::Accept | Act::Resume => None,
            Act::Reject {
                reason,
                ground: Some(ground),
            } => Some(format!("{ground}: {}", required("reason", reason)?)),
            Act::Reject { reason, .. } | Act::Hold { reason } | Act::Extend { reason } => {
                Some(required("reason", reason)?)
            }
            Act::Feedback { note } | Act::Mediate { note } => Some(required("note", note)?),
            Act::Inform { note } => note
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
            Act::Resolve {
                outcome,
                paper,
                terms,
            } => Some(format!(
                "{outcome} ({paper}): {}",
                required("terms", terms)?
            )),
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
    feedback_due: Option<DateTime<Utc>>,
    resolve_due: Option<DateTime<Utc>>,
    accepted_at: Option<DateTime<Utc>>,
    rejected_at: Option<DateTime<Utc>>,
    feedback_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
    outcome: Option<Outcome>,
    terms: Option<String>,
    on_hold_since: Option<DateTime<Utc>>,
    held_seconds: i64,
    kind: Kind,
    complainant_kind: ComplainantKind,
    reporter: Option<String>,
    accept_clock: SlaDuration,
    feedback_clock: Option<SlaDuration>,
    resolve_clock: Option<SlaDuration>,
    resolve_from_acceptance: bool,
    inform_due: Option<DateTime<Utc>>,
    informed_at: Option<DateTime<Utc>>,
    reject_ground: Option<Ground>,
    paper: Option<Paper>,
    extension_reason: Option<String>,
}

const COLUMNS: &str = "c.id, cu.code AS customer, c.complainant, c.category, c.channel,
    c.summary, c.handover_id, c.status, c.received_at, c.accept_due, c.feedback_due,
    c.resolve_due, c.accepted_at, c.rejected_at, c.feedback_at, c.resolved_at, c.outcome,
    c.terms, c.on_hold_since, c.held_seconds, c.kind, c.complainant_kind, c.reporter,
    c.accept_clock, c.feedback_clock, c.resolve_clock, c.resolve_from, c.inform_due,
    c.informed_at, c.reject_ground, c.paper, c.extension_reason";
const FROM: &str = "FROM complaints c LEFT JOIN customers cu ON cu.id = c.customer_id";

fn instant(row: &Row<'_>, column: impl RowIndex) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(column)?
        .map(|text| {
            time::from_db(&text)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, e.into()))
        })
        .transpose()
}

fn required_instant(
    row: &Row<'_>,
    column: impl RowIndex + fmt::Debug + Copy,
) -> rusqlite::Result<DateTime<Utc>> {
    instant(row, column)?.ok_or_else(|| rusqlite::Error::InvalidColumnName(format!("{column:?}")))
}

fn duration(row: &Row<'_>, column: impl RowIndex) -> rusqlite::Result<Option<SlaDuration>> {
    row.get::<_, Option<String>>(column)?
        .map(|text| {
            text.parse().map_err(|e: Failure| {
                rusqlite::Error::FromSqlConversionFailure(0, Type::Text, e.into())
            })
        })
        .transpose()
}

/// Reads the columns of [`COLUMNS`] by position: every query of complaints starts with them
/// (finding 32 columns by name took four fifths of `status` over 100,000 complaints).
fn from_row(row: &Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: row.get(0)?,
        customer: row.get(1)?,
        complainant: row.get(2)?,
        category: row.get(3)?,
        channel: row.get(4)?,
        summary: row.get(5)?,
        handover: row.get(6)?,
        status: row.get(7)?,
        received_at: required_instant(row, 8)?,
        accept_due: required_instant(row, 9)?,
        feedback_due: instant(row, 10)?,
        resolve_due: instant(row, 11)?,
        accepted_at: instant(row, 12)?,
        rejected_at: instant(row, 13)?,
        feedback_at: instant(row, 14)?,
        resolved_at: instant(row, 15)?,
        outcome: row.get(16)?,
        terms: row.get(17)?,
        on_hold_since: instant(row, 18)?,
        held_seconds: row.get(19)?,
        kind: row.get(20)?,
        complainant_kind: row.get(21)?,
        reporter: row.get(22)?,
        accept_clock: duration(row, 23)?
            .ok_or_else(|| rusqlite::Error::InvalidColumnName("accept_clock".into()))?,
        feedback_clock: duration(row, 24)?,
        resolve_clock: duration(row, 25)?,
        resolve_from_acceptance: row.get::<_, String>(26)? == "acceptance",
        inform_due: instant(row, 27)?,
        informed_at: instant(row, 28)?,
        reject_ground: row.get(29)?,
        paper: row.get(30)?,
        extension_reason: row.get(31)?,
    })
}

/// An instant as JSON, CSV and tables show it: local RFC 3339.
fn shown(t: DateTime<Utc>) -> String {
    time::to_local_rfc3339(t)
}

impl Stored {
    /// Whether a clock still runs: kept equal to `clock::OPEN`.
    fn is_open(&self) -> bool {
        use ComplaintStatus::*;
        self.status == Received
            || (self.kind == Kind::Complaint && matches!(self.status, Accepted | Mediating))
            || (self.inform_due.is_some() && self.informed_at.is_none())
    }

    /// The complaint as listed at `now`.
    fn to_row(&self, now: DateTime<Utc>) -> Complaint {
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
            feedback_due: self.feedback_due.map(shown),
            resolve_due: self.resolve_listed(),
            accepted_at: self.accepted_at.map(shown),
            feedback_at: self.feedback_at.map(shown),
            resolved_at: self.resolved_at.map(shown),
            outcome: self.outcome,
            terms: self.terms.clone(),
            overdue: Overdue(self.overdue(now)),
            rejected_at: self.rejected_at.map(shown),
            on_hold_since: self.on_hold_since.map(shown),
            kind: self.kind,
            complainant_kind: self.complainant_kind,
            reporter: self.reporter.clone(),
            inform_due: self.inform_due.map(shown),
            informed_at: self.informed_at.map(shown),
            reject_ground: self.reject_ground,
            paper: self.paper,
            extension_reason: self.extension_reason.clone(),
            provisional: None,
        }
    }

    /// The state in words, for refusals.
    fn state(&self) -> Text {
        let (en, zh) = (self.status.label(Lang::En), self.status.label(Lang::Zh));
        match self.on_hold_since {
            Some(since) => {
                let since = time::to_local_short(since);
                text!(
                    "{en} and on hold since {since}",
                    "{zh}，且自 {since} 起中止"
                )
            }
            None => Text::new(en, zh),
        }
    }

    /// Applies `act` at `at`, the clocks it starts counted on `calendar`; None when the
    /// current state does not allow it.
    fn apply(
        &self,
        act: &Act,
        at: DateTime<Utc>,
        calendar: &Calendar,
    ) -> Result<Option<Stored>, Failure> {
        use ComplaintStatus::*;
        let complaint = self.kind == Kind::Complaint;
        let working = complaint
            && matches!(self.status, Accepted | Mediating)
            && self.on_hold_since.is_none();
        // A report's case decision starts the clock of telling a real-name reporter.
        let decided = |next: &mut Stored| -> Result<(), Failure> {
            if !complaint && self.reporter.is_some() {
                next.inform_due = Some(calendar.deadline(at, INFORM_REPORTER)?);
            }
            Ok(())
        };
        let mut next = self.clone();
        match act {
            Act::Accept | Act::Reject { .. } if self.status != Received => return Ok(None),
            Act::Accept => {
                next.status = Accepted;
                next.accepted_at = Some(at);
                if let (true, Some(clock)) = (self.resolve_from_acceptance, self.resolve_clock) {
                    next.resolve_due = Some(calendar.deadline(at, clock)?);
                }
                decided(&mut next)?;
            }
            Act::Reject { ground, .. } => {
                next.status = Rejected;
                next.rejected_at = Some(at);
                next.reject_ground = *ground;
                decided(&mut next)?;
            }
            Act::Extend { reason } => {
                if complaint || self.status != Received || self.extension_reason.is_some() {
                    return Ok(None);
                }
                next.accept_due = calendar.deadline(self.accept_due, REPORT_EXTENSION)?;
                next.extension_reason = Some(reason.trim().to_string());
            }
            Act::Inform { .. } => {
                if self.inform_due.is_none() || self.informed_at.is_some() {
                    return Ok(None);
                }
                next.informed_at = Some(at);
            }
            Act::Resume => match self.on_hold_since {
                Some(since) => next.end_hold(calendar, since, at)?,
                None => return Ok(None),
            },
            _ if !working => return Ok(None),
            Act::Feedback { .. } => next.feedback_at = self.feedback_at.or(Some(at)),
            Act::Mediate { .. } => next.status = Mediating,
            Act::Hold { .. } => next.on_hold_since = Some(at),
            Act::Resolve {
                outcome,
                paper,
                terms,
            } => {
                next.status = Resolved;
                next.resolved_at = Some(at);
                next.outcome = Some(*outcome);
                next.paper = Some(*paper);
                next.terms = Some(terms.trim().to_string());
                next.inform_due = Some(calendar.deadline(at, INFORM_PARTIES)?);
            }
        }
        Ok(Some(next))
    }

    /// What to do instead of a refused act.
    fn next_steps(&self) -> Text {
        let id = self.id;
        if self.inform_due.is_some() && self.informed_at.is_none() {
            return text!(
                "the parties are still to be told: `baton complaint inform {id}`",
                "尚需告知当事人：`baton complaint inform {id}`"
            );
        }
        match (self.kind, self.status, self.on_hold_since) {
            (Kind::Report, ComplaintStatus::Received, _) => text!(
                "decide on a case (`baton complaint accept {id}`: 立案, `baton complaint reject {id} --reason R`: none), or extend the check once (`baton complaint extend {id} --reason R`)",
                "请作出是否立案的决定（`baton complaint accept {id}` 立案，`baton complaint reject {id} --reason R` 不予立案），或延长一次核查（`baton complaint extend {id} --reason R`）"
            ),
            (Kind::Report, ..) => Text::new(
                "the case decision is made; a report has no mediation",
                "已作出是否立案的决定；举报不经调解",
            ),
            (_, ComplaintStatus::Received, _) => text!(
                "accept it first (`baton complaint accept {id}`) or reject it (`baton complaint reject {id} --ground G --reason R`)",
                "请先受理（`baton complaint accept {id}`）或不予受理（`baton complaint reject {id} --ground G --reason R`）"
            ),
            (_, _, Some(_)) => text!(
                "resume it first: `baton complaint resume {id}`",
                "请先恢复：`baton complaint resume {id}`"
            ),
            (_, ComplaintStatus::Accepted | ComplaintStatus::Mediating, None) => text!(
                "it is being handled: feedback, mediate, hold or resolve it (`baton complaint show {id}`)",
                "正在处理中：可反馈、调解、中止或办结（`baton complaint show {id}`）"
            ),
            _ => Text::new(
                "it is closed; file a new complaint if the matter comes back",
                "投诉已结束；如问题再次出现，请重新登记投诉",
            ),
        }
    }
}

fn find(conn: &Connection, id: i64) -> Result<Option<Stored>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} {FROM} WHERE c.id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// Complaint `id`, or a failure naming it.
fn get(conn: &Connection, id: i64) -> Result<Stored> {
    find(conn, id)?.ok_or_else(|| {
        bad_input!("no complaint {id}", "没有编号为 {id} 的投诉")
            .hint(Text::new(
                "see `baton complaint list`",
                "用 `baton complaint list` 查看",
            ))
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
    let reporter = text(&new.reporter);
    let customer_id = match (new.kind, &customer, &complainant, &reporter) {
        (Kind::Report, None, None, _) => None,
        (Kind::Report, ..) => return Err(bad_input!(
            "a report names a reporter (or nobody), not a customer or complainant",
            "举报只登记举报人（或匿名），不登记客户或投诉人"
        )
        .hint(Text::new(
            "--report --reporter NAME for a real-name report, --report alone for an anonymous one",
            "实名举报用 --report --reporter NAME，匿名举报只用 --report",
        ))
        .into()),
        (Kind::Complaint, _, _, Some(_)) => {
            return Err(bad_input!(
                "--reporter is for a report, not a complaint",
                "--reporter 只用于举报，不用于投诉"
            )
            .hint(Text::new(
                "add --report, or name who complains with --customer or --complainant",
                "请加 --report，或用 --customer / --complainant 指明投诉人",
            ))
            .into())
        }
        (Kind::Complaint, Some(code), None, None) => Some(customer::ids(conn, company_id, code)?.0),
        (Kind::Complaint, None, Some(_), None) => None,
        _ => {
            return Err(bad_input!(
                "a complaint names either a customer or a complainant (not both)",
                "投诉须指明客户或投诉人（二者只能选一）"
            )
            .hint(Text::new(
                "--customer C001 for a customer, --complainant NAME for anyone else",
                "客户用 --customer C001，其他人用 --complainant NAME",
            ))
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
    let o = clocks.open(new.kind, received)?;
    let clock = |d: Option<SlaDuration>| d.map(|d| d.to_string());
    conn.prepare_cached(
        "INSERT INTO complaints (company_id, kind, customer_id, complainant, complainant_kind,
                                 reporter, category, channel, summary, handover_id, received_at,
                                 accept_clock, feedback_clock, resolve_clock, resolve_from,
                                 accept_due, feedback_due, resolve_due)
         VALUES (:company, :kind, :customer, :complainant, :complainant_kind, :reporter,
                 :category, :channel, :summary, :handover, :received, :accept_clock,
                 :feedback_clock, :resolve_clock, :resolve_from, :accept_due, :feedback_due,
                 :resolve_due)",
    )?
    .execute(named_params! {
        ":company": company_id, ":kind": new.kind, ":customer": customer_id,
        ":complainant": complainant, ":complainant_kind": new.complainant_kind,
        ":reporter": reporter, ":category": new.category, ":channel": new.channel,
        ":summary": summary, ":handover": new.handover, ":received": time::to_db(received),
        ":accept_clock": o.accept_clock.to_string(), ":feedback_clock": clock(o.feedback_clock),
        ":resolve_clock": clock(o.resolve_clock),
        ":resolve_from": if o.resolve_from_acceptance { "acceptance" } else { "receipt" },
        ":accept_due": time::to_db(o.accept_due),
        ":feedback_due": o.feedback_due.map(time::to_db),
        ":resolve_due": o.resolve_due.map(time::to_db),
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
        return Err(bad_input!(
            "handover {id} belongs to another company",
            "交接 {id} 属于其他公司"
        )
        .hint(Text::new(
            "see `baton handover list` for the handovers of the company in context",
            "用 `baton handover list` 查看当前公司的交接",
        ))
        .into());
    }
    Ok(())
}

fn not_in_future(at: DateTime<Utc>, stamp: &Stamp) -> Result<(), Failure> {
    if at > stamp.at {
        let at = time::to_local_rfc3339(at);
        return Err(
            bad_input!("{at} is in the future", "{at} 晚于当前时间").hint(Text::new(
                "give a time up to now (BATON_NOW fixes now for back-filling)",
                "请给出不晚于现在的时间（补录时可用 BATON_NOW 固定当前时间）",
            )),
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
/// A state that does not allow it is refused. The clocks it starts or moves are counted on
/// `calendar`.
pub fn act(
    conn: &Connection,
    stamp: &Stamp,
    calendar: &Calendar,
    id: i64,
    at: DateTime<Utc>,
    act: &Act,
) -> Result<Complaint> {
    let before = get(conn, id)?;
    let at = at.trunc_subsecs(0);
    let action = act.action();
    fits_kind(&before, act)?;
    let Some(after) = before.apply(act, at, calendar)? else {
        let (state, verb) = (before.state(), act.verb());
        let (state_en, verb_en, state_zh, verb_zh) = (state.en, verb.en, state.zh, verb.zh);
        return Err(refused!(
            "complaint {id} is {state_en}: cannot {verb_en}",
            "投诉 {id} 目前{state_zh}，无法{verb_zh}"
        )
        .hint(before.next_steps())
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
        let last = time::to_local_rfc3339(time::from_db(&last)?);
        let (at, action_zh) = (time::to_local_rfc3339(at), action.label(Lang::Zh));
        return Err(refused!(
            "complaint {id}'s last action was at {last}; {action} cannot be earlier ({at})",
            "投诉 {id} 的上一次操作在 {last}；{action_zh}不能早于它（{at}）"
        )
        .hint(Text::new(
            "give --at a later time, or leave it out for now",
            "请用 --at 给出更晚的时间，或省略它以使用当前时间",
        ))
        .into());
    }
    conn.prepare_cached(
        "UPDATE complaints SET status = :status, accept_due = :accept_due,
                feedback_due = :feedback_due, resolve_due = :resolve_due,
                accepted_at = :accepted_at, rejected_at = :rejected_at,
                feedback_at = :feedback_at, resolved_at = :resolved_at, outcome = :outcome,
                terms = :terms, on_hold_since = :on_hold_since, held_seconds = :held_seconds,
                inform_due = :inform_due, informed_at = :informed_at,
                reject_ground = :reject_ground, paper = :paper,
                extension_reason = :extension_reason
         WHERE id = :id",
    )?
    .execute(named_params! {
        ":id": id, ":status": after.status,
        ":accept_due": time::to_db(after.accept_due),
        ":feedback_due": after.feedback_due.map(time::to_db),
        ":resolve_due": after.resolve_due.map(time::to_db),
        ":inform_due": after.inform_due.map(time::to_db),
        ":informed_at": after.informed_at.map(time::to_db),
        ":reject_ground": after.reject_ground, ":paper": after.paper,
        ":extension_reason": after.extension_reason,
        ":accepted_at": after.accepted_at.map(time::to_db),
        ":rejected_at": after.rejected_at.map(time::to_db),
        ":feedback_at": after.feedback_at.map(time::to_db),
        ":resolved_at": after.resolved_at.map(time::to_db),
        ":outcome": after.outcome, ":terms": after.terms,
        ":on_hold_since": after.on_hold_since.map(time::to_db),
        ":held_seconds": after.held_seconds,
    })
    .context("cannot change the complaint")?;
    record_hold(conn, id, act, at, note.as_deref())?;
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

/// Refuses what the rules do not give a complaint's or a report's kind: a refusal's ground
/// (art. 15) is required of a complaint and has no place in a report's case decision; a
/// 调解书 records an agreement only (art. 22).
fn fits_kind(stored: &Stored, act: &Act) -> Result<(), Failure> {
    let id = stored.id;
    match (stored.kind, act) {
        (Kind::Complaint, Act::Reject { ground: None, .. }) => {
            let grounds: Vec<&str> = Ground::ALL.iter().map(|g| g.as_str()).collect();
            let grounds_zh: Vec<&str> = Ground::ALL.iter().map(|g| g.label(Lang::Zh)).collect();
            let (grounds, grounds_zh) = (grounds.join(", "), grounds_zh.join("、"));
            Err(bad_input!(
                "refusing complaint {id} needs the ground of art. 15 it rests on",
                "不予受理投诉 {id} 须写明所依据的第十五条情形"
            )
            .hint(text!(
                "--ground one of: {grounds}",
                "--ground 取以下之一：{grounds_zh}"
            )))
        }
        (Kind::Report, Act::Reject { ground: Some(_), .. }) => Err(bad_input!(
            "report {id}: --ground names a ground for refusing a complaint (art. 15), not a case decision",
            "举报 {id}：--ground 是不予受理投诉的情形（第十五条），不适用于立案决定"
        )
        .hint(Text::new(
            "give only --reason for a decision not to open a case",
            "不予立案只需 --reason",
        ))),
        (
            _,
            Act::Resolve {
                outcome,
                paper: Paper::Document,
                ..
            },
        ) if *outcome != Outcome::Agreement => {
            let outcome_zh = outcome.label(Lang::Zh);
            Err(bad_input!(
                "a mediation document (调解书) records an agreement, not the outcome {outcome}",
                "调解书只用于达成协议，不用于“{outcome_zh}”"
            )
            .hint(Text::new(
                "use --paper record (调解记录)",
                "请用 --paper record（调解记录）",
            )))
        }
        _ => Ok(()),
    }
}

/// Keeps each hold as a row of `complaint_holds`: a hold opens one, a resume closes it.
fn record_hold(
    conn: &Connection,
    id: i64,
    act: &Act,
    at: DateTime<Utc>,
    note: Option<&str>,
) -> Result<()> {
    let at = time::to_db(at);
    match act {
        Act::Hold { .. } => conn
            .prepare_cached(
                "INSERT INTO complaint_holds (complaint_id, held_at, reason) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, at, note]),
        Act::Resume => conn
            .prepare_cached(
                "UPDATE complaint_holds SET resumed_at = ?2
                 WHERE complaint_id = ?1 AND resumed_at IS NULL",
            )?
            .execute(params![id, at]),
        _ => return Ok(()),
    }
    .context("cannot record the hold")?;
    Ok(())
}

/// Which complaints `list` yields.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<ComplaintStatus>,
    /// Only complaints with a clock still running (telling the parties included).
    pub open: bool,
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
           AND (NOT :open OR {OPEN})
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
        ":open": filter.open, ":overdue": filter.overdue, ":now": time::to_db(now),
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
         WHERE c.company_id = :company AND {OPEN}"
    )
}

/// Open complaints of a company (a clock still running, telling the parties included), and
/// how many of them are overdue, as of `now`.
pub fn count_open(conn: &Connection, company_id: i64, now: DateTime<Utc>) -> Result<(i64, i64)> {
    Ok(conn.prepare_cached(&count_sql())?.query_row(
        named_params! { ":company": company_id, ":now": time::to_db(now) },
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

const HOLDS_SQL: &str = "SELECT held_at, resumed_at, reason FROM complaint_holds
    WHERE complaint_id = ?1 ORDER BY held_at, id";

/// `complaint show`: complaint `id` as of `now`.
pub fn show(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<ComplaintDetail> {
    let stored = get(conn, id)?;
    let (company, customer_name): (String, Option<String>) = conn
        .prepare_cached(
            "SELECT co.code, cu.name FROM complaints c JOIN companies co ON co.id = c.company_id
             LEFT JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
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
    let holds = conn
        .prepare_cached(HOLDS_SQL)?
        .query_map([id], |r| {
            Ok(Hold {
                held_at: required_instant(r, "held_at").map(shown)?,
                resumed_at: instant(r, "resumed_at")?.map(shown),
                reason: r.get("reason")?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ComplaintDetail {
        company,
        customer_name,
        hold_hours: hours(TimeDelta::seconds(stored.held_seconds)),
        holds,
        stages: stored.stage_reports(now),
        events,
        evidence: evidence_of(conn, id)?,
        complaint: stored.to_row(now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::company;
    use crate::domain::customer::{CustomerPatch, Tier};
    use crate::domain::employee::{self, EmployeePatch, Role};

    pub(super) fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    pub(super) fn stamp(now: &str) -> Stamp {
        Stamp {
            actor: "test".into(),
            at: at(now),
        }
    }

    /// A company (row id 1) with customer C001.
    pub(super) fn db() -> Connection {
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

    pub(super) fn new(received: &str) -> NewComplaint {
        NewComplaint {
            customer: Some("C001".into()),
            complainant: None,
            summary: "s".into(),
            category: Category::Other,
            channel: Channel::Phone,
            received_at: at(received),
            handover: None,
            kind: Kind::Complaint,
            complainant_kind: ComplainantKind::Consumer,
            reporter: None,
        }
    }

    pub(super) use crate::db::assert_no_scan;

    #[test]
    fn migration_11_keeps_the_complaints_filed_before_and_their_holds() {
        let rules = include_str!("../../../migrations/0011_complaint_rules.sql");
        let step = crate::db::MIGRATIONS
            .iter()
            .position(|m| *m == rules)
            .unwrap();
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &crate::db::MIGRATIONS[..step] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO companies (id, code, name, created_at)
                 VALUES (1, '914403001922038216', '甲', '2026-01-01T00:00:00Z');
             INSERT INTO complaints (id, company_id, complainant, category, channel, summary,
                                     status, received_at, accept_due, feedback_due, resolve_due,
                                     accepted_at, on_hold_since, held_seconds)
                 VALUES (1, 1, '王', 'other', 'phone', 's', 'accepted', '2026-03-02T02:00:00Z',
                         '2026-03-03T02:00:00Z', '2026-03-04T02:00:00Z',
                         '2026-05-06T15:59:59Z', '2026-03-02T03:00:00Z',
                         '2026-03-09T01:00:00Z', 3600);
             INSERT INTO complaint_events (complaint_id, action, at, actor, note) VALUES
                 (1, 'file', '2026-03-02T02:00:00Z', 't', NULL),
                 (1, 'accept', '2026-03-02T03:00:00Z', 't', NULL),
                 (1, 'hold', '2026-03-05T01:00:00Z', 't', '送检'),
                 (1, 'resume', '2026-03-05T02:00:00Z', 't', NULL),
                 (1, 'hold', '2026-03-09T01:00:00Z', 't', '鉴定');",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", step).unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let c = get(&conn, 1).unwrap();
        assert_eq!(c.kind, Kind::Complaint);
        assert_eq!(c.complainant_kind, ComplainantKind::Consumer);
        assert_eq!(c.accept_clock, SlaDuration::Hours(24));
        assert_eq!(c.resolve_clock, Some(SlaDuration::WorkingDays(45)));
        assert!(!c.resolve_from_acceptance);
        assert_eq!(c.resolve_due, Some(at("2026-05-06T15:59:59Z")));
        let holds: Vec<(String, Option<String>, String)> = conn
            .prepare(HOLDS_SQL)
            .unwrap()
            .query_map([1], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            holds,
            [
                (
                    "2026-03-05T01:00:00Z".into(),
                    Some("2026-03-05T02:00:00Z".into()),
                    "送检".into()
                ),
                ("2026-03-09T01:00:00Z".into(), None, "鉴定".into()),
            ]
        );
    }

    #[test]
    fn complaint_queries_use_indexes() {
        let conn = db();
        for sql in [
            list_sql(),
            count_sql(),
            format!("SELECT {COLUMNS} {FROM} WHERE c.id = 1"),
            format!("SELECT {COLUMNS} {FROM} {OF_HANDOVER_SQL}"),
            HOLDS_SQL.replace("?1", "1"),
            "SELECT max(at) FROM complaint_events WHERE complaint_id = 1 AND action != 'evidence'"
                .to_string(),
        ] {
            assert_no_scan(&conn, &sql);
        }
    }
}
