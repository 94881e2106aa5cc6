use crate::util::{TestEnv, USCC_A, USCC_B};
use serde_json::Value;

/// The registry, and a handover of E001 (owner of C001 and C002) leaving on 2026-03-20.
fn opened(successor: Option<&str>) -> TestEnv {
    let env = TestEnv::new().with_registry();
    env.open_handover(successor);
    env
}

fn items_of(env: &TestEnv, id: &str) -> Vec<Value> {
    env.json(&format!("handover show {id}"))["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn item_of(items: &[Value], kind: &str, reference: &str) -> i64 {
    items
        .iter()
        .find(|i| i["kind"] == kind && i["ref"] == reference)
        .unwrap_or_else(|| panic!("no {kind} item {reference}"))["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn the_whole_life_of_a_handover() {
    let env = TestEnv::new().with_registry();
    let opened = env.json(
        "handover open --employee E001 --leaving-on 2026-03-20 --successor E002 --reason resign",
    );
    assert_eq!(opened["id"], 1);
    assert_eq!(opened["status"], "open");
    assert_eq!(opened["successor"], "E002");
    // C001 and C002, four documents, access, confidentiality, three employer duties (art. 50)
    assert_eq!(opened["items_total"], 11);
    let e = env.json("employee show E001");
    assert_eq!(e["status"], "leaving");
    assert_eq!(e["leaving_on"], "2026-03-20");

    let items = items_of(&env, "1");
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "customer", "customer", "document", "document", "document", "document", "access",
            "task", "task", "task", "task"
        ]
    );
    let c001 = &items[0];
    assert_eq!(c001["ref"], "C001");
    assert_eq!(c001["assignee"], "E002");
    assert_eq!(c001["due_on"], "2026-03-17", "leaving date - 3 lead days");
    assert_eq!(items[2]["title"], "Customer usage records");
    assert_eq!(items[2]["due_on"], "2026-03-20");

    let contract = env.json(
        "handover item add 1 --kind contract --ref HT-2026-011 --title 春季方案执行 \
         --assignee E003 --due 2026-03-25",
    );
    assert_eq!(contract["id"], 12);
    assert_eq!(contract["assignee"], "E003");
    assert_eq!(contract["due_on"], "2026-03-25");

    let assigned = env.json("handover assign 1 --customer C002 --to E003");
    assert_eq!(assigned["assignee"], "E003");

    let done = env.json("handover item done 1 --note 客户已确认");
    assert_eq!(done["status"], "done");
    assert_eq!(done["note"], "客户已确认");
    assert_eq!(done["done_at"], "2026-03-02T10:00:00+08:00");
    let done = env.json("handover item done 2");
    assert_eq!(done["status"], "done");
    for id in 3..=12 {
        env.ok(&format!("handover item done {id}"));
    }
    let h = env.json("handover list");
    assert_eq!(h[0]["items_open"], 0);

    let closed = env.json("handover close 1");
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closed_at"], "2026-03-02T10:00:00+08:00");
    let e = env.json("employee show E001");
    assert_eq!(e["status"], "left");
    assert_eq!(e["left_on"], "2026-03-20");
    assert_eq!(e["customers_owned"], 0);
    let closed_list = env.json("handover list --status closed");
    assert_eq!(closed_list.as_array().unwrap().len(), 1);
    let open_list = env.json("handover list --status open");
    assert_eq!(open_list.as_array().unwrap().len(), 0);

    let actions: String = env.sql(
        "SELECT group_concat(action, ' ') FROM (SELECT action FROM events
         WHERE action LIKE 'handover.%' ORDER BY id)",
    );
    assert!(
        actions.starts_with("handover.open handover.item.add handover.assign handover.item.done")
    );
    assert!(actions.ends_with("handover.close"), "{actions}");
    env.ok("log --verify");
}

