//! `baton status`: one row per company with what needs attention.

use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rusqlite::{named_params, Connection};
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
    /// How urgently the company needs someone ([`StatusRow::weigh`]); the table's default order.
    pub risk: i64,
}

impl StatusRow {
    /// The risk of a company: what is already late weighs three (breached complaint clocks,
    /// late notices) or two (handover items past due), what is at stake one (customers at
    /// risk, notices due, employees leaving), and a high-risk self-check ten.
    fn weigh(&self) -> i64 {
        let high_risk = self
            .checklist_score
            .is_some_and(|score| checklist::Risk::of(score) == checklist::Risk::High);
        3 * (self.complaints_overdue + self.notices_late)
            + 2 * self.overdue_items
            + self.at_risk_customers
            + self.notices_due
            + self.leaving
            + if high_risk { 10 } else { 0 }
    }
}

/// How `status` orders its companies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Sort {
    /// The riskiest first: late work weighs most, then what is at stake
    #[default]
    Risk,
    /// By name
    Name,
    /// By 统一社会信用代码
    Code,
    /// The most overdue complaints first, then the most open
    Complaints,
    /// The lowest credit score first
    Credit,
}

/// Orders `rows` by `sort`, ties by code.
pub fn sort(rows: &mut [StatusRow], sort: Sort) {
    match sort {
        Sort::Risk => {
            rows.sort_by(|a, b| b.risk.cmp(&a.risk).then_with(|| a.company.cmp(&b.company)))
        }
        Sort::Name => {
            rows.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.company.cmp(&b.company)))
        }
        Sort::Code => rows.sort_by(|a, b| a.company.cmp(&b.company)),
        Sort::Complaints => rows.sort_by(|a, b| {
            (b.complaints_overdue, b.complaints_open)
                .cmp(&(a.complaints_overdue, a.complaints_open))
                .then_with(|| a.company.cmp(&b.company))
        }),
        Sort::Credit => rows.sort_by(|a, b| {
            a.credit_score
                .cmp(&b.credit_score)
                .then_with(|| a.company.cmp(&b.company))
        }),
    }
}

const ROWS: &str = "SELECT co.id, co.code, coalesce(co.short_name, co.name),
            (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status != 'left'),
            (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status = 'leaving'),
            (SELECT count(*) FROM customers c WHERE c.company_id = co.id AND c.status = 'active')
         FROM companies co WHERE :company IS NULL OR co.id = :company ORDER BY co.code";

