//! Importing the records the commands make: handovers, complaints and credit events.

use super::{import_skipping, zh_file};
use crate::util::{TestEnv, USCC_A, USCC_B};

/// Imports `rows` under the zh labels of `columns` (an Excel sheet) in skip mode: the JSON
/// summary and the rejects file.
fn zh_skipping(
    env: &TestEnv,
    entity: &str,
    name: &str,
    columns: &str,
    rows: &str,
) -> (serde_json::Value, String) {
    let file = zh_file(env, name, columns, rows);
    let rejects = env.path("rejects.csv");
    let summary = import_skipping(env, entity, &file, &rejects);
    (summary, std::fs::read_to_string(&rejects).unwrap())
}

/// Everything an import of handovers, complaints or credit events could change.
fn records(env: &TestEnv) -> String {
    env.sql(
        "SELECT (SELECT count(*) FROM events) || '|' ||
                (SELECT ifnull(group_concat(employee_id || ',' || leaving_on || ',' || reason
                        || ',' || ifnull(successor_id, '') || ',' || status, ';'), '') FROM handovers) || '|' ||
                (SELECT count(*) FROM handover_items) || '|' ||
                (SELECT group_concat(code || ',' || status, ';') FROM employees) || '|' ||
                (SELECT ifnull(group_concat(id || ',' || summary || ',' || received_at, ';'), '')
                 FROM complaints) || '|' ||
                (SELECT count(*) FROM complaint_events) || '|' ||
                (SELECT ifnull(group_concat(code || ',' || occurred_on || ',' || status, ';'), '')
                 FROM credit_events) || '|' ||
                (SELECT count(*) FROM credit_subjects)",
    )
}

/// Imports a bad file of `entity` in abort mode: exit 4, nothing changed; returns stderr.
fn refused_file(env: &TestEnv, entity: &str, content: &str) -> String {
    let file = env.file(&format!("{entity}.csv"), content);
    let before = records(env);
    let err = env.fails(&format!("import {entity} {file}"), 4);
    assert_eq!(
        records(env),
        before,
        "{content} changed the database: {err}"
    );
    err
}

/// An import says what `handover open` says: customers nobody takes yet, a leaving date in
/// the past.
#[test]
fn a_handover_import_warns_like_handover_open() {
    let env = TestEnv::new().with_registry();
    let file = env.file(
        "handovers.csv",
        "employee,leaving_on,successor\nE001,2026-02-20,\n",
    );
    let out = env.run(&format!("import handovers {file}")).output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    for warning in [
        "warning: handover 1 of E001: the leaving date 2026-02-20 is in the past",
        "warning: handover 1 of E001: nobody takes customer(s) C001",
    ] {
        assert!(stderr.contains(warning), "missing {warning:?} in\n{stderr}");
    }
    let zh = TestEnv::new().with_registry();
    let file = zh.file("handovers.csv", "employee,leaving_on\nE001,2026-03-20\n");
    let out = zh
        .run(&format!("--lang zh import handovers {file} --dry-run"))
        .output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("尚无接手人"),
        "a dry run opens nothing: {stderr}"
    );
    let out = zh
        .run(&format!("--lang zh import handovers {file}"))
        .output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("E001 的交接 1:客户 C001 尚无接手人"),
        "{stderr}"
    );
}

