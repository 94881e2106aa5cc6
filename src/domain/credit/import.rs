//! `baton import credit`: rows of `credit history --format csv --reveal` recorded as events.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;

use super::catalog::Catalog;
use super::subject::existing_subject;
use super::{record, recording_company, same_event, Decision, EventStatus, NewEvent, SubjectArg};
use crate::audit::Stamp;
use crate::error::{in_field, Failure};
use crate::i18n::Lang;
use crate::import::{self, Column, Outcome, Row};
use crate::{bad_input, ids, text, time};

/// `baton import credit`: the columns of `credit history SUBJECT --format csv --reveal`, of
/// which `subject` (`company:USCC`, `employee:E001`, `person:NAME` or `person:ID-NUMBER`),
/// `id_number` (a person's, beside `person:NAME`), `company` (the company the row is recorded
/// in: an employee's or a person's row goes there, a company's must name that company),
/// `code`, `occurred_on`, `note`, `status` and, for an official record, the agency decision
/// (`decision_no`, `authority`, `decided_on`, `penalty_no`, `sector`) are read; the others
/// follow from
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
    clock: time::Clock,
    stamp: Stamp,
    catalog: Catalog,
    /// Events this file has named, and the line that first named each.
    seen: HashMap<i64, u64>,
}

/// Positions of the columns read, in [`IMPORT_COLUMNS`].
const SUBJECT: usize = 2;
const ID_NUMBER: usize = 4;
const COMPANY: usize = 5;
const CODE: usize = 6;
const OCCURRED_ON: usize = 10;
const STATUS: usize = 12;
const DECISION_NO: usize = 14;
const AUTHORITY: usize = 15;
const DECIDED_ON: usize = 16;
const PENALTY_NO: usize = 17;
const SECTOR: usize = 18;
const NOTE: usize = 19;
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
    Column::optional("official"),
    Column::optional("decision_no"),
    Column::optional("authority"),
    Column::optional("decided_on"),
    Column::optional("penalty_no"),
    Column::optional("sector"),
    Column::optional("note"),
    Column::optional("reason"),
    Column::optional("conditions"),
    Column::optional("evidence"),
];

impl Import {
    pub fn new(clock: time::Clock, stamp: Stamp, catalog: Catalog) -> Import {
        Import {
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
        } if own != given => {
            let own = ids::mask_id_number(&own);
            Err(bad_input!(
                "the subject names the ID number {own}",
                "主体中写明的身份证号是 {own}"
            ))
        }
        SubjectArg::Person { .. } => Ok(subject),
        _ => Err(bad_input!(
            "an ID number belongs to a person subject (person:NAME)",
            "身份证号只属于个人主体（person:姓名）"
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

    /// A row about a company is recorded in that company: it needs no other.
    fn company_required(&self) -> bool {
        false
    }

    fn apply(&mut self, conn: &Connection, row: &Row<'_>) -> Result<Outcome> {
        let clock = &self.clock;
        let subject = row.parse_required(SUBJECT, SubjectArg::parse)?;
        let id_number = row.parse(ID_NUMBER, ids::validate_id_number)?;
        let subject = with_id_number(subject, id_number).map_err(|e| e.field("id_number"))?;
        let code = row.parse_required(CODE, |s| self.catalog.get(s).map(|e| e.code.clone()))?;
        let occurred_on = row.parse_required(OCCURRED_ON, |s| time::parse_date(s, clock))?;
        let note = row.parse(NOTE, |s| Ok(s.to_string()))?;
        let decision = match row.parse(DECISION_NO, |s| Ok(s.to_string()))? {
            None => None,
            Some(decision_no) => Some(Decision {
                decision_no,
                authority: row.parse_required(AUTHORITY, |s| Ok(s.to_string()))?,
                decided_on: row.parse_required(DECIDED_ON, |s| time::parse_date(s, clock))?,
                penalty_no: row.parse(PENALTY_NO, |s| Ok(s.to_string()))?,
                sector: row.parse(SECTOR, str::parse)?,
            }),
        };
        let status: Option<EventStatus> = row.parse(STATUS, str::parse)?;
        let context = row.company_or_none().map(|c| c.id);
        let company_id =
            recording_company(conn, &subject, context).map_err(|e| in_field(e, "subject"))?;
        let named = row.get(COMPANY).is_some_and(|cell| !cell.trim().is_empty());
        if let (true, SubjectArg::Company(expected), Some(company)) =
            (named, &subject, row.company_or_none())
        {
            if company.id != company_id {
                return Err(bad_input!(
                    "this row would be recorded in company {expected}",
                    "该行将记入公司 {expected}"
                )
                .hint(text!(
                    "a record about a company is that company's: name it, or leave company empty",
                    "关于公司的记录属于该公司：请填写该公司，或把公司列留空"
                ))
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
            let status_zh = status.label(Lang::Zh);
            return Err(bad_input!(
                "an import records active events, not {status} ones",
                "导入只登记有效的记录，不登记{status_zh}的记录"
            )
            .hint(text!(
                "record it, then `baton credit repair|revoke ID --reason R`",
                "先登记，再用 `baton credit repair|revoke 编号 --reason 原因`"
            ))
            .field("status")
            .into());
        }
        let new = NewEvent {
            subject,
            code,
            occurred_on,
            note,
            decision,
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
