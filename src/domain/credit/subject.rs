//! Whom a credit record is about: a subject as the user or an import row names it, found in
//! `credit_subjects` or created there for a new record.

use anyhow::{Context as _, Result};
use rusqlite::{params, Connection, OptionalExtension};

use super::catalog::AppliesTo;
use super::SubjectKind;
use crate::domain::company::{self, required};
use crate::domain::employee;
use crate::error::Failure;
use crate::i18n::Text;
use crate::{bad_input, ids, text};

/// How to write a subject, in English and Chinese.
const SUBJECT_HINT: &str =
    "write a subject as company:USCC, employee:E001 (in the company context), person:NAME or person:ID-NUMBER";
const SUBJECT_HINT_ZH: &str =
    "主体写作 company:统一社会信用代码、employee:E001（在公司上下文中）、person:姓名 或 person:身份证号";

/// How to write a subject, for the hints of a subject that cannot be read.
fn subject_hint() -> Text {
    Text::new(SUBJECT_HINT, SUBJECT_HINT_ZH)
}

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
        let bad =
            || bad_input!("invalid subject {text:?}", "无效的主体 {text:?}").hint(subject_hint());
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

    /// The kind of subject a catalogue entry must apply to for this one.
    pub(super) fn applies_to(&self) -> AppliesTo {
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

/// The `credit_subjects` row of a subject, if it has one.
pub(super) fn find_subject(
    conn: &Connection,
    arg: &SubjectArg,
    company_id: Option<i64>,
) -> Result<Option<i64>> {
    let in_company = || {
        company_id.ok_or_else(|| {
            super::no_company_context(text!(
                "this subject needs a company context",
                "该主体需要公司上下文"
            ))
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
            return Err(bad_input!(
                "a person needs a name or an ID number",
                "个人主体需要姓名或身份证号"
            )
            .hint(subject_hint())
            .into())
        }
    })
}

/// At most two people with this name, anywhere.
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

/// The person without ID number of this name recorded in the company.
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
    let name = name.trim();
    Err(
        bad_input!("several people are named {name:?}", "有多人名为 {name:?}")
            .hint(text!(
                "name one by ID number (person:ID-NUMBER), or name the company with --company",
                "用身份证号指明（person:身份证号），或用 --company 指明公司"
            ))
            .into(),
    )
}

/// The subject a new record in `company_id` is about, if it has been recorded before.
pub(super) fn existing_subject(
    conn: &Connection,
    arg: &SubjectArg,
    company_id: i64,
) -> Result<Option<i64>> {
    match arg {
        SubjectArg::Person {
            name: Some(name),
            id_number: None,
        } => named_in_company(conn, company_id, name),
        _ => find_subject(conn, arg, Some(company_id)),
    }
}

/// The subject of a new record: found, or created from what identifies it.
pub(super) fn subject_for_record(
    conn: &Connection,
    arg: &SubjectArg,
    company_id: i64,
) -> Result<i64> {
    let person_name_check = |subject: i64, name: &Option<String>| -> Result<()> {
        let stored: String = conn
            .prepare_cached("SELECT name FROM credit_subjects WHERE id = ?1")?
            .query_row([subject], |r| r.get(0))?;
        match name {
            Some(name) if name.trim() != stored => {
                let name = name.trim();
                Err(bad_input!(
                    "this ID number is recorded for {stored:?}, not {name:?}",
                    "该身份证号登记的姓名是 {stored:?}，不是 {name:?}"
                )
                .hint(text!(
                    "check the ID number and the name",
                    "请核对身份证号与姓名"
                ))
                .into())
            }
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
                bad_input!(
                    "no person with this ID number is recorded yet; give the name too",
                    "尚无该身份证号的个人记录；请同时给出姓名"
                )
                .hint(text!(
                    "baton credit record --person NAME --id-number N ...",
                    "baton credit record --person 姓名 --id-number 身份证号 ..."
                ))
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

/// The stored kind of a subject.
fn subject_kind(arg: &SubjectArg) -> SubjectKind {
    match arg {
        SubjectArg::Company(_) => SubjectKind::Company,
        SubjectArg::Employee(_) => SubjectKind::Employee,
        SubjectArg::Person { .. } => SubjectKind::Person,
    }
}

/// A person named by a lookup (`history`, `score`) who has no record anywhere.
pub(super) fn unknown_person() -> anyhow::Error {
    bad_input!(
        "no credit record names this person",
        "没有关于此人的信用记录"
    )
    .hint(text!(
        "see `baton credit score` for every subject",
        "用 `baton credit score` 查看全部主体"
    ))
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::credit::tests::{assert_no_scan, db};
    use proptest::prelude::*;

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
    fn subject_queries_search_indexes() {
        let (conn, ..) = db();
        for sql in [
            PERSON_BY_NAME_SQL,
            NAMED_IN_COMPANY_SQL,
            RECORDED_IN_COMPANY_SQL,
        ] {
            assert_no_scan(&conn, sql);
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
}