/// The status of every company, or of the company `scope`, as of `now` (`today` is its local
/// date), by code.
pub fn rows(
    conn: &Connection,
    config: &Config,
    now: DateTime<Utc>,
    today: NaiveDate,
    scope: Option<&company::CompanyRef>,
) -> Result<Vec<StatusRow>> {
    let mut stmt = conn.prepare_cached(ROWS)?;
    let companies = stmt
        .query_map(named_params! { ":company": scope.map(|c| c.id) }, |r| {
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
            row.risk = row.weigh();
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

impl Attention {
    /// How urgent the item's kind is, most urgent first: what is already late (breached
    /// complaint clocks, late notices, handover items past due), then what is at stake, an
    /// official credit listing before the internal attention list. The items of one company
    /// with one rank form a group of the list.
    pub fn rank(&self) -> u8 {
        let stage = |stage: &complaint::Stage| match stage {
            complaint::Stage::Accept => 0,
            complaint::Stage::Check => 1,
            complaint::Stage::Feedback => 2,
            complaint::Stage::Resolve => 3,
            complaint::Stage::Inform => 4,
        };
        match self {
            Attention::Complaint {
                stage: s,
                breached: true,
                ..
            } => stage(s),
            Attention::Notice { late: true, .. } => 5,
            Attention::OverdueItems { .. } => 6,
            Attention::Credit { official: true, .. } => 7,
            Attention::ChecklistRisk { .. } => 8,
            Attention::Credit { .. } => 9,
            Attention::Complaint { stage: s, .. } => 10 + stage(s),
            Attention::Notice { .. } => 15,
        }
    }
}

/// The attention items of one company, in groups of one rank ([`Attention::rank`]), the
/// most urgent group first.
#[derive(Debug, Clone)]
pub struct CompanyAttention {
    pub company: String,
    pub name: String,
    pub groups: Vec<Vec<Attention>>,
}

impl CompanyAttention {
    /// How many items in every group.
    pub fn items(&self) -> usize {
        self.groups.iter().map(Vec::len).sum()
    }
}

/// How long ahead a complaint clock counts as about to breach.
const COMPLAINT_HORIZON_HOURS: i64 = 24;

/// What needs attention in every company, or in the company `scope`, as of `now`, by code;
/// companies without any left out.
pub fn attention(
    conn: &Connection,
    config: &Config,
    now: DateTime<Utc>,
    today: NaiveDate,
    scope: Option<&company::CompanyRef>,
) -> Result<Vec<CompanyAttention>> {
    let lists = credit::Lists {
        official: true,
        attention: true,
        ..credit::Lists::default()
    };
    let mut credit: Vec<(String, Attention)> = Vec::new();
    credit::scores(conn, &config.credit, today, Some(lists), |s| {
        if let Some(code) = credit::listed_company(conn, &s)? {
            credit.push((
                code,
                Attention::Credit {
                    scoped: s.company.is_some(),
                    official: s.official,
                    subject: s.subject,
                    subject_name: s.subject_name,
                },
            ));
        }
        Ok(())
    })?;
    let mut complaints: HashMap<i64, Vec<Attention>> = HashMap::new();
    complaint::open_clocks(conn, scope.map(|c| c.id), |clock| {
        if let Some(item) = complaint_clock(&clock, now) {
            complaints.entry(clock.company_id).or_default().push(item);
        }
        Ok(())
    })?;
    let mut all = Vec::new();
    for company in company::list(conn)? {
        if scope.is_some_and(|s| s.code != company.code) {
            continue;
        }
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
        items.extend(complaints.remove(&id).unwrap_or_default());
        items.extend(
            credit
                .iter()
                .filter(|(code, _)| *code == company.code)
                .map(|(_, item)| item.clone()),
        );
        if let Some(run) = checklist::history(conn, id)?.pop() {
            if let (Some(score), Some(checklist::Risk::High)) = (run.score, run.risk) {
                items.push(Attention::ChecklistRisk { run: run.id, score });
            }
        }
        if !items.is_empty() {
            all.push(CompanyAttention {
                company: company.code,
                name: company.short_name.unwrap_or(company.name),
                groups: grouped(items),
            });
        }
    }
    Ok(all)
}

/// `items` in groups of one rank, the most urgent first, each in its order of arrival.
fn grouped(mut items: Vec<Attention>) -> Vec<Vec<Attention>> {
    items.sort_by_key(Attention::rank);
    let mut groups: Vec<Vec<Attention>> = Vec::new();
    for item in items {
        match groups.last_mut() {
            Some(group) if group[0].rank() == item.rank() => group.push(item),
            _ => groups.push(vec![item]),
        }
    }
    groups
}

/// An open complaint's current clock, when breached or due within the horizon (a clock on
/// hold does not run out).
fn complaint_clock(clock: &complaint::OpenClock, now: DateTime<Utc>) -> Option<Attention> {
    let breached = clock.due < now;
    let soon = !clock.on_hold && clock.due <= now + TimeDelta::hours(COMPLAINT_HORIZON_HOURS);
    (breached || soon).then_some(Attention::Complaint {
        complaint: clock.complaint,
        stage: clock.stage,
        due: clock.due,
        breached,
        resolve_pending: clock.resolve_pending,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use complaint::Stage;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    /// An open complaint's clock of `stage`, due at `due`.
    fn open(stage: Stage, due: &str, on_hold: bool) -> complaint::OpenClock {
        complaint::OpenClock {
            company_id: 1,
            complaint: 7,
            stage,
            due: at(due),
            on_hold,
            resolve_pending: false,
        }
    }

    fn clock(c: &complaint::OpenClock, now: &str) -> Option<bool> {
        match complaint_clock(c, at(now)) {
            Some(Attention::Complaint { breached, .. }) => Some(breached),
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
    fn attention_groups_by_rank_the_late_first() {
        let notice = |notice, late| Attention::Notice {
            notice,
            customer_name: String::new(),
            send_by: NaiveDate::default(),
            late,
        };
        let breached = Attention::Complaint {
            complaint: 1,
            stage: Stage::Resolve,
            due: at("2026-03-01T00:00:00Z"),
            breached: true,
            resolve_pending: false,
        };
        let groups = grouped(vec![
            notice(1, false),
            notice(2, true),
            breached.clone(),
            notice(3, true),
        ]);
        assert_eq!(
            groups,
            vec![
                vec![breached],
                vec![notice(2, true), notice(3, true)],
                vec![notice(1, false)]
            ]
        );
    }

    #[test]
    fn a_complaint_clock_needs_attention_when_breached_or_within_a_day() {
        let accept = open(Stage::Accept, "2026-03-02T10:00:00+08:00", false);
        assert_eq!(clock(&accept, "2026-03-01T09:59:59+08:00"), None);
        assert_eq!(
            clock(&accept, "2026-03-01T11:00:00+08:00"),
            Some(false),
            "runs out within 24 h"
        );
        assert_eq!(clock(&accept, "2026-03-02T10:00:01+08:00"), Some(true));
        let held = open(Stage::Feedback, "2026-03-03T10:00:00+08:00", true);
        assert_eq!(
            clock(&held, "2026-03-02T10:00:00+08:00"),
            None,
            "on hold, the clock does not run out"
        );
        assert_eq!(clock(&held, "2026-03-03T10:00:01+08:00"), Some(true));
    }
}
