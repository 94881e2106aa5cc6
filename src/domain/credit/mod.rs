//! Credit records: official records (an agency's decision: 经营异常名录, 严重违法失信名单,
//! published administrative penalties) and internal risk records (内部风险记录), recorded
//! against companies, employees and people; scores, bands and the official, attention, watch
//! and honoured lists; repair and revocation. Every rule is computed against "today", so
//! records expire on their own.
//!
//! This module holds the events and their changes (record, evidence, revoke, history);
//! `repair` holds the rules of 信用修复, `basis` the legal basis on which one person's records
//! are matched across companies, `subject` finds and creates whom they are about, `score`
//! computes standing today, `import` reads them from a file, `catalog` holds the entries they
//! are made from.

mod basis;
pub mod catalog;
mod import;
mod repair;
mod score;
mod subject;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result};
use chrono::{Months, NaiveDate};
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

pub use self::basis::{record_basis, Basis, BasisRow};
pub use self::import::Import;
pub use self::repair::{repair, Repair};
pub use self::score::{
    active_violations, company_score, listed_company, score, scores, Lists, Score, Standing,
};
pub use self::subject::SubjectArg;

use self::basis::View;
use self::catalog::{Catalog, CreditKind, Official, Sector, Severity};
use self::subject::{find_subject, subject_for_record, unknown_person};
use super::company::{self, required};
use super::evidence::{self, BlobRef};
use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::i18n::{Lang, Text};
use crate::{bad_input, ids, refused, text, text_enum, time};

text_enum! { "credit subject kind" / "信用主体类型":
    /// What a credit subject is: a company, one of its employees, or a person.
    pub enum SubjectKind {
        Company = "company" / "企业",
        Employee = "employee" / "员工",
        Person = "person" / "个人",
    }
}

text_enum! { "credit event status" / "信用记录状态":
    /// Stored as active, repaired or revoked; an active event past its `expires_on` shows as expired.
    pub enum EventStatus {
        Active = "active" / "有效",
        Expired = "expired" / "已过期",
        Repaired = "repaired" / "已修复",
        Revoked = "revoked" / "已撤销",
    }
}

/// A credit event as `record`, `history` and the repair and revoke commands show it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CreditEvent {
    pub id: i64,
    pub subject_kind: SubjectKind,
    pub subject: String,
    pub subject_name: String,
    pub id_number: Option<String>,
    /// The company in whose context the event was recorded.
    pub company: String,
    pub code: String,
    pub kind: CreditKind,
    pub severity: Option<Severity>,
    pub points: i64,
    pub occurred_on: NaiveDate,
    /// When it stops counting; none for a listing that lasts until the agency removes it.
    pub expires_on: Option<NaiveDate>,
    pub status: EventStatus,
    /// The agency list or publication of an official record; none for an internal one.
    pub official: Option<Official>,
    pub decision_no: Option<String>,
    pub authority: Option<String>,
    /// The decision (publication) date, from which an official record's periods count.
    pub decided_on: Option<NaiveDate>,
    pub penalty_no: Option<String>,
    pub sector: Option<Sector>,
    pub note: Option<String>,
    /// Why it was repaired or revoked.
    pub reason: Option<String>,
    /// The repair conditions recorded with a repair, comma-separated.
    pub conditions: Option<String>,
    /// Names of the evidence files kept with it.
    pub evidence: Vec<String>,
}

/// How a subject is shown, from `credit_subjects` joined to its company and employee.
const SUBJECT_COLUMNS: &str = "s.kind AS subject_kind,
    CASE s.kind WHEN 'company' THEN 'company:' || sc.code
                WHEN 'employee' THEN 'employee:' || se.code
                ELSE 'person:' || s.name END AS subject,
    CASE s.kind WHEN 'company' THEN sc.name WHEN 'employee' THEN se.name ELSE s.name END
        AS subject_name,
    s.id_number, sc.code AS subject_company";
/// The joins [`SUBJECT_COLUMNS`] reads from.
const SUBJECT_JOINS: &str = "LEFT JOIN companies sc ON sc.id = s.company_id
    LEFT JOIN employees se ON se.id = s.employee_id";

