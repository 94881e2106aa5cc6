//! `baton status`: one row per company with what needs attention.

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;

use super::{checklist, complaint, credit, customer, handover, notify};
use crate::config::Config;

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
    pub complaints_open: i64,
    pub complaints_overdue: i64,
    /// The score of the company's latest checklist run.
    pub checklist_score: Option<f64>,
    /// The company's own credit score today.
    pub credit_score: i64,
}

/// The status of every company as of `now` (`today` is its local date).
pub fn rows(
    conn: &Connection,
    config: &Config,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Vec<StatusRow>> {
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
            let window = config.notify.due_window_days;
            (row.notices_due, row.notices_late) = notify::counts(conn, id, today, window)?;
            (row.complaints_open, row.complaints_overdue) = complaint::count_open(conn, id, now)?;
            row.checklist_score = checklist::latest_score(conn, id)?;
            row.credit_score = credit::company_score(conn, &config.credit, id, today)?;
            Ok(row)
        })
        .collect()
}
