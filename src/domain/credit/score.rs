//! Standing today: a subject's score and band, the dishonest, watch and honoured lists, a
//! company's own score and the violations still active against it. Only active events that
//! have not expired count, so a record stops counting on its own.

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;

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
    pub dishonest: bool,
    pub watch: bool,
    pub honoured: bool,
}

/// Which lists `credit list` shows; none = every list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lists {
    pub dishonest: bool,
    pub watch: bool,
    pub honoured: bool,
}

impl Lists {
    /// Whether the score is on one of the lists asked for.
    fn admit(self, score: &Score) -> bool {
        let all = !(self.dishonest || self.watch || self.honoured);
        (score.dishonest && (all || self.dishonest))
            || (score.watch && (all || self.watch))
            || (score.honoured && (all || self.honoured))
    }
}

/// Every subject matching `{FILTER}`, with the sums and counts of its active events today.
const SCORE_SQL: &str = "SELECT s.id, {SUBJECT_COLUMNS},
        coalesce(sum(ev.points), 0) AS points,
        count(CASE WHEN ev.kind = 'violation' THEN 1 END) AS violations,
        count(CASE WHEN ev.kind = 'incentive' THEN 1 END) AS incentives,
        count(CASE WHEN ev.severity = 'severe' THEN 1 END) AS severe,
        count(CASE WHEN ev.severity = 'major' THEN 1 END) AS major
    FROM credit_subjects s
    {SUBJECT_JOINS}
    LEFT JOIN credit_events ev
        ON ev.subject_id = s.id AND ev.status = 'active' AND ev.expires_on > :today
    WHERE {FILTER}
    GROUP BY s.id
    ORDER BY s.kind, subject, s.id";

/// [`SCORE_SQL`] for the subjects matching `filter`.
fn score_sql(filter: &str) -> String {
    SCORE_SQL
        .replace("{SUBJECT_COLUMNS}", SUBJECT_COLUMNS)
        .replace("{SUBJECT_JOINS}", SUBJECT_JOINS)
        .replace("{FILTER}", filter)
}

/// The active events of a subject, counted.
#[derive(Debug, Clone, Copy, Default)]
struct Active {
    points: i64,
    violations: i64,
    incentives: i64,
    severe: i64,
    major: i64,
}

/// A subject's score, band and lists from its active events.
fn score_of(credit: &Credit, active: Active, subject: Score) -> Score {
    let score = credit.base + active.points;
    Score {
        score,
        band: credit.band(score).to_string(),
        active_violations: active.violations,
        active_incentives: active.incentives,
        dishonest: active.severe > 0 || active.major >= i64::from(credit.dishonest_major_count),
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
    };
    let subject = Score {
        subject_kind: row.get("subject_kind")?,
        subject: row.get("subject")?,
        subject_name: row.get("subject_name")?,
        id_number: row.get("id_number")?,
        company: row.get("subject_company")?,
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
    let mut stmt = conn.prepare_cached(&score_sql("1"))?;
    let mut rows = stmt.query(named_params! { ":today": today })?;
    while let Some(row) = rows.next()? {
        let score = score_from_row(credit, row)?;
        if lists.is_none_or(|lists| lists.admit(&score)) {
            each(score)?;
        }
    }
    Ok(())
}

/// One subject's score today; a company or employee without records has the base score.
pub fn score(
    conn: &Connection,
    credit: &Credit,
    arg: &SubjectArg,
    company_id: Option<i64>,
    today: NaiveDate,
) -> Result<Score> {
    if let Some(subject) = find_subject(conn, arg, company_id)? {
        return Ok(conn
            .prepare_cached(&score_sql("s.id = :subject"))?
            .query_row(
                named_params! { ":subject": subject, ":today": today },
                |row| score_from_row(credit, row),
            )?);
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
    Ok(score_of(credit, Active::default(), subject))
}

const COMPANY_SCORE_SQL: &str = "SELECT coalesce(sum(ev.points), 0)
    FROM credit_subjects s
    JOIN credit_events ev ON ev.subject_id = s.id AND ev.status = 'active' AND ev.expires_on > ?2
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
         AND ev.status = 'active' AND ev.expires_on > :today"
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
        assert!(severe.dishonest && !severe.watch && !severe.honoured);
        let one_major = with(Active {
            points: -25,
            violations: 1,
            major: 1,
            ..Active::default()
        });
        assert!(!one_major.dishonest);
        let two_major = with(Active {
            points: -50,
            violations: 2,
            major: 2,
            ..Active::default()
        });
        assert!(two_major.dishonest && two_major.watch && two_major.band == "D");
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
            score_sql("s.id = :subject"),
            company_subjects_sql(),
            active_violations_sql(),
        ] {
            assert_no_scan(&conn, &sql);
        }
    }
}
