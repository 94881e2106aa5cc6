//! The company-wide reads: the handover list, the ledger (台账), the overdue items and the
//! counts of `status`, the tallies of `report handovers`.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{named_params, params, Connection};
use serde::Serialize;

use super::{
    handover_from_row, item_from_row, Handover, HandoverStatus, LedgerRow, HANDOVER_COLUMNS,
    HANDOVER_FROM, ITEM_COLUMNS,
};
use crate::time;

/// Which handovers `handover list` shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<HandoverStatus>,
    pub overdue: bool,
}

fn list_sql() -> String {
    format!(
        "SELECT * FROM (SELECT {HANDOVER_COLUMNS} {HANDOVER_FROM}
                       WHERE h.company_id = :company AND (:status IS NULL OR h.status = :status))
         WHERE :overdue = 0 OR items_overdue > 0
         ORDER BY leaving_on DESC, id DESC"
    )
}

/// Handovers of a company, newest departure first.
pub fn list(
    conn: &Connection,
    company_id: i64,
    filter: &Filter,
    today: NaiveDate,
    mut each: impl FnMut(Handover) -> Result<()>,
) -> Result<()> {
    let status = if filter.overdue {
        Some(HandoverStatus::Open)
    } else {
        filter.status
    };
    let mut stmt = conn.prepare_cached(&list_sql())?;
    let mut rows = stmt.query(named_params! {
        ":company": company_id, ":status": status, ":overdue": filter.overdue, ":today": today,
    })?;
    while let Some(row) = rows.next()? {
        each(handover_from_row(row)?)?;
    }
    Ok(())
}

fn ledger_sql() -> String {
    format!(
        "SELECT e.code AS employee, e.name AS employee_name, h.leaving_on, {ITEM_COLUMNS}
         FROM handovers h JOIN employees e ON e.id = h.employee_id
         JOIN handover_items i ON i.handover_id = h.id
         LEFT JOIN employees a ON a.id = i.assignee_id
         LEFT JOIN customers c ON c.id = i.customer_id
         WHERE h.company_id = :company
           AND h.leaving_on >= coalesce(:from, '0000') AND h.leaving_on <= coalesce(:to, '9999')
         ORDER BY h.leaving_on, h.id, i.id"
    )
}

/// The ledger (台账): every item of the company's handovers whose leaving date lies in
/// `from..=to`, by leaving date.
pub fn ledger(
    conn: &Connection,
    company_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    mut each: impl FnMut(LedgerRow) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&ledger_sql())?;
    let mut rows =
        stmt.query(named_params! { ":company": company_id, ":from": from, ":to": to })?;
    while let Some(row) = rows.next()? {
        each(ledger_row(row)?)?;
    }
    Ok(())
}

fn ledger_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<LedgerRow> {
    Ok(LedgerRow {
        employee: row.get("employee")?,
        employee_name: row.get("employee_name")?,
        leaving_on: row.get("leaving_on")?,
        item: item_from_row(row)?,
    })
}

const OPEN_ITEMS_SQL: &str = "SELECT count(*) FROM handovers h
    JOIN handover_items i ON i.handover_id = h.id
    WHERE h.company_id = :company AND h.status = 'open'";

fn overdue_items_sql() -> String {
    format!(
        "SELECT e.code AS employee, e.name AS employee_name, h.leaving_on, {ITEM_COLUMNS}
         FROM handovers h JOIN employees e ON e.id = h.employee_id
         JOIN handover_items i ON i.handover_id = h.id
         LEFT JOIN employees a ON a.id = i.assignee_id
         LEFT JOIN customers c ON c.id = i.customer_id
         WHERE h.company_id = :company AND h.status = 'open'
           AND i.status = 'open' AND i.due_on < :today
         ORDER BY i.due_on, i.id"
    )
}

/// The items of the company's open handovers: how many, and those open past their due date
/// as of `today`, earliest due first.
pub fn overdue_items(
    conn: &Connection,
    company_id: i64,
    today: NaiveDate,
) -> Result<(i64, Vec<LedgerRow>)> {
    let total: i64 = conn
        .prepare_cached(OPEN_ITEMS_SQL)?
        .query_row(named_params! { ":company": company_id }, |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&overdue_items_sql())?;
    let rows = stmt.query_map(
        named_params! { ":company": company_id, ":today": today },
        ledger_row,
    )?;
    Ok((total, rows.collect::<rusqlite::Result<_>>()?))
}

