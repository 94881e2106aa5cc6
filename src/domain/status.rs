//! `baton status`: one row per company with what needs attention.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::{customer, handover, notify};

#[derive(Debug, Clone, Default, Serialize)]
pub struct StatusRow {
    pub company: String,
    pub name: String,
    pub employees: i64,
    pub leaving: i64,
    pub customers: i64,
    pub at_risk_customers: i64,
    pub open_handovers: i64,
    pub overdue_items: i64,
    pub notices_due: i64,
    pub notices_late: i64,
}

/// The status as of `today` (the local date); notices are due within `due_window_days`.
pub fn rows(conn: &Connection, today: NaiveDate, due_window_days: u32) -> Result<Vec<StatusRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT co.id, co.code, coalesce(co.short_name, co.name),
            (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status != 'left'),
            (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status = 'leaving'),
            (SELECT count(*) FROM customers c WHERE c.company_id = co.id AND c.status = 'active')
         FROM companies co ORDER BY co.code",
    )?;
    let companies = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                StatusRow {
                    company: r.get(1)?,
                    name: r.get(2)?,
                    employees: r.get(3)?,
                    leaving: r.get(4)?,
                    customers: r.get(5)?,
                    ..StatusRow::default()
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    companies
        .into_iter()
        .map(|(id, mut row)| {
            row.at_risk_customers = customer::count_at_risk(conn, id)?;
            (row.open_handovers, row.overdue_items) = handover::counts(conn, id, today)?;
            (row.notices_due, row.notices_late) = notify::counts(conn, id, today, due_window_days)?;
            Ok(row)
        })
        .collect()
}
