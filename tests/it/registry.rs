use serde_json::json;

use crate::util::{mode_of, TestEnv, USCC_A, USCC_B};

#[test]
fn a_real_uscc_is_accepted_and_a_changed_check_character_refused() {
    let env = TestEnv::new();
    let company = env.json(&format!(
        "company add --code {USCC_A} --name 华为技术有限公司"
    ));
    assert_eq!(company["code"], USCC_A);
    let err = env.fails("company add --code 914403001922038217 --name x", 4);
    assert!(
        err.contains("914403001922038217") && err.contains("\"6\""),
        "{err}"
    );
    let err = env.fails(&format!("company add --code {USCC_A} --name again"), 3);
    assert!(err.contains("exists already"), "{err}");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM companies"), 1);
}

#[test]
fn the_company_context_is_the_only_company_or_the_one_named() {
    let env = TestEnv::new();
    env.ok("init");
    let err = env.fails("employee list", 4);
    assert!(
        err.contains("no company") && err.contains("hint: "),
        "{err}"
    );
    env.ok(&format!("company add --code {USCC_A} --name 甲公司"));
    env.ok("employee add --id E001 --name 王磊 --role rnd");
    env.ok(&format!("company add --code {USCC_B} --name 乙公司"));
    let err = env.fails("employee show E001", 2);
    assert!(
        err.contains("several companies") && err.contains(USCC_A) && err.contains(USCC_B),
        "{err}"
    );
    let listed = env.json(&format!("employee list --company {USCC_A}"));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let listed = env
        .run("employee list --format json")
        .env("BATON_COMPANY", USCC_B)
        .ok();
    assert_eq!(listed.trim(), "[]");
    let err = env.fails("employee list -c 91350200MA31XX6F1M", 4);
    assert!(err.contains("91350200MA31XX6F1M"), "{err}");
}

#[test]
fn the_company_is_named_by_code_full_name_or_short_name_and_an_ambiguous_name_lists_every_match() {
    let env = TestEnv::new();
    env.ok(&format!(
        "company add --code {USCC_A} --name 深圳甲科技有限公司 --short 甲科技"
    ));
    env.ok(&format!(
        "company add --code {USCC_B} --name 苏州乙贸易有限公司 --short 乙贸易"
    ));
    env.ok("company add --code 91350200MA31XX6F1M --name 厦门丙贸易有限公司 --short 乙贸易");
    env.ok(&format!(
        "employee add -c {} --id E001 --name 王磊 --role rnd",
        USCC_A.to_lowercase()
    ));
    for name in ["深圳甲科技有限公司", "甲科技", " 甲科技 "] {
        let listed = env.json(&format!("employee list -c '{name}'"));
        assert_eq!(listed[0]["id"], "E001", "-c {name:?}");
    }
    assert_eq!(env.json("company show 苏州乙贸易有限公司")["code"], USCC_B);

    let err = env.fails("employee list -c 乙贸易", 2);
    assert!(
        err.contains("2 companies") && err.contains(USCC_B) && err.contains("91350200MA31XX6F1M"),
        "{err}"
    );
    let err = env.fails("employee list -c 贸易", 4);
    assert!(
        err.contains("did you mean") && err.contains(USCC_B) && err.contains("91350200MA31XX6F1M"),
        "{err}"
    );
    let err = env.fails("employee list -c 丁 --lang zh", 4);
    assert!(
        err.contains("数据库中没有公司") && err.contains("company list"),
        "{err}"
    );
}

#[test]
fn employees_are_added_updated_listed_and_shown() {
    let env = TestEnv::new().with_registry();
    let e = env.json("employee show E001 --reveal");
    assert_eq!(e["name"], "王磊");
    assert_eq!(e["role"], "rnd");
    assert_eq!(e["core"], true);
    assert_eq!(e["nda"], true);
    assert_eq!(e["phone"], "13812345678");
    assert_eq!(e["status"], "active");
    assert_eq!(e["customers_owned"], 2);

    let updated =
        env.json("employee update E001 --nda=false --noncompete-until 2027-06-30 --phone ''");
    assert_eq!(updated["nda"], false);
    assert_eq!(updated["noncompete_until"], "2027-06-30");
    assert_eq!(updated["phone"], serde_json::Value::Null);

    let core = env.json("employee list --core");
    let ids: Vec<&str> = core
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["E001", "E002"]);
    assert_eq!(
        env.json("employee list --status leaving"),
        serde_json::json!([])
    );
}

#[test]
fn bad_employee_input_is_refused_and_changes_nothing() {
    let env = TestEnv::new().with_registry();
    let before: i64 = env.sql("SELECT count(*) FROM events");
    env.fails("employee add --id E009 --name x --role boss", 2);
    let err = env.fails(
        "employee add --id E009 --name x --role sales --phone 12345",
        4,
    );
    assert!(err.contains("12345"), "{err}");
    let err = env.fails(
        "employee add --id E009 --name x --role sales --noncompete-until 2026-02-30",
        4,
    );
    assert!(err.contains("2026-02-30"), "{err}");
    let err = env.fails("employee add --id E001 --name x --role sales", 3);
    assert!(err.contains("E001"), "{err}");
    let err = env.fails("employee update E404 --name x", 4);
    assert!(err.contains("E404"), "{err}");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM employees"), 3);
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM events"), before);
}

