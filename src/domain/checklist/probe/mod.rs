//! Probes: named queries that answer a checklist item from the data, listing the records
//! that keep it from a plain "yes". A template names a probe by its name; a name this
//! binary does not know leaves the item to a manual answer.
//!
//! Adding one: write a function `fn(&Probe) -> Result<Finding>` (usually one call to
//! [`Probe::check`] with two queries; any other statement through [`Probe::prepare`]) in the
//! child of its dimension in the built-in template (prevention, dispute, compliance,
//! bridging, credit), with its test, and register it in [`PROBES`]. A test checks that
//! every probe's queries search indexes.
//! A probe over the records of another area (handovers, notices, complaints, credit) calls
//! that area's domain function, so that its rules (overdue, late, breached, active) are the
//! ones its commands use; those queries are plan-checked in that module's tests, and the
//! probe only turns the records into a verdict with [`Probe::judge`].

mod bridging;
mod compliance;
mod credit;
mod dispute;
#[cfg(test)]
mod fixture;
mod prevention;

use anyhow::{Context as _, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Row};

use super::Answer;
use crate::i18n::Lang;
use crate::tr;

/// What a probe may look at.
pub struct Probe<'a> {
    pub conn: &'a Connection,
    pub company_id: i64,
    pub today: NaiveDate,
    /// The instant of the run, for clocks that count hours.
    pub now: DateTime<Utc>,
    pub lang: Lang,
}

/// A probe's answer and the note that explains it (the offending records).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub answer: Answer,
    pub note: String,
}

/// A probe: the finding on one company's data.
pub type ProbeFn = fn(&Probe) -> Result<Finding>;

/// Every probe this binary has, by the name templates use.
pub const PROBES: &[(&str, ProbeFn)] = &[
    ("core_customer_list", prevention::core_customer_list),
    (
        "customer_holders_not_core",
        prevention::customer_holders_not_core,
    ),
    (
        "core_customers_without_backup",
        prevention::core_customers_without_backup,
    ),
    (
        "core_customers_without_contact",
        bridging::core_customers_without_contact,
    ),
    ("core_staff_without_nda", compliance::core_staff_without_nda),
    (
        "core_staff_without_noncompete",
        compliance::core_staff_without_noncompete,
    ),
    ("leavers_with_customers", bridging::leavers_with_customers),
    ("handover_items_overdue", compliance::handover_items_overdue),
    ("notices_past_send_by", bridging::notices_past_send_by),
    ("complaints_breached_90d", dispute::complaints_breached_90d),
    ("credit_violations_active", credit::credit_violations_active),
];

/// The probe of this name, if this binary has it.
pub fn find(name: &str) -> Option<ProbeFn> {
    PROBES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// How many offending records a note lists before "and N more".
const LISTED: usize = 20;

impl Probe<'_> {
    /// Prepares a probe's statement (in tests, also noting its SQL for the query-plan check).
    pub fn prepare(&self, sql: &str) -> Result<rusqlite::CachedStatement<'_>> {
        #[cfg(test)]
        fixture::PREPARED.with(|seen| seen.borrow_mut().push(sql.to_string()));
        Ok(self.conn.prepare_cached(sql)?)
    }

    /// The common shape: `population` counts what is checked (`?1` = company id); the rows
    /// of `offenders` (`?1` = company id, and `?2` = today if it uses it) are what fails,
    /// each described by `describe`. None checked: n/a; none failing: yes; some: partial; all: no.
    pub fn check(
        &self,
        population: &str,
        offenders: &str,
        describe: impl Fn(&Row<'_>) -> rusqlite::Result<String>,
    ) -> Result<Finding> {
        let total: i64 = self
            .prepare(population)?
            .query_row([self.company_id], |r| r.get(0))
            .context("cannot run a checklist probe")?;
        let mut stmt = self.prepare(offenders)?;
        let mut rows = if stmt.parameter_count() > 1 {
            stmt.query(rusqlite::params![self.company_id, self.today])?
        } else {
            stmt.query([self.company_id])?
        };
        let mut failing = Vec::new();
        while let Some(row) = rows.next()? {
            failing.push(describe(row)?);
        }
        Ok(self.judge(total, failing))
    }

    /// The verdict on `total` records checked, of which the ones described in `failing` fail
    /// (for probes whose records come from another domain module's rules).
    pub fn judge(&self, total: i64, failing: Vec<String>) -> Finding {
        let count = failing.len();
        let listed = failing.into_iter().take(LISTED).collect();
        verdict(self.lang, total, count, listed)
    }
}