/// The events matching `filter` (over `ev` and its subject `s`), with their status today.
fn event_sql(filter: &str) -> String {
    format!(
        "SELECT ev.id, {SUBJECT_COLUMNS}, rc.code AS company, ev.code, ev.kind, ev.severity,
                ev.points, ev.occurred_on, ev.expires_on,
                CASE WHEN ev.status = 'active' AND ev.expires_on <= :today THEN 'expired'
                     ELSE ev.status END AS status,
                ev.official, ev.decision_no, ev.authority, ev.decided_on, ev.penalty_no,
                ev.sector, ev.note, ev.reason, ev.conditions,
                (SELECT json_group_array(file_name) FROM credit_evidence
                  WHERE credit_event_id = ev.id) AS evidence
         FROM credit_events ev
         JOIN credit_subjects s ON s.id = ev.subject_id
         JOIN companies rc ON rc.id = ev.company_id
         {SUBJECT_JOINS}
         WHERE {filter}
         ORDER BY ev.occurred_on, ev.id"
    )
}

/// A row of [`event_sql`].
fn event_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<CreditEvent> {
    Ok(CreditEvent {
        id: row.get("id")?,
        subject_kind: row.get("subject_kind")?,
        subject: row.get("subject")?,
        subject_name: row.get("subject_name")?,
        id_number: row.get("id_number")?,
        company: row.get("company")?,
        code: row.get("code")?,
        kind: row.get("kind")?,
        severity: row.get("severity")?,
        points: row.get("points")?,
        occurred_on: row.get("occurred_on")?,
        expires_on: row.get("expires_on")?,
        status: row.get("status")?,
        official: row.get("official")?,
        decision_no: row.get("decision_no")?,
        authority: row.get("authority")?,
        decided_on: row.get("decided_on")?,
        penalty_no: row.get("penalty_no")?,
        sector: row.get("sector")?,
        note: row.get("note")?,
        reason: row.get("reason")?,
        conditions: row.get("conditions")?,
        evidence: serde_json::from_str(&row.get::<_, String>("evidence")?).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })?,
    })
}

/// One event by its id alone (any company), as shown today.
pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<CreditEvent> {
    conn.prepare_cached(&event_sql("ev.id = :id"))?
        .query_row(named_params! { ":id": id, ":today": today }, event_from_row)
        .optional()?
        .ok_or_else(|| {
            bad_input!("no credit event {id}", "没有编号为 {id} 的信用记录")
                .hint(text!(
                    "see `baton credit history SUBJECT` for the event numbers",
                    "用 `baton credit history 主体` 查看记录编号"
                ))
                .into()
        })
}

/// A `Usage` failure about a subject or record that needs a company context.
fn no_company_context(message: Text) -> Failure {
    Failure::usage(message).hint(text!(
        "use --company CODE, BATON_COMPANY or config `company`",
        "使用 --company 代码、环境变量 BATON_COMPANY 或配置项 `company`"
    ))
}

/// What an agency decided, as an official record carries it.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    /// The decision's number (决定书文号).
    pub decision_no: String,
    pub authority: String,
    /// The decision (publication) date: every period of the record counts from it.
    pub decided_on: NaiveDate,
    /// The administrative penalty decision behind a serious-list entry.
    pub penalty_no: Option<String>,
    pub sector: Option<Sector>,
}

/// What `record` stores: one row of a `credit record` command or of an import.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub subject: SubjectArg,
    pub code: String,
    pub occurred_on: NaiveDate,
    pub note: Option<String>,
    /// The agency decision of an official record; none for an internal one.
    pub decision: Option<Decision>,
}