#[test]
fn done_moves_the_customer_and_keeps_the_owner_history() {
    let env = opened(Some("E002"));
    // C002's backup was E002; as its new owner E002 cannot also be its backup.
    env.ok("handover assign 1 --customer C002 --to E002");
    let items = items_of(&env, "1");
    let c002 = item_of(&items, "customer", "C002");
    env.ok(&format!("handover item done {c002} --note 已当面交接"));
    let c = env.json("customer show C002");
    assert_eq!(c["owner"], "E002");
    assert_eq!(c["backup"], Value::Null);
    let history = c["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["from"], "E001");
    assert_eq!(history[0]["to"], "E002");
    assert_eq!(history[0]["handover"], 1);
    assert_eq!(history[0]["note"], "已当面交接");
    assert_eq!(
        env.sql::<i64>("SELECT handover_id FROM customer_owner_history"),
        1
    );
    // C001 is untouched until its own item is done
    assert_eq!(env.json("customer show C001")["owner"], "E001");
    let moved: String = env.sql(
        "SELECT detail FROM events WHERE action = 'handover.item.done' ORDER BY id DESC LIMIT 1",
    );
    assert!(
        moved.contains("customer_moved") && moved.contains("C002"),
        "{moved}"
    );
}

#[test]
fn customers_go_to_the_successor_else_the_backup_else_nobody() {
    let env = opened(None);
    let items = items_of(&env, "1");
    assert_eq!(items[0]["ref"], "C001");
    assert_eq!(items[0]["assignee"], Value::Null);
    assert_eq!(items[1]["ref"], "C002");
    assert_eq!(items[1]["assignee"], "E002", "C002's backup");
    assert_eq!(items[2]["assignee"], Value::Null);

    let stderr = env
        .run("handover open --employee E002 --leaving-on 2026-04-30")
        .ok_stderr();
    assert!(
        stderr.contains("handover 2 opened") && !stderr.contains("nobody takes"),
        "{stderr}"
    );
    let c003 = &items_of(&env, "2")[0];
    assert_eq!(c003["ref"], "C003");
    assert_eq!(c003["assignee"], "E003");
}

#[test]
fn an_unassigned_customer_is_flagged_and_cannot_be_done() {
    let env = TestEnv::new().with_registry();
    let stderr = env
        .run("handover open --employee E001 --leaving-on 2026-03-20")
        .ok_stderr();
    assert!(
        stderr.contains("nobody takes customer(s) C001")
            && stderr.contains("baton handover assign 1"),
        "{stderr}"
    );
    let err = env.fails("handover item done 1", 3);
    assert!(
        err.contains("item 1 (customer C001) has nobody")
            && err.contains("hint: assign it first: `baton handover assign 1 --customer C001"),
        "{err}"
    );
    assert_eq!(env.json("customer show C001")["owner"], "E001");
    let statement = env.ok("handover show 1");
    assert!(statement.contains("NOBODY ASSIGNED"), "{statement}");
}

#[test]
fn every_refusal_has_its_exit_code_and_message() {
    let env = opened(Some("E002"));
    // one open handover per employee
    let err = env.fails("handover open --employee E001 --leaving-on 2026-03-21", 3);
    assert!(
        err.contains("E001 has an open handover already: 1") && err.contains("handover show 1"),
        "{err}"
    );
    // unknown employee, successor who leaves, bad reason, bad date
    let err = env.fails("handover open --employee E999 --leaving-on 2026-03-21", 4);
    assert!(err.contains("E999"), "{err}");
    let err = env.fails(
        "handover open --employee E003 --leaving-on 2026-03-21 --successor E003",
        4,
    );
    assert!(
        err.contains("successor E003 is the employee who leaves"),
        "{err}"
    );
    env.fails(
        "handover open --employee E003 --leaving-on 2026-03-21 --reason fired",
        2,
    );
    let err = env.fails("handover open --employee E003 --leaving-on 2026-02-30", 4);
    assert!(err.contains("2026-02-30"), "{err}");

    // unknown handover and item
    let err = env.fails("handover show 99", 4);
    assert!(err.contains("no handover 99"), "{err}");
    let err = env.fails("handover item done 99", 4);
    assert!(err.contains("no handover item 99"), "{err}");

    // item add: a customer item needs a customer the leaver serves, once
    let err = env.fails("handover item add 1 --kind customer --title x", 4);
    assert!(err.contains("needs --ref CUSTOMER"), "{err}");
    let err = env.fails(
        "handover item add 1 --kind customer --ref C003 --title x",
        3,
    );
    assert!(err.contains("customer C003 is not served by E001"), "{err}");
    let err = env.fails(
        "handover item add 1 --kind customer --ref C001 --title x",
        3,
    );
    assert!(
        err.contains("customer C001 has an open item in handover 1"),
        "{err}"
    );
    let err = env.fails("handover item add 1 --kind task --title '  '", 4);
    assert!(err.contains("title must not be empty"), "{err}");
    env.fails("handover item add 1 --kind gift --title x", 2);

    // assign: the customer must have an item; the taker must not be the leaver
    let err = env.fails("handover assign 1 --customer C004 --to E002", 4);
    assert!(
        err.contains("handover 1 has no item for customer C004"),
        "{err}"
    );
    let err = env.fails("handover assign 1 --customer C001 --to E001", 4);
    assert!(err.contains("E001 is the employee who leaves"), "{err}");
    let err = env.fails("handover assign 1 --customer C001 --to E404", 4);
    assert!(err.contains("E404"), "{err}");

    // done and waived items cannot change again; waive needs a reason
    env.ok("handover item done 1");
    let err = env.fails("handover item done 1", 3);
    assert!(err.contains("item 1 is done already"), "{err}");
    let err = env.fails("handover item waive 1 --reason x", 3);
    assert!(err.contains("item 1 is done already"), "{err}");
    let err = env.fails("handover assign 1 --customer C001 --to E003", 3);
    assert!(err.contains("item 1 is done already"), "{err}");
    env.fails("handover item waive 3", 2);
    let err = env.fails("handover item waive 3 --reason ' '", 4);
    assert!(err.contains("reason must not be empty"), "{err}");
    let waived = env.json("handover item waive 3 --reason 无使用记录");
    assert_eq!(waived["status"], "waived");
    assert_eq!(waived["note"], "无使用记录");
    let err = env.fails("handover item done 3", 3);
    assert!(err.contains("item 3 is waived already"), "{err}");

    // close lists every blocker
    let err = env.fails("handover close 1", 3);
    assert!(
        err.contains("handover 1 cannot close: 9 blocker(s)"),
        "{err}"
    );
    for item in [
        "item 2 (customer C002",
        "item 4 (document",
        "item 7 (access",
        "item 8 (task",
    ] {
        assert!(err.contains(item), "{item}: {err}");
    }
    assert!(
        !err.contains("item 1 ") && !err.contains("item 3 "),
        "{err}"
    );
    assert!(
        err.contains("hint: ") && err.contains("--force --reason"),
        "{err}"
    );
    assert_eq!(env.json("employee show E001")["status"], "leaving");

    env.ok("handover close 1 --force --reason 客户已终止合作");
    let err = env.fails("handover close 1", 3);
    assert!(err.contains("handover 1 is closed already"), "{err}");
    let err = env.fails("handover item done 2", 3);
    assert!(err.contains("handover 1 is closed"), "{err}");
    let err = env.fails("handover item add 1 --kind task --title x", 3);
    assert!(err.contains("handover 1 is closed"), "{err}");
    // a leaver cannot leave again, nor take customers
    let err = env.fails("handover open --employee E001 --leaving-on 2026-04-01", 3);
    assert!(err.contains("E001 has left already"), "{err}");
    let err = env.fails(
        "handover open --employee E002 --leaving-on 2026-04-01 --successor E001",
        3,
    );
    assert!(err.contains("E001 has left"), "{err}");
}

#[test]
fn force_needs_a_reason_and_the_audit_event_names_what_it_overrode() {
    let env = opened(Some("E002"));
    let err = env.fails("handover close 1 --force", 2);
    assert!(err.contains("--reason"), "{err}");
    let err = env.fails("handover close 1 --reason x", 2);
    assert!(err.contains("--force"), "{err}");
    let err = env.fails("handover close 1 --force --reason ''", 4);
    assert!(err.contains("reason must not be empty"), "{err}");
    assert_eq!(
        env.sql::<String>("SELECT status FROM handovers WHERE id = 1"),
        "open"
    );

    let stderr = env
        .run("handover close 1 --force --reason 离职人员失联")
        .ok_stderr();
    assert!(
        stderr.contains("closed by force over 11 open item(s)"),
        "{stderr}"
    );
    let detail: String = env.sql("SELECT detail FROM events WHERE action = 'handover.close'");
    let detail: Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["forced"], true);
    assert_eq!(detail["reason"], "离职人员失联");
    let overridden = detail["overridden"].as_array().unwrap();
    assert_eq!(overridden.len(), 11);
    assert!(overridden[0]
        .as_str()
        .unwrap()
        .starts_with("item 1 (customer C001"));
    assert_eq!(env.json("employee show E001")["status"], "left");
    let shown = env.json("handover show 1");
    assert_eq!(shown["close_reason"], "离职人员失联");
    let statement = env.ok("handover show 1");
    assert!(
        statement.contains("Closed with open items, because: 离职人员失联"),
        "{statement}"
    );
}