/// The verdict on `total` records checked, `failing` of them failing, `listed` named.
fn verdict(lang: Lang, total: i64, failing: usize, listed: Vec<String>) -> Finding {
    let total = usize::try_from(total).unwrap_or_default();
    if total == 0 {
        return Finding {
            answer: Answer::Na,
            note: tr!(
                lang,
                "nothing to check in the data",
                "数据中没有可检查的记录"
            ),
        };
    }
    if failing == 0 {
        return Finding {
            answer: Answer::Yes,
            note: tr!(
                lang,
                "all {total} checked are fine",
                "已检查 {total} 条，均无问题"
            ),
        };
    }
    let more = failing - listed.len();
    let mut note = tr!(
        lang,
        "{failing} of {total}: ",
        "{total} 条中有 {failing} 条："
    );
    note.push_str(&listed.join(&tr!(lang, "; ", "；")));
    if more > 0 {
        note.push_str(&tr!(lang, "; and {more} more", "；另有 {more} 条"));
    }
    Finding {
        answer: if failing < total {
            Answer::Partial
        } else {
            Answer::No
        },
        note,
    }
}

/// Active core and key customers.
const CORE_CUSTOMERS: &str = "SELECT count(*) FROM customers
    WHERE company_id = ?1 AND tier IN ('core', 'key') AND status = 'active'";

/// A customer or an employee as "code name", from the first two columns.
fn code_name(row: &Row<'_>) -> rusqlite::Result<String> {
    Ok(format!(
        "{} {}",
        row.get::<_, String>(0)?,
        row.get::<_, String>(1)?
    ))
}

#[cfg(test)]
mod tests {
    use super::fixture::{assert_finding, Fixture, PREPARED};
    use super::*;
    use crate::domain::customer::Tier;
    use crate::domain::employee::Role;

    #[test]
    fn every_probe_answers_n_a_on_an_empty_company() {
        let f = Fixture::new();
        for (name, _) in PROBES {
            assert_eq!(f.ask(name).answer, Answer::Na, "{name}");
        }
        assert!(find("no_such_probe").is_none());
    }

    #[test]
    fn a_long_list_is_cut_with_a_count() {
        let listed: Vec<String> = (1..=LISTED).map(|n| format!("C{n:03}")).collect();
        let found = verdict(Lang::En, 30, 25, listed);
        assert_finding(
            &found,
            Answer::Partial,
            &["25 of 30", "C020", "and 5 more"],
            &["C021"],
        );
        let found = verdict(Lang::Zh, 3, 3, vec!["C001".into()]);
        assert_eq!(found.answer, Answer::No);
        assert!(found.note.starts_with("3 条中有 3 条"), "{}", found.note);
    }

    #[test]
    fn every_probe_searches_indexes() {
        let f = Fixture::new();
        f.employee("E001", Role::Rnd, true, false)
            .customer("C001", Tier::Core, "E001", None);
        PREPARED.with(|seen| seen.borrow_mut().clear());
        for (name, _) in PROBES {
            f.ask(name);
        }
        let prepared = PREPARED.with(|seen| seen.take());
        assert!(prepared.len() > PROBES.len(), "{prepared:?}");
        for sql in prepared {
            crate::db::assert_no_scan(&f.conn, &sql);
        }
    }
}