/// The decision checked against the entry: an official entry needs one (with the penalty
/// behind a serious-list entry), an internal one has none; returns the expiry it gives.
fn check_decision(
    entry: &catalog::Entry,
    decision: Option<&Decision>,
    occurred_on: NaiveDate,
    today: NaiveDate,
) -> Result<Option<NaiveDate>> {
    let code = &entry.code;
    let out_of_range =
        |date: NaiveDate| bad_input!("date {date} is out of range", "日期 {date} 超出可用范围");
    let (official, decision) = match (entry.official, decision) {
        (None, None) => {
            let years = entry.validity_years.unwrap_or(1);
            return Ok(Some(
                occurred_on
                    .checked_add_months(Months::new(12 * years))
                    .ok_or_else(|| out_of_range(occurred_on))?,
            ));
        }
        (None, Some(_)) => {
            return Err(bad_input!(
                "{code} is an internal risk record, not an agency decision",
                "{code} 是内部风险记录，不是行政机关的决定"
            )
            .hint(text!(
                "drop --decision-no, --authority and --decided-on; official entries have an `official` column in `baton credit catalog`",
                "去掉 --decision-no、--authority 和 --decided-on；官方记录条目见 `baton credit catalog` 的 official 列"
            ))
            .into())
        }
        (Some(official), None) => {
            let official_zh = official.label(Lang::Zh);
            return Err(bad_input!(
                "{code} ({official}) is recorded only as an agency decision",
                "{code}（{official_zh}）只能作为行政机关的决定登记"
            )
            .hint(text!(
                "give --decision-no, --authority and --decided-on from the decision",
                "按决定书填写 --decision-no（文号）、--authority（机关）和 --decided-on（决定日期）"
            ))
            .into());
        }
        (Some(official), Some(decision)) => (official, decision),
    };
    required("decision_no", &decision.decision_no)?;
    required("authority", &decision.authority)?;
    let decided_on = decision.decided_on;
    if decided_on > today {
        return Err(bad_input!(
            "decision date {decided_on} is in the future",
            "决定日期 {decided_on} 在将来"
        )
        .hint(text!(
            "give the date on the decision with --decided-on",
            "用 --decided-on 给出决定书上的日期"
        ))
        .into());
    }
    if decided_on < occurred_on {
        return Err(bad_input!(
            "decision date {decided_on} is before the conduct of {occurred_on}",
            "决定日期 {decided_on} 早于行为发生日期 {occurred_on}"
        )
        .hint(text!(
            "--date is when it happened, --decided-on when the agency decided",
            "--date 是行为发生日期，--decided-on 是机关作出决定的日期"
        ))
        .into());
    }
    let penalty = decision.penalty_no.as_deref().map(str::trim);
    if official == Official::SeriousIllegal && penalty.is_none_or(str::is_empty) {
        return Err(bad_input!(
            "a serious-list entry needs the heavier administrative penalty behind it",
            "列入严重违法失信名单须有较重的行政处罚为前提"
        )
        .hint(text!(
            "give that penalty decision's number with --penalty-no",
            "用 --penalty-no 给出该行政处罚决定书文号"
        ))
        .into());
    }
    official
        .period()
        .map(|period| {
            decided_on
                .checked_add_months(period)
                .ok_or_else(|| out_of_range(decided_on).into())
        })
        .transpose()
}

/// The company a record is made in: a company subject's own, else the context (required).
fn recording_company(conn: &Connection, subject: &SubjectArg, context: Option<i64>) -> Result<i64> {
    match (subject, context) {
        (SubjectArg::Company(code), _) => Ok(company::resolve(conn, Some(code))?.id),
        (_, Some(id)) => Ok(id),
        (_, None) => Err(no_company_context(text!(
            "a record about an employee or a person needs a company context",
            "关于员工或个人的记录需要公司上下文"
        ))
        .into()),
    }
}

/// The event of a subject with this code on this day: a revoked one, or one that is not.
fn same_event(
    conn: &Connection,
    subject: i64,
    code: &str,
    occurred_on: NaiveDate,
    revoked: bool,
) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM credit_events
             WHERE subject_id = ?1 AND code = ?2 AND occurred_on = ?3
               AND (status = 'revoked') = ?4
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![subject, code, occurred_on, revoked], |r| r.get(0))
        .optional()?)
}

