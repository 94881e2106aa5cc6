//! Importing the records the commands make: handovers, complaints and credit events. What
//! they do alike is a table with a row per entity (`handovers()`, `complaints()`, `credit()`)
//! and a check per behaviour: a file imports as the commands record, a bad row refuses the
//! whole file, skip mode keeps the good rows of an Excel sheet with zh headers. What only one
//! of them does has a test of its own.

use serde_json::{json, Value};

use super::{import_skipping, zh_file};
use crate::util::{TestEnv, USCC_A};

const HANDOVERS: &str = "employee,leaving_on,successor,reason";
const COMPLAINTS: &str = "received_at,customer,complainant,summary,category,channel,handover";
const CREDIT: &str = "subject,id_number,code,occurred_on,note";
/// A valid resident ID number (GB 11643's example).
const ID_NUMBER: &str = "11010519491231002X";

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

/// Asserts each `(command line, JSON pointer, value)` of `checks` on its JSON output.
fn check(env: &TestEnv, checks: &[(&str, &str, Value)]) {
    for (line, pointer, expected) in checks {
        let out = env.json(line);
        assert_eq!(
            out.pointer(pointer),
            Some(expected),
            "{line} {pointer} in {out}"
        );
    }
}

/// The audit actions, oldest first, of every event or of those whose action starts `prefix.`.
fn actions(env: &TestEnv, prefix: Option<&str>) -> String {
    let filter = prefix.map_or(String::new(), |p| format!("WHERE action LIKE '{p}.%'"));
    env.sql(&format!(
        "SELECT group_concat(action, ',') FROM (SELECT action FROM events {filter} ORDER BY id)"
    ))
}

/// The four events of `credit_rows`, as `credit record` records them.
fn credit_rows() -> String {
    format!(
        "{CREDIT}\n\
         employee:E001,,handover-refused,2026-02-10,拒不配合交接\n\
         company:{USCC_A},,no-handover-rules,2026-01-05,\n\
         person:陈某,{ID_NUMBER},trade-secret-leaked,2025-12-15,出售核心代码\n\
         person:李四,,customer-data-taken,2026-02-01,\n"
    )
}

/// An entity's row of the tables: what its import does alike with the others'.
struct Entity {
    /// The entity as `baton import` names it.
    name: &'static str,
    /// The columns of its files.
    header: &'static str,
    same: ByCommand,
    bad: BadRows,
    skip: Skipped,
}

/// A file and the commands that record the same, one a row.
struct ByCommand {
    /// Run first, on the database the file goes to and on the one the commands go to.
    setup: &'static [&'static str],
    file: String,
    commands: Vec<String>,
    /// The audit action of a row, as its command writes it.
    action: &'static str,
    /// Listings that come out the same from the file and from the commands.
    listings: &'static [&'static str],
    /// What the file recorded, as `(command, JSON pointer, value)`.
    checks: Vec<(&'static str, &'static str, Value)>,
}

/// Files each refused whole for one bad row or a bad header.
struct BadRows {
    /// Run first.
    setup: &'static [&'static str],
    /// A row that imports: the bad one comes after it, on line 3.
    good: &'static str,
    /// A bad row and what its error says.
    rows: &'static [(&'static str, &'static str)],
    /// A whole file and what its error says.
    files: &'static [(&'static str, &'static str)],
}

/// An Excel sheet with zh headers and a bad row, imported in skip mode.
struct Skipped {
    file: &'static str,
    rows: &'static str,
    inserted: i64,
    /// The bad row, as the rejects file holds it.
    rejected: &'static str,
    /// What the good rows recorded, as `(command, JSON pointer, value)`.
    checks: Vec<(&'static str, &'static str, Value)>,
}

