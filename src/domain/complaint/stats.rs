//! The statistics of the complaints received in a period: counts, met rates and median
//! times by the stage rules of [`super::clock`], split by the complainant's kind (a consumer's
//! complaint is one in the rules' sense, art. 3; others are handled by reference, art. 38),
//! reports counted apart; and the breaches a checklist probe reports.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{named_params, Connection};
use serde::Serialize;

use super::clock::hours;
use super::{
    from_row, Category, ComplainantKind, Complaint, ComplaintStatus, Kind, Outcome, Stage,
    Standing, Stored,
};
use super::{COLUMNS, FROM};
use crate::time;

/// `complaint stats`: counts, met rates and median times of the complaints received in a
/// period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    #[serde(flatten)]
    pub summary: Summary,
    pub median_resolve_hours: Option<f64>,
    pub linked_to_handover: i64,
    pub by_category: Vec<CategoryCount>,
    pub by_outcome: Vec<OutcomeCount>,
    pub by_complainant_kind: Vec<ComplainantCount>,
}

/// How many complaints of a complainant kind, and how many of them were rejected.
#[derive(Debug, Clone, Serialize)]
pub struct ComplainantCount {
    pub complainant_kind: ComplainantKind,
    pub count: i64,
    pub rejected: i64,
}

/// How many complaints of a category.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryCount {
    pub category: Category,
    pub count: i64,
}

/// How many complaints ended with an outcome.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeCount {
    pub outcome: Outcome,
    pub count: i64,
}

/// The company's complaints received in `[:from, :to)` (either end open when NULL).
pub(super) fn stats_sql() -> String {
    format!(
        "SELECT {COLUMNS} {FROM} WHERE c.company_id = :company
           AND (:from IS NULL OR c.received_at >= :from) AND (:to IS NULL OR c.received_at < :to)"
    )
}

/// Stats of the company's complaints received from `from` (inclusive) to `to` (exclusive),
/// as of `now`, by the rules of [`Tally`]; reports are only counted.
pub fn stats(
    conn: &Connection,
    company_id: i64,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Stats> {
    let mut stmt = conn.prepare_cached(&stats_sql())?;
    let complaints = stmt
        .query_map(
            named_params! {
                ":company": company_id, ":from": from.map(time::to_db), ":to": to.map(time::to_db),
            },
            from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stats = Stats {
        by_category: Category::ALL
            .iter()
            .map(|&category| CategoryCount { category, count: 0 })
            .collect(),
        by_outcome: Outcome::ALL
            .iter()
            .map(|&outcome| OutcomeCount { outcome, count: 0 })
            .collect(),
        by_complainant_kind: ComplainantKind::ALL
            .iter()
            .map(|&complainant_kind| ComplainantCount {
                complainant_kind,
                count: 0,
                rejected: 0,
            })
            .collect(),
        ..Stats::default()
    };
    let mut tally = Tally::default();
    for c in &complaints {
        tally.add(c, now);
        if c.kind == Kind::Report {
            continue;
        }
        for counted in stats
            .by_complainant_kind
            .iter_mut()
            .filter(|n| n.complainant_kind == c.complainant_kind)
        {
            counted.count += 1;
            counted.rejected += i64::from(c.status == ComplaintStatus::Rejected);
        }
        stats.linked_to_handover += i64::from(c.handover.is_some());
        for counted in stats
            .by_category
            .iter_mut()
            .filter(|n| n.category == c.category)
        {
            counted.count += 1;
        }
        for counted in stats
            .by_outcome
            .iter_mut()
            .filter(|n| Some(n.outcome) == c.outcome)
        {
            counted.count += 1;
        }
    }
    stats.summary = tally.summary();
    stats.median_resolve_hours = tally.median_hours(2);
    Ok(stats)
}

/// Counts, met rates and median times of complaints added one at a time, reports only
/// counted. A met rate counts met stages against met and breached ones: stages still open and
/// not yet due (or not started), and stages a rejection made moot, are left out. Median times
/// run from receipt to the stage's action, time on hold included.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    total: i64,
    open: i64,
    resolved: i64,
    rejected: i64,
    reports: i64,
    met: [u32; STAGES.len()],
    judged: [u32; STAGES.len()],
    seconds: [Vec<i64>; 3],
}

/// What a [`Tally`] comes to: the hour clocks' medians in hours, the resolve clock's (a
/// working-day clock) in days.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub total: i64,
    pub open: i64,
    pub resolved: i64,
    pub rejected: i64,
    pub accept_met_rate: Option<f64>,
    pub feedback_met_rate: Option<f64>,
    pub resolve_met_rate: Option<f64>,
    pub inform_met_rate: Option<f64>,
    pub median_accept_hours: Option<f64>,
    pub median_feedback_hours: Option<f64>,
    pub median_resolve_days: Option<f64>,
    /// Reports (举报) received; the other figures are of complaints.
    pub reports: i64,
}

