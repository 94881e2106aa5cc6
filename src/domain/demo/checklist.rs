//! The self-check stories: every company runs the built-in checklist; the first three fix part
//! of what it found and run it again, so that `checklist history` and `diff` show progress.

use std::collections::BTreeSet;

use anyhow::Result;
use chrono::{Months, NaiveDate};
use rusqlite::Connection;

use super::{text, CONSULTING, FIRMS, FOOD_LAB, MEDICAL};
use crate::audit::Stamp;
use crate::domain::checklist::{self, template};
use crate::domain::company;
use crate::domain::customer::{self, CustomerPatch};
use crate::domain::employee::{self, EmployeePatch};
use crate::i18n::Lang;

/// What each company puts right between its first and its second self-check.
struct Fixes {
    company: &'static str,
    /// (customer, backup)
    backups: &'static [(&'static str, &'static str)],
    nda: &'static [&'static str],
    noncompete: &'static [&'static str],
}

const FIXES: [Fixes; 3] = [
    // The food lab gives its first core customer a second contact and has its sales lead
    // sign; the R&D lead who holds the other two still has no non-compete terms.
    Fixes {
        company: FOOD_LAB.code,
        backups: &[("C001", "E004")],
        nda: &["E002"],
        noncompete: &["E004"],
    },
    Fixes {
        company: MEDICAL.code,
        backups: &[("C002", "E002")],
        nda: &[],
        noncompete: &["E001"],
    },
    // The consulting firm has its client manager sign; its biggest client still has no backup.
    Fixes {
        company: CONSULTING.code,
        backups: &[],
        nda: &["E001"],
        noncompete: &["E002"],
    },
];

/// The first self-check's manual answers: the example answers file.
const ANSWERS_BEFORE: &str = include_str!("../../../examples/checklist-answers.toml");

/// The manual answers after a month of work on the remediation plan.
const ANSWERS_AFTER: &str = r#"
P1 = { answer = "yes", note = "《员工手册》第 7 章加入核心岗位离职交接规范" }
P5 = "yes"
P6 = "partial"
P7 = "yes"
P8 = "yes"
D1 = { answer = "yes", note = "投诉电话和小程序，承诺 24 小时受理、48 小时反馈" }
D3 = "yes"
D4 = "partial"
D5 = "partial"
D6 = "yes"
C1 = { answer = "partial", note = "保密信息已迁入加密系统，导出权限尚未关闭" }
C4 = "yes"
C5 = "yes"
C7 = "partial"
C8 = "partial"
B1 = "yes"
B3 = "yes"
B4 = "partial"
B7 = "no"
R1 = "yes"
R3 = "partial"
R4 = "partial"
R5 = { answer = "partial", note = "公示系统中发现一条未移出的经营异常记录" }
"#;

/// Runs the built-in checklist for every demo company; the first three then fix part of what
/// it found and run it again, so that `checklist history` and `diff` have something to show.
pub fn fill(conn: &Connection, stamp: &Stamp, lang: Lang, today: NaiveDate) -> Result<()> {
    let template = template::built_in(template::DEFAULT_ID)?;
    let before = checklist::parse_answers(ANSWERS_BEFORE, "examples/checklist-answers.toml")?;
    let after = checklist::parse_answers(ANSWERS_AFTER, "demo")?;
    let noncompete_until = today.checked_add_months(Months::new(24));
    for firm in FIRMS {
        let company = company::resolve(conn, Some(firm.code))?;
        let run = |answers| {
            checklist::run(
                conn,
                stamp,
                company.id,
                lang,
                today,
                &template,
                answers,
                &BTreeSet::new(),
            )
        };
        run(&before)?;
        let Some(fixes) = FIXES.iter().find(|f| f.company == firm.code) else {
            continue;
        };
        for (client, backup) in fixes.backups {
            let patch = CustomerPatch {
                backup: text(backup),
                ..CustomerPatch::default()
            };
            customer::update(conn, stamp, company.id, client, &patch)?;
        }
        for person in fixes.nda {
            let patch = EmployeePatch {
                nda: Some(true),
                ..EmployeePatch::default()
            };
            employee::update(conn, stamp, company.id, person, &patch)?;
        }
        for person in fixes.noncompete {
            let patch = EmployeePatch {
                noncompete_until: Some(noncompete_until),
                ..EmployeePatch::default()
            };
            employee::update(conn, stamp, company.id, person, &patch)?;
        }
        run(&after)?;
    }
    Ok(())
}
