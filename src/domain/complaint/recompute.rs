//! The complaint clocks against a changing working-day calendar: moving the open clocks when
//! a year's official arrangement is imported (through [`Stored::counted`], the clock rules
//! counted on a calendar), and marking the deadlines that reach a provisional year.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use rusqlite::{named_params, Connection};
use serde::Serialize;
use serde_json::json;

use super::clock::OPEN;
use super::{from_row, instant, required_instant, shown, Complaint, Stage, Stored};
use super::{COLUMNS, FROM, HOLDS_SQL};
use crate::audit::{self, Stamp};
use crate::time::{self, Calendar};

/// The open complaints of every company, found through each company's index.
fn open_sql() -> String {
    format!("SELECT {COLUMNS} {FROM} WHERE c.company_id IN (SELECT id FROM companies) AND {OPEN}")
}

/// A clock that a change of the calendar moved.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Moved {
    pub complaint: i64,
    pub stage: Stage,
    pub before: String,
    pub after: String,
}

/// Moves every open clock of every company (accept or check, feedback, resolve, inform) from
/// the deadline its facts give on `before` to the one they give on `after`: its start, its
/// clock, a report's extension and the holds ended so far, counted on each calendar. The
/// stored deadline moves by the difference, so a deadline stored by an older rule keeps its
/// offset. Each complaint moved gets a `complaint.recompute` event with its clocks before and
/// after; the clocks moved are returned in complaint and stage order.
pub fn recompute_open(
    conn: &Connection,
    stamp: &Stamp,
    before: &Calendar,
    after: &Calendar,
) -> Result<Vec<Moved>> {
    let open: Vec<Stored> = conn
        .prepare_cached(&format!("{} ORDER BY c.id", open_sql()))?
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()
        .context("cannot read the open complaints")?;
    let mut moved = Vec::new();
    for mut complaint in open {
        let id = complaint.id;
        let holds = ended_holds(conn, id)?;
        let mut changes = Vec::new();
        for &stage in complaint.stages() {
            if complaint.done(stage).is_some() {
                continue;
            }
            let old = complaint.counted(stage, before, &holds)?;
            let new = complaint.counted(stage, after, &holds)?;
            let (Some(old), Some(new), Some(due)) = (old, new, complaint.due_mut(stage)) else {
                continue;
            };
            if old == new {
                continue;
            }
            let was = *due;
            *due += new - old;
            changes.push(Moved {
                complaint: id,
                stage,
                before: shown(was),
                after: shown(*due),
            });
        }
        if changes.is_empty() {
            continue;
        }
        conn.prepare_cached(
            "UPDATE complaints SET accept_due = :accept, feedback_due = :feedback,
                                   resolve_due = :resolve, inform_due = :inform
             WHERE id = :id",
        )?
        .execute(named_params! {
            ":accept": time::to_db(complaint.accept_due),
            ":feedback": complaint.feedback_due.map(time::to_db),
            ":resolve": complaint.resolve_due.map(time::to_db),
            ":inform": complaint.inform_due.map(time::to_db),
            ":id": complaint.id,
        })
        .context("cannot move the complaint's deadlines")?;
        audit::record(
            conn,
            stamp,
            "complaint.recompute",
            "complaint",
            Some(&complaint.id.to_string()),
            &json!({ "reason": "calendar", "moved": changes }),
        )?;
        moved.extend(changes);
    }
    Ok(moved)
}

/// The holds of complaint `id` that have ended (held, resumed), in order: the ones that moved
/// its deadlines.
fn ended_holds(conn: &Connection, id: i64) -> Result<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
    let mut holds = Vec::new();
    for hold in conn.prepare_cached(HOLDS_SQL)?.query_map([id], |r| {
        Ok((required_instant(r, "held_at")?, instant(r, "resumed_at")?))
    })? {
        if let (held, Some(resumed)) = hold.context("cannot read the complaint's holds")? {
            holds.push((held, resumed));
        }
    }
    Ok(holds)
}