#[test]
fn the_statement_in_english_and_chinese() {
    let env = opened(Some("E002"));
    env.ok("handover assign 1 --customer C002 --to E003");
    env.ok("handover item done 1");

    let en = env.ok("handover show 1");
    for part in [
        "HANDOVER STATEMENT No. 1",
        "Company: 深圳示例科技有限公司 (914403001922038216)",
        "Leaving: 王磊 (E001), rnd",
        "Leaving on: 2026-03-20    Reason: resign",
        "Successor: 李娜 (E002)",
        "Customers",
        "┆ customer ",
        "┆ new owner ",
        "│ 1 ┆ C001 华丰食品 ┆ core ┆ 李娜 (E002) ┆ 2026-03-17 ┆ done   ┆ not planned ┆",
        "│ 2 ┆ C002 康源乳业 ┆ core ┆ 张伟 (E003) ┆ 2026-03-17 ┆ open   ┆ not planned ┆",
        "Documents",
        "Customer usage records",
        "Accounts and access",
        "view, never copy",
        "Still open",
        "10 item(s) open, 0 of them overdue",
    ] {
        assert!(en.contains(part), "missing {part:?} in\n{en}");
    }

    let zh = env.ok("handover show 1 --lang zh");
    for part in [
        "内部文件：",
        "工作交接说明（第 1 号）",
        "离职人员：王磊（E001），岗位：研发",
        "离职原因：辞职",
        "接任人：李娜（E002）",
        "┆ 接手人 ",
        "┆ C001 华丰食品 ┆ 核心 ┆ 李娜（E002） ┆ 2026-03-17 ┆ 已完成",
        "接手人：李娜（E002），截止：2026-03-20，未完成",
        "尚未完成",
        "10 项未完成，其中 0 项已逾期",
    ] {
        assert!(zh.contains(part), "missing {part:?} in\n{zh}");
    }

    // past the customer due date, the statement says what is overdue
    let later = TestEnv {
        now: "2026-03-18T09:00:00+08:00".into(),
        ..env
    };
    let zh = later.ok("handover show 1 --lang zh");
    assert!(
        zh.contains("未完成（已逾期）") && zh.contains("其中 1 项已逾期"),
        "{zh}"
    );
    let json = later.json("handover show 1");
    assert_eq!(json["items_overdue"], 1);
    assert_eq!(json["items"][1]["overdue"], true);
    assert_eq!(json["items"][0]["overdue"], false);
    assert_eq!(json["items"][1]["customer_name"], "康源乳业");
    assert_eq!(json["items"][1]["tier"], "core");
}