#[test]
fn handovers_import_as_handover_open_opens_them() {
    let env = TestEnv::new().with_registry();
    let file = env.file("handovers.csv",
        "employee,leaving_on,successor,reason\nE001,2026-03-20,E002,resign\nE003,2026-03-31,,transfer\n",
    );
    let summary = env.json(&format!("import handovers {file}"));
    assert_eq!(summary["entity"], "handovers");
    assert_eq!(
        (summary["rows"].clone(), summary["inserted"].clone()),
        (2.into(), 2.into())
    );

    let list = env.json("handover list");
    let e001 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["employee"] == "E001")
        .unwrap();
    assert_eq!(e001["successor"], "E002");
    assert_eq!(e001["reason"], "resign");
    let shown = env.json(&format!("handover show {}", e001["id"].to_string()));
    let customers: Vec<(&str, &str)> = shown["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "customer")
        .map(|i| (i["ref"].as_str().unwrap(), i["assignee"].as_str().unwrap()))
        .collect();
    assert_eq!(customers, [("C001", "E002"), ("C002", "E002")]);
    assert_eq!(env.json("employee show E001")["status"], "leaving");
    assert_eq!(env.json("employee show E003")["status"], "leaving");

    // The same as `handover open` would have made, item for item.
    let by_command = TestEnv::new().with_registry();
    by_command.ok(
        "handover open --employee E001 --leaving-on 2026-03-20 --successor E002 --reason resign",
    );
    let items = |env: &TestEnv, employee: &str| -> String {
        env.sql(&format!(
            "SELECT group_concat(kind || ',' || ifnull(ref, '') || ',' || title || ',' ||
                    ifnull(assignee_id, '') || ',' || due_on, ';')
             FROM (SELECT i.* FROM handover_items i JOIN handovers h ON h.id = i.handover_id
                   JOIN employees e ON e.id = h.employee_id WHERE e.code = '{employee}' ORDER BY i.id)"
        ))
    };
    assert_eq!(items(&env, "E001"), items(&by_command, "E001"));
    let actions: String =
        env.sql("SELECT group_concat(action, ',') FROM (SELECT action FROM events ORDER BY id)");
    assert!(
        actions.ends_with("handover.open,handover.open,handover.import"),
        "{actions}"
    );
}

#[test]
fn a_bad_handover_row_leaves_the_database_unchanged() {
    let env = TestEnv::new().with_registry();
    env.ok("handover open --employee E003 --leaving-on 2026-04-01");
    let header = "employee,leaving_on,successor,reason";
    let good = "E002,2026-03-20,E003,resign";
    for (row, expected) in [
        (
            "E999,2026-03-20,,resign",
            "column \"employee\": value \"E999\": no employee \"E999\"",
        ),
        ("E001,2026-03-20,E999,resign", "no employee \"E999\""),
        (
            "E001,2026-03-20,E001,resign",
            "successor E001 is the employee who leaves",
        ),
        (
            "E001,2026-03-20,,fired",
            "column \"reason\": value \"fired\"",
        ),
        (
            "E001,2026-02-30,,resign",
            "column \"leaving_on\": value \"2026-02-30\"",
        ),
        (
            "E001,,,resign",
            "column \"leaving_on\": value \"\": must not be empty",
        ),
        (
            "E003,2026-03-31,,resign",
            "employee E003 has an open handover already",
        ),
    ] {
        let err = refused_file(&env, "handovers", &format!("{header}\n{good}\n{row}\n"));
        assert!(err.contains("1 bad rows; nothing was imported"), "{err}");
        assert!(err.contains(":3: "), "{row}: {err}");
        assert!(err.contains(expected), "{row}: {err}");
    }
    let err = refused_file(
        &env,
        "handovers",
        "employee,leaving_on,status\nE001,2026-03-20,closed\n",
    );
    assert!(
        err.contains("column \"status\": value \"closed\": an import opens handovers"),
        "{err}"
    );
    let err = refused_file(&env, "handovers", "employee,successor\nE001,E002\n");
    assert!(err.contains("missing column leaving_on"), "{err}");
}

#[test]
fn handovers_skip_mode_and_zh_headers() {
    let env = TestEnv::new().with_registry();
    let (summary, text) = zh_skipping(
        &env,
        "handovers",
        "离职.csv",
        "employee,leaving_on,successor,reason",
        "E001,2026-03-20,E002,resign\nE999,2026-03-20,,resign\nE003,2026-03-31,,retire\n",
    );
    assert_eq!(
        (summary["inserted"].clone(), summary["rejected"].clone()),
        (2.into(), 1.into())
    );
    assert!(text.contains("E999,2026-03-20,,resign,"), "{text}");
    assert_eq!(env.json("employee show E003")["status"], "leaving");
    assert_eq!(env.json("employee show E002")["status"], "active");
}