#[test]
fn customers_check_every_reference() {
    let env = TestEnv::new().with_registry();
    let err = env.fails(
        "customer add --id C009 --name x --tier core --owner E999",
        4,
    );
    assert!(err.contains("E999") && err.contains("hint:"), "{err}");
    let err = env.fails(
        "customer add --id C009 --name x --tier core --owner E001 --backup E001",
        4,
    );
    assert!(err.contains("backup"), "{err}");
    let err = env.fails(
        "customer add --id C001 --name x --tier core --owner E001",
        3,
    );
    assert!(err.contains("C001"), "{err}");
    env.exec("UPDATE employees SET status = 'left' WHERE code = 'E003'");
    let err = env.fails("customer update C001 --owner E003", 3);
    assert!(err.contains("E003") && err.contains("left"), "{err}");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM customers"), 4);
}

#[test]
fn an_import_finds_owners_by_short_and_long_codes_in_the_right_company() {
    let env = TestEnv::new().with_registry();
    let long = "SALES-EAST-2026-000017";
    env.ok(&format!(
        "employee add --id {long} --name 赵强 --role sales"
    ));
    env.ok(&format!(
        "company add --code {USCC_B} --name 上海另一家有限公司"
    ));
    env.ok(&format!(
        "employee add --id E009 --name 孙丽 --role sales -c {USCC_B}"
    ));
    let file = env.file(
        "customers.csv",
        format!(
            "id,name,tier,owner,backup,company\n\
             D1,甲,core,E001, {long} ,{USCC_A}\n\
             D2,乙,key,{long},,{USCC_A}\n\
             D3,丙,normal,E009,,{USCC_B}\n"
        ),
    );
    env.ok(&format!("import customers {file}"));
    let show = |code: &str, company: &str| env.json(&format!("customer show {code} -c {company}"));
    let d1 = show("D1", USCC_A);
    assert_eq!(
        (&d1["owner"], &d1["backup"]),
        (&json!("E001"), &json!(long))
    );
    assert_eq!(show("D2", USCC_A)["owner"], long);
    assert_eq!(show("D3", USCC_B)["owner"], "E009");
    // E009 is not an employee of the first company.
    let bad = env.file("bad.csv", "id,name,tier,owner\nD4,丁,core,E009\n");
    let err = env.fails(&format!("import customers {bad} -c {USCC_A}"), 4);
    assert!(err.contains("E009"), "{err}");
}

#[test]
fn a_new_owner_is_kept_in_the_owner_history_and_the_audit_log() {
    let env = TestEnv::new().with_registry();
    let updated = env.json("customer update C001 --owner E002 --backup E003");
    assert_eq!(updated["owner"], "E002");
    assert_eq!(updated["backup"], "E003");
    let shown = env.json("customer show C001");
    assert_eq!(shown["owner_name"], "李娜");
    assert_eq!(shown["history"][0]["from"], "E001");
    assert_eq!(shown["history"][0]["to"], "E002");
    assert_eq!(
        shown["history"][0]["changed_at"],
        "2026-03-02T10:00:00+08:00"
    );
    let log = env.json("log --entity customer --id C001");
    let last = log.as_array().unwrap().last().unwrap();
    assert_eq!(last["action"], "customer.update");
    assert_eq!(last["actor"], "tester");
    let detail = &last["detail"];
    assert_eq!(detail["before"]["owner"], "E001");
    assert_eq!(detail["after"]["owner"], "E002");
}

#[test]
fn at_risk_lists_unbacked_core_customers_and_those_of_leavers() {
    let env = TestEnv::new().with_registry();
    let risky = env.json("customer list --at-risk");
    let rows: Vec<(&str, &str)> = risky
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["risk"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [("C001", "no backup")]);
    env.exec("UPDATE employees SET status = 'leaving' WHERE code = 'E002'");
    let risky = env.json("customer list --at-risk");
    let ids: Vec<&str> = risky
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["C001", "C003"]);
    env.fails("customer list --at-risk --owner E001", 2);
}

#[test]
fn customer_lists_filter_by_owner_and_tier() {
    let env = TestEnv::new().with_registry();
    let owned = env.json("customer list --owner E001");
    assert_eq!(owned.as_array().unwrap().len(), 2);
    let key = env.json("customer list --tier key");
    assert_eq!(key[0]["id"], "C003");
    env.fails("customer list --owner E404", 4);
}

