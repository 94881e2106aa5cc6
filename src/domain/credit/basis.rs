//! One person across companies. A person recorded with an ID number is one subject, but the
//! records a company keeps about them are that company's personal information: matching them
//! with another company's is sharing between controllers, which needs a legal basis or the
//! person's separate consent (个人信息保护法 arts. 13, 23). So a company records its basis
//! (`credit basis`), and a person's records are matched only across the companies that have
//! one; without it each company sees its own records, and is told what was left apart.

use anyhow::{Context as _, Result};
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::subject::{find_subject, unknown_person};
use super::SubjectArg;
use crate::audit::{self, Stamp};
use crate::{bad_input, ids, text, text_enum, time};

text_enum! { "legal basis" / "合法性基础":
    /// Why a company may match its records of a person with other companies' records.
    pub enum Basis {
        Consent = "consent" / "个人单独同意",
        LegalDuty = "legal-duty" / "履行法定义务所必需",
        Contract = "contract" / "订立、履行合同所必需",
    }
}

/// A recorded basis, as `credit basis` shows it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BasisRow {
    pub subject: String,
    pub subject_name: String,
    pub id_number: String,
    pub company: String,
    pub basis: Basis,
    pub note: Option<String>,
}

/// Records (or replaces) the basis on which `company_id` matches its records of the person
/// named by ID number with other companies' records.
pub fn record_basis(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    arg: &SubjectArg,
    basis: Basis,
    note: Option<&str>,
) -> Result<BasisRow> {
    let SubjectArg::Person {
        id_number: Some(id_number),
        ..
    } = arg
    else {
        return Err(bad_input!(
            "a legal basis is recorded for a person named by ID number",
            "合法性基础只针对以身份证号指明的个人"
        )
        .hint(text!(
            "write the subject as person:ID-NUMBER",
            "主体写作 person:身份证号"
        ))
        .into());
    };
    let subject = find_subject(conn, arg, Some(company_id))?.ok_or_else(unknown_person)?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    conn.prepare_cached(
        "INSERT INTO credit_bases (subject_id, company_id, basis, note, recorded_at, actor)
         VALUES (:subject, :company, :basis, :note, :at, :actor)
         ON CONFLICT (subject_id, company_id) DO UPDATE
         SET basis = excluded.basis, note = excluded.note, recorded_at = excluded.recorded_at,
             actor = excluded.actor",
    )?
    .execute(named_params! {
        ":subject": subject, ":company": company_id, ":basis": basis, ":note": note,
        ":at": time::to_db(stamp.at), ":actor": stamp.actor,
    })
    .context("cannot record the legal basis")?;
    let (name, company): (String, String) = conn
        .prepare_cached(
            "SELECT s.name, c.code FROM credit_subjects s, companies c
             WHERE s.id = ?1 AND c.id = ?2",
        )?
        .query_row(params![subject, company_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let row = BasisRow {
        subject: format!("person:{name}"),
        subject_name: name,
        id_number: id_number.clone(),
        company,
        basis,
        note: note.map(String::from),
    };
    audit::record(
        conn,
        stamp,
        "credit.basis",
        "credit_subject",
        Some(&subject.to_string()),
        &json!({ "company": row.company, "basis": basis, "note": note,
                 "id_number": ids::mask_id_number(id_number) }),
    )?;
    Ok(row)
}

/// Which companies' records of a subject are seen together from a company context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every company's (a subject that is one company's, or a person recorded by one).
    All,
    /// One company's alone.
    Only(i64),
    /// Those of the companies with a basis.
    Based,
}

/// The companies whose records of a subject are seen together from a company context, and
/// those left apart for want of a basis.
#[derive(Debug, Clone)]
pub(super) struct View {
    scope: Scope,
    /// The company a person's view is confined to for want of a basis.
    pub apart: Option<i64>,
    /// The companies (by code) whose records are not matched.
    pub unmatched: Vec<String>,
}

/// The companies that recorded events of a subject.
const RECORDED_SQL: &str = "SELECT c.id, c.code FROM companies c
    WHERE c.id IN (SELECT company_id FROM credit_events WHERE subject_id = ?1)
    ORDER BY c.id";

/// The companies with a basis for a subject.
const BASED_SQL: &str = "SELECT company_id FROM credit_bases WHERE subject_id = ?1";

/// The events `ev` in a view, with the view's named parameters (see [`View::params`]).
pub(super) const IN_VIEW: &str = "(:all OR ev.company_id = :only
    OR (:based AND EXISTS (SELECT 1 FROM credit_bases b
                           WHERE b.subject_id = ev.subject_id AND b.company_id = ev.company_id)))";