/// Records an event, checked against the catalogue: the entry applies to the subject, the
/// date is not in the future, the same event is not recorded twice. The entry's terms are
/// copied, so a later catalogue change leaves it as it was. A company subject is recorded in
/// its own company; an employee or a person in the company `context` (required for them).
pub fn record(
    conn: &Connection,
    stamp: &Stamp,
    catalog: &Catalog,
    context: Option<i64>,
    today: NaiveDate,
    new: &NewEvent,
) -> Result<CreditEvent> {
    let company_id = recording_company(conn, &new.subject, context)?;
    let entry = catalog.get(&new.code)?;
    let applies = new.subject.applies_to();
    if !entry.applies_to(applies) {
        let allowed = |lang, and| {
            let labels: Vec<&str> = entry.applies_to.iter().map(|a| a.label(lang)).collect();
            labels.join(and)
        };
        let (code, allowed_en, allowed_zh) = (
            &entry.code,
            allowed(Lang::En, " and "),
            allowed(Lang::Zh, "、"),
        );
        let applies_zh = applies.label(Lang::Zh);
        return Err(bad_input!(
            "{code} applies to {allowed_en}, not to a {applies}",
            "{code} 适用于{allowed_zh}，不适用于{applies_zh}"
        )
        .hint(text!(
            "see `baton credit catalog` for whom each entry applies to",
            "用 `baton credit catalog` 查看各条目的适用对象"
        ))
        .into());
    }
    let occurred_on = new.occurred_on;
    if occurred_on > today {
        return Err(bad_input!(
            "date {occurred_on} is in the future",
            "日期 {occurred_on} 在将来"
        )
        .hint(text!(
            "give the date it happened with --date",
            "用 --date 给出发生日期"
        ))
        .into());
    }
    let decision = new.decision.as_ref();
    let expires_on = check_decision(entry, decision, occurred_on, today)?;
    let trimmed = |text: Option<&str>| {
        text.map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
    };
    let subject = subject_for_record(conn, &new.subject, company_id)?;
    if let Some(twin) = same_event(conn, subject, &entry.code, new.occurred_on, false)? {
        let code = &entry.code;
        return Err(refused!(
            "{code} on {occurred_on} is recorded already for this subject as event {twin}",
            "该主体已有 {code} 日期 {occurred_on} 的记录（编号 {twin}）"
        )
        .hint(text!(
            "see it with `baton credit history`; revoke it with `baton credit revoke {twin} --reason R`",
            "用 `baton credit history` 查看；用 `baton credit revoke {twin} --reason 原因` 撤销"
        ))
        .into());
    }
    let note = new.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    conn.prepare_cached(
        "INSERT INTO credit_events (subject_id, company_id, code, kind, severity, points,
                                    occurred_on, expires_on, note, recorded_at, official,
                                    decision_no, authority, decided_on, penalty_no, sector)
         VALUES (:subject, :company, :code, :kind, :severity, :points, :occurred_on,
                 :expires_on, :note, :recorded_at, :official, :decision_no, :authority,
                 :decided_on, :penalty_no, :sector)",
    )?
    .execute(named_params! {
        ":subject": subject, ":company": company_id, ":code": entry.code, ":kind": entry.kind,
        ":severity": entry.severity, ":points": entry.points, ":occurred_on": new.occurred_on,
        ":expires_on": expires_on, ":note": note, ":recorded_at": time::to_db(stamp.at),
        ":official": entry.official,
        ":decision_no": trimmed(decision.map(|d| d.decision_no.as_str())),
        ":authority": trimmed(decision.map(|d| d.authority.as_str())),
        ":decided_on": decision.map(|d| d.decided_on),
        ":penalty_no": trimmed(decision.and_then(|d| d.penalty_no.as_deref())),
        ":sector": decision.and_then(|d| d.sector),
    })
    .context("cannot record the credit event")?;
    let event = get(conn, conn.last_insert_rowid(), today)?;
    audit_event(
        conn,
        stamp,
        "credit.record",
        &event,
        json!({ "after": masked(&event) }),
    )?;
    Ok(event)
}

