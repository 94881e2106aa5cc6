//! What an ended mediation leaves on file (art. 22): the values of its 调解书 or 调解记录, for
//! `document::mediation` to print. A report has no mediation, and the record carries no
//! reporter: the paper goes to the company complained about (art. 33).

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::clock::local_day;
use super::{get, required_instant, shown, Category, ComplainantKind, Kind, Outcome, Paper};
use crate::{refused, text};

/// One mediation session of the trail (`complaint mediate`).
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub at: String,
    pub note: Option<String>,
}

/// The parties, the complaint, the sessions and the outcome of a resolved complaint.
#[derive(Debug, Clone, Serialize)]
pub struct MediationPaper {
    pub complaint: i64,
    pub paper: Paper,
    /// The company complained about (被投诉人), by its code (USCC) and name.
    pub company: String,
    pub company_name: String,
    /// The complainant (投诉人): the customer's code and name, or the person who complained.
    pub customer: Option<String>,
    pub complainant: String,
    pub complainant_kind: ComplainantKind,
    pub summary: String,
    pub category: Category,
    pub received_at: String,
    pub accepted_at: Option<String>,
    pub sessions: Vec<Session>,
    pub outcome: Outcome,
    pub terms: String,
    pub resolved_at: String,
    /// The date of the paper: the local day mediation ended.
    #[serde(skip)]
    pub resolved_on: NaiveDate,
}

/// The paper of complaint `id`; refused for a report or a complaint not resolved yet.
pub fn paper(conn: &Connection, id: i64) -> Result<MediationPaper> {
    let c = get(conn, id)?;
    if c.kind == Kind::Report {
        return Err(refused!(
            "{id} is a report: a report has no mediation, hence no 调解书 or 调解记录",
            "{id} 是举报：举报不经调解，没有调解书或调解记录"
        )
        .into());
    }
    let (Some(paper), Some(outcome), Some(terms), Some(resolved)) =
        (c.paper, c.outcome, c.terms.clone(), c.resolved_at)
    else {
        let status = c.status;
        return Err(refused!(
            "complaint {id} is {status}: its mediation paper exists once it is resolved",
            "投诉 {id} 当前为{status}：办结后才有调解文书"
        )
        .hint(text!(
            "baton complaint resolve {id} --outcome agreement --paper document --terms TEXT",
            "baton complaint resolve {id} --outcome agreement --paper 调解书 --terms 协议内容"
        ))
        .into());
    };
    let (company, company_name, customer_name): (String, String, Option<String>) = conn
        .prepare_cached(
            "SELECT co.code, co.name, cu.name FROM complaints c
             JOIN companies co ON co.id = c.company_id
             LEFT JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let sessions = conn
        .prepare_cached(
            "SELECT at, note FROM complaint_events
             WHERE complaint_id = ?1 AND action = 'mediate' ORDER BY at, id",
        )?
        .query_map([id], |r| {
            Ok(Session {
                at: required_instant(r, "at").map(shown)?,
                note: r.get("note")?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(MediationPaper {
        complaint: id,
        paper,
        company,
        company_name,
        customer: c.customer.clone(),
        complainant: customer_name
            .or_else(|| c.complainant.clone())
            .unwrap_or_default(),
        complainant_kind: c.complainant_kind,
        summary: c.summary.clone(),
        category: c.category,
        received_at: shown(c.received_at),
        accepted_at: c.accepted_at.map(shown),
        sessions,
        outcome,
        terms,
        resolved_at: shown(resolved),
        resolved_on: local_day(resolved),
    })
}