#[test]
fn re_importing_handovers_leaves_them_unchanged() {
    let env = TestEnv::new().with_registry();
    let content = "employee,leaving_on,successor,reason\nE001,2026-03-20,E002,resign\n";
    let file = env.file("handovers.csv", content);
    env.ok(&format!("import handovers {file}"));
    let before = records(&env);
    let summary = env.json(&format!("import handovers {file}"));
    assert_eq!(
        (
            summary["rows"].clone(),
            summary["inserted"].clone(),
            summary["updated"].clone()
        ),
        (1.into(), 0.into(), 0.into())
    );
    assert_eq!(
        records(&env).split_once('|').unwrap().1,
        before.split_once('|').unwrap().1
    );
    let last: String = env.sql("SELECT action FROM events ORDER BY id DESC LIMIT 1");
    let opened: i64 = env.sql("SELECT count(*) FROM events WHERE action = 'handover.open'");
    assert_eq!((last.as_str(), opened), ("handover.import", 1));

    let err = refused_file(
        &env,
        "handovers",
        "employee,leaving_on,successor,reason\nE001,2026-03-20,E003,resign\n",
    );
    assert!(err.contains("column \"successor\": value \"E003\": handover 1 of this departure has successor \"E002\""), "{err}");
    let err = refused_file(
        &env,
        "handovers",
        "employee,leaving_on,successor,reason\nE001,2026-03-27,E002,resign\n",
    );
    assert!(err.contains("has an open handover already: 1"), "{err}");
    let err = refused_file(
        &env,
        "handovers",
        "employee,leaving_on\nE003,2026-03-31\nE003,2026-03-31\n",
    );
    assert!(
        err.contains(":3: column \"employee\": value \"E003\": the same key is on line 2"),
        "{err}"
    );

    // A closed handover re-imported from an export is the same one.
    env.ok("handover close 1 --force --reason 客户已终止合作");
    let export = env.ok("handover list --format csv");
    let file = env.file("export.csv", &export);
    let summary = env.json(&format!("import handovers {file}"));
    assert_eq!(
        (summary["rows"].clone(), summary["inserted"].clone()),
        (1.into(), 0.into())
    );
}

#[test]
fn a_handover_export_imports_into_a_fresh_database() {
    let env = TestEnv::new().with_registry();
    env.open_handover(Some("E002"));
    env.ok("handover open --employee E003 --leaving-on 2026-02-20 --reason retire");
    let export = env.ok("handover list --format csv");
    let ledger = env.ok("handover ledger --format csv");

    let copy = TestEnv::new().with_registry();
    let file = copy.file("handovers.csv", &export);
    let summary = copy.json(&format!("import handovers {file}"));
    assert_eq!(summary["inserted"], 2);
    assert_eq!(copy.ok("handover list --format csv"), export);
    assert_eq!(copy.ok("handover ledger --format csv"), ledger);

    let json = env.ok("handover list --format json");
    let again = copy.file("handovers.json", &json);
    let summary = copy.json(&format!("import handovers {again}"));
    assert_eq!(
        (summary["rows"].clone(), summary["inserted"].clone()),
        (2.into(), 0.into())
    );
}

const COMPLAINTS: &str = "received_at,customer,complainant,summary,category,channel,handover";

#[test]
fn complaints_import_with_the_deadlines_complaint_file_computes() {
    let env = TestEnv::new().with_registry();
    env.open_handover(Some("E002"));
    let file = env.file(
        "complaints.csv",
        format!(
            "{COMPLAINTS}\n\
             2026-02-13 17:00,C001,,新对接人不熟悉配方,service-gap,phone,1\n\
             2026-02-27T09:30:00+08:00,,王女士,承诺的折扣未兑现,commitment,visit,\n"
        ),
    );
    let summary = env.json(&format!("import complaints {file}"));
    assert_eq!(
        (summary["entity"].clone(), summary["inserted"].clone()),
        ("complaints".into(), 2.into())
    );

    let by_command = TestEnv::new().with_registry();
    by_command.ok("handover open --employee E001 --leaving-on 2026-03-20 --successor E002");
    by_command.ok("complaint file --customer C001 --summary 新对接人不熟悉配方 --category service-gap --channel phone --received-at '2026-02-13 17:00' --handover 1");
    by_command.ok("complaint file --complainant 王女士 --summary 承诺的折扣未兑现 --category commitment --channel visit --received-at '2026-02-27 09:30'");
    let list = |env: &TestEnv| env.ok("complaint list --format csv");
    assert_eq!(list(&env), list(&by_command));
    let first = env.json("complaint show 1");
    assert_eq!(first["accept_due"], "2026-02-14T17:00:00+08:00", "24h");
    assert_eq!(first["handover"], 1);
    assert_eq!(first["events"][0]["action"], "file");
    let actions: String =
        env.sql("SELECT group_concat(action, ',') FROM (SELECT action FROM events ORDER BY id)");
    assert!(
        actions.ends_with("complaint.file,complaint.file,complaint.import"),
        "{actions}"
    );
}