fn handovers() -> Entity {
    Entity {
        name: "handovers",
        header: HANDOVERS,
        same: ByCommand {
            setup: &[],
            file: format!("{HANDOVERS}\nE001,2026-03-20,E002,resign\nE003,2026-03-31,,transfer\n"),
            commands: vec![
                "handover open --employee E001 --leaving-on 2026-03-20 --successor E002 \
                 --reason resign"
                    .into(),
                "handover open --employee E003 --leaving-on 2026-03-31 --reason transfer".into(),
            ],
            action: "handover.open",
            listings: &["handover list --format csv", "handover ledger --format csv"],
            checks: vec![
                ("handover show 1", "/employee", json!("E001")),
                ("handover show 1", "/successor", json!("E002")),
                ("handover show 1", "/reason", json!("resign")),
                ("handover show 1", "/items/0/ref", json!("C001")),
                ("handover show 1", "/items/0/assignee", json!("E002")),
                ("handover show 1", "/items/1/ref", json!("C002")),
                ("handover show 1", "/items/1/assignee", json!("E002")),
                ("handover show 1", "/items/2/kind", json!("document")),
                ("employee show E001", "/status", json!("leaving")),
                ("employee show E003", "/status", json!("leaving")),
            ],
        },
        bad: BadRows {
            setup: &["handover open --employee E003 --leaving-on 2026-04-01"],
            good: "E002,2026-03-20,E003,resign",
            rows: &[
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
            ],
            files: &[
                (
                    "employee,leaving_on,status\nE001,2026-03-20,closed\n",
                    "column \"status\": value \"closed\": an import opens handovers",
                ),
                (
                    "employee,successor\nE001,E002\n",
                    "missing column leaving_on",
                ),
            ],
        },
        skip: Skipped {
            file: "离职.csv",
            rows: "E001,2026-03-20,E002,resign\n\
                   E999,2026-03-20,,resign\n\
                   E003,2026-03-31,,retire\n",
            inserted: 2,
            rejected: "E999,2026-03-20,,resign,",
            checks: vec![
                ("employee show E003", "/status", json!("leaving")),
                ("employee show E002", "/status", json!("active")),
            ],
        },
    }
}

fn complaints() -> Entity {
    Entity {
        name: "complaints",
        header: COMPLAINTS,
        same: ByCommand {
            setup: &["handover open --employee E001 --leaving-on 2026-03-20 --successor E002"],
            file: format!(
                "{COMPLAINTS}\n\
                 2026-02-13 17:00,C001,,新对接人不熟悉配方,service-gap,phone,1\n\
                 2026-02-27T09:30:00+08:00,,王女士,承诺的折扣未兑现,commitment,visit,\n"
            ),
            commands: vec![
                "complaint file --customer C001 --summary 新对接人不熟悉配方 \
                 --category service-gap --channel phone --received-at '2026-02-13 17:00' \
                 --handover 1"
                    .into(),
                "complaint file --complainant 王女士 --summary 承诺的折扣未兑现 \
                 --category commitment --channel visit --received-at '2026-02-27 09:30'"
                    .into(),
            ],
            action: "complaint.file",
            listings: &["complaint list --format csv"],
            checks: vec![
                (
                    "complaint show 1",
                    "/accept_due",
                    json!("2026-02-14T17:00:00+08:00"),
                ),
                ("complaint show 1", "/handover", json!(1)),
                ("complaint show 1", "/events/0/action", json!("file")),
            ],
        },
        bad: BadRows {
            setup: &[],
            good: "2026-02-27 09:30,C001,,发票开错,billing,online,",
            rows: &[
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
            ],
            files: &[
                (
                    "received_at,customer,summary,status\n\
                     2026-02-27 10:00,C001,发票开错,resolved\n",
                    "column \"status\": value \"resolved\": \
                     an import files new complaints as received",
                ),
                (
                    "customer,summary\nC001,发票开错\n",
                    "missing column received_at",
                ),
            ],
        },
        skip: Skipped {
            file: "投诉.csv",
            rows: "2026-02-27 09:30,C001,,发票开错,billing,online,\n\
                   2026-02-27 10:00,C999,,没人回电,service-gap,phone,\n",
            inserted: 1,
            rejected: "C999,,没人回电,service-gap,phone,,",
            checks: vec![("complaint show 1", "/summary", json!("发票开错"))],
        },
    }
}