#[test]
fn titles_follow_the_language_and_the_configured_documents() {
    let env = TestEnv::new().with_registry();
    env.ok("handover open --employee E001 --leaving-on 2026-03-20 --lang zh");
    let first = items_of(&env, "1");
    let titles: Vec<&str> = first[2..]
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "客户使用记录",
            "产品维护手册",
            "客户需求交接台账",
            "未完结合同与订单",
            "收回账号与系统权限：此后只可查看，不得拷贝",
            "书面确认保密与竞业限制义务",
            "出具解除或者终止劳动合同的证明（《劳动合同法》第五十条）",
            "十五日内办理档案和社会保险关系转移手续（《劳动合同法》第五十条）",
            "劳动合同文本存档二年备查，至 2028-03-20（《劳动合同法》第五十条）"
        ]
    );

    let config = env.file(
        "config.toml",
        "[handover]\nlead_days = 5\ndocuments = [\"设备使用记录\", \"维护手册\"]\n",
    );
    env.ok(&format!(
        "handover open --employee E002 --leaving-on 2026-03-20 --config {config}"
    ));
    let second = items_of(&env, "2");
    assert_eq!(second[0]["ref"], "C003");
    assert_eq!(second[0]["due_on"], "2026-03-15", "5 lead days");
    let documents: Vec<&str> = second
        .iter()
        .filter(|i| i["kind"] == "document")
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(documents, ["设备使用记录", "维护手册"]);
}