#[test]
fn a_bad_complaint_row_leaves_the_database_unchanged() {
    let env = TestEnv::new().with_registry();
    let good = "2026-02-27 09:30,C001,,发票开错,billing,online,";
    for (row, expected) in [
        (
            "2026-02-27 10:00,C999,,发票开错,billing,online,",
            "column \"customer\": value \"C999\": no customer \"C999\"",
        ),
        (
            "2026-02-27 10:00,C001,,发票开错,billing,online,7",
            "no handover 7",
        ),
        (
            "2026-02-27 10:00,C001,,发票开错,billing,online,x",
            "column \"handover\": value \"x\"",
        ),
        (
            "2026-02-27 10:00,C001,,发票开错,money,online,",
            "column \"category\": value \"money\"",
        ),
        (
            "2026-02-27 10:00,C001,,发票开错,billing,fax,",
            "column \"channel\": value \"fax\"",
        ),
        (
            "2026-02-30 10:00,C001,,发票开错,billing,online,",
            "column \"received_at\": value \"2026-02-30 10:00\"",
        ),
        (
            "2026-03-03 10:00,C001,,发票开错,billing,online,",
            "is in the future",
        ),
        (
            "2026-02-27 10:00,C001,王女士,发票开错,billing,online,",
            "either a customer or a complainant",
        ),
        (
            "2026-02-27 10:00,,,发票开错,billing,online,",
            "either a customer or a complainant",
        ),
        (
            "2026-02-27 10:00,C001,,,billing,online,",
            "column \"summary\": value \"\": must not be empty",
        ),
    ] {
        let err = refused_file(
            &env,
            "complaints",
            &format!("{COMPLAINTS}\n{good}\n{row}\n"),
        );
        assert!(err.contains("1 bad rows; nothing was imported"), "{err}");
        assert!(
            err.contains(":3: ") && err.contains(expected),
            "{row}: {err}"
        );
    }
    let err = refused_file(
        &env,
        "complaints",
        "received_at,customer,summary,status\n2026-02-27 10:00,C001,发票开错,resolved\n",
    );
    assert!(
        err.contains(
            "column \"status\": value \"resolved\": an import files new complaints as received"
        ),
        "{err}"
    );
    let err = refused_file(&env, "complaints", "customer,summary\nC001,发票开错\n");
    assert!(err.contains("missing column received_at"), "{err}");
}

#[test]
fn complaints_skip_mode_and_zh_headers() {
    let env = TestEnv::new().with_registry();
    let (summary, text) = zh_skipping(
        &env,
        "complaints",
        "投诉.csv",
        COMPLAINTS,
        "2026-02-27 09:30,C001,,发票开错,billing,online,\n2026-02-27 10:00,C999,,没人回电,service-gap,phone,\n",
    );
    assert_eq!(
        (summary["inserted"].clone(), summary["rejected"].clone()),
        (1.into(), 1.into())
    );
    assert!(
        text.contains("C999,,没人回电,service-gap,phone,,"),
        "{text}"
    );
    assert_eq!(env.json("complaint show 1")["summary"], "发票开错");
}