const COUNTS_SQL: &str = "SELECT count(*),
        coalesce(sum((SELECT count(*) FROM handover_items i
                      WHERE i.handover_id = h.id AND i.status = 'open' AND i.due_on < ?2)), 0)
    FROM handovers h WHERE h.company_id = ?1 AND h.status = 'open'";

/// For `status`: the company's open handovers and their open items past due.
pub fn counts(conn: &Connection, company_id: i64, today: NaiveDate) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(COUNTS_SQL)?
        .query_row(params![company_id, today], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// What `report handovers` groups handovers by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportBy {
    /// The company (统一社会信用代码)
    #[default]
    Company,
    /// The month, local time (2026-03)
    Month,
}

/// `report handovers`: handovers opened and closed in a period, and the items still open
/// today of those opened in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    pub opened: i64,
    pub closed: i64,
    pub open_items: i64,
    pub overdue_items: i64,
}

/// The handovers opened or closed in `[:from, :to)` (either end open when NULL), of every
/// company or of `:company`, with their items open and past due on `:today`.
const TALLY_SQL: &str = "SELECT co.code, h.opened_at, h.closed_at,
        (SELECT count(*) FROM handover_items i WHERE i.handover_id = h.id AND i.status = 'open'),
        (SELECT count(*) FROM handover_items i
          WHERE i.handover_id = h.id AND i.status = 'open' AND i.due_on < :today)
    FROM handovers h JOIN companies co ON co.id = h.company_id
    WHERE (:company IS NULL OR h.company_id = :company)
      AND ((:from IS NULL OR h.opened_at >= :from) AND (:to IS NULL OR h.opened_at < :to)
           OR (:from IS NULL OR h.closed_at >= :from) AND (:to IS NULL OR h.closed_at < :to))";

/// Tallies the handovers of every company, or of the company `scope`, from `from`
/// (inclusive) to `to` (exclusive): opened and closed in the period (each under its month),
/// and the items open and past due `today` of those opened in it; keyed by company code or
/// month.
pub fn tallies(
    conn: &Connection,
    scope: Option<i64>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    today: NaiveDate,
    by: ReportBy,
) -> Result<BTreeMap<String, Tally>> {
    let within = |t: DateTime<Utc>| from.is_none_or(|f| t >= f) && to.is_none_or(|e| t < e);
    let key = |code: &str, t: DateTime<Utc>| match by {
        ReportBy::Company => code.to_string(),
        ReportBy::Month => time::to_local_date(t).format("%Y-%m").to_string(),
    };
    let mut stmt = conn.prepare_cached(TALLY_SQL)?;
    let mut rows = stmt.query(named_params! {
        ":company": scope, ":from": from.map(time::to_db), ":to": to.map(time::to_db),
        ":today": today,
    })?;
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let code: String = row.get(0)?;
        let opened = time::from_db(&row.get::<_, String>(1)?)?;
        if within(opened) {
            let tally = tallies.entry(key(&code, opened)).or_default();
            tally.opened += 1;
            tally.open_items += row.get::<_, i64>(3)?;
            tally.overdue_items += row.get::<_, i64>(4)?;
        }
        if let Some(closed) = row.get::<_, Option<String>>(2)? {
            let closed = time::from_db(&closed)?;
            if within(closed) {
                tallies.entry(key(&code, closed)).or_default().closed += 1;
            }
        }
    }
    Ok(tallies)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{date, request, rules, setup, stamp};
    use super::super::{get, open, ITEM_FROM};
    use super::*;

    #[test]
    fn lists_ledger_and_counts_answer_from_indexes() {
        let (conn, _) = setup();
        let show_items = format!("SELECT {ITEM_COLUMNS} {ITEM_FROM} WHERE i.handover_id = ?1");
        for sql in [
            list_sql(),
            ledger_sql(),
            COUNTS_SQL.to_string(),
            show_items,
            OPEN_ITEMS_SQL.to_string(),
            overdue_items_sql(),
        ] {
            crate::db::assert_no_scan(&conn, &sql);
        }
    }

    #[test]
    fn overdue_counts_follow_the_date() {
        let (conn, company) = setup();
        let h = open(&conn, &stamp(), company, &rules(), &request(Some("E002"))).unwrap();
        assert_eq!(counts(&conn, company, date("2026-03-17")).unwrap(), (1, 0));
        assert_eq!(counts(&conn, company, date("2026-03-18")).unwrap(), (1, 2));
        assert_eq!(
            get(&conn, h.id, date("2026-03-21")).unwrap().items_overdue,
            10,
            "all but the personnel file, due 15 days after leaving"
        );
    }
}
