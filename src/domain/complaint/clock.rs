//! The service-level clocks of a complaint: three deadlines fixed at filing from config
//! `[sla]` and the working-day calendar, moved later by the time on hold, and where each
//! stage stands against its deadline.

use anyhow::Result;
use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{named_params, Connection};
use serde::Serialize;

use super::{shown, ComplaintStatus, Stored};
use crate::config::Sla;
use crate::error::Failure;
use crate::text_enum;
use crate::time::{self, Calendar};

text_enum! { "stage" / "环节":
    /// The three clocks of a complaint.
    pub enum Stage {
        Accept = "accept" / "受理",
        Feedback = "feedback" / "反馈",
        Resolve = "resolve" / "办结",
    }
}

text_enum! { "stage result" / "时限结果":
    /// Where a stage stands against its deadline.
    pub enum Standing {
        /// Its action happened by the deadline.
        Met = "met" / "达标",
        /// Its action happened late, or is still outstanding after the deadline.
        Breached = "breached" / "超时",
        /// Outstanding, deadline still ahead.
        Pending = "pending" / "未到期",
        /// Closed without it: a rejected complaint needs no feedback nor resolution.
        NotApplicable = "n/a" / "不适用",
    }
}

/// The clocks a new complaint gets.
#[derive(Debug, Clone, Copy)]
pub struct Clocks<'a> {
    pub sla: &'a Sla,
    pub calendar: &'a Calendar,
}

impl Clocks<'_> {
    /// The deadlines of accepting, feedback and resolving a complaint received at `received`;
    /// a bad-input error when one falls after the year 9999.
    pub(super) fn deadlines(&self, received: DateTime<Utc>) -> Result<[DateTime<Utc>; 3], Failure> {
        let due = |days| self.calendar.deadline(received, days);
        Ok([
            due(self.sla.accept)?,
            due(self.sla.feedback)?,
            due(self.sla.resolve)?,
        ])
    }
}

/// One clock: met or breached, and by how many hours (to spare, late, or left).
#[derive(Debug, Clone, Serialize)]
pub struct StageReport {
    pub stage: Stage,
    pub due: String,
    pub done_at: Option<String>,
    pub result: Standing,
    pub by_hours: Option<f64>,
}

/// An open complaint with a stage past its deadline (`:now` in the storage form). The clocks
/// of a complaint on hold stopped when it went on hold. Kept equal to `Stored::overdue`.
pub(super) const OVERDUE: &str = "c.status IN ('received', 'accepted', 'mediating') AND (
       (c.accepted_at IS NULL AND c.accept_due < coalesce(c.on_hold_since, :now))
    OR (c.feedback_at IS NULL AND c.feedback_due < coalesce(c.on_hold_since, :now))
    OR c.resolve_due < coalesce(c.on_hold_since, :now))";

/// The clock an open complaint runs on now: its current stage's deadline.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenClock {
    pub company_id: i64,
    pub complaint: i64,
    pub stage: Stage,
    pub due: DateTime<Utc>,
    pub on_hold: bool,
}

/// The open complaints of every company, or of `:company` (from the index), with what
/// decides their current stage, by company and id.
fn open_clocks_sql(scoped: bool) -> String {
    let company = if scoped {
        "c.company_id = :company"
    } else {
        ":company IS NULL"
    };
    format!(
        "SELECT c.company_id, c.id, c.status, c.accept_due, c.feedback_due, c.resolve_due,
                c.feedback_at IS NOT NULL, c.on_hold_since IS NOT NULL
         FROM complaints c
         WHERE {company} AND c.status IN ('received', 'accepted', 'mediating')
         ORDER BY c.company_id, c.id"
    )
}