fn credit() -> Entity {
    Entity {
        name: "credit",
        header: CREDIT,
        same: ByCommand {
            setup: &[],
            file: credit_rows(),
            commands: vec![
                "credit record --employee E001 --code handover-refused --date 2026-02-10 \
                 --note 拒不配合交接"
                    .into(),
                format!(
                    "credit record --company-subject {USCC_A} --code no-handover-rules \
                     --date 2026-01-05"
                ),
                format!(
                    "credit record --person 陈某 --id-number {ID_NUMBER} \
                     --code trade-secret-leaked --date 2025-12-15 --note 出售核心代码"
                ),
                "credit record --person 李四 --code customer-data-taken --date 2026-02-01".into(),
            ],
            action: "credit.record",
            listings: &[
                "credit score --format csv --reveal",
                "credit history person:陈某 --format csv --reveal",
            ],
            checks: vec![(
                "credit history person:陈某 --reveal",
                "/0/id_number",
                json!(ID_NUMBER),
            )],
        },
        bad: BadRows {
            setup: &[],
            good: "employee:E002,,handover-refused,2026-02-10,",
            rows: &[
                (
                    "employee:E001,,no-such-thing,2026-02-10,",
                    "column \"code\": value \"no-such-thing\": no entry",
                ),
                (
                    // The registry's company, USCC_A.
                    "company:914403001922038216,,customer-data-taken,2026-02-10,",
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
            ],
            files: &[
                (
                    // A row of USCC_B in the database of USCC_A alone.
                    "subject,code,occurred_on,company\n\
                     employee:E001,handover-refused,2026-02-10,91320500MA1MXX0Q17\n",
                    "column \"company\": value \"91320500MA1MXX0Q17\": \
                     this row would be recorded in company 914403001922038216",
                ),
                (
                    "subject,code,occurred_on,status\n\
                     employee:E001,handover-refused,2026-02-10,revoked\n",
                    "column \"status\": value \"revoked\": an import records active events",
                ),
                (
                    "subject,occurred_on\nemployee:E001,2026-02-10\n",
                    "missing column code",
                ),
            ],
        },
        skip: Skipped {
            file: "信用.csv",
            rows: "employee:E001,,handover-refused,2026-02-10,拒不配合交接\n\
                   employee:E001,,handover-refused,2026-02-31,\n",
            inserted: 1,
            rejected: "employee:E001,,handover-refused,2026-02-31,,",
            checks: vec![("credit score employee:E001", "/score", json!(75))],
        },
    }
}

/// A file of `entity` imports as its commands record: the same listings, one command event
/// a row and the import's last.
fn imports_as_its_commands(entity: Entity) {
    let (name, case) = (entity.name, entity.same);
    let from_file = TestEnv::new().with_registry();
    let by_command = TestEnv::new().with_registry();
    for line in case.setup {
        from_file.ok(line);
        by_command.ok(line);
    }
    let file = from_file.file(&format!("{name}.csv"), &case.file);
    let summary = from_file.json(&format!("import {name} {file}"));
    let rows = case.commands.len();
    assert_eq!(
        (&summary["entity"], &summary["rows"], &summary["inserted"]),
        (&json!(name), &json!(rows), &json!(rows))
    );
    let prefix = case.action.split('.').next().unwrap();
    let own = format!("{},{prefix}.import", vec![case.action; rows].join(","));
    let all = actions(&from_file, None);
    assert!(all.ends_with(&own), "{all}");
    assert_eq!(actions(&from_file, Some(prefix)), own);

    for line in &case.commands {
        by_command.ok(line);
    }
    for line in case.listings {
        assert_eq!(from_file.ok(line), by_command.ok(line), "{line}");
    }
    check(&from_file, &case.checks);
}

/// Each bad row of `entity` after a good one, and each bad file, is refused whole.
fn refuses_a_bad_row(entity: Entity) {
    let (name, header, case) = (entity.name, entity.header, entity.bad);
    let env = TestEnv::new().with_registry();
    for line in case.setup {
        env.ok(line);
    }
    for (row, expected) in case.rows {
        let err = refused_file(&env, name, &format!("{header}\n{}\n{row}\n", case.good));
        assert!(err.contains("1 bad rows; nothing was imported"), "{err}");
        assert!(err.contains(":3: "), "{row}: {err}");
        assert!(err.contains(expected), "{row}: {err}");
    }
    for (content, expected) in case.files {
        let err = refused_file(&env, name, content);
        assert!(err.contains(expected), "{content}: {err}");
    }
}

/// Skip mode imports the good rows of an Excel sheet of `entity` with zh headers and puts
/// the bad one in the rejects file.
fn skips_a_bad_row_of_a_zh_sheet(entity: Entity) {
    let (name, case) = (entity.name, entity.skip);
    let env = TestEnv::new().with_registry();
    let file = zh_file(&env, case.file, entity.header, case.rows);
    let rejects = env.path("rejects.csv");
    let summary = import_skipping(&env, name, &file, &rejects);
    assert_eq!(
        (&summary["inserted"], &summary["rejected"]),
        (&json!(case.inserted), &json!(1))
    );
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(text.contains(case.rejected), "{text}");
    check(&env, &case.checks);
}

#[test]
fn handovers_import_as_handover_open_opens_them() {
    imports_as_its_commands(handovers());
}

#[test]
fn complaints_import_with_the_deadlines_complaint_file_computes() {
    imports_as_its_commands(complaints());
}

#[test]
fn credit_events_import_as_credit_record_records_them() {
    imports_as_its_commands(credit());
}

#[test]
fn a_bad_handover_row_leaves_the_database_unchanged() {
    refuses_a_bad_row(handovers());
}

#[test]
fn a_bad_complaint_row_leaves_the_database_unchanged() {
    refuses_a_bad_row(complaints());
}

#[test]
fn a_bad_credit_row_leaves_the_database_unchanged() {
    refuses_a_bad_row(credit());
}

#[test]
fn handovers_skip_mode_and_zh_headers() {
    skips_a_bad_row_of_a_zh_sheet(handovers());
}

#[test]
fn complaints_skip_mode_and_zh_headers() {
    skips_a_bad_row_of_a_zh_sheet(complaints());
}

#[test]
fn credit_skip_mode_and_zh_headers() {
    skips_a_bad_row_of_a_zh_sheet(credit());
}

/// Imports `file` of `entity` a second time: it finds its `rows` rows again and changes
/// nothing but the audit log, one `import` event more; the commands' events stay one a row.
fn imported_again(env: &TestEnv, entity: &str, action: &str, file: &str, rows: usize) {
    let before = records(env);
    let summary = env.json(&format!("import {entity} {file}"));
    assert_eq!(
        (&summary["rows"], &summary["inserted"], &summary["updated"]),
        (&json!(rows), &json!(0), &json!(0)),
        "{entity}"
    );
    assert_eq!(
        records(env).split_once('|').unwrap().1,
        before.split_once('|').unwrap().1,
        "{entity}"
    );
    let prefix = action.split('.').next().unwrap();
    let last: String = env.sql("SELECT action FROM events ORDER BY id DESC LIMIT 1");
    assert_eq!(last, format!("{prefix}.import"), "{entity}");
    let recorded: i64 = env.sql(&format!(
        "SELECT count(*) FROM events WHERE action = '{action}'"
    ));
    assert_eq!(recorded, rows as i64, "{entity}");
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
    let stderr = env.run(&format!("import handovers {file}")).ok_stderr();
    for warning in [
        "warning: handover 1 of E001: the leaving date 2026-02-20 is in the past",
        "warning: handover 1 of E001: nobody takes customer(s) C001",
    ] {
        assert!(stderr.contains(warning), "missing {warning:?} in\n{stderr}");
    }
    let zh = TestEnv::new().with_registry();
    let file = zh.file("handovers.csv", "employee,leaving_on\nE001,2026-03-20\n");
    let stderr = zh
        .run(&format!("--lang zh import handovers {file} --dry-run"))
        .ok_stderr();
    assert!(
        !stderr.contains("尚无接手人"),
        "a dry run opens nothing: {stderr}"
    );
    let stderr = zh
        .run(&format!("--lang zh import handovers {file}"))
        .ok_stderr();
    assert!(
        stderr.contains("E001 的交接 1：客户 C001 尚无接手人"),
        "{stderr}"
    );
}

#[test]
fn re_importing_handovers_leaves_them_unchanged() {
    let env = TestEnv::new().with_registry();
    let file = env.file(
        "handovers.csv",
        format!("{HANDOVERS}\nE001,2026-03-20,E002,resign\n"),
    );
    env.ok(&format!("import handovers {file}"));
    imported_again(&env, "handovers", "handover.open", &file, 1);

    let err = refused_file(
        &env,
        "handovers",
        &format!("{HANDOVERS}\nE001,2026-03-20,E003,resign\n"),
    );
    assert!(
        err.contains(
            "column \"successor\": value \"E003\": handover 1 of this departure has successor \
             \"E002\""
        ),
        "{err}"
    );
    let err = refused_file(
        &env,
        "handovers",
        &format!("{HANDOVERS}\nE001,2026-03-27,E002,resign\n"),
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
        (&summary["rows"], &summary["inserted"]),
        (&json!(1), &json!(0))
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
        (&summary["rows"], &summary["inserted"]),
        (&json!(2), &json!(0))
    );
}

#[test]
fn re_importing_complaints_finds_them_by_time_party_and_summary() {
    let env = TestEnv::new().with_registry();
    let content = format!(
        "{COMPLAINTS}\n\
         2026-02-27 09:30,C001,,发票开错,billing,online,\n\
         2026-02-27 09:30,,王女士,发票开错,billing,online,\n"
    );
    let file = env.file("complaints.csv", &content);
    assert_eq!(
        env.json(&format!("import complaints {file}"))["inserted"],
        2,
        "another party is another complaint"
    );
    env.ok("complaint accept 1");
    imported_again(&env, "complaints", "complaint.file", &file, 2);

    let err = refused_file(
        &env,
        "complaints",
        &format!("{COMPLAINTS}\n2026-02-27 09:30,C001,,发票开错,quality,online,\n"),
    );
    assert!(
        err.contains(
            "column \"category\": value \"quality\": complaint 1 (same time, party and summary) \
             has category \"billing\""
        ),
        "{err}"
    );
    let err = refused_file(
        &env,
        "complaints",
        &format!(
            "{COMPLAINTS}\n\
             2026-02-28 09:30,C002,,没人回电,,,\n\
             2026-02-28 09:30,C002,,没人回电,,,\n"
        ),
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
    env.ok(
        "complaint file --customer C001 --summary 新对接人不熟悉配方 --category service-gap \
         --received-at '2026-02-13 17:00' --handover 1",
    );
    env.ok(
        "complaint file --complainant 王女士 --summary 折扣未兑现 --received-at '2026-02-28 08:15'",
    );
    let export = env.ok("complaint list --format csv");

    let copy = TestEnv::new().with_registry();
    copy.open_handover(Some("E002"));
    let file = copy.file("complaints.csv", &export);
    assert_eq!(
        copy.json(&format!("import complaints {file}"))["inserted"],
        2
    );
    assert_eq!(copy.ok("complaint list --format csv"), export);
    let summary = copy.json(&format!("import complaints {file}"));
    assert_eq!(
        (&summary["rows"], &summary["inserted"]),
        (&json!(2), &json!(0))
    );
}

#[test]
fn re_importing_credit_events_leaves_them_unchanged() {
    let env = TestEnv::new().with_registry();
    let file = env.file("rows.csv", credit_rows());
    env.ok(&format!("import credit {file}"));
    imported_again(&env, "credit", "credit.record", &file, 4);
    // `credit record` still refuses the same event.
    env.fails(
        "credit record --employee E001 --code handover-refused --date 2026-02-10",
        3,
    );
    let err = refused_file(
        &env,
        "credit",
        &format!(
            "{CREDIT}\n\
             employee:E002,,handover-refused,2026-02-10,\n\
             employee:E002,,handover-refused,2026-02-10,\n"
        ),
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
        (&summary["rows"], &summary["inserted"]),
        (&json!(1), &json!(0))
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
        env.run("import")
            .arg(what)
            .arg(dir.join(format!("{what}.csv")))
            .json()
    };
    for what in ["companies", "employees", "customers"] {
        import(what);
    }
    for (what, count) in [("handovers", 2), ("complaints", 3), ("credit", 4)] {
        let summary = import(what);
        assert_eq!(
            (&summary["inserted"], &summary["rejected"]),
            (&json!(count), &json!(0)),
            "{what}"
        );
    }
    assert_eq!(env.json("complaint show 1")["handover"], 1);
    assert_eq!(env.json("employee show E004")["status"], "leaving");
    for what in ["handovers", "complaints", "credit"] {
        let summary = import(what);
        assert_eq!(
            (&summary["inserted"], &summary["updated"]),
            (&json!(0), &json!(0)),
            "{what} again"
        );
    }
}
