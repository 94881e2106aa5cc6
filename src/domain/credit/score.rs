//! Standing today: a subject's score and band, the official, attention, watch and honoured
//! lists, a company's own score and the violations still active against it. Only active
//! events that have not expired count, so a record stops counting on its own. A person known
//! by ID number is scored across the companies with a legal basis to match their records
//! (see `basis`), and apart in every other company.

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;

use super::basis::View;
use super::subject::{find_subject, unknown_person};
use super::{
    event_from_row, event_sql, CreditEvent, SubjectArg, SubjectKind, SUBJECT_COLUMNS, SUBJECT_JOINS,
};
use crate::config::Credit;
use crate::domain::{company, employee};

/// A subject's standing today.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Score {
    pub subject_kind: SubjectKind,
    pub subject: String,
    pub subject_name: String,
    pub id_number: Option<String>,
    /// The company of a company, employee or person without ID number; none for a person
    /// known by ID number, who is one subject across every company.
    pub company: Option<String>,
    pub score: i64,
    pub band: String,
    pub active_violations: i64,
    pub active_incentives: i64,
    /// On an agency's list today (经营异常名录 or 严重违法失信名单), by a recorded decision.
    pub official: bool,
    /// On the company's own attention list (关注): an active severe internal risk record, or
    /// `credit.attention_major_count` major ones. No official list.
    pub attention: bool,
    pub watch: bool,
    pub honoured: bool,
}

/// A subject's score as seen from a company context, with the companies whose records of
/// the person were left apart for want of a legal basis.
#[derive(Debug, Clone, Default)]
pub struct Standing {
    pub score: Score,
    pub unmatched: Vec<String>,
}

/// Which lists `credit list` shows; none = every list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lists {
    pub official: bool,
    pub attention: bool,
    pub watch: bool,
    pub honoured: bool,
}

impl Lists {
    /// Whether the score is on one of the lists asked for.
    fn admit(self, score: &Score) -> bool {
        let all = !(self.official || self.attention || self.watch || self.honoured);
        (score.official && (all || self.official))
            || (score.attention && (all || self.attention))
            || (score.watch && (all || self.watch))
            || (score.honoured && (all || self.honoured))
    }
}

/// Every subject matching `{FILTER}`, with the sums and counts of its active events today
/// among those matching `{EVENTS}`, grouped by `{APART}`: the company a row is confined to.
const SCORE_SQL: &str = "SELECT s.id, {SUBJECT_COLUMNS},
        coalesce(sc.code, (SELECT code FROM companies WHERE id = {APART})) AS company,
        coalesce(sum(ev.points), 0) AS points,
        count(CASE WHEN ev.kind = 'violation' THEN 1 END) AS violations,
        count(CASE WHEN ev.kind = 'incentive' THEN 1 END) AS incentives,
        count(CASE WHEN ev.severity = 'severe' AND ev.official IS NULL THEN 1 END) AS severe,
        count(CASE WHEN ev.severity = 'major' AND ev.official IS NULL THEN 1 END) AS major,
        count(CASE WHEN ev.official IN ('abnormal-operations-list', 'serious-illegal-list')
                   THEN 1 END) AS listed
    FROM credit_subjects s
    {SUBJECT_JOINS}
    LEFT JOIN credit_events ev
        ON ev.subject_id = s.id AND ev.status = 'active'
           AND (ev.expires_on IS NULL OR ev.expires_on > :today) AND {EVENTS}
    WHERE {FILTER}
    GROUP BY s.id, {APART}
    ORDER BY s.kind, subject, s.id, company";

/// A person's event in a company without a basis is scored apart, in that company.
const APART_BY_BASIS: &str = "(CASE WHEN s.id_number IS NULL OR ev.company_id IS NULL
        OR EXISTS (SELECT 1 FROM credit_bases b
                   WHERE b.subject_id = s.id AND b.company_id = ev.company_id)
    THEN NULL ELSE ev.company_id END)";

/// [`SCORE_SQL`] for the subjects matching `filter`, their events matching `events`, in rows
/// apart by `apart`.
fn score_sql(filter: &str, events: &str, apart: &str) -> String {
    SCORE_SQL
        .replace("{SUBJECT_COLUMNS}", SUBJECT_COLUMNS)
        .replace("{SUBJECT_JOINS}", SUBJECT_JOINS)
        .replace("{FILTER}", filter)
        .replace("{EVENTS}", events)
        .replace("{APART}", apart)
}

