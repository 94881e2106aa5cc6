//! The clocks of a complaint or report, each fixed when its start is known: a complaint's
//! accept and feedback clocks at filing, its resolve clock at filing or, by the rules
//! (art. 21(5)), at acceptance, its inform clock when mediation ends (art. 21); a report's
//! check clock at filing (art. 23) and its inform clock at the case decision (art. 31). A
//! hold moves every open clock later (art. 20): an hour clock by the time on hold, a day or
//! working-day clock by the days or working days d with hold day < d ≤ resume day. Where each
//! stage stands against its deadline.

use anyhow::Result;
use chrono::{DateTime, Local, NaiveDate, TimeDelta, Utc};
use rusqlite::{named_params, Connection};
use serde::Serialize;

use super::{shown, ComplaintStatus, Kind, Stored};
use crate::config::Sla;
use crate::error::Failure;
use crate::i18n;
use crate::text_enum;
use crate::time::{self, Calendar, SlaDuration};

text_enum! { "stage" / "环节":
    /// The clocks of a complaint (accept, feedback, resolve, inform) and of a report (check,
    /// inform).
    pub enum Stage {
        Accept = "accept" / "受理",
        Check = "check" / "核查",
        Feedback = "feedback" / "反馈",
        Resolve = "resolve" / "办结",
        Inform = "inform" / "告知",
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
        /// The resolve clock of the rules starts at acceptance, which has not happened.
        PendingAcceptance = "pending-acceptance" / "待受理后起算",
        /// The inform clock starts when mediation ends (or a report's case is decided).
        NotStarted = "not-started" / "未起算",
        /// Closed without it: a rejected complaint needs no feedback nor resolution, an
        /// anonymous reporter is not told.
        NotApplicable = "n/a" / "不适用",
    }
}

/// A complaint's resolve deadline as listed: the time, or none yet because the rules count
/// it from acceptance (art. 21(5)). JSON and CSV show null while it waits; tables say
/// "pending acceptance" (待受理后起算).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ResolveDue {
    /// No resolve clock: a report, or a complaint rejected before its clock started.
    #[default]
    None,
    At(String),
    PendingAcceptance,
}

impl ResolveDue {
    /// The deadline, when it is set.
    pub fn at(&self) -> Option<&String> {
        match self {
            ResolveDue::At(due) => Some(due),
            ResolveDue::None | ResolveDue::PendingAcceptance => None,
        }
    }
}

impl Serialize for ResolveDue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self, i18n::labels_lang()) {
            (ResolveDue::At(due), _) => s.serialize_str(due),
            (ResolveDue::PendingAcceptance, Some(i18n::Lang::En)) => {
                s.serialize_str("pending acceptance")
            }
            (ResolveDue::PendingAcceptance, Some(lang)) => {
                s.serialize_str(Standing::PendingAcceptance.label(lang))
            }
            (ResolveDue::PendingAcceptance | ResolveDue::None, _) => s.serialize_none(),
        }
    }
}

/// Art. 21, last paragraph: both parties are told within 7 working days after mediation ends.
pub(super) const INFORM_PARTIES: SlaDuration = SlaDuration::WorkingDays(7);
/// Art. 23: a lead is checked within 15 working days (applied to reports, our reading) ...
pub(super) const REPORT_CHECK: SlaDuration = SlaDuration::WorkingDays(15);
/// ... and the check may be extended by 15 working days, with a reason.
pub(super) const REPORT_EXTENSION: SlaDuration = SlaDuration::WorkingDays(15);
/// Art. 31: a real-name reporter is told within 5 working days of the case decision.
pub(super) const INFORM_REPORTER: SlaDuration = SlaDuration::WorkingDays(5);

/// The clocks a new complaint gets.
#[derive(Debug, Clone, Copy)]
pub struct Clocks<'a> {
    pub sla: &'a Sla,
    pub calendar: &'a Calendar,
}