/// The provisional years that open complaints' clocks reach, each with how many complaints.
/// When the official years run without a gap, only the complaints that may leave them are
/// read: received before the first, or with a deadline from the last one's final day on (a
/// day's margin for the local time zone); `status` over 100,000 open complaints read them all.
pub fn provisional_reach(conn: &Connection, calendar: &Calendar) -> Result<BTreeMap<i32, i64>> {
    let official = calendar.official_years();
    let (received_before, due_from) = match (official.first(), official.last()) {
        (Some(&first), Some(&last)) if official.len() == (last - first + 1) as usize => {
            (format!("{first}-01-02"), format!("{last}-12-31"))
        }
        _ => ("9999".to_string(), String::new()),
    };
    let sql = format!(
        "{} AND (c.received_at < :before OR max(c.accept_due, coalesce(c.feedback_due, ''),
             coalesce(c.resolve_due, ''), coalesce(c.inform_due, '')) >= :from)",
        open_sql()
    );
    let mut reach = BTreeMap::new();
    let mut statement = conn.prepare_cached(&sql)?;
    let params = named_params! {":before": received_before, ":from": due_from};
    for complaint in statement.query_map(params, from_row)? {
        let complaint = complaint.context("cannot read the open complaints")?;
        for year in complaint.provisional_years(calendar) {
            *reach.entry(year).or_insert(0) += 1;
        }
    }
    Ok(reach)
}

/// Sets `row.provisional` to the provisional years its running clocks reach (`2027`), from
/// the instants the row shows: a clock runs while its action has not happened (a rejection
/// ends all but the inform clock).
pub fn mark_provisional(row: &mut Complaint, calendar: &Calendar) {
    let parse = |s: &str| DateTime::parse_from_rfc3339(s).ok().map(|t| t.to_utc());
    let rejected = row.rejected_at.is_some();
    let running = [
        (Some(&row.accept_due), row.accepted_at.is_some() || rejected),
        (
            row.feedback_due.as_ref(),
            row.feedback_at.is_some() || row.resolved_at.is_some() || rejected,
        ),
        (row.resolve_due.at(), row.resolved_at.is_some() || rejected),
        (row.inform_due.as_ref(), row.informed_at.is_some()),
    ];
    let latest = running
        .into_iter()
        .filter_map(|(due, done)| due.filter(|_| !done).and_then(|due| parse(due)))
        .max();
    if let (Some(from), Some(to)) = (parse(&row.received_at), latest) {
        let years: Vec<String> = calendar
            .provisional_between(from, to)
            .iter()
            .map(i32::to_string)
            .collect();
        row.provisional = Some(years.join(",")).filter(|y| !y.is_empty());
    }
}