/// Every subject, a person by ID number in one row for the companies with a basis and one
/// for each company without.
fn all_scores_sql() -> String {
    score_sql("1", "1", APART_BY_BASIS)
}

/// One subject, its events in the companies of a view, confined to `:apart` when the view is.
fn one_score_sql() -> String {
    score_sql("s.id = :subject", super::basis::IN_VIEW, ":apart")
}

/// The active events of a subject, counted.
#[derive(Debug, Clone, Copy, Default)]
struct Active {
    points: i64,
    violations: i64,
    incentives: i64,
    severe: i64,
    major: i64,
    listed: i64,
}

/// A subject's score, band and lists from its active events.
fn score_of(credit: &Credit, active: Active, subject: Score) -> Score {
    let score = credit.base + active.points;
    Score {
        score,
        band: credit.band(score).to_string(),
        active_violations: active.violations,
        active_incentives: active.incentives,
        official: active.listed > 0,
        attention: active.severe > 0 || active.major >= i64::from(credit.attention_major_count),
        watch: score < credit.watch_below,
        honoured: active.incentives > 0 && active.violations == 0,
        ..subject
    }
}

/// A row of [`score_sql`], scored.
fn score_from_row(credit: &Credit, row: &rusqlite::Row<'_>) -> rusqlite::Result<Score> {
    let active = Active {
        points: row.get("points")?,
        violations: row.get("violations")?,
        incentives: row.get("incentives")?,
        severe: row.get("severe")?,
        major: row.get("major")?,
        listed: row.get("listed")?,
    };
    let subject = Score {
        subject_kind: row.get("subject_kind")?,
        subject: row.get("subject")?,
        subject_name: row.get("subject_name")?,
        id_number: row.get("id_number")?,
        company: row.get("company")?,
        ..Score::default()
    };
    Ok(score_of(credit, active, subject))
}

/// Every subject with a record, scored today, streamed.
pub fn scores(
    conn: &Connection,
    credit: &Credit,
    today: NaiveDate,
    lists: Option<Lists>,
    mut each: impl FnMut(Score) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&all_scores_sql())?;
    let mut rows = stmt.query(named_params! { ":today": today })?;
    while let Some(row) = rows.next()? {
        let score = score_from_row(credit, row)?;
        if lists.is_none_or(|lists| lists.admit(&score)) {
            each(score)?;
        }
    }
    Ok(())
}

/// One subject's score today as seen from `company_id` (a person by ID number: across the
/// companies of its view); a company or employee without records has the base score.
pub fn score(
    conn: &Connection,
    credit: &Credit,
    arg: &SubjectArg,
    company_id: Option<i64>,
    today: NaiveDate,
) -> Result<Standing> {
    if let Some(subject) = find_subject(conn, arg, company_id)? {
        let view = View::of(conn, subject, company_id)?;
        let (all, only, based) = view.params();
        let score = conn.prepare_cached(&one_score_sql())?.query_row(
            named_params! {
                ":subject": subject, ":today": today, ":all": all, ":only": only,
                ":based": based, ":apart": view.apart,
            },
            |row| score_from_row(credit, row),
        )?;
        return Ok(Standing {
            score,
            unmatched: view.unmatched,
        });
    }
    let subject = match arg {
        SubjectArg::Company(code) => {
            let company = company::get(conn, code)?;
            Score {
                subject_kind: SubjectKind::Company,
                subject: format!("company:{}", company.code),
                subject_name: company.name,
                company: Some(company.code),
                ..Score::default()
            }
        }
        SubjectArg::Employee(code) => {
            let company_id = company_id.context("an employee needs a company context")?;
            let employee = employee::get(conn, company_id, code)?;
            let company: String = conn
                .prepare_cached("SELECT code FROM companies WHERE id = ?1")?
                .query_row([company_id], |r| r.get(0))?;
            Score {
                subject_kind: SubjectKind::Employee,
                subject: format!("employee:{}", employee.id),
                subject_name: employee.name,
                company: Some(company),
                ..Score::default()
            }
        }
        SubjectArg::Person { .. } => return Err(unknown_person()),
    };
    Ok(Standing {
        score: score_of(credit, Active::default(), subject),
        unmatched: Vec::new(),
    })
}

