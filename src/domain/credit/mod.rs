//! Credit records: violations and incentives from the catalogue, recorded against companies,
//! employees and people; scores, bands and the dishonest, watch and honoured lists; repair and
//! revocation. Every rule is computed against "today", so records expire on their own.

pub mod catalog;

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context as _, Result};
use chrono::{Months, NaiveDate};
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use self::catalog::{AppliesTo, Catalog, CreditKind, Severity};
use super::company::{self, required, CompanyRef};
use super::employee;
use super::evidence::{self, BlobRef};
use crate::audit::{self, Stamp};
use crate::config::Credit;
use crate::error::{in_field, Failure};
use crate::import::{self, Column, Outcome, Row};
use crate::{ids, text_enum, time};

text_enum! { "credit subject kind" / "信用主体类型":
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

const SUBJECT_HINT: &str =
    "write a subject as company:USCC, employee:E001 (in the company context), person:NAME or person:ID-NUMBER";
const SUBJECT_HINT_ZH: &str =
    "主体写作 company:统一社会信用代码、employee:E001(在公司上下文中)、person:姓名 或 person:身份证号";

/// Whom a record is about, as the user (or an import row) names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectArg {
    /// A company in the database, by its USCC.
    Company(String),
    /// An employee of the company in context, by their code.
    Employee(String),
    /// A person: with an ID number one subject across every company, else by name within
    /// the company in context. A name alone finds a person recorded either way.
    Person {
        name: Option<String>,
        id_number: Option<String>,
    },
}

impl SubjectArg {
    /// `company:USCC`, `employee:E001`, `person:NAME` or `person:ID-NUMBER`.
    pub fn parse(text: &str) -> Result<SubjectArg, Failure> {
        let bad = || {
            Failure::bad_input(format!("invalid subject {text:?}"))
                .zh(format!("无效的主体 {text:?}"))
                .hint(SUBJECT_HINT)
                .hint_zh(SUBJECT_HINT_ZH)
        };
        let (kind, value) = text.trim().split_once(':').ok_or_else(bad)?;
        let value = value.trim();
        if value.is_empty() {
            return Err(bad());
        }
        match kind.trim() {
            "company" => Ok(SubjectArg::Company(ids::validate_uscc(value)?)),
            "employee" => Ok(SubjectArg::Employee(value.to_string())),
            "person" if looks_like_id_number(value) => Ok(SubjectArg::Person {
                name: None,
                id_number: Some(ids::validate_id_number(value)?),
            }),
            "person" => Ok(SubjectArg::Person {
                name: Some(value.to_string()),
                id_number: None,
            }),
            _ => Err(bad()),
        }
    }

    /// A person named on the command line: `--person NAME [--id-number N]`.
    pub fn person(name: &str, id_number: Option<&str>) -> Result<SubjectArg, Failure> {
        Ok(SubjectArg::Person {
            name: Some(required("person", name)?),
            id_number: id_number.map(ids::validate_id_number).transpose()?,
        })
    }

    /// Whether the subject can only be found in a company context (a person's name is
    /// looked up everywhere, and narrowed to the company in context only when ambiguous).
    pub fn needs_company(&self) -> bool {
        matches!(self, SubjectArg::Employee(_))
    }

    fn applies_to(&self) -> AppliesTo {
        match self {
            SubjectArg::Company(_) => AppliesTo::Company,
            _ => AppliesTo::Person,
        }
    }
}

/// 17 digits and a digit or X: meant as an ID number, so validated as one.
fn looks_like_id_number(value: &str) -> bool {
    value.len() == 18
        && value
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || i == 17 && c.eq_ignore_ascii_case(&'x'))
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

/// A subject's standing today.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Score {
    pub subject_kind: SubjectKind,
    pub subject: String,
    pub subject_name: String,
    pub id_number: Option<String>,
    /// The company of a company, employee or person without ID number; none for a person
    /// known by ID number, who is one subject across every company.
    pub company: Option<String>,
    pub score: i64,
    pub band: String,
    pub active_violations: i64,
    pub active_incentives: i64,
    pub dishonest: bool,
    pub watch: bool,
    pub honoured: bool,
}

/// Which lists `credit list` shows; none = every list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lists {
    pub dishonest: bool,
    pub watch: bool,
    pub honoured: bool,
}

