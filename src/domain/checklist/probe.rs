//! Probes: named queries that answer a checklist item from the data, listing the records
//! that keep it from a plain "yes". A template names a probe by its name; a name this
//! binary does not know leaves the item to a manual answer.
//!
//! Adding one: write a function `fn(&Probe) -> Result<Finding>` (usually one call to
//! [`Probe::check`] with two queries; any other statement through [`Probe::prepare`]) and
//! register it in [`PROBES`]. A test checks that every probe's queries search indexes.
//! A probe over the records of another area (handovers, notices, complaints, credit) calls
//! that area's domain function, so that its rules (overdue, late, breached, active) are the
//! ones its commands use; those queries are plan-checked in that module's tests, and the
//! probe only turns the records into a verdict with [`Probe::judge`].

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::{Connection, Row};

use super::Answer;
use crate::domain::notify::{self, NoticeStatus, Scope};
use crate::domain::{complaint, credit, handover};
use crate::i18n::Lang;
use crate::{time, tr};

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

pub type ProbeFn = fn(&Probe) -> Result<Finding>;

/// Every probe this binary has, by the name templates use.
pub const PROBES: &[(&str, ProbeFn)] = &[
    ("core_customer_list", core_customer_list),
    ("customer_holders_not_core", customer_holders_not_core),
    (
        "core_customers_without_backup",
        core_customers_without_backup,
    ),
    (
        "core_customers_without_contact",
        core_customers_without_contact,
    ),
    ("core_staff_without_nda", core_staff_without_nda),
    (
        "core_staff_without_noncompete",
        core_staff_without_noncompete,
    ),
    ("leavers_with_customers", leavers_with_customers),
    ("handover_items_overdue", handover_items_overdue),
    ("notices_past_send_by", notices_past_send_by),
    ("complaints_breached_90d", complaints_breached_90d),
    ("credit_violations_active", credit_violations_active),
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
        tests::PREPARED.with(|seen| seen.borrow_mut().push(sql.to_string()));
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
                "已检查 {total} 条,均无问题"
            ),
        };
    }
    let more = failing - listed.len();
    let mut note = tr!(
        lang,
        "{failing} of {total}: ",
        "{total} 条中有 {failing} 条:"
    );
    note.push_str(&listed.join("; "));
    if more > 0 {
        note.push_str(&tr!(lang, "; and {more} more", ";另有 {more} 条"));
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

/// Some customers are marked core.
fn core_customer_list(p: &Probe) -> Result<Finding> {
    let (customers, core): (i64, i64) = p
        .prepare(
            "SELECT count(*), coalesce(sum(tier = 'core'), 0) FROM customers
             WHERE company_id = ?1 AND status = 'active'",
        )?
        .query_row([p.company_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let lang = p.lang;
    Ok(match (customers, core) {
        (0, _) => verdict(lang, 0, 0, Vec::new()),
        (n, 0) => Finding {
            answer: Answer::No,
            note: tr!(
                lang,
                "none of {n} customers is marked core",
                "{n} 个客户中没有一个标记为核心客户"
            ),
        },
        (n, core) => Finding {
            answer: Answer::Yes,
            note: tr!(
                lang,
                "{core} of {n} customers are marked core",
                "{n} 个客户中有 {core} 个核心客户"
            ),
        },
    })
}

/// Active core and key customers.
const CORE_CUSTOMERS: &str = "SELECT count(*) FROM customers
    WHERE company_id = ?1 AND tier IN ('core', 'key') AND status = 'active'";

fn customer(row: &Row<'_>) -> rusqlite::Result<String> {
    Ok(format!(
        "{} {}",
        row.get::<_, String>(0)?,
        row.get::<_, String>(1)?
    ))
}

/// Core and key customers with no backup, or whose backup is leaving or has left.
fn core_customers_without_backup(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    p.check(
        CORE_CUSTOMERS,
        "SELECT c.code, c.name, o.code, b.code, b.status FROM customers c
         JOIN employees o ON o.id = c.owner_id
         LEFT JOIN employees b ON b.id = c.backup_id
         WHERE c.company_id = ?1 AND c.tier IN ('core', 'key') AND c.status = 'active'
           AND (b.id IS NULL OR b.status != 'active')
         ORDER BY c.code",
        |r| {
            let (who, owner) = (customer(r)?, r.get::<_, String>(2)?);
            Ok(match r.get::<_, Option<String>>(3)? {
                None => tr!(lang, "{who} (only {owner})", "{who}(仅 {owner} 对接)"),
                Some(backup) => {
                    let status: String = r.get(4)?;
                    tr!(
                        lang,
                        "{who} (backup {backup} {status})",
                        "{who}(备份人 {backup} 状态 {status})"
                    )
                }
            })
        },
    )
}

/// Core and key customers without a contact person, or with neither phone nor e-mail.
fn core_customers_without_contact(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    p.check(
        CORE_CUSTOMERS,
        "SELECT code, name, contact IS NULL FROM customers
         WHERE company_id = ?1 AND tier IN ('core', 'key') AND status = 'active'
           AND (contact IS NULL OR (phone IS NULL AND email IS NULL))
         ORDER BY code",
        |r| {
            let who = customer(r)?;
            Ok(if r.get(2)? {
                tr!(lang, "{who} (no contact person)", "{who}(无联系人)")
            } else {
                tr!(lang, "{who} (no phone or e-mail)", "{who}(无电话和邮箱)")
            })
        },
    )
}

/// Employees who serve core or key customers but are not marked core.
fn customer_holders_not_core(p: &Probe) -> Result<Finding> {
    const HOLDERS: &str = "FROM employees e
        WHERE e.company_id = ?1 AND e.status != 'left' AND EXISTS (
            SELECT 1 FROM customers c WHERE c.owner_id = e.id
              AND c.tier IN ('core', 'key') AND c.status = 'active')";
    p.check(
        &format!("SELECT count(*) {HOLDERS}"),
        &format!("SELECT e.code, e.name {HOLDERS} AND e.core = 0 ORDER BY e.code"),
        employee,
    )
}

fn employee(row: &Row<'_>) -> rusqlite::Result<String> {
    Ok(format!(
        "{} {}",
        row.get::<_, String>(0)?,
        row.get::<_, String>(1)?
    ))
}

/// Core employees (not yet gone) without a confidentiality agreement.
fn core_staff_without_nda(p: &Probe) -> Result<Finding> {
    p.check(
        "SELECT count(*) FROM employees WHERE company_id = ?1 AND core = 1 AND status != 'left'",
        "SELECT code, name FROM employees
         WHERE company_id = ?1 AND core = 1 AND status != 'left' AND nda = 0
         ORDER BY code",
        employee,
    )
}

/// Core R&D, technical and management staff (not yet gone) with no non-compete terms, or
/// with terms running more than the legal two years past their leaving date.
fn core_staff_without_noncompete(p: &Probe) -> Result<Finding> {
    const STAFF: &str = "FROM employees WHERE company_id = ?1 AND core = 1 AND status != 'left'
        AND role IN ('rnd', 'tech', 'management')";
    let lang = p.lang;
    p.check(
        &format!("SELECT count(*) {STAFF}"),
        &format!(
            "SELECT code, name, noncompete_until {STAFF}
               AND (noncompete_until IS NULL OR noncompete_until > date(leaving_on, '+2 years'))
             ORDER BY code"
        ),
        |r| {
            let who = employee(r)?;
            Ok(match r.get::<_, Option<NaiveDate>>(2)? {
                None => tr!(lang, "{who} (none)", "{who}(未约定)"),
                Some(until) => tr!(
                    lang,
                    "{who} (until {until}, more than two years after leaving)",
                    "{who}(至 {until},超过离职后两年)"
                ),
            })
        },
    )
}

/// Active customers still owned by an employee who is leaving or has left.
fn leavers_with_customers(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    p.check(
        "SELECT count(*) FROM customers WHERE company_id = ?1 AND status = 'active'",
        "SELECT c.code, c.name, o.code, o.status, o.leaving_on FROM customers c
         JOIN employees o ON o.id = c.owner_id
         WHERE o.company_id = ?1 AND o.status IN ('leaving', 'left') AND c.status = 'active'
         ORDER BY c.code",
        |r| {
            let (who, owner, status) =
                (customer(r)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?);
            Ok(match r.get::<_, Option<NaiveDate>>(4)? {
                Some(on) => tr!(
                    lang,
                    "{who} (owner {owner} {status}, {on})",
                    "{who}(负责人 {owner} {status},{on})"
                ),
                None => tr!(
                    lang,
                    "{who} (owner {owner} {status})",
                    "{who}(负责人 {owner} {status})"
                ),
            })
        },
    )
}

/// Items of open handovers still open after their due date.
fn handover_items_overdue(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    let (total, overdue) = handover::overdue_items(p.conn, p.company_id, p.today)?;
    let failing = overdue
        .into_iter()
        .map(|row| {
            let (id, title, due, who) =
                (row.item.id, row.item.title, row.item.due_on, row.employee);
            let handover = row.item.handover;
            tr!(
                lang,
                "item {id} {title} (handover {handover} of {who}, due {due})",
                "事项 {id} {title}(交接 {handover},离职人 {who},截止 {due})"
            )
        })
        .collect();
    Ok(p.judge(total, failing))
}

/// Notices (not cancelled) that are late: planned and past their send-by date, or sent after it.
fn notices_past_send_by(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    let (mut total, mut failing) = (0, Vec::new());
    let all = notify::Filter::default();
    notify::list(
        p.conn,
        Scope::Company(p.company_id),
        &all,
        p.today,
        0,
        |n| {
            if n.status == NoticeStatus::Cancelled {
                return Ok(());
            }
            total += 1;
            if n.late {
                let (id, customer, name, send_by) = (n.id, n.customer, n.customer_name, n.send_by);
                failing.push(match n.sent_at {
                    None => tr!(
                        lang,
                        "notice {id} {customer} {name} (not sent, send by {send_by})",
                        "告知 {id} {customer} {name}(未发送,最迟 {send_by})"
                    ),
                    Some(sent) => {
                        let sent = sent.get(..10).unwrap_or(&sent).to_string();
                        tr!(
                            lang,
                            "notice {id} {customer} {name} (sent {sent}, send by {send_by})",
                            "告知 {id} {customer} {name}({sent} 发出,最迟应于 {send_by})"
                        )
                    }
                });
            }
            Ok(())
        },
    )?;
    Ok(p.judge(total, failing))
}

/// How far back the complaint probe looks.
const COMPLAINT_DAYS: u64 = 90;

/// Complaints received in the last 90 days with a clock breached (met late, or outstanding
/// past its deadline), by the stage rules of the complaint module.
fn complaints_breached_90d(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    let since = p
        .today
        .checked_sub_days(Days::new(COMPLAINT_DAYS))
        .unwrap_or(p.today);
    let (total, breaches) =
        complaint::breached_since(p.conn, p.company_id, time::start_of_day(since), p.now)?;
    let failing = breaches
        .into_iter()
        .map(|b| {
            let c = b.complaint;
            let id = c.id;
            let who = c.customer.or(c.complainant).unwrap_or_default();
            let received = c
                .received_at
                .get(..10)
                .unwrap_or(&c.received_at)
                .to_string();
            let stages: Vec<&str> = b.stages.into_iter().map(|s| s.label(lang)).collect();
            let stages = stages.join(tr!(lang, ", ", "、").as_str());
            tr!(
                lang,
                "complaint {id} {who} (received {received}; breached: {stages})",
                "投诉 {id} {who}({received} 收到;超时:{stages})"
            )
        })
        .collect();
    Ok(p.judge(total, failing))
}

/// The company and its employees with a record: those with a violation still active
/// (neither repaired, revoked nor expired).
fn credit_violations_active(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    let (subjects, violations) = credit::active_violations(p.conn, p.company_id, p.today)?;
    let mut by_subject: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for v in violations {
        by_subject
            .entry((v.subject, v.subject_name))
            .or_default()
            .push(format!("{} {}", v.code, v.occurred_on));
    }
    let failing = by_subject
        .into_iter()
        .map(|((subject, name), codes)| {
            let codes = codes.join(", ");
            tr!(
                lang,
                "{subject} {name} ({codes})",
                "{subject} {name}({codes})"
            )
        })
        .collect();
    Ok(p.judge(subjects, failing))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use chrono::TimeZone;
    use rusqlite::Connection;

    use super::*;
    use crate::audit::Stamp;
    use crate::domain::customer::{self, CustomerPatch, Tier};
    use crate::domain::employee::{self, EmployeePatch, Role};
    use crate::domain::{company, Patch};

    thread_local! {
        /// The SQL of every statement a probe prepared on this thread.
        pub static PREPARED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    struct Fixture {
        conn: Connection,
        company: i64,
        stamp: Stamp,
    }

    fn some(text: &str) -> Patch<String> {
        Some(Some(text.to_string()))
    }

    impl Fixture {
        fn new() -> Fixture {
            let mut conn = Connection::open_in_memory().unwrap();
            crate::db::migrate(&mut conn).unwrap();
            let stamp = Stamp {
                actor: "test".into(),
                at: chrono::Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap(),
            };
            company::add(&conn, &stamp, "914403001922038216", "示例", None).unwrap();
            let company = company::resolve(&conn, None).unwrap().id;
            Fixture {
                conn,
                company,
                stamp,
            }
        }

        fn employee(&self, code: &str, role: Role, core: bool, nda: bool) -> &Self {
            let patch = EmployeePatch {
                name: Some(format!("员工{code}")),
                role: Some(role),
                core: Some(core),
                nda: Some(nda),
                ..EmployeePatch::default()
            };
            employee::add(&self.conn, &self.stamp, self.company, code, &patch).unwrap();
            self
        }

        fn update_employee(&self, code: &str, patch: EmployeePatch) -> &Self {
            employee::update(&self.conn, &self.stamp, self.company, code, &patch).unwrap();
            self
        }

        fn customer(&self, code: &str, tier: Tier, owner: &str, backup: Option<&str>) -> &Self {
            let patch = CustomerPatch {
                name: Some(format!("客户{code}")),
                tier: Some(tier),
                owner: Some(owner.into()),
                backup: backup.map(|b| Some(b.to_string())),
                contact: some("经理"),
                phone: some("13912345678"),
                ..CustomerPatch::default()
            };
            customer::add(&self.conn, &self.stamp, self.company, code, &patch).unwrap();
            self
        }

        fn update_customer(&self, code: &str, patch: CustomerPatch) -> &Self {
            customer::update(&self.conn, &self.stamp, self.company, code, &patch).unwrap();
            self
        }

        /// Opens the handover of `code` (successor `to`) leaving on `leaving_on`; its id.
        fn handover(&self, code: &str, to: &str, leaving_on: &str) -> i64 {
            let rules = handover::Rules::new(&crate::config::Handover::default(), Lang::En);
            let request = handover::OpenRequest {
                employee: code.into(),
                leaving_on: leaving_on.parse().unwrap(),
                successor: Some(to.into()),
                reason: handover::Reason::Resign,
            };
            handover::open(&self.conn, &self.stamp, self.company, &rules, &request)
                .unwrap()
                .id
        }

        fn sql(&self, statement: &str) -> &Self {
            self.conn.execute_batch(statement).unwrap();
            self
        }

        fn ask(&self, name: &str) -> Finding {
            let probe = Probe {
                conn: &self.conn,
                company_id: self.company,
                today: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
                now: self.stamp.at,
                lang: Lang::En,
            };
            find(name).expect(name)(&probe).unwrap()
        }
    }

    fn assert_finding(f: &Finding, answer: Answer, mentions: &[&str], absent: &[&str]) {
        assert_eq!(f.answer, answer, "{f:?}");
        for m in mentions {
            assert!(f.note.contains(m), "{m:?} missing in {:?}", f.note);
        }
        for a in absent {
            assert!(!f.note.contains(a), "{a:?} should not be in {:?}", f.note);
        }
    }

    #[test]
    fn every_probe_answers_n_a_on_an_empty_company() {
        let f = Fixture::new();
        for (name, _) in PROBES {
            assert_eq!(f.ask(name).answer, Answer::Na, "{name}");
        }
        assert!(find("no_such_probe").is_none());
    }

    #[test]
    fn core_customer_list() {
        let f = Fixture::new();
        f.employee("E001", Role::Sales, true, true)
            .customer("C001", Tier::Normal, "E001", None);
        assert_finding(
            &f.ask("core_customer_list"),
            Answer::No,
            &["none of 1"],
            &[],
        );
        f.customer("C002", Tier::Core, "E001", None);
        assert_finding(&f.ask("core_customer_list"), Answer::Yes, &["1 of 2"], &[]);
    }

    #[test]
    fn core_customers_without_backup() {
        let f = Fixture::new();
        f.employee("E001", Role::Sales, true, true)
            .employee("E002", Role::Service, false, false)
            .customer("C001", Tier::Core, "E001", None)
            .customer("C002", Tier::Key, "E001", Some("E002"))
            .customer("C003", Tier::Normal, "E001", None);
        let found = f.ask("core_customers_without_backup");
        assert_finding(
            &found,
            Answer::Partial,
            &["1 of 2", "C001", "only E001"],
            &["C002", "C003"],
        );
        f.update_customer(
            "C001",
            CustomerPatch {
                backup: some("E002"),
                ..CustomerPatch::default()
            },
        );
        assert_finding(
            &f.ask("core_customers_without_backup"),
            Answer::Yes,
            &["2"],
            &[],
        );
        f.sql("UPDATE employees SET status = 'left' WHERE code = 'E002'");
        let found = f.ask("core_customers_without_backup");
        assert_finding(&found, Answer::No, &["2 of 2", "backup E002 left"], &[]);
    }

    #[test]
    fn customer_holders_not_core() {
        let f = Fixture::new();
        f.employee("E001", Role::Sales, true, true)
            .employee("E002", Role::Sales, false, false)
            .employee("E003", Role::Service, false, false)
            .customer("C001", Tier::Core, "E001", None)
            .customer("C002", Tier::Key, "E002", None)
            .customer("C003", Tier::Normal, "E003", None);
        let found = f.ask("customer_holders_not_core");
        assert_finding(
            &found,
            Answer::Partial,
            &["1 of 2", "E002"],
            &["E001", "E003"],
        );
        f.update_employee(
            "E002",
            EmployeePatch {
                core: Some(true),
                ..EmployeePatch::default()
            },
        );
        assert_finding(&f.ask("customer_holders_not_core"), Answer::Yes, &[], &[]);
    }

    #[test]
    fn core_staff_without_nda() {
        let f = Fixture::new();
        f.employee("E001", Role::Rnd, true, true)
            .employee("E002", Role::Sales, true, false)
            .employee("E003", Role::Service, false, false);
        let found = f.ask("core_staff_without_nda");
        assert_finding(
            &found,
            Answer::Partial,
            &["1 of 2", "E002"],
            &["E001", "E003"],
        );
        f.sql("UPDATE employees SET status = 'left' WHERE code = 'E002'");
        assert_finding(&f.ask("core_staff_without_nda"), Answer::Yes, &["1"], &[]);
    }

    #[test]
    fn core_staff_without_noncompete() {
        let f = Fixture::new();
        f.employee("E001", Role::Rnd, true, true)
            .employee("E002", Role::Management, true, true)
            .employee("E003", Role::Sales, true, true)
            .employee("E004", Role::Tech, false, true);
        let found = f.ask("core_staff_without_noncompete");
        assert_finding(
            &found,
            Answer::No,
            &["2 of 2", "E001", "E002"],
            &["E003", "E004"],
        );
        let until = |date: &str| EmployeePatch {
            noncompete_until: Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()),
            ..EmployeePatch::default()
        };
        f.update_employee("E001", until("2028-03-01"));
        let found = f.ask("core_staff_without_noncompete");
        assert_finding(&found, Answer::Partial, &["1 of 2", "E002"], &["E001"]);
        f.update_employee("E002", until("2028-06-30"));
        assert_finding(
            &f.ask("core_staff_without_noncompete"),
            Answer::Yes,
            &[],
            &[],
        );
        f.sql("UPDATE employees SET status = 'leaving', leaving_on = '2026-03-20' WHERE code = 'E002'");
        let found = f.ask("core_staff_without_noncompete");
        assert_finding(
            &found,
            Answer::Partial,
            &["E002", "until 2028-06-30", "two years"],
            &["E001"],
        );
    }

    #[test]
    fn leavers_with_customers() {
        let f = Fixture::new();
        f.employee("E001", Role::Rnd, true, true)
            .employee("E002", Role::Sales, true, true)
            .customer("C001", Tier::Core, "E001", Some("E002"))
            .customer("C002", Tier::Normal, "E002", None);
        assert_finding(&f.ask("leavers_with_customers"), Answer::Yes, &["2"], &[]);
        f.sql("UPDATE employees SET status = 'leaving', leaving_on = '2026-03-20' WHERE code = 'E001'");
        let found = f.ask("leavers_with_customers");
        assert_finding(
            &found,
            Answer::Partial,
            &["1 of 2", "C001", "E001 leaving, 2026-03-20"],
            &["C002"],
        );
        f.update_customer(
            "C001",
            CustomerPatch {
                owner: Some("E002".into()),
                backup: Some(None),
                ..CustomerPatch::default()
            },
        );
        assert_finding(&f.ask("leavers_with_customers"), Answer::Yes, &[], &[]);
    }

    #[test]
    fn core_customers_without_contact() {
        let f = Fixture::new();
        f.employee("E001", Role::Sales, true, true)
            .customer("C001", Tier::Core, "E001", None)
            .customer("C002", Tier::Key, "E001", None)
            .customer("C003", Tier::Normal, "E001", None);
        assert_finding(
            &f.ask("core_customers_without_contact"),
            Answer::Yes,
            &["2"],
            &[],
        );
        f.update_customer(
            "C001",
            CustomerPatch {
                phone: Some(None),
                ..CustomerPatch::default()
            },
        )
        .update_customer(
            "C002",
            CustomerPatch {
                contact: Some(None),
                ..CustomerPatch::default()
            },
        )
        .update_customer(
            "C003",
            CustomerPatch {
                contact: Some(None),
                ..CustomerPatch::default()
            },
        );
        let found = f.ask("core_customers_without_contact");
        assert_finding(
            &found,
            Answer::No,
            &[
                "2 of 2",
                "C001 客户C001 (no phone or e-mail)",
                "C002 客户C002 (no contact person)",
            ],
            &["C003"],
        );
    }

    fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn handover_items_overdue() {
        let f = Fixture::new();
        f.employee("E001", Role::Sales, true, true)
            .employee("E002", Role::Sales, true, true)
            .employee("E003", Role::Service, false, false)
            .customer("C001", Tier::Core, "E001", None)
            .customer("C002", Tier::Key, "E002", None);
        // Items fall due three days before the leaving date: 03-17, not yet.
        f.handover("E001", "E003", "2026-03-20");
        let found = f.ask("handover_items_overdue");
        assert_finding(&found, Answer::Yes, &["7"], &[]);
        // Left yesterday (back-filled): every item of handover 2 is overdue until done.
        let late = f.handover("E002", "E003", "2026-03-01");
        let found = f.ask("handover_items_overdue");
        assert_finding(
            &found,
            Answer::Partial,
            &[
                "7 of 14",
                "客户C002 (handover 2 of E002, due 2026-02-26)",
                "(handover 2 of E002, due 2026-03-01)",
            ],
            &["handover 1"],
        );
        let first = handover::show(&f.conn, late, crate::time::Clock::fixed(f.stamp.at))
            .unwrap()
            .items[0]
            .item
            .id;
        handover::waive_item(&f.conn, &f.stamp, first, "not needed").unwrap();
        assert_finding(
            &f.ask("handover_items_overdue"),
            Answer::Partial,
            &["6 of 14"],
            &[],
        );
        // A closed handover is no longer checked.
        handover::close(&f.conn, &f.stamp, late, Some("left without notice")).unwrap();
        assert_finding(&f.ask("handover_items_overdue"), Answer::Yes, &["7"], &[]);
    }

    #[test]
    fn notices_past_send_by() {
        let f = Fixture::new();
        f.employee("E001", Role::Sales, true, true)
            .employee("E002", Role::Sales, true, true)
            .employee("E003", Role::Service, false, false)
            .customer("C001", Tier::Core, "E001", None)
            .customer("C002", Tier::Key, "E002", None)
            .customer("C003", Tier::Key, "E002", None);
        let on_time = f.handover("E001", "E003", "2026-03-20");
        notify::plan(&f.conn, &f.stamp, on_time, 3).unwrap();
        assert_finding(&f.ask("notices_past_send_by"), Answer::Yes, &["1"], &[]);
        // Send-by 03-01, yesterday.
        let late = f.handover("E002", "E003", "2026-03-04");
        let planned = notify::plan(&f.conn, &f.stamp, late, 3).unwrap().notices;
        let found = f.ask("notices_past_send_by");
        assert_finding(
            &found,
            Answer::Partial,
            &[
                "2 of 3",
                "C002 客户C002 (not sent, send by 2026-03-01)",
                "C003",
            ],
            &["C001"],
        );
        // Sent today is still late; cancelled is no longer counted.
        let (c002, c003) = (planned[0].id, planned[1].id);
        let channel = notify::Channel::Letter;
        notify::sent(&f.conn, &f.stamp, &[c002], channel, f.stamp.at).unwrap();
        notify::cancel(&f.conn, &f.stamp, c003, "customer left").unwrap();
        let found = f.ask("notices_past_send_by");
        assert_finding(
            &found,
            Answer::Partial,
            &[
                "1 of 2",
                "C002 客户C002 (sent 2026-03-02, send by 2026-03-01)",
            ],
            &["C003", "C001"],
        );
    }

    #[test]
    fn complaints_breached_90d() {
        use crate::domain::complaint::{Act, Category, Channel, Clocks, NewComplaint};
        let f = Fixture::new();
        f.employee("E001", Role::Sales, true, true)
            .customer("C001", Tier::Core, "E001", None);
        let (sla, calendar) = (
            crate::config::Sla::default(),
            crate::time::Calendar::builtin(),
        );
        let clocks = Clocks {
            sla: &sla,
            calendar: &calendar,
        };
        let file = |received: &str, steps: &[(&str, Act)]| {
            let new = NewComplaint {
                customer: Some("C001".into()),
                complainant: None,
                summary: "s".into(),
                category: Category::Other,
                channel: Channel::Phone,
                received_at: at(received),
                handover: None,
            };
            let id = complaint::file(&f.conn, &f.stamp, f.company, clocks, &new)
                .unwrap()
                .id;
            for (when, act) in steps {
                complaint::act(&f.conn, &f.stamp, id, at(when), act).unwrap();
            }
        };
        // More than 90 days ago (the window opens on 2025-12-02): not checked.
        file("2025-11-20T02:00:00Z", &[]);
        // Accepted and answered in time, resolution not yet due.
        let note = || Act::Feedback { note: "n".into() };
        file(
            "2026-02-24T02:00:00Z",
            &[
                ("2026-02-24T03:00:00Z", Act::Accept),
                ("2026-02-24T04:00:00Z", note()),
            ],
        );
        assert_finding(&f.ask("complaints_breached_90d"), Answer::Yes, &["1"], &[]);
        // Accepted late (met late counts), and one untouched past its accept and feedback clocks.
        file(
            "2026-02-25T02:00:00Z",
            &[
                ("2026-02-26T05:00:00Z", Act::Accept),
                ("2026-02-26T06:00:00Z", note()),
            ],
        );
        file("2026-02-26T02:00:00Z", &[]);
        let found = f.ask("complaints_breached_90d");
        assert_finding(
            &found,
            Answer::Partial,
            &[
                "2 of 3",
                "complaint 3 C001 (received 2026-02-25; breached: accept)",
                "complaint 4 C001 (received 2026-02-26; breached: accept, feedback)",
            ],
            &["complaint 1 ", "complaint 2 "],
        );
    }

    #[test]
    fn credit_violations_active() {
        use crate::domain::credit::{self, catalog::Catalog, NewEvent, SubjectArg};
        let f = Fixture::new();
        f.employee("E001", Role::Service, true, true);
        let catalog = Catalog::builtin();
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let record = |subject: SubjectArg, code: &str, occurred_on: &str| {
            let new = NewEvent {
                subject,
                code: code.into(),
                occurred_on: occurred_on.parse().unwrap(),
                note: None,
            };
            credit::record(&f.conn, &f.stamp, &catalog, Some(f.company), today, &new)
                .unwrap()
                .id
        };
        let company = || SubjectArg::Company("914403001922038216".into());
        // An incentive, and a violation that expired on 2026-03-01 (two years).
        record(
            SubjectArg::Employee("E001".into()),
            "service-manual-handover",
            "2026-01-10",
        );
        record(company(), "contact-change-not-notified", "2024-03-01");
        assert_finding(&f.ask("credit_violations_active"), Answer::Yes, &["2"], &[]);
        let active = record(company(), "no-handover-rules", "2025-06-01");
        let found = f.ask("credit_violations_active");
        assert_finding(
            &found,
            Answer::Partial,
            &[
                "1 of 2",
                "company:914403001922038216 示例 (no-handover-rules 2025-06-01)",
            ],
            &["contact-change", "employee:E001"],
        );
        record(
            SubjectArg::Employee("E001".into()),
            "handover-refused",
            "2025-12-01",
        );
        let found = f.ask("credit_violations_active");
        assert_finding(
            &found,
            Answer::No,
            &["2 of 2", "employee:E001 员工E001 (handover-refused"],
            &[],
        );
        // Another company's records are not this one's.
        company::add(&f.conn, &f.stamp, "91320500MA1MXX0Q17", "乙", None).unwrap();
        record(
            SubjectArg::Company("91320500MA1MXX0Q17".into()),
            "no-handover-rules",
            "2025-06-01",
        );
        credit::revoke(&f.conn, &f.stamp, today, active, "recorded in error").unwrap();
        let found = f.ask("credit_violations_active");
        assert_finding(
            &found,
            Answer::Partial,
            &["1 of 2", "handover-refused"],
            &["乙", "no-handover"],
        );
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
            let mut stmt = f
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let mut rows = stmt.raw_query();
            let mut plan = Vec::new();
            while let Some(row) = rows.next().unwrap() {
                plan.push(row.get::<_, String>(3).unwrap());
            }
            assert!(
                plan.iter().all(|step| !step.starts_with("SCAN")),
                "{sql}\n{plan:#?}"
            );
        }
    }
}