/// The deadlines of a new complaint or report.
pub(super) struct Opening {
    pub accept_clock: SlaDuration,
    pub feedback_clock: Option<SlaDuration>,
    pub resolve_clock: Option<SlaDuration>,
    pub resolve_from_acceptance: bool,
    pub accept_due: DateTime<Utc>,
    pub feedback_due: Option<DateTime<Utc>>,
    pub resolve_due: Option<DateTime<Utc>>,
}

impl Clocks<'_> {
    /// The clocks of a complaint or report of `kind` received at `received`; a bad-input
    /// error when a deadline falls after the year 9999.
    pub(super) fn open(&self, kind: Kind, received: DateTime<Utc>) -> Result<Opening, Failure> {
        let due = |d| self.calendar.deadline(received, d);
        Ok(match kind {
            Kind::Report => Opening {
                accept_clock: REPORT_CHECK,
                feedback_clock: None,
                resolve_clock: None,
                resolve_from_acceptance: false,
                accept_due: due(REPORT_CHECK)?,
                feedback_due: None,
                resolve_due: None,
            },
            Kind::Complaint => {
                let from_acceptance = self.sla.resolve_from_acceptance();
                Opening {
                    accept_clock: self.sla.accept,
                    feedback_clock: Some(self.sla.feedback),
                    resolve_clock: Some(self.sla.resolve),
                    resolve_from_acceptance: from_acceptance,
                    accept_due: due(self.sla.accept)?,
                    feedback_due: Some(due(self.sla.feedback)?),
                    resolve_due: (!from_acceptance)
                        .then(|| due(self.sla.resolve))
                        .transpose()?,
                }
            }
        })
    }
}

/// One clock: met or breached, and by how many hours (to spare, late, or left).
#[derive(Debug, Clone, Serialize)]
pub struct StageReport {
    pub stage: Stage,
    pub due: Option<String>,
    pub done_at: Option<String>,
    pub result: Standing,
    pub by_hours: Option<f64>,
}

/// A complaint or report with a clock still running: a complaint being handled, a report
/// awaiting its case decision, or either with the parties (the reporter) still to be told.
/// Kept equal to `Stored::is_open`.
pub(super) const OPEN: &str = "(c.status = 'received'
    OR (c.kind = 'complaint' AND c.status IN ('accepted', 'mediating'))
    OR (c.inform_due IS NOT NULL AND c.informed_at IS NULL))";

/// An open complaint with a stage past its deadline (`:now` in the storage form). The clocks
/// of a complaint on hold stopped when it went on hold. Kept equal to `Stored::overdue`.
pub(super) const OVERDUE: &str = "(
       (c.status = 'received' AND c.accept_due < coalesce(c.on_hold_since, :now))
    OR (c.status IN ('received', 'accepted', 'mediating') AND c.feedback_at IS NULL
        AND c.feedback_due < coalesce(c.on_hold_since, :now))
    OR (c.status IN ('received', 'accepted', 'mediating')
        AND c.resolve_due < coalesce(c.on_hold_since, :now))
    OR (c.informed_at IS NULL AND c.inform_due < :now))";

/// The clock an open complaint or report runs on now: its current stage's deadline.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenClock {
    pub company_id: i64,
    pub complaint: i64,
    pub stage: Stage,
    pub due: DateTime<Utc>,
    pub on_hold: bool,
    /// A complaint whose resolve clock waits for its acceptance (the samr preset).
    pub resolve_pending: bool,
}

/// The open complaints and reports ([`OPEN`]) of every company, or of `:company` (from the
/// index), with what decides their current stage, by company and id.
fn open_clocks_sql(scoped: bool) -> String {
    let company = if scoped {
        "c.company_id = :company"
    } else {
        ":company IS NULL"
    };
    format!(
        "SELECT c.company_id, c.id, c.kind, c.status, c.accept_due, c.feedback_due,
                c.resolve_due, c.inform_due, c.feedback_at IS NOT NULL,
                c.on_hold_since IS NOT NULL,
                c.resolve_due IS NULL AND c.kind = 'complaint' AND c.status = 'received'
         FROM complaints c
         WHERE {company} AND {OPEN}
         ORDER BY c.company_id, c.id"
    )
}

