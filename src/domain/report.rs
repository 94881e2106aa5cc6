//! `baton report`: the periodic statistics of complaints, handovers and credit records
//! across every company (or one), grouped by company or another key, for an agency to
//! publish or to watch its clients by.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;

use super::company::{self, CompanyRef};
use super::{complaint, credit, handover};

/// One group of `report complaints`: its key (a company code, a category, a channel or a
/// month), the company's name when the key is a company, and the group's figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ComplaintRow {
    pub group: String,
    pub name: String,
    #[serde(flatten)]
    pub summary: complaint::Summary,
}

/// One group of `report handovers`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HandoverRow {
    pub group: String,
    pub name: String,
    #[serde(flatten)]
    pub tally: handover::Tally,
}

/// One group of `report credit`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CreditRow {
    pub group: String,
    pub name: String,
    #[serde(flatten)]
    pub tally: credit::Tally,
}

/// A period: dates from `since` to `until`, inclusive, either end open.
#[derive(Debug, Clone, Copy, Default)]
pub struct Period {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Period {
    /// The period as instants: from the start of `since` to the start of the day after
    /// `until` (exclusive), local time.
    pub fn instants(self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let to = self.until.map(|d| d.succ_opt().unwrap_or(d));
        (
            self.since.map(crate::time::start_of_day),
            to.map(crate::time::start_of_day),
        )
    }
}

/// The complaints received in `period`, of every company or of `scope`, by `by`, as of `now`.
pub fn complaints(
    conn: &Connection,
    scope: Option<&CompanyRef>,
    period: Period,
    now: DateTime<Utc>,
    by: complaint::ReportBy,
) -> Result<Vec<ComplaintRow>> {
    let (from, to) = period.instants();
    let tallies = complaint::tallies(conn, scope.map(|c| c.id), from, to, now, by)?;
    let names = names(conn, by == complaint::ReportBy::Company)?;
    Ok(rows(tallies, &names, |group, name, tally| ComplaintRow {
        group,
        name,
        summary: tally.summary(),
    }))
}

/// The handovers opened or closed in `period`, of every company or of `scope`, by `by`, their
/// items counted as of `today`.
pub fn handovers(
    conn: &Connection,
    scope: Option<&CompanyRef>,
    period: Period,
    today: NaiveDate,
    by: handover::ReportBy,
) -> Result<Vec<HandoverRow>> {
    let (from, to) = period.instants();
    let tallies = handover::tallies(conn, scope.map(|c| c.id), from, to, today, by)?;
    let names = names(conn, by == handover::ReportBy::Company)?;
    Ok(rows(tallies, &names, |group, name, tally| HandoverRow {
        group,
        name,
        tally,
    }))
}

/// The credit records that occurred in `period`, of every company or of `scope`, by `by`.
pub fn credit(
    conn: &Connection,
    scope: Option<&CompanyRef>,
    period: Period,
    by: credit::ReportBy,
) -> Result<Vec<CreditRow>> {
    let tallies = credit::tallies(conn, scope.map(|c| c.id), period.since, period.until, by)?;
    let names = names(conn, by == credit::ReportBy::Company)?;
    Ok(rows(tallies, &names, |group, name, tally| CreditRow {
        group,
        name,
        tally,
    }))
}

/// The short name (else the name) of every company by code, when the groups are companies.
fn names(conn: &Connection, by_company: bool) -> Result<HashMap<String, String>> {
    if !by_company {
        return Ok(HashMap::new());
    }
    Ok(company::list(conn)?
        .into_iter()
        .map(|c| (c.code, c.short_name.unwrap_or(c.name)))
        .collect())
}

/// The rows of `tallies` in key order, each named when its key is a company's code.
fn rows<T, R>(
    tallies: BTreeMap<String, T>,
    names: &HashMap<String, String>,
    row: impl Fn(String, String, T) -> R,
) -> Vec<R> {
    tallies
        .into_iter()
        .map(|(group, tally)| {
            let name = names.get(&group).cloned().unwrap_or_default();
            row(group, name, tally)
        })
        .collect()
}