const COMPANY_SCORE_SQL: &str = "SELECT coalesce(sum(ev.points), 0)
    FROM credit_subjects s
    JOIN credit_events ev ON ev.subject_id = s.id AND ev.status = 'active'
        AND (ev.expires_on IS NULL OR ev.expires_on > ?2)
    WHERE s.kind = 'company' AND s.company_id = ?1";

/// A company's own score today (`status`'s `credit_score`).
pub fn company_score(
    conn: &Connection,
    credit: &Credit,
    company_id: i64,
    today: NaiveDate,
) -> Result<i64> {
    let points: i64 = conn
        .prepare_cached(COMPANY_SCORE_SQL)?
        .query_row(params![company_id, today], |r| r.get(0))?;
    Ok(credit.base + points)
}

/// A subject `s` that is the company `:company` itself or one of its employees.
const OF_COMPANY: &str = "((s.kind = 'company' AND s.company_id = :company)
    OR (s.kind = 'employee'
        AND s.employee_id IN (SELECT id FROM employees WHERE company_id = :company)))";

/// How many credit subjects the company and its employees are.
fn company_subjects_sql() -> String {
    format!("SELECT count(*) FROM credit_subjects s WHERE {OF_COMPANY}")
}

/// The active violations against the company and its employees.
fn active_violations_sql() -> String {
    event_sql(&format!(
        "{OF_COMPANY} AND ev.kind = 'violation'
         AND ev.status = 'active' AND (ev.expires_on IS NULL OR ev.expires_on > :today)"
    ))
}

/// How many credit subjects the company and its employees are (those with a record), and
/// the violations against them still active today (neither repaired, revoked nor expired).
pub fn active_violations(
    conn: &Connection,
    company_id: i64,
    today: NaiveDate,
) -> Result<(i64, Vec<CreditEvent>)> {
    let subjects: i64 = conn
        .prepare_cached(&company_subjects_sql())?
        .query_row(named_params! { ":company": company_id }, |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&active_violations_sql())?;
    let rows = stmt.query_map(
        named_params! { ":company": company_id, ":today": today },
        event_from_row,
    )?;
    Ok((subjects, rows.collect::<rusqlite::Result<_>>()?))
}

/// The code of the company a scored subject is listed under: its own company, else (a person
/// known by ID number) the company that recorded its first event.
pub fn listed_company(conn: &Connection, score: &Score) -> Result<Option<String>> {
    if let Some(company) = &score.company {
        return Ok(Some(company.clone()));
    }
    Ok(conn
        .prepare_cached(FIRST_RECORDED_IN_SQL)?
        .query_row([&score.id_number], |r| r.get(0))
        .optional()?)
}

/// The company that recorded the first event of the person with ID number `?1`.
const FIRST_RECORDED_IN_SQL: &str = "SELECT co.code FROM credit_events ev
    JOIN credit_subjects s ON s.id = ev.subject_id
    JOIN companies co ON co.id = ev.company_id
    WHERE s.id_number = ?1
    ORDER BY ev.id LIMIT 1";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::credit::tests::{assert_no_scan, db};

    #[test]
    fn flags_follow_the_rules() {
        let credit = Credit::default();
        let with = |active: Active| score_of(&credit, active, Score::default());
        let severe = with(Active {
            points: -40,
            violations: 1,
            severe: 1,
            ..Active::default()
        });
        assert!(severe.attention && !severe.official && !severe.watch && !severe.honoured);
        let one_major = with(Active {
            points: -25,
            violations: 1,
            major: 1,
            ..Active::default()
        });
        assert!(!one_major.attention);
        let two_major = with(Active {
            points: -50,
            violations: 2,
            major: 2,
            ..Active::default()
        });
        assert!(two_major.attention && two_major.watch && two_major.band == "D");
        let listed = with(Active {
            points: -40,
            violations: 1,
            listed: 1,
            ..Active::default()
        });
        assert!(listed.official && !listed.attention);
        let incentive = with(Active {
            points: 10,
            incentives: 1,
            ..Active::default()
        });
        assert!(incentive.honoured && incentive.score == 110 && incentive.band == "A");
    }

    #[test]
    fn score_queries_search_indexes() {
        let (conn, ..) = db();
        for sql in [
            COMPANY_SCORE_SQL.to_string(),
            FIRST_RECORDED_IN_SQL.to_string(),
            one_score_sql(),
            company_subjects_sql(),
            active_violations_sql(),
        ] {
            assert_no_scan(&conn, &sql);
        }
    }
}
