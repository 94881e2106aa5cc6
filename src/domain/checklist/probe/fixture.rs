//! What the probe tests share: a company in an in-memory database, built up step by step,
//! asked one probe at a time.

use std::cell::RefCell;

use chrono::{NaiveDate, TimeZone};
use rusqlite::Connection;

use super::{find, Answer, Finding, Probe};
use crate::audit::Stamp;
use crate::domain::customer::{self, CustomerPatch, Tier};
use crate::domain::employee::{self, EmployeePatch, Role};
use crate::domain::{company, handover, Patch};
use crate::i18n::Lang;

thread_local! {
    /// The SQL of every statement a probe prepared on this thread.
    pub(super) static PREPARED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A company 示例 in a migrated in-memory database, with the stamp of 2026-03-02 10:00.
pub(super) struct Fixture {
    pub(super) conn: Connection,
    pub(super) company: i64,
    pub(super) stamp: Stamp,
}

/// A patch that sets an optional text.
pub(super) fn some(text: &str) -> Patch<String> {
    Some(Some(text.to_string()))
}

impl Fixture {
    pub(super) fn new() -> Fixture {
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

    /// Adds an employee `员工{code}`.
    pub(super) fn employee(&self, code: &str, role: Role, core: bool, nda: bool) -> &Self {
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

    pub(super) fn update_employee(&self, code: &str, patch: EmployeePatch) -> &Self {
        employee::update(&self.conn, &self.stamp, self.company, code, &patch).unwrap();
        self
    }

    /// Adds an active customer `客户{code}` with a contact person and a phone.
    pub(super) fn customer(
        &self,
        code: &str,
        tier: Tier,
        owner: &str,
        backup: Option<&str>,
    ) -> &Self {
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

    pub(super) fn update_customer(&self, code: &str, patch: CustomerPatch) -> &Self {
        customer::update(&self.conn, &self.stamp, self.company, code, &patch).unwrap();
        self
    }

    /// Opens the handover of `code` (successor `to`) leaving on `leaving_on`; its id.
    pub(super) fn handover(&self, code: &str, to: &str, leaving_on: &str) -> i64 {
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

    /// Changes the data behind the domain's back (a status, a date).
    pub(super) fn sql(&self, statement: &str) -> &Self {
        self.conn.execute_batch(statement).unwrap();
        self
    }

    /// The finding of the probe `name`, in English, as of 2026-03-02.
    pub(super) fn ask(&self, name: &str) -> Finding {
        self.ask_in(name, Lang::En)
    }

    /// The finding of the probe `name`, in `lang`, as of 2026-03-02.
    pub(super) fn ask_in(&self, name: &str, lang: Lang) -> Finding {
        let probe = Probe {
            conn: &self.conn,
            company_id: self.company,
            today: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            now: self.stamp.at,
            lang,
        };
        find(name).expect(name)(&probe).unwrap()
    }
}

/// The finding has this answer, and its note names every one of `mentions` and none of
/// `absent`.
pub(super) fn assert_finding(f: &Finding, answer: Answer, mentions: &[&str], absent: &[&str]) {
    assert_eq!(f.answer, answer, "{f:?}");
    for m in mentions {
        assert!(f.note.contains(m), "{m:?} missing in {:?}", f.note);
    }
    for a in absent {
        assert!(!f.note.contains(a), "{a:?} should not be in {:?}", f.note);
    }
}

/// An instant written in RFC 3339.
pub(super) fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}