#[test]
fn re_importing_complaints_finds_them_by_time_party_and_summary() {
    let env = TestEnv::new().with_registry();
    let content = format!(
        "{COMPLAINTS}\n2026-02-27 09:30,C001,,发票开错,billing,online,\n2026-02-27 09:30,,王女士,发票开错,billing,online,\n"
    );
    let file = env.file("complaints.csv", &content);
    assert_eq!(
        env.json(&format!("import complaints {file}"))["inserted"],
        2,
        "another party is another complaint"
    );
    env.ok("complaint accept 1");
    let before = records(&env);
    let summary = env.json(&format!("import complaints {file}"));
    assert_eq!(
        (
            summary["rows"].clone(),
            summary["inserted"].clone(),
            summary["updated"].clone()
        ),
        (2.into(), 0.into(), 0.into())
    );
    assert_eq!(
        records(&env).split_once('|').unwrap().1,
        before.split_once('|').unwrap().1
    );

    let err = refused_file(
        &env,
        "complaints",
        &format!("{COMPLAINTS}\n2026-02-27 09:30,C001,,发票开错,quality,online,\n"),
    );
    assert!(err.contains("column \"category\": value \"quality\": complaint 1 (same time, party and summary) has category \"billing\""), "{err}");
    let err = refused_file(
        &env,
        "complaints",
        &format!("{COMPLAINTS}\n2026-02-28 09:30,C002,,没人回电,,,\n2026-02-28 09:30,C002,,没人回电,,,\n"),
    );
    assert!(
        err.contains(":3: column \"summary\": value \"没人回电\": the same key is on line 2"),
        "{err}"
    );

    let updated = env.file(
        "more.csv",
        format!("{content}2026-02-27 09:31,C001,,发票开错,billing,online,\n"),
    );
    assert_eq!(
        env.json(&format!("import complaints {updated}"))["inserted"],
        1,
        "a minute later is a new one"
    );
}

#[test]
fn a_complaint_export_imports_into_a_fresh_database() {
    let env = TestEnv::new().with_registry();
    env.open_handover(Some("E002"));
    env.ok("complaint file --customer C001 --summary 新对接人不熟悉配方 --category service-gap --received-at '2026-02-13 17:00' --handover 1");
    env.ok(
        "complaint file --complainant 王女士 --summary 折扣未兑现 --received-at '2026-02-28 08:15'",
    );
    let export = env.ok("complaint list --format csv");

    let copy = TestEnv::new().with_registry();
    copy.ok("handover open --employee E001 --leaving-on 2026-03-20 --successor E002");
    let file = copy.file("complaints.csv", &export);
    assert_eq!(
        copy.json(&format!("import complaints {file}"))["inserted"],
        2
    );
    assert_eq!(copy.ok("complaint list --format csv"), export);
    let summary = copy.json(&format!("import complaints {file}"));
    assert_eq!(
        (summary["rows"].clone(), summary["inserted"].clone()),
        (2.into(), 0.into())
    );
}

const CREDIT: &str = "subject,id_number,code,occurred_on,note";
/// A valid resident ID number (GB 11643's example).
const ID_NUMBER: &str = "11010519491231002X";

fn credit_rows() -> String {
    format!(
        "{CREDIT}\n\
         employee:E001,,handover-refused,2026-02-10,拒不配合交接\n\
         company:{USCC_A},,no-handover-rules,2026-01-05,\n\
         person:陈某,{ID_NUMBER},trade-secret-leaked,2025-12-15,出售核心代码\n\
         person:李四,,customer-data-taken,2026-02-01,\n"
    )
}