/// Keeps the file at `path` (at most `max_bytes`) as evidence of credit event `id`, in the
/// same content-addressed store as complaint evidence.
pub fn attach_evidence(
    conn: &Connection,
    stamp: &Stamp,
    id: i64,
    path: &Path,
    max_bytes: u64,
) -> Result<BlobRef> {
    let file_name = evidence::file_name_of(path)?;
    let blob = evidence::store(conn, path, max_bytes)?;
    conn.prepare_cached(
        "INSERT INTO credit_evidence (credit_event_id, blob_id, file_name, added_at, actor)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        id,
        blob.id,
        file_name,
        time::to_db(stamp.at),
        stamp.actor
    ])
    .context("cannot keep the evidence")?;
    audit::record(
        conn,
        stamp,
        "credit.evidence",
        "credit_event",
        Some(&id.to_string()),
        &json!({ "file_name": file_name, "sha256": blob.sha256, "bytes": blob.bytes }),
    )?;
    Ok(blob)
}

/// The event for the audit log, its ID number masked (the log is printed without --reveal).
fn masked(event: &CreditEvent) -> CreditEvent {
    CreditEvent {
        id_number: event.id_number.as_deref().map(ids::mask_id_number),
        ..event.clone()
    }
}

/// Logs `action` on `event` with `detail`.
fn audit_event(
    conn: &Connection,
    stamp: &Stamp,
    action: &str,
    event: &CreditEvent,
    detail: serde_json::Value,
) -> Result<()> {
    audit::record(
        conn,
        stamp,
        action,
        "credit_event",
        Some(&event.id.to_string()),
        &detail,
    )?;
    Ok(())
}

/// Marks an event made in error revoked, at any time, with a reason.
pub fn revoke(
    conn: &Connection,
    stamp: &Stamp,
    today: NaiveDate,
    id: i64,
    reason: &str,
) -> Result<CreditEvent> {
    let reason = required("reason", reason)?;
    let before = get(conn, id, today)?;
    if before.status == EventStatus::Revoked {
        return Err(
            refused!("event {id} is revoked already", "记录 {id} 已撤销")
                .hint(history_hint())
                .into(),
        );
    }
    close(
        conn,
        stamp,
        today,
        before,
        EventStatus::Revoked,
        &reason,
        None,
    )
}

/// Where to look at an event that cannot change any more.
fn history_hint() -> Text {
    text!(
        "see `baton credit history SUBJECT`",
        "用 `baton credit history 主体` 查看"
    )
}

/// Refuses to change an event that is repaired or revoked already.
fn refuse_closed(event: &CreditEvent) -> Result<(), Failure> {
    let (id, status) = (event.id, event.status);
    let status_zh = status.label(Lang::Zh);
    match status {
        EventStatus::Repaired | EventStatus::Revoked => Err(refused!(
            "event {id} is {status} already",
            "记录 {id} 的状态已是“{status_zh}”"
        )
        .hint(history_hint())),
        EventStatus::Active | EventStatus::Expired => Ok(()),
    }
}

/// Stores the end of an event (repaired or revoked, with the reason and, for a repair, the
/// conditions it was granted on) and logs it.
fn close(
    conn: &Connection,
    stamp: &Stamp,
    today: NaiveDate,
    before: CreditEvent,
    status: EventStatus,
    reason: &str,
    conditions: Option<&str>,
) -> Result<CreditEvent> {
    conn.prepare_cached(
        "UPDATE credit_events SET status = ?2, reason = ?3, closed_at = ?4, conditions = ?5
         WHERE id = ?1",
    )?
    .execute(params![
        before.id,
        status,
        reason,
        time::to_db(stamp.at),
        conditions
    ])
    .context("cannot change the credit event")?;
    let after = get(conn, before.id, today)?;
    let action = format!("credit.{status}");
    let detail = json!({ "before": masked(&before), "after": masked(&after) });
    audit_event(conn, stamp, &action, &after, detail)?;
    Ok(after)
}

/// A subject's events as seen from a company context: those of the companies its records
/// are matched across (see `basis`), and the companies whose records were left apart.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub events: Vec<CreditEvent>,
    /// Companies whose records of this person are not matched for want of a legal basis.
    pub unmatched: Vec<String>,
}

/// The events of a subject in a view.
fn history_filter() -> String {
    format!("ev.subject_id = :subject AND {}", basis::IN_VIEW)
}