#[test]
fn personal_data_is_masked_unless_revealed_and_revealing_is_logged() {
    let env = TestEnv::new().with_registry();
    let table = env.ok("customer list --wide");
    assert!(
        table.contains("139****5678") && !table.contains("13912345678"),
        "{table}"
    );
    let csv = env.ok("customer list --format csv");
    assert!(!csv.contains("13912345678"), "{csv}");
    let shown = env.json("customer show C001");
    assert_eq!(shown["phone"], "139****5678");
    assert!(shown.get("confidential").is_none(), "{shown}");
    let employees = env.ok("employee list --wide");
    assert!(employees.contains("w***@example.com"), "{employees}");

    let revealed = env.json("customer show C001 --reveal");
    assert_eq!(revealed["phone"], "13912345678");
    assert_eq!(revealed["confidential"], "底价 38 元/公斤");
    let reveals: i64 = env.sql("SELECT count(*) FROM events WHERE action = 'privacy.reveal'");
    assert_eq!(reveals, 1);
}

#[test]
fn confidential_notes_never_appear_in_lists() {
    let env = TestEnv::new().with_registry();
    for format in ["table", "csv", "json"] {
        let out = env.ok(&format!("customer list --reveal --format {format}"));
        assert!(!out.contains("底价"), "{format}: {out}");
    }
}

#[test]
fn csv_output_takes_a_bom_and_an_output_file_created_private() {
    let env = TestEnv::new().with_registry();
    let out = env.run("customer list --format csv --bom").ok();
    assert!(out.starts_with("\u{feff}id,name,tier,owner"), "{out}");
    let file = env.path("customers.csv");
    env.ok(&format!("customer list --format csv -o {}", file.display()));
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(text.starts_with("id,name,tier,owner,backup,contact,phone,email,since,status\n"));
    assert_eq!(mode_of(&file), 0o600);
}

#[test]
fn an_empty_list_still_has_its_csv_header_and_json_array() {
    let env = TestEnv::new();
    env.ok(&format!("company add --code {USCC_A} --name 甲公司"));
    assert_eq!(
        env.ok("customer list --format csv"),
        "id,name,tier,owner,backup,contact,phone,email,since,status\n"
    );
    assert_eq!(env.ok("customer list --format json").trim(), "[]");
}

#[test]
fn chinese_headers_with_lang_zh() {
    let env = TestEnv::new().with_registry();
    let table = env.ok("customer list --lang zh");
    assert!(
        table.contains("负责人") && table.contains("客户等级"),
        "{table}"
    );
    let by_locale = env.run("employee list").env("LANG", "zh_CN.UTF-8").ok();
    assert!(by_locale.contains("岗位"), "{by_locale}");
    let csv = env.ok("customer list --lang zh --format csv");
    assert!(
        csv.starts_with("id,name,"),
        "CSV keys stay field names: {csv}"
    );
}

#[test]
fn changes_say_what_changed_on_stderr_and_print_the_record_as_json() {
    let env = TestEnv::new().with_registry();
    let out = env.run("customer update C004 --tier key").output();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("customer C004 updated"));
    let quiet = env.run("customer update C004 --tier core -q").output();
    assert!(quiet.status.success());
    assert!(quiet.stderr.is_empty());
    let zh = env
        .run("customer update C004 --tier normal --lang zh")
        .ok_stderr();
    assert!(zh.contains("已更新客户 C004"), "{zh}");
}

#[test]
fn companies_are_listed_and_shown() {
    let env = TestEnv::new().with_registry();
    env.ok(&format!(
        "company add --code {USCC_B} --name 苏州绿源食品添加剂科技有限公司"
    ));
    let listed = env.json("company list");
    let codes: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [USCC_B, USCC_A]);
    let lower = USCC_A.to_lowercase();
    let shown = env.json(&format!("company show {lower}"));
    assert_eq!(shown["short_name"], "示例科技");
    assert_eq!(shown["created_at"], "2026-03-02T10:00:00+08:00");
    env.fails("company show 91350200MA31XX6F1M", 4);
}

#[test]
fn enum_values_are_typed_in_either_language_and_shown_in_the_tables_language() {
    let env = TestEnv::new().with_registry();
    env.ok("employee add --id E009 --name 孙丽 --role 销售");
    env.ok("customer add --id C009 --name 远航贸易 --tier 核心 --owner E009");
    let employee = env.json("employee show E009");
    assert_eq!(employee["role"], "sales", "JSON keeps the stable value");
    let customer = env.json("customer show C009");
    assert_eq!(customer["tier"], "core");
    let zh = env.ok("customer list --lang zh");
    assert!(zh.contains("核心") && !zh.contains("core"), "{zh}");
    let en = env.ok("customer list --lang en");
    assert!(en.contains("core") && !en.contains("核心"), "{en}");
    let csv = env.ok("customer list --lang zh --format csv");
    assert!(csv.contains(",core,") && !csv.contains("核心"), "{csv}");
    let err = env.fails("employee add --id E010 --name 周 --role 销", 2);
    assert!(err.contains("销"), "{err}");
}