#[test]
fn credit_events_import_as_credit_record_records_them() {
    let env = TestEnv::new().with_registry();
    let file = env.file("credit.csv", credit_rows());
    let summary = env.json(&format!("import credit {file}"));
    assert_eq!(
        (summary["entity"].clone(), summary["inserted"].clone()),
        ("credit".into(), 4.into())
    );

    let by_command = TestEnv::new().with_registry();
    for line in [
        "credit record --employee E001 --code handover-refused --date 2026-02-10 \
         --note 拒不配合交接"
            .to_string(),
        format!(
            "credit record --company-subject {USCC_A} --code no-handover-rules --date 2026-01-05"
        ),
        format!(
            "credit record --person 陈某 --id-number {ID_NUMBER} --code trade-secret-leaked \
             --date 2025-12-15 --note 出售核心代码"
        ),
        "credit record --person 李四 --code customer-data-taken --date 2026-02-01".to_string(),
    ] {
        by_command.ok(&line);
    }
    let scores = |env: &TestEnv| env.ok("credit score --format csv --reveal");
    assert_eq!(scores(&env), scores(&by_command));
    let history = |env: &TestEnv| env.ok("credit history person:陈某 --format csv --reveal");
    assert_eq!(history(&env), history(&by_command));
    assert!(history(&env).contains(ID_NUMBER));
    let actions: String =
        env.sql("SELECT group_concat(action, ',') FROM (SELECT action FROM events WHERE action LIKE 'credit.%' ORDER BY id DESC)");
    assert_eq!(
        actions,
        "credit.import,credit.record,credit.record,credit.record,credit.record"
    );
}

#[test]
fn a_bad_credit_row_leaves_the_database_unchanged() {
    let env = TestEnv::new().with_registry();
    let good = "employee:E002,,handover-refused,2026-02-10,";
    for (row, expected) in [
        (
            "employee:E001,,no-such-thing,2026-02-10,",
            "column \"code\": value \"no-such-thing\": no entry",
        ),
        (
            &*format!("company:{USCC_A},,customer-data-taken,2026-02-10,"),
            "applies to person, not to a company",
        ),
        (
            "employee:E999,,handover-refused,2026-02-10,",
            "column \"subject\": value \"employee:E999\": no employee \"E999\"",
        ),
        (
            "boss:王磊,,handover-refused,2026-02-10,",
            "column \"subject\": value \"boss:王磊\": invalid subject",
        ),
        (
            "employee:E001,,handover-refused,2026-02-30,",
            "column \"occurred_on\": value \"2026-02-30\"",
        ),
        (
            "employee:E001,,handover-refused,2026-03-05,",
            "date 2026-03-05 is in the future",
        ),
        (
            "person:陈某,110105194912310021,trade-secret-leaked,2026-02-10,",
            "column \"id_number\": value \"110105194912310021\"",
        ),
        (
            "employee:E001,11010519491231002X,handover-refused,2026-02-10,",
            "an ID number belongs to a person subject",
        ),
    ] {
        let err = refused_file(&env, "credit", &format!("{CREDIT}\n{good}\n{row}\n"));
        assert!(err.contains("1 bad rows; nothing was imported"), "{err}");
        assert!(
            err.contains(":3: ") && err.contains(expected),
            "{row}: {err}"
        );
    }
    let err = refused_file(
        &env,
        "credit",
        &format!("subject,code,occurred_on,company\nemployee:E001,handover-refused,2026-02-10,{USCC_B}\n"),
    );
    assert!(err.contains(&format!("column \"company\": value \"{USCC_B}\": this row would be recorded in company {USCC_A}")), "{err}");
    let err = refused_file(
        &env,
        "credit",
        "subject,code,occurred_on,status\nemployee:E001,handover-refused,2026-02-10,revoked\n",
    );
    assert!(
        err.contains("column \"status\": value \"revoked\": an import records active events"),
        "{err}"
    );
    let err = refused_file(
        &env,
        "credit",
        "subject,occurred_on\nemployee:E001,2026-02-10\n",
    );
    assert!(err.contains("missing column code"), "{err}");
}

#[test]
fn credit_skip_mode_and_zh_headers() {
    let env = TestEnv::new().with_registry();
    let (summary, text) = zh_skipping(
        &env,
        "credit",
        "信用.csv",
        CREDIT,
        "employee:E001,,handover-refused,2026-02-10,拒不配合交接\nemployee:E001,,handover-refused,2026-02-31,\n",
    );
    assert_eq!(
        (summary["inserted"].clone(), summary["rejected"].clone()),
        (1.into(), 1.into())
    );
    assert!(
        text.contains("employee:E001,,handover-refused,2026-02-31,,"),
        "{text}"
    );
    assert_eq!(env.json("credit score employee:E001")["score"], 75);
}