/// The current clock of every open complaint and report of every company, or of the company
/// `scope`: a report's check or a complaint's accept clock while received; a complaint's
/// feedback clock until the first feedback, then its resolve clock while it is handled; then
/// the inform clock until the parties (the reporter) are told. A clock not started yet has
/// no deadline and gives nothing.
pub fn open_clocks(
    conn: &Connection,
    scope: Option<i64>,
    mut each: impl FnMut(OpenClock) -> Result<()>,
) -> Result<()> {
    use ComplaintStatus::{Accepted, Mediating, Received};
    let mut stmt = conn.prepare_cached(&open_clocks_sql(scope.is_some()))?;
    let mut rows = stmt.query(named_params! { ":company": scope })?;
    while let Some(row) = rows.next()? {
        let (kind, status): (Kind, ComplaintStatus) = (row.get(2)?, row.get(3)?);
        let handled = kind == Kind::Complaint && matches!(status, Accepted | Mediating);
        let answered: bool = row.get(8)?;
        let (stage, due) = match status {
            Received if kind == Kind::Report => (Stage::Check, 4),
            Received => (Stage::Accept, 4),
            _ if handled && !answered => (Stage::Feedback, 5),
            _ if handled => (Stage::Resolve, 6),
            _ => (Stage::Inform, 7),
        };
        let Some(due) = row.get::<_, Option<String>>(due)? else {
            continue;
        };
        each(OpenClock {
            company_id: row.get(0)?,
            complaint: row.get(1)?,
            stage,
            due: time::from_db(&due)?,
            on_hold: row.get(9)?,
            resolve_pending: row.get(10)?,
        })?;
    }
    Ok(())
}

/// A duration in hours, to one decimal.
pub(super) fn hours(delta: TimeDelta) -> f64 {
    (delta.num_seconds() as f64 / 360.0).round() / 10.0
}

/// The local date of an instant.
pub(super) fn local_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Local).date_naive()
}

