//! Credit records: violations and incentives from the catalogue, recorded against companies,
//! employees and people; scores, bands and the dishonest, watch and honoured lists; repair and
//! revocation. Every rule is computed against "today", so records expire on their own.
//!
//! This module holds the events and their changes (record, evidence, repair, revoke,
//! history); `subject` finds and creates whom they are about, `score` computes standing
//! today, `import` reads them from a file, `catalog` holds the entries they are made from.

pub mod catalog;
mod import;
mod score;
mod subject;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result};
use chrono::{Months, NaiveDate};
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

pub use self::import::Import;
pub use self::score::{
    active_violations, company_score, listed_company, score, scores, Lists, Score,
};
pub use self::subject::SubjectArg;

use self::catalog::{Catalog, CreditKind, Severity};
use self::subject::{find_subject, subject_for_record, unknown_person};
use super::company::{self, required};
use super::evidence::{self, BlobRef};
use crate::audit::{self, Stamp};
use crate::config::Credit;
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
    pub expires_on: NaiveDate,
    pub status: EventStatus,
    pub note: Option<String>,
    /// Why it was repaired or revoked.
    pub reason: Option<String>,
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
                ev.note, ev.reason,
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
        note: row.get("note")?,
        reason: row.get("reason")?,
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

/// What `record` stores: one row of a `credit record` command or of an import.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub subject: SubjectArg,
    pub code: String,
    pub occurred_on: NaiveDate,
    pub note: Option<String>,
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
            "{code} 适用于{allowed_zh},不适用于{applies_zh}"
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
    let expires_on = occurred_on
        .checked_add_months(Months::new(12 * entry.validity_years))
        .ok_or_else(|| {
            bad_input!(
                "date {occurred_on} is out of range",
                "日期 {occurred_on} 超出可用范围"
            )
        })?;
    let subject = subject_for_record(conn, &new.subject, company_id)?;
    if let Some(twin) = same_event(conn, subject, &entry.code, new.occurred_on, false)? {
        let code = &entry.code;
        return Err(refused!(
            "{code} on {occurred_on} is recorded already for this subject as event {twin}",
            "该主体已有 {code} 日期 {occurred_on} 的记录(编号 {twin})"
        )
        .hint(text!(
            "see it with `baton credit history`; revoke it with `baton credit revoke {twin} --reason R`",
            "用 `baton credit history` 查看;用 `baton credit revoke {twin} --reason 原因` 撤销"
        ))
        .into());
    }
    let note = new.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    conn.prepare_cached(
        "INSERT INTO credit_events (subject_id, company_id, code, kind, severity, points,
                                    occurred_on, expires_on, note, recorded_at)
         VALUES (:subject, :company, :code, :kind, :severity, :points, :occurred_on,
                 :expires_on, :note, :recorded_at)",
    )?
    .execute(named_params! {
        ":subject": subject, ":company": company_id, ":code": entry.code, ":kind": entry.kind,
        ":severity": entry.severity, ":points": entry.points, ":occurred_on": new.occurred_on,
        ":expires_on": expires_on, ":note": note, ":recorded_at": time::to_db(stamp.at),
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

/// Marks a violation repaired: only from `occurred_on + repair_after_years` on, with a reason.
pub fn repair(
    conn: &Connection,
    stamp: &Stamp,
    credit: &Credit,
    today: NaiveDate,
    id: i64,
    reason: &str,
) -> Result<CreditEvent> {
    let reason = required("reason", reason)?;
    let before = get(conn, id, today)?;
    refuse_closed(&before)?;
    if before.kind == CreditKind::Incentive {
        return Err(refused!(
            "event {id} is an incentive; only a violation is repaired",
            "记录 {id} 是守信激励;只有失信记录可以修复"
        )
        .hint(text!(
            "if it was recorded in error: baton credit revoke {id} --reason R",
            "如系误录:baton credit revoke {id} --reason 原因"
        ))
        .into());
    }
    let earliest = before
        .occurred_on
        .checked_add_months(Months::new(12 * credit.repair_after_years))
        .unwrap_or(NaiveDate::MAX);
    if today < earliest {
        let (occurred_on, years) = (before.occurred_on, credit.repair_after_years);
        return Err(refused!(
            "event {id} of {occurred_on} can be repaired from {earliest} on",
            "记录 {id}(发生于 {occurred_on})自 {earliest} 起才能修复"
        )
        .hint(text!(
            "repair is allowed {years} year(s) after the event (config credit.repair_after_years)",
            "发生满 {years} 年后方可修复(配置项 credit.repair_after_years)"
        ))
        .into());
    }
    close(conn, stamp, today, before, EventStatus::Repaired, &reason)
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
    close(conn, stamp, today, before, EventStatus::Revoked, &reason)
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

/// Stores the end of an event (repaired or revoked, with the reason) and logs it.
fn close(
    conn: &Connection,
    stamp: &Stamp,
    today: NaiveDate,
    before: CreditEvent,
    status: EventStatus,
    reason: &str,
) -> Result<CreditEvent> {
    conn.prepare_cached(
        "UPDATE credit_events SET status = ?2, reason = ?3, closed_at = ?4 WHERE id = ?1",
    )?
    .execute(params![before.id, status, reason, time::to_db(stamp.at)])
    .context("cannot change the credit event")?;
    let after = get(conn, before.id, today)?;
    let action = format!("credit.{status}");
    let detail = json!({ "before": masked(&before), "after": masked(&after) });
    audit_event(conn, stamp, &action, &after, detail)?;
    Ok(after)
}

/// Every event of a subject, oldest first, whatever its status.
pub fn history(
    conn: &Connection,
    arg: &SubjectArg,
    company_id: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<CreditEvent>> {
    let Some(subject) = find_subject(conn, arg, company_id)? else {
        return match arg {
            SubjectArg::Person { .. } => Err(unknown_person()),
            SubjectArg::Company(_) | SubjectArg::Employee(_) => Ok(Vec::new()),
        };
    };
    let mut stmt = conn.prepare_cached(&event_sql("ev.subject_id = :subject"))?;
    let rows = stmt.query_map(
        named_params! { ":subject": subject, ":today": today },
        event_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
        assert_eq!(event.expires_on, day("2029-02-28"));
        assert_eq!(
            (event.points, event.severity),
            (-40, Some(Severity::Severe))
        );
        let arg = SubjectArg::parse("person:11010519491231002X").unwrap();
        let before = score(&conn, &Credit::default(), &arg, None, day("2029-02-27")).unwrap();
        assert_eq!(before.score, 60);
        let after = score(&conn, &Credit::default(), &arg, None, day("2029-02-28")).unwrap();
        assert_eq!(after.score, 100);
        assert_eq!(
            company_score(&conn, &Credit::default(), company, day("2026-03-02")).unwrap(),
            100
        );
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
    }
}