#[test]
fn re_importing_credit_events_leaves_them_unchanged() {
    let env = TestEnv::new().with_registry();
    let file = env.file("rows.csv", credit_rows());
    env.ok(&format!("import credit {file}"));
    let before = records(&env);
    let summary = env.json(&format!("import credit {file}"));
    assert_eq!(
        (
            summary["rows"].clone(),
            summary["inserted"].clone(),
            summary["updated"].clone()
        ),
        (4.into(), 0.into(), 0.into())
    );
    assert_eq!(
        records(&env).split_once('|').unwrap().1,
        before.split_once('|').unwrap().1
    );
    // `credit record` still refuses the same event.
    env.fails(
        "credit record --employee E001 --code handover-refused --date 2026-02-10",
        3,
    );
    let err = refused_file(
        &env,
        "credit",
        &format!("{CREDIT}\nemployee:E002,,handover-refused,2026-02-10,\nemployee:E002,,handover-refused,2026-02-10,\n"),
    );
    assert!(
        err.contains(":3: column \"code\": value \"handover-refused\": the same key is on line 2"),
        "{err}"
    );

    // A revoked event re-imported from its history stays revoked; an active twin may follow.
    env.ok("credit revoke 1 --reason 记错了人");
    let history = env.ok("credit history employee:E001 --format csv");
    let again = env.file("history.csv", &history);
    let summary = env.json(&format!("import credit {again}"));
    assert_eq!(
        (summary["rows"].clone(), summary["inserted"].clone()),
        (1.into(), 0.into())
    );
    assert_eq!(
        env.json(&format!("import credit {file}"))["inserted"],
        1,
        "the revoked one is recorded anew"
    );
}

#[test]
fn a_credit_history_export_imports_into_a_fresh_database() {
    let env = TestEnv::new().with_registry();
    let file = env.file("credit.csv", credit_rows());
    env.ok(&format!("import credit {file}"));
    env.ok("credit record --employee E001 --code service-manual-handover --date 2026-02-20");
    let copy = TestEnv::new().with_registry();
    for subject in [
        "employee:E001",
        &format!("company:{USCC_A}"),
        "person:陈某",
        "person:李四",
    ] {
        let history =
            |env: &TestEnv| env.ok(&format!("credit history {subject} --format csv --reveal"));
        let export = history(&env);
        let file = copy.file("history.csv", &export);
        copy.ok(&format!("import credit {file}"));
        assert_eq!(
            history(&copy)
                .lines()
                .map(|l| l.split_once(',').unwrap().1)
                .collect::<Vec<_>>(),
            export
                .lines()
                .map(|l| l.split_once(',').unwrap().1)
                .collect::<Vec<_>>(),
            "{subject} (ids follow the import order)"
        );
    }
    let scores = |env: &TestEnv| env.ok("credit score --format csv --reveal");
    assert_eq!(scores(&copy), scores(&env));

    let masked = env.ok("credit history person:陈某 --format csv");
    let file = copy.file("masked.csv", &masked);
    let err = copy.fails(&format!("import credit {file}"), 4);
    assert!(
        err.contains("column \"id_number\": value \"110105********002X\""),
        "{err}"
    );
}

#[test]
fn the_example_handovers_complaints_and_credit_import_on_the_example_registry() {
    let env = TestEnv::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/import");
    let import = |what: &str| {
        let file = dir.join(format!("{what}.csv"));
        env.json(&format!("import {what} {}", file.display()))
    };
    for what in ["companies", "employees", "customers"] {
        import(what);
    }
    for (what, count) in [("handovers", 2), ("complaints", 3), ("credit", 4)] {
        let summary = import(what);
        assert_eq!(
            (summary["inserted"].clone(), summary["rejected"].clone()),
            (count.into(), 0.into()),
            "{what}"
        );
    }
    assert_eq!(env.json("complaint show 1")["handover"], 1);
    assert_eq!(env.json("employee show E004")["status"], "leaving");
    for what in ["handovers", "complaints", "credit"] {
        let summary = import(what);
        assert_eq!(
            (summary["inserted"].clone(), summary["updated"].clone()),
            (0.into(), 0.into()),
            "{what} again"
        );
    }
}