/// Every event of a subject, oldest first, whatever its status: of a person known by ID
/// number, those of the companies in view only.
pub fn history(
    conn: &Connection,
    arg: &SubjectArg,
    company_id: Option<i64>,
    today: NaiveDate,
) -> Result<History> {
    let Some(subject) = find_subject(conn, arg, company_id)? else {
        return match arg {
            SubjectArg::Person { .. } => Err(unknown_person()),
            SubjectArg::Company(_) | SubjectArg::Employee(_) => Ok(History::default()),
        };
    };
    let view = View::of(conn, subject, company_id)?;
    let (all, only, based) = view.params();
    let mut stmt = conn.prepare_cached(&event_sql(&history_filter()))?;
    let rows = stmt.query_map(
        named_params! {
            ":subject": subject, ":today": today, ":all": all, ":only": only, ":based": based,
        },
        event_from_row,
    )?;
    Ok(History {
        events: rows.collect::<rusqlite::Result<_>>()?,
        unmatched: view.unmatched,
    })
}

/// What a person reading `events` should know: an abnormal-operations listing left for three
/// years leads to the serious list (企业信息公示暂行条例 art. 17).
pub fn warnings(events: &[CreditEvent], today: NaiveDate) -> Vec<Text> {
    events
        .iter()
        .filter(|e| {
            e.official == Some(Official::AbnormalOperations) && e.status == EventStatus::Active
        })
        .filter_map(|e| {
            let due = e.decided_on?.checked_add_months(Months::new(36))?;
            let id = e.id;
            (today >= due).then(|| {
                text!(
                    "event {id}: listed as an abnormal operation and still not removed 3 years on ({due}): the agency may put the company on the serious list (企业信息公示暂行条例 art. 17); meet the duty to publish and apply for removal",
                    "记录 {id}：列入经营异常名录满 3 年（{due}）仍未移出，可被列入严重违法失信名单（《企业信息公示暂行条例》第十七条）；请履行公示义务并申请移出"
                )
            })
        })
        .collect()
}

/// What `report credit` groups credit records by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportBy {
    /// The company they were recorded in (统一社会信用代码)
    #[default]
    Company,
    /// Violation or incentive
    Kind,
    /// The month they occurred (2026-03)
    Month,
}

/// `report credit`: how many records (violations and incentives) and their points.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    pub records: i64,
    pub violations: i64,
    pub incentives: i64,
    pub points: i64,
}

/// The records that occurred from `:since` to `:until` (dates, inclusive, either end open
/// when NULL), revoked ones left out, of every company or of `:company`, summed by `:by`.
const TALLY_SQL: &str = "SELECT CASE :by WHEN 'kind' THEN ev.kind
                          WHEN 'month' THEN substr(ev.occurred_on, 1, 7) ELSE co.code END,
        count(*), sum(ev.kind = 'violation'), sum(ev.kind = 'incentive'), sum(ev.points)
    FROM credit_events ev JOIN companies co ON co.id = ev.company_id
    WHERE ev.status != 'revoked' AND (:company IS NULL OR ev.company_id = :company)
      AND (:since IS NULL OR ev.occurred_on >= :since)
      AND (:until IS NULL OR ev.occurred_on <= :until)
    GROUP BY 1";