/// The current clock of every open complaint of every company, or of the company `scope`:
/// accept while received, then feedback until the first one, then resolve.
pub fn open_clocks(
    conn: &Connection,
    scope: Option<i64>,
    mut each: impl FnMut(OpenClock) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&open_clocks_sql(scope.is_some()))?;
    let mut rows = stmt.query(named_params! { ":company": scope })?;
    while let Some(row) = rows.next()? {
        let status: ComplaintStatus = row.get(2)?;
        let answered: bool = row.get(6)?;
        let (stage, due) = match status {
            ComplaintStatus::Received => (Stage::Accept, 3),
            _ if !answered => (Stage::Feedback, 4),
            _ => (Stage::Resolve, 5),
        };
        each(OpenClock {
            company_id: row.get(0)?,
            complaint: row.get(1)?,
            stage,
            due: time::from_db(&row.get::<_, String>(due)?)?,
            on_hold: row.get(7)?,
        })?;
    }
    Ok(())
}

/// A duration in hours, to one decimal.
pub(super) fn hours(delta: TimeDelta) -> f64 {
    (delta.num_seconds() as f64 / 360.0).round() / 10.0
}

impl Stored {
    /// The stage's deadline.
    fn due(&self, stage: Stage) -> DateTime<Utc> {
        match stage {
            Stage::Accept => self.accept_due,
            Stage::Feedback => self.feedback_due,
            Stage::Resolve => self.resolve_due,
        }
    }

    /// When the stage's action happened: accepting or rejecting; the first feedback (or the
    /// resolution, which answers the complainant too); the resolution.
    pub(super) fn done(&self, stage: Stage) -> Option<DateTime<Utc>> {
        match stage {
            Stage::Accept => self.accepted_at.or(self.rejected_at),
            Stage::Feedback => self.feedback_at.or(self.resolved_at),
            Stage::Resolve => self.resolved_at,
        }
    }

    /// The stage's standing at `now`, and the time to spare, late, or left.
    pub(super) fn standing(
        &self,
        stage: Stage,
        now: DateTime<Utc>,
    ) -> (Standing, Option<TimeDelta>) {
        let due = self.due(stage);
        match self.done(stage) {
            Some(t) if t <= due => (Standing::Met, Some(due - t)),
            Some(t) => (Standing::Breached, Some(t - due)),
            None if !self.is_open() => (Standing::NotApplicable, None),
            None => {
                let clock = self.on_hold_since.unwrap_or(now);
                if clock > due {
                    (Standing::Breached, Some(clock - due))
                } else {
                    (Standing::Pending, Some(due - clock))
                }
            }
        }
    }

    /// The stages breached and still outstanding.
    pub(super) fn overdue(&self, now: DateTime<Utc>) -> Vec<Stage> {
        Stage::ALL
            .iter()
            .copied()
            .filter(|&s| self.done(s).is_none() && self.standing(s, now).0 == Standing::Breached)
            .collect()
    }

    /// Each clock at `now`, for `show`.
    pub(super) fn stage_reports(&self, now: DateTime<Utc>) -> Vec<StageReport> {
        Stage::ALL
            .iter()
            .map(|&stage| {
                let (result, by) = self.standing(stage, now);
                StageReport {
                    stage,
                    due: shown(self.due(stage)),
                    done_at: self.done(stage).map(shown),
                    result,
                    by_hours: by.map(hours),
                }
            })
            .collect()
    }