impl Tally {
    fn add(&mut self, c: &Stored, now: DateTime<Utc>) {
        if c.kind == Kind::Report {
            self.reports += 1;
            return;
        }
        self.total += 1;
        match c.status {
            ComplaintStatus::Resolved => self.resolved += 1,
            ComplaintStatus::Rejected => self.rejected += 1,
            _ => self.open += 1,
        }
        for (i, &stage) in STAGES.iter().enumerate() {
            match c.standing(stage, now).0 {
                Standing::Met => {
                    (self.met[i], self.judged[i]) = (self.met[i] + 1, self.judged[i] + 1)
                }
                Standing::Breached => self.judged[i] += 1,
                _ => {}
            }
            if let (Some(seconds), Some(done)) = (self.seconds.get_mut(i), c.done(stage)) {
                seconds.push((done - c.received_at).num_seconds());
            }
        }
    }

    /// The median time of stage `i` (of [`STAGES`]) in hours.
    fn median_hours(&self, i: usize) -> Option<f64> {
        median(&mut self.seconds[i].clone()).map(|s| hours(TimeDelta::seconds(s)))
    }

    pub fn summary(&self) -> Summary {
        let rate = |i: usize| {
            (self.judged[i] > 0).then(|| {
                (f64::from(self.met[i]) / f64::from(self.judged[i]) * 1000.0).round() / 1000.0
            })
        };
        Summary {
            total: self.total,
            open: self.open,
            resolved: self.resolved,
            rejected: self.rejected,
            accept_met_rate: rate(0),
            feedback_met_rate: rate(1),
            resolve_met_rate: rate(2),
            inform_met_rate: rate(3),
            median_accept_hours: self.median_hours(0),
            median_feedback_hours: self.median_hours(1),
            median_resolve_days: self.median_hours(2).map(|h| (h / 2.4).round() / 10.0),
            reports: self.reports,
        }
    }
}

/// What `report complaints` groups complaints by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportBy {
    /// The company (统一社会信用代码)
    #[default]
    Company,
    /// The category (service-gap, commitment, …)
    Category,
    /// The channel it came in by (phone, online, …)
    Channel,
    /// Who complains: a consumer, a business, other
    ComplainantKind,
    /// The month received, local time (2026-03)
    Month,
}

/// The complaints received in `[from, to)` (either end open), of every company or of the
/// company `scope`.
const TALLY_SQL: &str = "JOIN companies co ON co.id = c.company_id
    WHERE (:company IS NULL OR c.company_id = :company)
      AND (:from IS NULL OR c.received_at >= :from) AND (:to IS NULL OR c.received_at < :to)";

/// Tallies the complaints received from `from` (inclusive) to `to` (exclusive) as of `now`,
/// of every company or of the company `scope`, keyed by `by`'s value: a company code, a
/// category, channel or complainant kind in its stable English form, a month.
pub fn tallies(
    conn: &Connection,
    scope: Option<i64>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    by: ReportBy,
) -> Result<BTreeMap<String, Tally>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, co.code AS company_code {FROM} {TALLY_SQL}"
    ))?;
    let mut rows = stmt.query(named_params! {
        ":company": scope, ":from": from.map(time::to_db), ":to": to.map(time::to_db),
    })?;
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let c = from_row(row)?;
        let key = match by {
            ReportBy::Company => row.get("company_code")?,
            ReportBy::Category => c.category.as_str().to_string(),
            ReportBy::Channel => c.channel.as_str().to_string(),
            ReportBy::ComplainantKind => c.complainant_kind.as_str().to_string(),
            ReportBy::Month => time::to_local_date(c.received_at)
                .format("%Y-%m")
                .to_string(),
        };
        tallies.entry(key).or_default().add(&c, now);
    }
    Ok(tallies)
}

/// The stages of a complaint, in the order of the rates and the median times.
const STAGES: [Stage; 4] = [
    Stage::Accept,
    Stage::Feedback,
    Stage::Resolve,
    Stage::Inform,
];

/// A complaint with the stages whose clock was breached (late, or outstanding past due).
#[derive(Debug, Clone)]
pub struct Breach {
    pub complaint: Complaint,
    pub stages: Vec<Stage>,
}

/// The company's complaints received from `from` on: how many, and those with a clock
/// breached as of `now`, by the stage rules of `show` and `stats`.
pub fn breached_since(
    conn: &Connection,
    company_id: i64,
    from: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(i64, Vec<Breach>)> {
    let mut stmt = conn.prepare_cached(&stats_sql())?;
    let rows = stmt.query_map(
        named_params! {
            ":company": company_id, ":from": time::to_db(from), ":to": None::<String>,
        },
        from_row,
    )?;
    let (mut total, mut breaches) = (0, Vec::new());
    for c in rows {
        let c = c?;
        total += 1;
        let stages: Vec<Stage> = c
            .stages()
            .iter()
            .copied()
            .filter(|&s| c.standing(s, now).0 == Standing::Breached)
            .collect();
        if !stages.is_empty() {
            breaches.push(Breach {
                complaint: c.to_row(now),
                stages,
            });
        }
    }
    Ok((total, breaches))
}

/// The median (the mean of the middle two for an even count), None for no values.
fn median(values: &mut [i64]) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_no_scan, db};
    use super::*;

    #[test]
    fn the_stats_query_uses_indexes() {
        assert_no_scan(&db(), &stats_sql());
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [30, 1, 2]), Some(2));
        assert_eq!(median(&mut [72, 24]), Some(48));
    }
}
