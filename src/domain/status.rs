//! `baton status`: one row per company with what needs attention.

use anyhow::Result;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rusqlite::Connection;
use serde::Serialize;

use super::{checklist, company, complaint, credit, customer, handover, notify};
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

const ROWS: &str = "SELECT co.id, co.code, coalesce(co.short_name, co.name),
            (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status != 'left'),
            (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status = 'leaving'),
            (SELECT count(*) FROM customers c WHERE c.company_id = co.id AND c.status = 'active')
         FROM companies co ORDER BY co.code";

/// The status of every company as of `now` (`today` is its local date).
pub fn rows(
    conn: &Connection,
    config: &Config,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Vec<StatusRow>> {
    let mut stmt = conn.prepare_cached(ROWS)?;
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

/// One thing `status` asks a person to deal with, and what the command naming it needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Attention {
    /// An open handover with items past their due date.
    OverdueItems {
        handover: i64,
        employee_name: String,
        items_overdue: i64,
    },
    /// A planned notice to send within the due window, or already past its send-by date.
    Notice {
        notice: i64,
        customer_name: String,
        send_by: NaiveDate,
        late: bool,
    },
    /// An open complaint whose current stage is breached, or falls due within 24 hours.
    Complaint {
        complaint: i64,
        stage: complaint::Stage,
        due: DateTime<Utc>,
        breached: bool,
        /// Its resolve clock waits for acceptance (the rules count it from there).
        resolve_pending: bool,
    },
    /// A subject on an official list by a recorded agency decision, or on the company's own
    /// attention list (recorded in this company, or a person known by ID number, listed under
    /// the company that recorded them first).
    Credit {
        subject: String,
        subject_name: String,
        /// On an official list (else on the internal attention list only).
        official: bool,
        /// Known within the company only (commands naming it need `-c`).
        scoped: bool,
    },
    /// The latest checklist run scored high risk.
    ChecklistRisk { run: i64, score: f64 },
}

/// The attention items of one company.
#[derive(Debug, Clone)]
pub struct CompanyAttention {
    pub company: String,
    pub name: String,
    pub items: Vec<Attention>,
}

/// How long ahead a complaint clock counts as about to breach.
const COMPLAINT_HORIZON_HOURS: i64 = 24;

/// What needs attention in every company as of `now`, companies without any left out.
pub fn attention(
    conn: &Connection,
    config: &Config,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Vec<CompanyAttention>> {
    let mut listed: Vec<credit::Score> = Vec::new();
    let lists = credit::Lists {
        official: true,
        attention: true,
        ..credit::Lists::default()
    };
    credit::scores(conn, &config.credit, today, Some(lists), |s| {
        listed.push(s);
        Ok(())
    })?;
    let mut all = Vec::new();
    for company in company::list(conn)? {
        let id = company::resolve(conn, Some(&company.code))?.id;
        let mut items = Vec::new();
        let overdue = handover::Filter {
            overdue: true,
            ..handover::Filter::default()
        };
        handover::list(conn, id, &overdue, today, |h| {
            items.push(Attention::OverdueItems {
                handover: h.id,
                employee_name: h.employee_name,
                items_overdue: h.items_overdue,
            });
            Ok(())
        })?;
        let due = notify::Filter {
            due: true,
            ..notify::Filter::default()
        };
        let window = config.notify.due_window_days;
        notify::list(conn, notify::Scope::Company(id), &due, today, window, |n| {
            items.push(Attention::Notice {
                notice: n.id,
                customer_name: n.customer_name,
                send_by: n.send_by,
                late: n.late,
            });
            Ok(())
        })?;
        let open = complaint::Filter {
            open: true,
            ..complaint::Filter::default()
        };
        complaint::list(conn, id, &open, now, |c| {
            items.extend(complaint_clock(&c, now)?);
            Ok(())
        })?;
        for score in &listed {
            if credit::listed_under(conn, score, &company.code)? {
                items.push(Attention::Credit {
                    subject: score.subject.clone(),
                    subject_name: score.subject_name.clone(),
                    official: score.official,
                    scoped: score.company.is_some(),
                });
            }
        }
        if let Some(run) = checklist::history(conn, id)?.pop() {
            if let (Some(score), Some(checklist::Risk::High)) = (run.score, run.risk) {
                items.push(Attention::ChecklistRisk { run: run.id, score });
            }
        }
        if !items.is_empty() {
            all.push(CompanyAttention {
                company: company.code,
                name: company.short_name.unwrap_or(company.name),
                items,
            });
        }
    }
    Ok(all)
}

/// The clock of an open complaint's (or report's) current stage, when breached or due within
/// the horizon.
fn complaint_clock(c: &complaint::Complaint, now: DateTime<Utc>) -> Result<Option<Attention>> {
    use complaint::{ComplaintStatus, Kind, Stage};
    let handled = c.kind == Kind::Complaint
        && matches!(
            c.status,
            ComplaintStatus::Accepted | ComplaintStatus::Mediating
        );
    let (stage, due) = match c.status {
        ComplaintStatus::Received if c.kind == Kind::Report => (Stage::Check, Some(&c.accept_due)),
        ComplaintStatus::Received => (Stage::Accept, Some(&c.accept_due)),
        _ if handled && c.feedback_at.is_none() => (Stage::Feedback, c.feedback_due.as_ref()),
        _ if handled => (Stage::Resolve, c.resolve_due.at()),
        _ if c.informed_at.is_none() => (Stage::Inform, c.inform_due.as_ref()),
        _ => return Ok(None),
    };
    let Some(due) = due else {
        return Ok(None);
    };
    let due = DateTime::parse_from_rfc3339(due)?.with_timezone(&Utc);
    let breached = due < now;
    let soon = c.on_hold_since.is_none() && due <= now + TimeDelta::hours(COMPLAINT_HORIZON_HOURS);
    Ok((breached || soon).then_some(Attention::Complaint {
        complaint: c.id,
        stage,
        due,
        breached,
        resolve_pending: c.resolve_due == complaint::ResolveDue::PendingAcceptance,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use complaint::{Complaint, ComplaintStatus, Stage};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    /// A complaint received on 2026-03-01 at 10:00 (+08:00) with 24 h / 48 h / far clocks.
    fn complaint(status: ComplaintStatus) -> Complaint {
        Complaint {
            id: 7,
            status,
            accept_due: "2026-03-02T10:00:00+08:00".into(),
            feedback_due: Some("2026-03-03T10:00:00+08:00".into()),
            resolve_due: complaint::ResolveDue::At("2026-05-06T23:59:59+08:00".into()),
            ..Complaint::default()
        }
    }

    fn clock(c: &Complaint, now: &str) -> Option<(Stage, bool)> {
        match complaint_clock(c, at(now)).unwrap() {
            Some(Attention::Complaint {
                stage, breached, ..
            }) => Some((stage, breached)),
            _ => None,
        }
    }

    #[test]
    fn the_status_query_uses_indexes() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        crate::domain::customer::tests::assert_indexed(&conn, ROWS);
    }

    #[test]
    fn a_complaint_clock_needs_attention_when_breached_or_within_a_day() {
        let received = complaint(ComplaintStatus::Received);
        assert_eq!(
            clock(&received, "2026-03-01T11:00:00+08:00"),
            Some((Stage::Accept, false)),
            "accept runs out within 24 h"
        );
        assert_eq!(
            clock(&received, "2026-03-02T10:00:01+08:00"),
            Some((Stage::Accept, true))
        );
        let accepted = complaint(ComplaintStatus::Accepted);
        assert_eq!(clock(&accepted, "2026-03-01T11:00:00+08:00"), None);
        assert_eq!(
            clock(&accepted, "2026-03-02T10:00:00+08:00"),
            Some((Stage::Feedback, false))
        );
        let answered = Complaint {
            feedback_at: Some("2026-03-01T12:00:00+08:00".into()),
            ..complaint(ComplaintStatus::Mediating)
        };
        assert_eq!(clock(&answered, "2026-03-10T10:00:00+08:00"), None);
        assert_eq!(
            clock(&answered, "2026-05-06T00:00:00+08:00"),
            Some((Stage::Resolve, false))
        );
        let held = Complaint {
            on_hold_since: Some("2026-03-01T12:00:00+08:00".into()),
            ..complaint(ComplaintStatus::Accepted)
        };
        assert_eq!(
            clock(&held, "2026-03-02T10:00:00+08:00"),
            None,
            "on hold, the clock does not run out"
        );
        let resolved = Complaint {
            inform_due: Some("2026-05-12T23:59:59+08:00".into()),
            ..complaint(ComplaintStatus::Resolved)
        };
        assert_eq!(
            clock(&resolved, "2026-05-12T00:00:00+08:00"),
            Some((Stage::Inform, false)),
            "the parties are still to be told"
        );
        let told = Complaint {
            informed_at: Some("2026-05-08T10:00:00+08:00".into()),
            ..resolved
        };
        assert_eq!(clock(&told, "2026-06-01T00:00:00+08:00"), None);
    }
}