/// Tallies the credit records of every company, or of the company `scope`, that occurred
/// from `since` to `until` (inclusive), revoked ones left out; keyed by company code, kind
/// or month.
pub fn tallies(
    conn: &Connection,
    scope: Option<i64>,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
    by: ReportBy,
) -> Result<BTreeMap<String, Tally>> {
    let by = match by {
        ReportBy::Company => "company",
        ReportBy::Kind => "kind",
        ReportBy::Month => "month",
    };
    let mut stmt = conn.prepare_cached(TALLY_SQL)?;
    let rows = stmt.query_map(
        named_params! { ":by": by, ":company": scope, ":since": since, ":until": until },
        |r| {
            Ok((
                r.get(0)?,
                Tally {
                    records: r.get(1)?,
                    violations: r.get(2)?,
                    incentives: r.get(3)?,
                    points: r.get(4)?,
                },
            ))
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Credit;
    use chrono::{TimeZone, Utc};

    /// A migrated database with one company; its id.
    pub(super) fn db() -> (Connection, Stamp, i64) {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let stamp = Stamp {
            actor: "test".into(),
            at: Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap(),
        };
        company::add(&conn, &stamp, "914403001922038216", "甲", None).unwrap();
        let id = company::resolve(&conn, None).unwrap().id;
        (conn, stamp, id)
    }

    pub(super) fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    pub(super) use crate::db::assert_no_scan;

    #[test]
    fn a_record_copies_the_entry_and_computes_its_expiry() {
        let (conn, stamp, company) = db();
        let catalog = Catalog::builtin();
        let new = NewEvent {
            subject: SubjectArg::person("陈某", Some("11010519491231002X")).unwrap(),
            code: "trade-secret-leaked".into(),
            occurred_on: day("2024-02-29"),
            note: None,
            decision: None,
        };
        let event = record(
            &conn,
            &stamp,
            &catalog,
            Some(company),
            day("2026-03-02"),
            &new,
        )
        .unwrap();
        assert_eq!(event.expires_on, Some(day("2027-02-28")));
        assert_eq!(
            (event.points, event.severity),
            (-40, Some(Severity::Severe))
        );
        let arg = SubjectArg::parse("person:11010519491231002X").unwrap();
        let before = score(&conn, &Credit::default(), &arg, None, day("2027-02-27")).unwrap();
        assert_eq!(before.score.score, 60);
        let after = score(&conn, &Credit::default(), &arg, None, day("2027-02-28")).unwrap();
        assert_eq!(after.score.score, 100);
        assert_eq!(
            company_score(&conn, &Credit::default(), company, day("2026-03-02")).unwrap(),
            100
        );
    }

    #[test]
    fn an_official_record_counts_from_its_decision() {
        let (conn, stamp, company) = db();
        let catalog = Catalog::builtin();
        let record_with = |code: &str, decision: Option<Decision>| {
            let new = NewEvent {
                subject: SubjectArg::Company("914403001922038216".into()),
                code: code.into(),
                occurred_on: day("2025-12-01"),
                note: None,
                decision,
            };
            record(
                &conn,
                &stamp,
                &catalog,
                Some(company),
                day("2026-03-02"),
                &new,
            )
        };
        let decision = |penalty_no: Option<&str>| Decision {
            decision_no: "深市监罚〔2026〕7号".into(),
            authority: "深圳市市场监督管理局".into(),
            decided_on: day("2026-01-10"),
            penalty_no: penalty_no.map(String::from),
            sector: None,
        };
        let minor = record_with("penalty-minor", Some(decision(None))).unwrap();
        assert_eq!(minor.expires_on, Some(day("2026-04-10")));
        let listed = record_with("abnormal-operations-list", Some(decision(None))).unwrap();
        assert_eq!(listed.expires_on, None);
        let unbacked = record_with("serious-illegal-list", Some(decision(None))).unwrap_err();
        assert!(unbacked.to_string().contains("penalty"), "{unbacked}");
        let serious = record_with("serious-illegal-list", Some(decision(Some("罚1号")))).unwrap();
        assert_eq!(serious.expires_on, Some(day("2029-01-10")));
        assert!(record_with("penalty", None).is_err());
        assert!(record_with("no-handover-rules", Some(decision(None))).is_err());
    }

    #[test]
    fn a_closed_event_refuses_to_change_in_both_languages() {
        let event = CreditEvent {
            id: 3,
            status: EventStatus::Repaired,
            ..CreditEvent::default()
        };
        let refused = refuse_closed(&event).unwrap_err();
        assert_eq!(refused.message.en, "event 3 is repaired already");
        assert_eq!(refused.message.zh, "记录 3 的状态已是“已修复”");
        assert!(refuse_closed(&CreditEvent::default()).is_ok());
    }

    #[test]
    fn event_queries_search_indexes() {
        let (conn, ..) = db();
        assert_no_scan(&conn, &event_sql("ev.subject_id = :subject"));
        assert_no_scan(&conn, &event_sql("ev.id = :id"));
        assert_no_scan(&conn, &event_sql(&history_filter()));
    }
}