/// `due` moved later by a hold from `since` to `at`, by the rule of its clock.
pub(super) fn moved_by_hold(
    calendar: &Calendar,
    due: DateTime<Utc>,
    clock: SlaDuration,
    since: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<DateTime<Utc>, Failure> {
    let (from, until) = (local_day(since), local_day(at));
    let count = |working: bool| {
        from.iter_days()
            .skip(1)
            .take_while(|&d| d <= until)
            .filter(|&d| !working || calendar.is_working_day(d))
            .count() as u32
    };
    let moved = match clock {
        SlaDuration::Hours(_) => return Ok(due + (at - since)),
        SlaDuration::Days(_) => SlaDuration::Days(count(false)),
        SlaDuration::WorkingDays(_) => SlaDuration::WorkingDays(count(true)),
    };
    match moved {
        SlaDuration::Days(0) | SlaDuration::WorkingDays(0) => Ok(due),
        _ => calendar.deadline(due, moved),
    }
}

impl Stored {
    /// The stages of its kind.
    pub(super) fn stages(&self) -> &'static [Stage] {
        match self.kind {
            Kind::Complaint => &[
                Stage::Accept,
                Stage::Feedback,
                Stage::Resolve,
                Stage::Inform,
            ],
            Kind::Report => &[Stage::Check, Stage::Inform],
        }
    }

    /// The stage's deadline, None while its clock has not started.
    pub(super) fn due(&self, stage: Stage) -> Option<DateTime<Utc>> {
        match stage {
            Stage::Accept | Stage::Check => Some(self.accept_due),
            Stage::Feedback => self.feedback_due,
            Stage::Resolve => self.resolve_due,
            Stage::Inform => self.inform_due,
        }
    }

    /// The stage's deadline, to move it.
    pub(super) fn due_mut(&mut self, stage: Stage) -> Option<&mut DateTime<Utc>> {
        match stage {
            Stage::Accept | Stage::Check => Some(&mut self.accept_due),
            Stage::Feedback => self.feedback_due.as_mut(),
            Stage::Resolve => self.resolve_due.as_mut(),
            Stage::Inform => self.inform_due.as_mut(),
        }
    }

    /// The duration the stage's deadline was counted with.
    fn clock(&self, stage: Stage) -> Option<SlaDuration> {
        match stage {
            Stage::Accept | Stage::Check => Some(self.accept_clock),
            Stage::Feedback => self.feedback_clock,
            Stage::Resolve => self.resolve_clock,
            Stage::Inform => Some(match self.kind {
                Kind::Complaint => INFORM_PARTIES,
                Kind::Report => INFORM_REPORTER,
            }),
        }
    }

    /// The stage's deadline as its facts give it on `calendar`: its clock counted from its
    /// start (receipt; acceptance for the rules' resolve clock; the end of mediation or the
    /// case decision for the inform clock), a report's extension, then each hold of `holds`
    /// (held, resumed) after that start moving it by the rule of its clock. None while the
    /// stage has no deadline.
    pub(super) fn counted(
        &self,
        stage: Stage,
        calendar: &Calendar,
        holds: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> Result<Option<DateTime<Utc>>, Failure> {
        let start = match (stage, self.kind) {
            (Stage::Resolve, _) if self.resolve_from_acceptance => self.accepted_at,
            (Stage::Inform, Kind::Complaint) => self.resolved_at,
            (Stage::Inform, Kind::Report) => self.accepted_at.or(self.rejected_at),
            _ => Some(self.received_at),
        };
        let (Some(start), Some(clock), Some(_)) = (start, self.clock(stage), self.due(stage))
        else {
            return Ok(None);
        };
        let mut due = calendar.deadline(start, clock)?;
        if stage == Stage::Check && self.extension_reason.is_some() {
            due = calendar.deadline(due, REPORT_EXTENSION)?;
        }
        for &(since, until) in holds.iter().filter(|(since, _)| *since >= start) {
            due = moved_by_hold(calendar, due, clock, since, until)?;
        }
        Ok(Some(due))
    }

    /// When the stage's action happened: accepting or rejecting (a report: the case
    /// decision); the first feedback (or the resolution, which answers the complainant too);
    /// the resolution; telling the parties (the reporter).
    pub(super) fn done(&self, stage: Stage) -> Option<DateTime<Utc>> {
        match stage {
            Stage::Accept | Stage::Check => self.accepted_at.or(self.rejected_at),
            Stage::Feedback => self.feedback_at.or(self.resolved_at),
            Stage::Resolve => self.resolved_at,
            Stage::Inform => self.informed_at,
        }
    }

    /// The stage's standing at `now`, and the time to spare, late, or left.
    pub(super) fn standing(
        &self,
        stage: Stage,
        now: DateTime<Utc>,
    ) -> (Standing, Option<TimeDelta>) {
        let Some(due) = self.due(stage) else {
            return (self.not_started(stage), None);
        };
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

    /// Its resolve deadline as listed.
    pub(super) fn resolve_listed(&self) -> ResolveDue {
        match self.resolve_due {
            Some(due) => ResolveDue::At(shown(due)),
            None if self.kind == Kind::Complaint
                && self.not_started(Stage::Resolve) == Standing::PendingAcceptance =>
            {
                ResolveDue::PendingAcceptance
            }
            None => ResolveDue::None,
        }
    }

    /// Why a stage has no deadline: its clock waits for acceptance or for the end of
    /// mediation (the case decision), or never runs for this complaint.
    fn not_started(&self, stage: Stage) -> Standing {
        let rejected = self.status == ComplaintStatus::Rejected;
        match stage {
            Stage::Resolve if self.status == ComplaintStatus::Received => {
                Standing::PendingAcceptance
            }
            Stage::Inform if self.kind == Kind::Report && self.reporter.is_none() => {
                Standing::NotApplicable
            }
            Stage::Inform if self.kind == Kind::Report || (self.is_open() && !rejected) => {
                Standing::NotStarted
            }
            _ => Standing::NotApplicable,
        }
    }

    /// The stages breached and still outstanding.
    pub(super) fn overdue(&self, now: DateTime<Utc>) -> Vec<Stage> {
        self.stages()
            .iter()
            .copied()
            .filter(|&s| self.done(s).is_none() && self.standing(s, now).0 == Standing::Breached)
            .collect()
    }

    /// Each clock at `now`, for `show`.
    pub(super) fn stage_reports(&self, now: DateTime<Utc>) -> Vec<StageReport> {
        self.stages()
            .iter()
            .map(|&stage| {
                let (result, by) = self.standing(stage, now);
                StageReport {
                    stage,
                    due: self.due(stage).map(shown),
                    done_at: self.done(stage).map(shown),
                    result,
                    by_hours: by.map(hours),
                }
            })
            .collect()
    }

    /// Ends at `at` the hold that began at `since`: the deadlines of the stages not done yet
    /// move later, each by the rule of its clock.
    pub(super) fn end_hold(
        &mut self,
        calendar: &Calendar,
        since: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<(), Failure> {
        for &stage in self.stages() {
            let Some(clock) = self.clock(stage) else {
                continue;
            };
            if self.done(stage).is_some() {
                continue;
            }
            if let Some(due) = self.due_mut(stage) {
                *due = moved_by_hold(calendar, *due, clock, since, at)?;
            }
        }
        self.held_seconds += (at - since).num_seconds();
        self.on_hold_since = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{at, db, new, stamp};
    use super::super::{act, count_open, file, list, Act, Filter, Ground, Outcome, Paper};
    use super::*;

    #[test]
    fn a_hold_moves_a_deadline_by_the_rule_of_its_clock() {
        let calendar = Calendar::builtin();
        // Noon UTC is the same local day in every zone baton's tests run in.
        let (friday, monday) = (at("2026-10-23T12:00:00Z"), at("2026-10-26T12:00:00Z"));
        let accepted = at("2026-10-15T12:00:00Z");
        let due = calendar
            .deadline(accepted, SlaDuration::WorkingDays(45))
            .unwrap();
        let moved = |clock, since, until| moved_by_hold(&calendar, due, clock, since, until);
        assert_eq!(
            moved(SlaDuration::WorkingDays(45), friday, monday).unwrap(),
            calendar
                .deadline(accepted, SlaDuration::WorkingDays(46))
                .unwrap(),
            "Saturday and Sunday are not working days: Monday alone counts"
        );
        assert_eq!(
            moved(SlaDuration::Days(3), friday, monday).unwrap(),
            calendar.deadline(due, SlaDuration::Days(3)).unwrap()
        );
        assert_eq!(
            moved(SlaDuration::Hours(48), friday, monday).unwrap(),
            due + TimeDelta::hours(72)
        );
        let evening = at("2026-10-23T13:00:00Z");
        assert_eq!(
            moved(SlaDuration::WorkingDays(45), friday, evening).unwrap(),
            due,
            "a hold within one day moves a working-day clock by nothing"
        );
    }

    #[test]
    fn the_open_clocks_of_one_company_come_from_the_index() {
        super::super::tests::assert_no_scan(&db(), &open_clocks_sql(true));
    }

    /// A database with one complaint (or report) filed at 2026-03-02 02:00 UTC per script
    /// under `sla`, each acted on as its script says.
    fn filed(sla: &Sla, scripts: &[(Kind, &[(&str, Act)])]) -> Connection {
        let conn = db();
        let calendar = Calendar::builtin();
        let clocks = Clocks {
            sla,
            calendar: &calendar,
        };
        let s = stamp("2026-03-31T00:00:00Z");
        for (kind, script) in scripts {
            let new = match kind {
                Kind::Complaint => new("2026-03-02T02:00:00Z"),
                Kind::Report => super::super::NewComplaint {
                    customer: None,
                    kind: Kind::Report,
                    reporter: Some("李".into()),
                    ..new("2026-03-02T02:00:00Z")
                },
            };
            let id = file(&conn, &s, 1, clocks, &new).unwrap().id;
            for (when, a) in *script {
                act(&conn, &s, &calendar, id, at(when), a).unwrap();
            }
        }
        conn
    }

    #[test]
    fn an_open_complaint_runs_on_accept_feedback_resolve_then_inform() {
        use crate::config::SlaPreset;
        let at = "2026-03-02T03:00:00Z";
        let resolve = Act::Resolve {
            outcome: Outcome::Agreement,
            paper: Paper::Record,
            terms: "t".into(),
        };
        let informed = Act::Inform { note: None };
        let feedback = Act::Feedback { note: "n".into() };
        let reject = Act::Reject {
            reason: "r".into(),
            ground: Some(Ground::OutsideRemit),
        };
        let complaint = Kind::Complaint;
        for sla in [Sla::default(), Sla::of_preset(SlaPreset::Samr)] {
            let conn = filed(
                &sla,
                &[
                    (complaint, &[]),
                    (complaint, &[(at, Act::Accept)]),
                    (complaint, &[(at, Act::Accept), (at, feedback.clone())]),
                    (complaint, &[(at, reject.clone())]),
                    (complaint, &[(at, Act::Accept), (at, resolve.clone())]),
                    (
                        complaint,
                        &[
                            (at, Act::Accept),
                            (at, resolve.clone()),
                            (at, informed.clone()),
                        ],
                    ),
                    (Kind::Report, &[]),
                    (Kind::Report, &[(at, Act::Accept)]),
                ],
            );
            let stored = |id| super::super::get(&conn, id).unwrap();
            assert_eq!(
                stored(1).resolve_due.is_none(),
                sla.resolve_from_acceptance(),
                "the rules start the resolve clock at acceptance"
            );
            for scope in [None, Some(1)] {
                let mut seen = Vec::new();
                open_clocks(&conn, scope, |c| {
                    seen.push((c.complaint, c.stage, Some(c.due)));
                    Ok(())
                })
                .unwrap();
                assert_eq!(
                    seen,
                    vec![
                        (1, Stage::Accept, Some(stored(1).accept_due)),
                        (2, Stage::Feedback, stored(2).feedback_due),
                        (3, Stage::Resolve, stored(3).resolve_due),
                        (5, Stage::Inform, stored(5).inform_due),
                        (7, Stage::Check, Some(stored(7).accept_due)),
                        (8, Stage::Inform, stored(8).inform_due),
                    ]
                );
            }
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
            &[(
                "2026-03-04T03:00:00Z",
                Act::Reject {
                    reason: "r".into(),
                    ground: Some(Ground::OutsideRemit),
                },
            )],
            &[
                ("2026-03-02T03:00:00Z", Act::Accept),
                (
                    "2026-03-02T04:00:00Z",
                    Act::Resolve {
                        outcome: Outcome::Failed,
                        paper: Paper::Record,
                        terms: "t".into(),
                    },
                ),
            ],
        ];
        let scripts: Vec<_> = scripts.iter().map(|s| (Kind::Complaint, *s)).collect();
        let conn = filed(&Sla::default(), &scripts);
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
                if !c.overdue.is_empty() {
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
        // its hold, resolve moved by the 2 working days on hold (03-06, 03-09); 5 resolve due;
        // 7 resolved on 03-02, its parties not told by 03-11; 3 stays paused.
        assert_eq!(overdue_seen, [0, 0, 1, 2, 2, 5]);
        // Open: all but the rejected 6, the resolved 7 until its parties are told.
        assert_eq!(
            count_open(&conn, 1, at("2026-03-31T00:00:00Z")).unwrap().0,
            6
        );
    }
}