impl Stored {
    /// The provisional years from its receipt to its latest deadline still running, when it
    /// is open.
    fn provisional_years(&self, calendar: &Calendar) -> Vec<i32> {
        let latest = self
            .stages()
            .iter()
            .filter(|&&stage| self.done(stage).is_none())
            .filter_map(|&stage| self.due(stage))
            .max();
        match latest {
            Some(latest) if self.is_open() => {
                calendar.provisional_between(self.received_at, latest)
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{at, db, new, stamp};
    use super::super::{act, file, get, Act, Clocks, Outcome, Paper};
    use super::*;
    use crate::config::{Sla, SlaPreset};
    use crate::time::{Arrangement, SlaDuration};

    /// The official 2027 of these tests: 01-01 and 01-04 off (the provisional 2027 has only
    /// 01-01 in early January).
    fn official_2027(before: &Calendar) -> Calendar {
        let mut after = before.clone();
        let text = r#"{"year": 2027, "days": [
            {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
            {"name": "元旦", "date": "2027-01-04", "isOffDay": true}]}"#;
        after.set_official(Arrangement::parse("2027.json", text).unwrap());
        after
    }

    #[test]
    fn the_open_complaints_query_uses_an_index() {
        super::super::tests::assert_no_scan(&db(), &open_sql());
    }

    #[test]
    fn an_import_moves_the_open_clocks_it_changes_and_keeps_time_on_hold() {
        let conn = db();
        let sla = Sla {
            accept: "7wd".parse().unwrap(),
            ..Sla::default()
        };
        let before = Calendar::builtin();
        let clocks = Clocks {
            sla: &sla,
            calendar: &before,
        };
        let s = stamp("2026-12-31T04:00:00Z");
        // Received Thu 2026-12-24: 7 working days on the provisional 2027 (01-01 off) end
        // on Tue 2027-01-05.
        let open = file(&conn, &s, 1, clocks, &new("2026-12-24T02:00:00Z")).unwrap();
        assert!(open.accept_due.starts_with("2027-01-05T23:59:59"));
        let closed = file(&conn, &s, 1, clocks, &new("2026-12-24T03:00:00Z")).unwrap();
        act(
            &conn,
            &s,
            &before,
            closed.id,
            at("2026-12-24T04:00:00Z"),
            &Act::Accept,
        )
        .unwrap();
        assert_eq!(
            provisional_reach(&conn, &before).unwrap(),
            BTreeMap::from([(2027, 2)])
        );
        // The official 2027 gives 01-04 off as well: the accept clock moves a working day.
        let after = official_2027(&before);
        let moved = recompute_open(&conn, &s, &before, &after).unwrap();
        let accept: Vec<(i64, &str)> = moved
            .iter()
            .filter(|m| m.stage == Stage::Accept)
            .map(|m| (m.complaint, &m.after[..19]))
            .collect();
        assert_eq!(accept, [(open.id, "2027-01-06T23:59:59")]);
        let stored = shown(get(&conn, open.id).unwrap().accept_due);
        assert!(stored.starts_with("2027-01-06T23:59:59"), "{stored}");
        assert!(recompute_open(&conn, &s, &after, &after)
            .unwrap()
            .is_empty());
        assert!(provisional_reach(&conn, &after).unwrap().is_empty());
    }

    #[test]
    fn an_import_moves_resolve_from_acceptance_with_its_holds_and_the_inform_clock() {
        let conn = db();
        // The rules' clocks, resolve shortened to 25 working days to stay in January.
        let sla = Sla {
            resolve: SlaDuration::WorkingDays(25),
            ..Sla::of_preset(SlaPreset::Samr)
        };
        let before = Calendar::builtin();
        let clocks = Clocks {
            sla: &sla,
            calendar: &before,
        };
        let s = stamp("2026-12-31T04:00:00Z");
        let run = |id, script: &[(&str, Act)]| {
            for (when, a) in script {
                act(&conn, &s, &before, id, at(when), a).unwrap();
            }
        };
        // Accepted Tue 12-01: 25 working days end Wed 2027-01-06; the hold from Fri 12-04 to
        // Tue 12-08 adds two (Mon 12-07, Tue 12-08): Fri 2027-01-08.
        let held = file(&conn, &s, 1, clocks, &new("2026-11-30T12:00:00Z")).unwrap();
        run(
            held.id,
            &[
                ("2026-12-01T12:00:00Z", Act::Accept),
                ("2026-12-04T12:00:00Z", Act::Hold { reason: "r".into() }),
                ("2026-12-08T12:00:00Z", Act::Resume),
            ],
        );
        // Mediation ended Mon 12-28: both parties told within 7 working days, Thu 2027-01-07.
        let ended = file(&conn, &s, 1, clocks, &new("2026-12-21T12:00:00Z")).unwrap();
        let resolve = Act::Resolve {
            outcome: Outcome::Failed,
            paper: Paper::Record,
            terms: "t".into(),
        };
        run(
            ended.id,
            &[
                ("2026-12-21T13:00:00Z", Act::Accept),
                ("2026-12-28T12:00:00Z", resolve),
            ],
        );
        // Received Mon 12-28, not accepted: accept by Thu 2027-01-07, no resolve deadline.
        let waiting = file(&conn, &s, 1, clocks, &new("2026-12-28T12:00:00Z")).unwrap();
        let day = |t: Option<DateTime<Utc>>| t.map(|t| shown(t)[..19].to_string());
        let dues = |id| {
            let c = get(&conn, id).unwrap();
            [Some(c.accept_due), c.resolve_due, c.inform_due]
        };
        assert_eq!(
            day(dues(held.id)[1]).as_deref(),
            Some("2027-01-08T23:59:59")
        );
        assert_eq!(
            day(dues(ended.id)[2]).as_deref(),
            Some("2027-01-07T23:59:59")
        );
        assert_eq!(dues(waiting.id)[1], None);
        assert_eq!(
            provisional_reach(&conn, &before).unwrap(),
            BTreeMap::from([(2027, 3)])
        );
        let after = official_2027(&before);
        let moved: Vec<(i64, Stage, String)> = recompute_open(&conn, &s, &before, &after)
            .unwrap()
            .into_iter()
            .map(|m| (m.complaint, m.stage, m.after[..19].to_string()))
            .collect();
        assert_eq!(
            moved,
            [
                (held.id, Stage::Resolve, "2027-01-11T23:59:59".into()),
                (ended.id, Stage::Inform, "2027-01-08T23:59:59".into()),
                (waiting.id, Stage::Accept, "2027-01-08T23:59:59".into()),
            ]
        );
        assert_eq!(dues(waiting.id)[1], None);
        for (id, stage, after) in &moved {
            let c = get(&conn, *id).unwrap();
            assert_eq!(day(c.due(*stage)).as_ref(), Some(after));
        }
    }
}