#[test]
fn a_back_filled_departure_warns_and_its_items_are_overdue() {
    let env = TestEnv::new().with_registry();
    let stderr = env
        .run("handover open --employee E001 --leaving-on 2026-02-20 --successor E002")
        .ok_stderr();
    assert!(
        stderr.contains("the leaving date 2026-02-20 is in the past"),
        "{stderr}"
    );
    env.ok("handover open --employee E003 --leaving-on +30d --successor E002");
    let h = env.json("handover list");
    assert_eq!(h.as_array().unwrap().len(), 2);
    assert_eq!(h[0]["employee"], "E003", "latest departure first");
    assert_eq!(h[0]["leaving_on"], "2026-04-01");
    let overdue = env.json("handover list --overdue");
    let overdue = overdue.as_array().unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0]["employee"], "E001");
    // all but the personnel file and social insurance, due 15 days after leaving (03-07)
    assert_eq!(overdue[0]["items_overdue"], 10);
    assert_eq!(overdue[0]["items_open"], 11);

    let status = env.json("status");
    assert_eq!(status[0]["company"], USCC_A);
    assert_eq!(status[0]["open_handovers"], 2);
    assert_eq!(status[0]["overdue_items"], 10);
    assert_eq!(status[0]["leaving"], 2);
}

#[test]
fn the_ledger_has_one_row_per_item_with_the_employee_and_filters_by_date() {
    let env = opened(Some("E002"));
    env.ok("handover open --employee E003 --leaving-on 2026-05-10 --successor E002");
    let all = env.json("handover ledger");
    let all = all.as_array().unwrap();
    // E001: 2 customers + 6 + 3 duties; E003: 1 customer (C004) + 6 + 3 duties
    assert_eq!(all.len(), 21);
    assert_eq!(all[0]["employee"], "E001");
    assert_eq!(all[20]["employee"], "E003");
    assert_eq!(all[20]["employee_name"], "张伟");

    let csv_file = env.path("ledger.csv");
    env.ok(&format!(
        "handover ledger --from 2026-04-01 --to 2026-05-31 --format csv --bom -o {}",
        csv_file.display()
    ));
    let bytes = std::fs::read(&csv_file).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "employee",
            "employee_name",
            "leaving_on",
            "id",
            "handover",
            "kind",
            "ref",
            "title",
            "assignee",
            "due_on",
            "status",
            "note",
            "done_at"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| &r[0] == "E003" && &r[4] == "2"));
    assert_eq!(&rows[0][5], "customer");
    assert_eq!(&rows[0][6], "C004");
    assert_eq!(&rows[0][8], "E002");

    let none = env.json("handover ledger --to 2026-03-19");
    assert_eq!(none.as_array().unwrap().len(), 0);
    let zh = env.ok("handover ledger --lang zh --to 2026-03-31");
    assert!(
        zh.contains("员工") && zh.contains("接手人") && zh.contains("截止日期"),
        "{zh}"
    );
}

#[test]
fn handover_commands_name_records_by_id_across_companies() {
    let env = opened(Some("E002"));
    env.ok(&format!("company add --code {USCC_B} --name 乙公司"));
    // by id alone, no company context needed
    env.ok("handover show 1");
    env.ok("handover assign 1 --customer C002 --to E003");
    // a list needs the company
    env.fails("handover list", 2);
    let listed = env.json(&format!("handover list -c {USCC_A}"));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let other = env.json(&format!("handover list -c {USCC_B}"));
    assert_eq!(other.as_array().unwrap().len(), 0);
}

