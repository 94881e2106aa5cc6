//! Probes of the prevention dimension: core customers known, held by core staff, backed up.

use anyhow::Result;

use super::{code_name, verdict, Finding, Probe, CORE_CUSTOMERS};
use crate::domain::checklist::Answer;
use crate::domain::employee::EmployeeStatus;
use crate::tr;

/// Some customers are marked core.
pub(super) fn core_customer_list(p: &Probe) -> Result<Finding> {
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

/// Employees who serve core or key customers but are not marked core.
pub(super) fn customer_holders_not_core(p: &Probe) -> Result<Finding> {
    const HOLDERS: &str = "FROM employees e
        WHERE e.company_id = ?1 AND e.status != 'left' AND EXISTS (
            SELECT 1 FROM customers c WHERE c.owner_id = e.id
              AND c.tier IN ('core', 'key') AND c.status = 'active')";
    p.check(
        &format!("SELECT count(*) {HOLDERS}"),
        &format!("SELECT e.code, e.name {HOLDERS} AND e.core = 0 ORDER BY e.code"),
        code_name,
    )
}

/// Core and key customers with no backup, or whose backup is leaving or has left.
pub(super) fn core_customers_without_backup(p: &Probe) -> Result<Finding> {
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
            let (who, owner) = (code_name(r)?, r.get::<_, String>(2)?);
            Ok(match r.get::<_, Option<String>>(3)? {
                None => tr!(lang, "{who} (only {owner})", "{who}（仅 {owner} 对接）"),
                Some(backup) => {
                    let status = r.get::<_, EmployeeStatus>(4)?.label(lang);
                    tr!(
                        lang,
                        "{who} (backup {backup} {status})",
                        "{who}（备份联系人 {backup} {status}）"
                    )
                }
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{assert_finding, some, Fixture};
    use crate::domain::checklist::Answer;
    use crate::domain::customer::{CustomerPatch, Tier};
    use crate::domain::employee::{EmployeePatch, Role};
    use crate::i18n::Lang;

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
        let found = f.ask_in("core_customers_without_backup", Lang::Zh);
        assert_finding(&found, Answer::No, &["备份联系人 E002 已离职"], &["left"]);
    }
}