impl Lists {
    fn admit(self, score: &Score) -> bool {
        let all = !(self.dishonest || self.watch || self.honoured);
        (score.dishonest && (all || self.dishonest))
            || (score.watch && (all || self.watch))
            || (score.honoured && (all || self.honoured))
    }
}

/// How a subject is shown, from `credit_subjects` joined to its company and employee.
const SUBJECT_COLUMNS: &str = "s.kind AS subject_kind,
    CASE s.kind WHEN 'company' THEN 'company:' || sc.code
                WHEN 'employee' THEN 'employee:' || se.code
                ELSE 'person:' || s.name END AS subject,
    CASE s.kind WHEN 'company' THEN sc.name WHEN 'employee' THEN se.name ELSE s.name END
        AS subject_name,
    s.id_number, sc.code AS subject_company";
const SUBJECT_JOINS: &str = "LEFT JOIN companies sc ON sc.id = s.company_id
    LEFT JOIN employees se ON se.id = s.employee_id";

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
            Failure::bad_input(format!("no credit event {id}"))
                .zh(format!("没有编号为 {id} 的信用记录"))
                .hint("see `baton credit history SUBJECT` for the event numbers")
                .hint_zh("用 `baton credit history 主体` 查看记录编号")
                .into()
        })
}

/// The `credit_subjects` row of a subject, if it has one.
fn find_subject(
    conn: &Connection,
    arg: &SubjectArg,
    company_id: Option<i64>,
) -> Result<Option<i64>> {
    let in_company = || {
        company_id.ok_or_else(|| {
            Failure::usage("this subject needs a company context")
                .zh("该主体需要公司上下文")
                .hint("use --company CODE, BATON_COMPANY or config `company`")
                .hint_zh("使用 --company 代码、环境变量 BATON_COMPANY 或配置项 `company`")
        })
    };
    Ok(match arg {
        SubjectArg::Company(code) => {
            let company = company::resolve(conn, Some(code))?;
            conn.prepare_cached(
                "SELECT id FROM credit_subjects WHERE kind = 'company' AND company_id = ?1",
            )?
            .query_row([company.id], |r| r.get(0))
            .optional()?
        }
        SubjectArg::Employee(code) => {
            let employee_id = employee::get_id(conn, in_company()?, code)?;
            conn.prepare_cached(
                "SELECT id FROM credit_subjects WHERE kind = 'employee' AND employee_id = ?1",
            )?
            .query_row([employee_id], |r| r.get(0))
            .optional()?
        }
        SubjectArg::Person {
            id_number: Some(id_number),
            ..
        } => conn
            .prepare_cached("SELECT id FROM credit_subjects WHERE id_number = ?1")?
            .query_row([id_number], |r| r.get(0))
            .optional()?,
        SubjectArg::Person {
            name: Some(name),
            id_number: None,
        } => find_person_by_name(conn, name, company_id)?,
        SubjectArg::Person {
            name: None,
            id_number: None,
        } => {
            return Err(Failure::bad_input("a person needs a name or an ID number")
                .zh("个人主体需要姓名或身份证号")
                .hint(SUBJECT_HINT)
                .hint_zh(SUBJECT_HINT_ZH)
                .into())
        }
    })
}

const PERSON_BY_NAME_SQL: &str =
    "SELECT id FROM credit_subjects WHERE kind = 'person' AND name = ?1 ORDER BY id LIMIT 2";

/// A person without ID number: a name within the company that recorded them.
const NAMED_IN_COMPANY_SQL: &str = "SELECT id FROM credit_subjects
    WHERE kind = 'person' AND company_id = ?1 AND name = ?2 AND id_number IS NULL";

/// People with ID number and this name who have a record in the company.
const RECORDED_IN_COMPANY_SQL: &str = "SELECT s.id FROM credit_subjects s
    WHERE s.kind = 'person' AND s.name = ?2 AND s.id_number IS NOT NULL
      AND EXISTS (SELECT 1 FROM credit_events ev WHERE ev.subject_id = s.id AND ev.company_id = ?1)
    ORDER BY s.id LIMIT 2";