    /// Ends at `at` the hold that began at `since`: the deadlines of the stages not done yet
    /// move later by the time on hold.
    pub(super) fn end_hold(&mut self, since: DateTime<Utc>, at: DateTime<Utc>) {
        let held = at - since;
        for &stage in Stage::ALL {
            if self.done(stage).is_none() {
                let due = match stage {
                    Stage::Accept => &mut self.accept_due,
                    Stage::Feedback => &mut self.feedback_due,
                    Stage::Resolve => &mut self.resolve_due,
                };
                *due += held;
            }
        }
        self.held_seconds += held.num_seconds();
        self.on_hold_since = None;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{at, db, new, stamp};
    use super::super::{act, count_open, file, list, Act, Filter, Outcome};
    use super::*;

    #[test]
    fn the_open_clocks_of_one_company_come_from_the_index() {
        super::super::tests::assert_no_scan(&db(), &open_clocks_sql(true));
    }

    /// A database with one complaint filed at 2026-03-02 02:00 UTC per script, each acted
    /// on as its script says.
    fn filed(scripts: &[&[(&str, Act)]]) -> Connection {
        let conn = db();
        let (sla, calendar) = (Sla::default(), Calendar::builtin());
        let clocks = Clocks {
            sla: &sla,
            calendar: &calendar,
        };
        let s = stamp("2026-03-31T00:00:00Z");
        for script in scripts {
            let id = file(&conn, &s, 1, clocks, &new("2026-03-02T02:00:00Z"))
                .unwrap()
                .id;
            for (when, a) in *script {
                act(&conn, &s, id, at(when), a).unwrap();
            }
        }
        conn
    }

    #[test]
    fn an_open_complaint_runs_on_accept_then_feedback_then_resolve() {
        let at = "2026-03-02T03:00:00Z";
        let conn = filed(&[
            &[],
            &[(at, Act::Accept)],
            &[(at, Act::Accept), (at, Act::Feedback { note: "n".into() })],
            &[(at, Act::Reject { reason: "r".into() })],
        ]);
        let stored = |id| super::super::get(&conn, id).unwrap();
        for scope in [None, Some(1)] {
            let mut seen = Vec::new();
            open_clocks(&conn, scope, |c| {
                seen.push((c.complaint, c.stage, c.due));
                Ok(())
            })
            .unwrap();
            assert_eq!(
                seen,
                vec![
                    (1, Stage::Accept, stored(1).accept_due),
                    (2, Stage::Feedback, stored(2).feedback_due),
                    (3, Stage::Resolve, stored(3).resolve_due),
                ]
            );
        }
    }

    #[test]
    fn the_overdue_query_agrees_with_the_stage_rules() {
        let scripts: &[&[(&str, Act)]] = &[
            &[],
            &[("2026-03-02T03:00:00Z", Act::Accept)],
            &[
                ("2026-03-02T03:00:00Z", Act::Accept),
                ("2026-03-02T05:00:00Z", Act::Hold { reason: "r".into() }),
            ],
            &[
                ("2026-03-03T05:00:00Z", Act::Accept),
                ("2026-03-05T05:00:00Z", Act::Hold { reason: "r".into() }),
                ("2026-03-09T05:00:00Z", Act::Resume),
            ],
            &[
                ("2026-03-02T03:00:00Z", Act::Accept),
                ("2026-03-02T04:00:00Z", Act::Feedback { note: "n".into() }),
            ],
            &[("2026-03-04T03:00:00Z", Act::Reject { reason: "r".into() })],
            &[
                ("2026-03-02T03:00:00Z", Act::Accept),
                (
                    "2026-03-02T04:00:00Z",
                    Act::Resolve {
                        outcome: Outcome::Failed,
                        terms: "t".into(),
                    },
                ),
            ],
        ];
        let conn = filed(scripts);
        let mut overdue_seen = Vec::new();
        for now in [
            "2026-03-02T02:30:00Z",
            "2026-03-03T01:59:59Z",
            "2026-03-03T02:00:01Z",
            "2026-03-04T02:00:01Z",
            "2026-03-06T00:00:00Z",
            "2026-05-30T00:00:00Z",
        ] {
            let now = at(now);
            let mut by_rules = Vec::new();
            list(&conn, 1, &Filter::default(), now, |c| {
                if c.overdue.is_some() {
                    by_rules.push(c.id);
                }
                Ok(())
            })
            .unwrap();
            let mut by_query = Vec::new();
            let overdue = Filter {
                overdue: true,
                ..Filter::default()
            };
            list(&conn, 1, &overdue, now, |c| {
                by_query.push(c.id);
                Ok(())
            })
            .unwrap();
            assert_eq!(by_query, by_rules, "at {now}");
            overdue_seen.push(by_rules.len());
            assert_eq!(count_open(&conn, 1, now).unwrap().1, by_rules.len() as i64);
        }
        // Hand-checked: 1 untouched; 2 feedback due; 4 accepted late, feedback breached before
        // its hold, resolve due 05-12 after it; 5 resolve due 05-08; 3 stays paused.
        assert_eq!(overdue_seen, [0, 0, 1, 2, 2, 4]);
        assert_eq!(
            count_open(&conn, 1, at("2026-03-31T00:00:00Z")).unwrap().0,
            5
        );
    }
}