#[test]
fn the_demo_tells_the_seed_s_handover_stories() {
    let env = TestEnv::new();
    let status = env.json("demo");
    let row = |code: &str| {
        status
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["company"] == code)
            .unwrap_or_else(|| panic!("no status row for {code}"))
            .clone()
    };
    const LAB: &str = "91320500MA1MXX0Q17";
    const MEDICAL: &str = "91440101MA5CQX4R1J";
    const ADS: &str = "91310106MA1FYL8K3T";
    assert_eq!(row(LAB)["open_handovers"], 1);
    assert_eq!(row(MEDICAL)["open_handovers"], 1);
    assert_eq!(row(MEDICAL)["overdue_items"], 1);
    assert_eq!(row(ADS)["open_handovers"], 1);
    assert_eq!(row(ADS)["overdue_items"], 0);

    // the lab: 王磊 leaves with three core customers and the formula; C001 handed over,
    // C003 reassigned to a second successor
    let lab = env.json("handover show 1");
    assert_eq!(lab["company"], LAB);
    assert_eq!(lab["employee_name"], "王磊");
    let lab_items = lab["items"].as_array().unwrap();
    let customers: Vec<(&str, &str, &str)> = lab_items
        .iter()
        .filter(|i| i["kind"] == "customer")
        .map(|i| {
            (
                i["ref"].as_str().unwrap(),
                i["assignee"].as_str().unwrap(),
                i["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        customers,
        [
            ("C001", "E002", "done"),
            ("C002", "E002", "open"),
            ("C003", "E003", "open")
        ]
    );
    assert!(lab_items
        .iter()
        .any(|i| i["ref"] == "KY-7" && i["kind"] == "document" && i["assignee"] == "E004"));
    let c001 = env.json(&format!("customer show C001 -c {LAB}"));
    assert_eq!(c001["owner"], "E002");
    assert_eq!(c001["history"][0]["handover"], 1);

    // the medical-device company: usage records and maintenance manuals as documents
    let medical = env.json("handover show 2");
    let documents: Vec<(&str, &str)> = medical["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "document")
        .map(|i| (i["title"].as_str().unwrap(), i["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        documents,
        [
            ("客户使用记录（交公司档案室）", "done"),
            ("产品维护手册（交公司档案室）", "open")
        ]
    );
    let overdue = env.json(&format!("handover list --overdue -c {MEDICAL}"));
    assert_eq!(overdue.as_array().unwrap().len(), 1);

    // the advertising company: three unfinished client plans with who and by when
    let ads = env.json("handover show 3");
    let contracts: Vec<&Value> = ads["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "contract")
        .collect();
    assert_eq!(contracts.len(), 3);
    for c in &contracts {
        assert!(c["ref"].as_str().unwrap().starts_with("HT-2026-"), "{c}");
        assert!(c["assignee"].is_string() && c["due_on"].is_string(), "{c}");
        assert_eq!(c["status"], "open");
    }
    env.ok("log --verify");
}

#[test]
fn markdown_output_for_lists_and_the_handover_record() {
    let env = opened(Some("E002"));
    let list = env.ok("handover list --format md --lang zh");
    let mut lines = list.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("| 编号 | 员工 | 员工姓名 | 离职日期 |"),
        "{list}"
    );
    assert!(lines.next().unwrap().starts_with("|---|---|"), "{list}");
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("| 1 | E001 | 王磊 | 2026-03-20 |"),
        "{list}"
    );
    let record = env.ok("handover show 1 --format md");
    assert!(
        record.starts_with("| field | value |\n|---|---|\n| id | 1 |\n"),
        "{record}"
    );
    assert!(
        record.contains("\n### items\n\n| id | handover | kind | ref |"),
        "{record}"
    );
    assert!(
        record.contains("| 1 | 1 | customer | C001 | 华丰食品 | E002 |"),
        "{record}"
    );
}

#[test]
fn show_lists_the_complaints_the_departure_caused() {
    let env = opened(Some("E002"));
    let statement = env.ok("handover show 1");
    assert!(
        statement.contains("Complaints\n  none linked to this departure"),
        "{statement}"
    );
    env.ok(
        "complaint file --customer C001 --summary 新对接人不了解定制配方 --handover 1 \
         --received-at '2026-02-27 09:00'",
    );
    env.ok("complaint file --customer C002 --summary unrelated");
    env.ok("complaint accept 1 --at '2026-02-27 10:00'");
    let record = env.json("handover show 1");
    let complaints = record["complaints"].as_array().unwrap();
    assert_eq!(complaints.len(), 1, "{record}");
    assert_eq!(complaints[0]["id"], 1);
    assert_eq!(complaints[0]["status"], "accepted");
    // received on Friday 09:00: feedback was due 48 h later, it is Monday now
    assert_eq!(complaints[0]["overdue"], "feedback");
    let en = env.ok("handover show 1");
    assert!(
        en.contains("Complaints\n  - #1 received 2026-02-27 from C001: 新对接人不了解定制配方 (accepted, OVERDUE: feedback)"),
        "{en}"
    );
    assert!(!en.contains("unrelated"), "{en}");
    let zh = env.ok("handover show 1 --lang zh");
    assert!(
        zh.contains("相关投诉\n  - #1 2026-02-27 收到 C001 的投诉：新对接人不了解定制配方（已受理，已超时：反馈）"),
        "{zh}"
    );
}