fn named_in_company(conn: &Connection, company_id: i64, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(NAMED_IN_COMPANY_SQL)?
        .query_row(params![company_id, name.trim()], |r| r.get(0))
        .optional()?)
}

/// A person by name: the only one of that name; else, in the company in context, the person
/// without ID number recorded there, or the one person with ID number who has a record there.
fn find_person_by_name(
    conn: &Connection,
    name: &str,
    company_id: Option<i64>,
) -> Result<Option<i64>> {
    let ids = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Result<Vec<i64>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_map(params, |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    };
    let everywhere = ids(PERSON_BY_NAME_SQL, &[&name.trim()])?;
    if everywhere.len() < 2 {
        return Ok(everywhere.first().copied());
    }
    if let Some(company) = company_id {
        if let Some(id) = named_in_company(conn, company, name)? {
            return Ok(Some(id));
        }
        if let [only] = ids(RECORDED_IN_COMPANY_SQL, &[&company, &name.trim()])?.as_slice() {
            return Ok(Some(*only));
        }
    }
    Err(
        Failure::bad_input(format!("several people are named {:?}", name.trim()))
            .zh(format!("有多人名为 {:?}", name.trim()))
            .hint("name one by ID number (person:ID-NUMBER), or name the company with --company")
            .hint_zh("用身份证号指明(person:身份证号),或用 --company 指明公司")
            .into(),
    )
}

/// The subject a new record in `company_id` is about, if it has been recorded before.
fn existing_subject(conn: &Connection, arg: &SubjectArg, company_id: i64) -> Result<Option<i64>> {
    match arg {
        SubjectArg::Person {
            name: Some(name),
            id_number: None,
        } => named_in_company(conn, company_id, name),
        _ => find_subject(conn, arg, Some(company_id)),
    }
}

/// The subject of a new record: found, or created from what identifies it.
fn subject_for_record(conn: &Connection, arg: &SubjectArg, company_id: i64) -> Result<i64> {
    let person_name_check = |subject: i64, name: &Option<String>| -> Result<()> {
        let stored: String = conn
            .prepare_cached("SELECT name FROM credit_subjects WHERE id = ?1")?
            .query_row([subject], |r| r.get(0))?;
        match name {
            Some(name) if name.trim() != stored => Err(Failure::bad_input(format!(
                "this ID number is recorded for {stored:?}, not {:?}",
                name.trim()
            ))
            .zh(format!(
                "该身份证号登记的姓名是 {stored:?},不是 {:?}",
                name.trim()
            ))
            .hint("check the ID number and the name")
            .hint_zh("请核对身份证号与姓名")
            .into()),
            _ => Ok(()),
        }
    };
    if let Some(subject) = existing_subject(conn, arg, company_id)? {
        if let SubjectArg::Person {
            name,
            id_number: Some(_),
        } = arg
        {
            person_name_check(subject, name)?;
        }
        return Ok(subject);
    }
    let (company, employee, name, id_number) = match arg {
        SubjectArg::Company(code) => (
            Some(company::resolve(conn, Some(code))?.id),
            None,
            None,
            None,
        ),
        SubjectArg::Employee(code) => (
            Some(company_id),
            Some(employee::get_id(conn, company_id, code)?),
            None,
            None,
        ),
        SubjectArg::Person { name, id_number } => {
            let name = name.as_deref().ok_or_else(|| {
                Failure::bad_input(
                    "no person with this ID number is recorded yet; give the name too",
                )
                .zh("尚无该身份证号的个人记录;请同时给出姓名")
                .hint("baton credit record --person NAME --id-number N ...")
                .hint_zh("baton credit record --person 姓名 --id-number 身份证号 ...")
            })?;
            let company = id_number.is_none().then_some(company_id);
            (
                company,
                None,
                Some(required("person", name)?),
                id_number.clone(),
            )
        }
    };
    conn.prepare_cached(
        "INSERT INTO credit_subjects (kind, company_id, employee_id, name, id_number)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        subject_kind(arg),
        company,
        employee,
        name,
        id_number
    ])
    .context("cannot add the credit subject")?;
    Ok(conn.last_insert_rowid())
}