impl View {
    /// The view of `subject` from `context`: a subject without ID number is its company's
    /// alone, so all of it; a person by ID number, seen from a company with a basis, across
    /// every company with one, and from any other company, in that company only. Without a
    /// context: the one company that recorded them, or every company with a basis.
    pub(super) fn of(conn: &Connection, subject: i64, context: Option<i64>) -> Result<View> {
        let id_number: Option<String> = conn
            .prepare_cached("SELECT id_number FROM credit_subjects WHERE id = ?1")?
            .query_row([subject], |r| r.get(0))
            .optional()?
            .flatten();
        let recorded: Vec<(i64, String)> = conn
            .prepare_cached(RECORDED_SQL)?
            .query_map([subject], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let based: Vec<i64> = conn
            .prepare_cached(BASED_SQL)?
            .query_map([subject], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let scope = match (id_number.is_some(), context) {
            (false, _) => Scope::All,
            (true, None) if recorded.len() <= 1 => Scope::All,
            (true, Some(context)) if based.contains(&context) => Scope::Based,
            (true, Some(context)) => Scope::Only(context),
            (true, None) if recorded.iter().any(|(id, _)| based.contains(id)) => Scope::Based,
            (true, None) => {
                let count = recorded.len();
                return Err(bad_input!(
                    "{count} companies recorded this person and none has a legal basis to match the records",
                    "{count} 家公司记录了此人，均无将记录相互匹配的合法性基础"
                )
                .hint(text!(
                    "name the company with --company, or record a basis: baton credit basis person:ID-NUMBER --basis consent|legal-duty|contract -c CODE",
                    "用 --company 指明公司，或登记合法性基础：baton credit basis person:身份证号 --basis consent|legal-duty|contract -c 代码"
                ))
                .into());
            }
        };
        let in_view = |company: i64| match scope {
            Scope::All => true,
            Scope::Only(only) => company == only,
            Scope::Based => based.contains(&company),
        };
        let apart = match (id_number.is_some(), scope, recorded.as_slice()) {
            (true, Scope::Only(only), _) => Some(only),
            (true, Scope::All, [(only, _)]) if !based.contains(only) => Some(*only),
            _ => None,
        };
        let unmatched = recorded
            .into_iter()
            .filter(|(id, _)| !in_view(*id))
            .map(|(_, code)| code)
            .collect();
        Ok(View {
            scope,
            apart,
            unmatched,
        })
    }

    /// The values of `:all`, `:only` and `:based` in [`IN_VIEW`].
    pub(super) fn params(&self) -> (bool, Option<i64>, bool) {
        match self.scope {
            Scope::All => (true, None, false),
            Scope::Only(only) => (false, Some(only), false),
            Scope::Based => (false, None, true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::credit::tests::{assert_no_scan, db};

    #[test]
    fn basis_queries_search_indexes() {
        let (conn, ..) = db();
        for sql in [RECORDED_SQL, BASED_SQL] {
            assert_no_scan(&conn, sql);
        }
        let events =
            format!("SELECT ev.id FROM credit_events ev WHERE ev.subject_id = 1 AND {IN_VIEW}");
        assert_no_scan(&conn, &events);
    }
}