fn subject_kind(arg: &SubjectArg) -> SubjectKind {
    match arg {
        SubjectArg::Company(_) => SubjectKind::Company,
        SubjectArg::Employee(_) => SubjectKind::Employee,
        SubjectArg::Person { .. } => SubjectKind::Person,
    }
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
        (_, None) => Err(Failure::usage(
            "a record about an employee or a person needs a company context",
        )
        .zh("关于员工或个人的记录需要公司上下文")
        .hint("use --company CODE, BATON_COMPANY or config `company`")
        .hint_zh("使用 --company 代码、环境变量 BATON_COMPANY 或配置项 `company`")
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
        let allowed: Vec<&str> = entry.applies_to.iter().map(|a| a.as_str()).collect();
        return Err(Failure::bad_input(format!(
            "{} applies to {}, not to a {applies}",
            entry.code,
            allowed.join(" and ")
        ))
        .zh(format!(
            "{} 适用于 {},不适用于 {applies}",
            entry.code,
            allowed.join("、")
        ))
        .hint("see `baton credit catalog` for whom each entry applies to")
        .hint_zh("用 `baton credit catalog` 查看各条目的适用对象")
        .into());
    }
    if new.occurred_on > today {
        return Err(
            Failure::bad_input(format!("date {} is in the future", new.occurred_on))
                .zh(format!("日期 {} 在将来", new.occurred_on))
                .hint("give the date it happened with --date")
                .hint_zh("用 --date 给出发生日期")
                .into(),
        );
    }
    let expires_on = new
        .occurred_on
        .checked_add_months(Months::new(12 * entry.validity_years))
        .ok_or_else(|| Failure::bad_input(format!("date {} is out of range", new.occurred_on)))?;
    let subject = subject_for_record(conn, &new.subject, company_id)?;
    if let Some(twin) = same_event(conn, subject, &entry.code, new.occurred_on, false)? {
        return Err(Failure::refused(format!(
            "{} on {} is recorded already for this subject as event {twin}",
            entry.code, new.occurred_on
        ))
        .zh(format!(
            "该主体已有 {} 日期 {} 的记录(编号 {twin})",
            entry.code, new.occurred_on
        ))
        .hint(format!("see it with `baton credit history`; revoke it with `baton credit revoke {twin} --reason R`"))
        .hint_zh(format!("用 `baton credit history` 查看;用 `baton credit revoke {twin} --reason 原因` 撤销"))
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
        return Err(Failure::refused(format!(
            "event {id} is an incentive; only a violation is repaired"
        ))
        .zh(format!("记录 {id} 是守信激励;只有失信记录可以修复"))
        .hint(format!(
            "if it was recorded in error: baton credit revoke {id} --reason R"
        ))
        .hint_zh(format!("如系误录:baton credit revoke {id} --reason 原因"))
        .into());
    }
    let earliest = before
        .occurred_on
        .checked_add_months(Months::new(12 * credit.repair_after_years))
        .unwrap_or(NaiveDate::MAX);
    if today < earliest {
        return Err(Failure::refused(format!(
            "event {id} of {} can be repaired from {earliest} on",
            before.occurred_on
        ))
        .zh(format!(
            "记录 {id}(发生于 {})自 {earliest} 起才能修复",
            before.occurred_on
        ))
        .hint(format!(
            "repair is allowed {} year(s) after the event (config credit.repair_after_years)",
            credit.repair_after_years
        ))
        .hint_zh(format!(
            "发生满 {} 年后方可修复(配置项 credit.repair_after_years)",
            credit.repair_after_years
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
        return Err(Failure::refused(format!("event {id} is revoked already"))
            .zh(format!("记录 {id} 已撤销"))
            .hint("see `baton credit history SUBJECT`")
            .hint_zh("用 `baton credit history 主体` 查看")
            .into());
    }
    close(conn, stamp, today, before, EventStatus::Revoked, &reason)
}

fn refuse_closed(event: &CreditEvent) -> Result<(), Failure> {
    match event.status {
        EventStatus::Repaired | EventStatus::Revoked => Err(Failure::refused(format!(
            "event {} is {} already",
            event.id, event.status
        ))
        .zh(format!("记录 {} 已是 {} 状态", event.id, event.status))
        .hint("see `baton credit history SUBJECT`")
        .hint_zh("用 `baton credit history 主体` 查看")),
        EventStatus::Active | EventStatus::Expired => Ok(()),
    }
}

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

fn unknown_person() -> anyhow::Error {
    Failure::bad_input("no credit record names this person")
        .zh("没有关于此人的信用记录")
        .hint("see `baton credit score` for every subject")
        .hint_zh("用 `baton credit score` 查看全部主体")
        .into()
}

const SCORE_SQL: &str = "SELECT s.id, {SUBJECT_COLUMNS},
        coalesce(sum(ev.points), 0) AS points,
        count(CASE WHEN ev.kind = 'violation' THEN 1 END) AS violations,
        count(CASE WHEN ev.kind = 'incentive' THEN 1 END) AS incentives,
        count(CASE WHEN ev.severity = 'severe' THEN 1 END) AS severe,
        count(CASE WHEN ev.severity = 'major' THEN 1 END) AS major
    FROM credit_subjects s
    {SUBJECT_JOINS}
    LEFT JOIN credit_events ev
        ON ev.subject_id = s.id AND ev.status = 'active' AND ev.expires_on > :today
    WHERE {FILTER}
    GROUP BY s.id
    ORDER BY s.kind, subject, s.id";

fn score_sql(filter: &str) -> String {
    SCORE_SQL
        .replace("{SUBJECT_COLUMNS}", SUBJECT_COLUMNS)
        .replace("{SUBJECT_JOINS}", SUBJECT_JOINS)
        .replace("{FILTER}", filter)
}

/// The active events of a subject, counted.
#[derive(Debug, Clone, Copy, Default)]
struct Active {
    points: i64,
    violations: i64,
    incentives: i64,
    severe: i64,
    major: i64,
}

fn score_of(credit: &Credit, active: Active, subject: Score) -> Score {
    let score = credit.base + active.points;
    Score {
        score,
        band: credit.band(score).to_string(),
        active_violations: active.violations,
        active_incentives: active.incentives,
        dishonest: active.severe > 0 || active.major >= i64::from(credit.dishonest_major_count),
        watch: score < credit.watch_below,
        honoured: active.incentives > 0 && active.violations == 0,
        ..subject
    }
}

fn score_from_row(credit: &Credit, row: &rusqlite::Row<'_>) -> rusqlite::Result<Score> {
    let active = Active {
        points: row.get("points")?,
        violations: row.get("violations")?,
        incentives: row.get("incentives")?,
        severe: row.get("severe")?,
        major: row.get("major")?,
    };
    let subject = Score {
        subject_kind: row.get("subject_kind")?,
        subject: row.get("subject")?,
        subject_name: row.get("subject_name")?,
        id_number: row.get("id_number")?,
        company: row.get("subject_company")?,
        ..Score::default()
    };
    Ok(score_of(credit, active, subject))
}

/// Every subject with a record, scored today, streamed.
pub fn scores(
    conn: &Connection,
    credit: &Credit,
    today: NaiveDate,
    lists: Option<Lists>,
    mut each: impl FnMut(Score) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&score_sql("1"))?;
    let mut rows = stmt.query(named_params! { ":today": today })?;
    while let Some(row) = rows.next()? {
        let score = score_from_row(credit, row)?;
        if lists.is_none_or(|lists| lists.admit(&score)) {
            each(score)?;
        }
    }
    Ok(())
}

/// One subject's score today; a company or employee without records has the base score.
pub fn score(
    conn: &Connection,
    credit: &Credit,
    arg: &SubjectArg,
    company_id: Option<i64>,
    today: NaiveDate,
) -> Result<Score> {
    if let Some(subject) = find_subject(conn, arg, company_id)? {
        return Ok(conn
            .prepare_cached(&score_sql("s.id = :subject"))?
            .query_row(
                named_params! { ":subject": subject, ":today": today },
                |row| score_from_row(credit, row),
            )?);
    }
    let subject = match arg {
        SubjectArg::Company(code) => {
            let company = company::get(conn, code)?;
            Score {
                subject_kind: SubjectKind::Company,
                subject: format!("company:{}", company.code),
                subject_name: company.name,
                company: Some(company.code),
                ..Score::default()
            }
        }
        SubjectArg::Employee(code) => {
            let company_id = company_id.context("an employee needs a company context")?;
            let employee = employee::get(conn, company_id, code)?;
            let company: String = conn
                .prepare_cached("SELECT code FROM companies WHERE id = ?1")?
                .query_row([company_id], |r| r.get(0))?;
            Score {
                subject_kind: SubjectKind::Employee,
                subject: format!("employee:{}", employee.id),
                subject_name: employee.name,
                company: Some(company),
                ..Score::default()
            }
        }
        SubjectArg::Person { .. } => return Err(unknown_person()),
    };
    Ok(score_of(credit, Active::default(), subject))
}

const COMPANY_SCORE_SQL: &str = "SELECT coalesce(sum(ev.points), 0)
    FROM credit_subjects s
    JOIN credit_events ev ON ev.subject_id = s.id AND ev.status = 'active' AND ev.expires_on > ?2
    WHERE s.kind = 'company' AND s.company_id = ?1";

/// A company's own score today (`status`'s `credit_score`).
pub fn company_score(
    conn: &Connection,
    credit: &Credit,
    company_id: i64,
    today: NaiveDate,
) -> Result<i64> {
    let points: i64 = conn
        .prepare_cached(COMPANY_SCORE_SQL)?
        .query_row(params![company_id, today], |r| r.get(0))?;
    Ok(credit.base + points)
}

/// A subject `s` that is the company `:company` itself or one of its employees.
const OF_COMPANY: &str = "((s.kind = 'company' AND s.company_id = :company)
    OR (s.kind = 'employee'
        AND s.employee_id IN (SELECT id FROM employees WHERE company_id = :company)))";

fn company_subjects_sql() -> String {
    format!("SELECT count(*) FROM credit_subjects s WHERE {OF_COMPANY}")
}

fn active_violations_sql() -> String {
    event_sql(&format!(
        "{OF_COMPANY} AND ev.kind = 'violation'
         AND ev.status = 'active' AND ev.expires_on > :today"
    ))
}

/// How many credit subjects the company and its employees are (those with a record), and
/// the violations against them still active today (neither repaired, revoked nor expired).
pub fn active_violations(
    conn: &Connection,
    company_id: i64,
    today: NaiveDate,
) -> Result<(i64, Vec<CreditEvent>)> {
    let subjects: i64 = conn
        .prepare_cached(&company_subjects_sql())?
        .query_row(named_params! { ":company": company_id }, |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&active_violations_sql())?;
    let rows = stmt.query_map(
        named_params! { ":company": company_id, ":today": today },
        event_from_row,
    )?;
    Ok((subjects, rows.collect::<rusqlite::Result<_>>()?))
}

/// `baton import credit`: the columns of `credit history SUBJECT --format csv --reveal`, of
/// which `subject` (`company:USCC`, `employee:E001`, `person:NAME` or `person:ID-NUMBER`),
/// `id_number` (a person's, beside `person:NAME`), `company` (checked: the company the row is
/// recorded in), `code`, `occurred_on`, `note` and `status` are read; the others follow from
/// the catalogue and the registry, so they are accepted and not read. Each new row goes
/// through [`record`]: the catalogue, `applies_to`, no future date, and its own
/// `credit.record` audit event.
///
/// Re-importing: the same entry for the same subject on the same day (not revoked) is
/// unchanged, not refused as `credit record` refuses it (its note stays as it is). A row
/// whose status is `revoked` is unchanged when that revoked event exists; `repaired` and
/// `revoked` rows are otherwise bad rows: an import records active events, repair and revoke
/// are commands with a reason. The same event twice in one file is a bad row naming the
/// first line.
pub struct Import {
    context: Option<CompanyRef>,
    clock: time::Clock,
    stamp: Stamp,
    catalog: Catalog,
    /// Events this file has named, and the line that first named each.
    seen: HashMap<i64, u64>,
}

const SUBJECT: usize = 2;
const ID_NUMBER: usize = 4;
const COMPANY: usize = 5;
const CODE: usize = 6;
const OCCURRED_ON: usize = 10;
const STATUS: usize = 12;
const NOTE: usize = 13;
const IMPORT_COLUMNS: &[Column] = &[
    Column::optional("id"),
    Column::optional("subject_kind"),
    Column::required("subject"),
    Column::optional("subject_name"),
    Column::optional("id_number"),
    Column::optional("company"),
    Column::required("code"),
    Column::optional("kind"),
    Column::optional("severity"),
    Column::optional("points"),
    Column::required("occurred_on"),
    Column::optional("expires_on"),
    Column::optional("status"),
    Column::optional("note"),
    Column::optional("reason"),
    Column::optional("evidence"),
];

impl Import {
    /// `context`: the company in context, if any (employee and person rows need one).
    pub fn new(
        context: Option<CompanyRef>,
        clock: time::Clock,
        stamp: Stamp,
        catalog: Catalog,
    ) -> Import {
        Import {
            context,
            clock,
            stamp,
            catalog,
            seen: HashMap::new(),
        }
    }
}

/// The subject with the `id_number` cell: a person named `person:NAME` gets it; one named by
/// ID number must have the same; it is no company's nor employee's.
fn with_id_number(subject: SubjectArg, id_number: Option<String>) -> Result<SubjectArg, Failure> {
    let Some(given) = id_number else {
        return Ok(subject);
    };
    match subject {
        SubjectArg::Person {
            name,
            id_number: None,
        } => Ok(SubjectArg::Person {
            name,
            id_number: Some(given),
        }),
        SubjectArg::Person {
            id_number: Some(own),
            ..
        } if own != given => Err(Failure::bad_input(format!(
            "the subject names the ID number {}",
            ids::mask_id_number(&own)
        ))),
        SubjectArg::Person { .. } => Ok(subject),
        _ => Err(Failure::bad_input(
            "an ID number belongs to a person subject (person:NAME)",
        )),
    }
}

impl import::Entity for Import {
    fn nouns(&self) -> &'static str {
        "credit"
    }

    fn columns(&self) -> &'static [Column] {
        IMPORT_COLUMNS
    }

    fn begin(&mut self, _conn: &Connection) -> Result<()> {
        self.seen.clear();
        Ok(())
    }

    fn apply(&mut self, conn: &Connection, row: &Row<'_>) -> Result<Outcome> {
        let clock = &self.clock;
        let subject = row.parse_required(SUBJECT, SubjectArg::parse)?;
        let id_number = row.parse(ID_NUMBER, ids::validate_id_number)?;
        let subject = with_id_number(subject, id_number).map_err(|e| e.field("id_number"))?;
        let code = row.parse_required(CODE, |s| self.catalog.get(s).map(|e| e.code.clone()))?;
        let occurred_on = row.parse_required(OCCURRED_ON, |s| time::parse_date(s, clock))?;
        let note = row.parse(NOTE, |s| Ok(s.to_string()))?;
        let status: Option<EventStatus> = row.parse(STATUS, str::parse)?;
        let context = self.context.as_ref().map(|c| c.id);
        let company_id =
            recording_company(conn, &subject, context).map_err(|e| in_field(e, "subject"))?;
        if let Some(named) = row.parse(COMPANY, |s| Ok(s.to_string()))? {
            let expected = match (&subject, &self.context) {
                (SubjectArg::Company(code), _) => code.as_str(),
                (_, Some(company)) => company.code.as_str(),
                (_, None) => "",
            };
            if named != expected {
                return Err(Failure::bad_input(format!(
                    "this row would be recorded in company {expected}"
                ))
                .hint("import each company's records with --company CODE")
                .field("company")
                .into());
            }
        }
        let revoked = status == Some(EventStatus::Revoked);
        let existing =
            existing_subject(conn, &subject, company_id).map_err(|e| in_field(e, "subject"))?;
        if let Some(subject_id) = existing {
            if let Some(id) = same_event(conn, subject_id, &code, occurred_on, revoked)? {
                if let Some(&first) = self.seen.get(&id) {
                    return Err(row.duplicate(CODE, first).into());
                }
                self.seen.insert(id, row.position.number);
                return Ok(Outcome::Unchanged);
            }
        }
        if let Some(status) =
            status.filter(|s| matches!(s, EventStatus::Repaired | EventStatus::Revoked))
        {
            return Err(Failure::bad_input(format!(
                "an import records active events, not {status} ones"
            ))
            .hint("record it, then `baton credit repair|revoke ID --reason R`")
            .field("status")
            .into());
        }
        let new = NewEvent {
            subject,
            code,
            occurred_on,
            note,
        };
        let today = self.clock.today();
        let event = record(conn, &self.stamp, &self.catalog, context, today, &new)?;
        self.seen.insert(event.id, row.position.number);
        Ok(Outcome::Inserted)
    }

    fn finish(&mut self, _conn: &Connection) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn db() -> (Connection, Stamp, i64) {
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

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn subjects_parse_by_kind() {
        assert_eq!(
            SubjectArg::parse("company:914403001922038216").unwrap(),
            SubjectArg::Company("914403001922038216".into())
        );
        assert_eq!(
            SubjectArg::parse(" employee:E001 ").unwrap(),
            SubjectArg::Employee("E001".into())
        );
        assert_eq!(
            SubjectArg::parse("person:11010519491231002x").unwrap(),
            SubjectArg::Person {
                name: None,
                id_number: Some("11010519491231002X".into())
            }
        );
        assert_eq!(
            SubjectArg::parse("person:陈某").unwrap(),
            SubjectArg::Person {
                name: Some("陈某".into()),
                id_number: None
            }
        );
        for bad in [
            "",
            "陈某",
            "person:",
            "staff:E001",
            "person:110105194912310021",
        ] {
            assert!(SubjectArg::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags_follow_the_rules() {
        let credit = Credit::default();
        let with = |active: Active| score_of(&credit, active, Score::default());
        let severe = with(Active {
            points: -40,
            violations: 1,
            severe: 1,
            ..Active::default()
        });
        assert!(severe.dishonest && !severe.watch && !severe.honoured);
        let one_major = with(Active {
            points: -25,
            violations: 1,
            major: 1,
            ..Active::default()
        });
        assert!(!one_major.dishonest);
        let two_major = with(Active {
            points: -50,
            violations: 2,
            major: 2,
            ..Active::default()
        });
        assert!(two_major.dishonest && two_major.watch && two_major.band == "D");
        let incentive = with(Active {
            points: 10,
            incentives: 1,
            ..Active::default()
        });
        assert!(incentive.honoured && incentive.score == 110 && incentive.band == "A");
    }

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
    fn per_subject_queries_search_indexes() {
        let (conn, ..) = db();
        for sql in [
            COMPANY_SCORE_SQL.to_string(),
            PERSON_BY_NAME_SQL.to_string(),
            NAMED_IN_COMPANY_SQL.to_string(),
            RECORDED_IN_COMPANY_SQL.to_string(),
            event_sql("ev.subject_id = :subject"),
            event_sql("ev.id = :id"),
            score_sql("s.id = :subject"),
            company_subjects_sql(),
            active_violations_sql(),
        ] {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let mut rows = stmt.raw_query();
            let mut plan = Vec::new();
            while let Some(row) = rows.next().unwrap() {
                plan.push(row.get::<_, String>(3).unwrap());
            }
            assert!(
                plan.iter().all(|step| !step.starts_with("SCAN")),
                "{sql}\n{plan:#?}"
            );
        }
    }

    proptest! {
        #[test]
        fn parsing_a_subject_never_panics(text in "\\PC{0,40}") {
            let _ = SubjectArg::parse(&text);
        }

        #[test]
        fn id_like_subjects_never_panic(digits in "[0-9]{17}[0-9xX]") {
            let _ = SubjectArg::parse(&format!("person:{digits}"));
        }
    }

    #[test]
    fn an_import_row_id_number_goes_with_a_person_only() {
        let id = "11010519491231002X".to_string();
        let person = |name: Option<&str>, id_number: Option<&str>| SubjectArg::Person {
            name: name.map(String::from),
            id_number: id_number.map(String::from),
        };
        assert_eq!(
            with_id_number(person(Some("陈某"), None), Some(id.clone())),
            Ok(person(Some("陈某"), Some(&id)))
        );
        assert_eq!(
            with_id_number(person(None, Some(&id)), Some(id.clone())),
            Ok(person(None, Some(&id)))
        );
        assert!(
            with_id_number(person(None, Some("440524188001010014")), Some(id.clone())).is_err()
        );
        assert!(with_id_number(SubjectArg::Employee("E001".into()), Some(id)).is_err());
        assert_eq!(
            with_id_number(SubjectArg::Employee("E001".into()), None),
            Ok(SubjectArg::Employee("E001".into()))
        );
    }
}
