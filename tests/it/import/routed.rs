//! Files that span companies: a `company` column routes each row to its company (by
//! 统一社会信用代码, or by a name only one company has), `-c` is the company of rows without
//! one, an unknown company is a row error, and a list across companies imports back.

use crate::util::{TestEnv, USCC_A, USCC_B};

/// Two companies, 甲 (USCC_A) and 乙 (USCC_B), each with employees E001 and E002.
fn two_companies() -> TestEnv {
    let env = TestEnv::new();
    env.ok(&format!("company add --code {USCC_A} --name 甲"));
    env.ok(&format!("company add --code {USCC_B} --name 乙"));
    let employees = env.file(
        "employees.csv",
        format!(
            "company,id,name,role\n{USCC_A},E001,王,sales\n{USCC_A},E002,李,sales\n\
             {USCC_B},E001,赵,sales\n乙,E002,钱,rnd\n"
        ),
    );
    let summary = env.json(&format!("import employees {employees}"));
    assert_eq!(summary["inserted"], 4, "{summary}");
    env
}

/// `company:code:owner` of every customer, in order.
fn customers(env: &TestEnv) -> String {
    env.sql(
        "SELECT group_concat(co.code || ':' || c.code || ':' || o.code, ' ')
         FROM (SELECT * FROM customers ORDER BY company_id, code) c
         JOIN companies co ON co.id = c.company_id JOIN employees o ON o.id = c.owner_id",
    )
}

#[test]
fn rows_go_to_the_company_they_name_by_code_or_name() {
    let env = two_companies();
    let file = env.file(
        "customers.csv",
        format!(
            "id,name,tier,owner,company\nC1,甲一,core,E001,{USCC_A}\nC1,乙一,key,E002,{}\n\
             C2,乙二,normal,E001,乙\n",
            USCC_B.to_lowercase()
        ),
    );
    let summary = env.json(&format!("import customers {file}"));
    assert_eq!(
        (&summary["rows"], &summary["inserted"]),
        (&3.into(), &3.into())
    );
    assert_eq!(
        customers(&env),
        format!("{USCC_A}:C1:E001 {USCC_B}:C1:E002 {USCC_B}:C2:E001")
    );
    let lines = env.file(
        "more.jsonl",
        format!(
            "{{\"company\": \"{USCC_A}\", \"id\": \"C3\", \"name\": \"甲三\", \"tier\": \"key\", \"owner\": \"E002\"}}\n\
             {{\"company\": \"丙\", \"id\": \"C4\", \"name\": \"某\", \"tier\": \"key\", \"owner\": \"E002\"}}\n"
        ),
    );
    let err = env.fails(&format!("import customers {lines}"), 4);
    assert!(
        err.contains("more.jsonl:2: column \"company\": value \"丙\": no company \"丙\""),
        "{err}"
    );
    let lines = env.file("more.jsonl", format!("{{\"company\": \"{USCC_A}\", \"id\": \"C3\", \"name\": \"甲三\", \"tier\": \"key\", \"owner\": \"E002\"}}\n"));
    env.ok(&format!("import customers {lines}"));
    assert!(customers(&env).contains(&format!("{USCC_A}:C3:E002")));
    let owner_company: i64 = env.sql(
        "SELECT count(*) FROM customers c JOIN employees o ON o.id = c.owner_id
         WHERE o.company_id != c.company_id",
    );
    assert_eq!(
        owner_company, 0,
        "an owner is an employee of the row's company"
    );
}

#[test]
fn zh_headers_name_the_company_by_code_or_by_name() {
    let env = two_companies();
    for header in ["统一社会信用代码", "企业名称"] {
        let file = env.file(
            "customers.csv",
            format!("\u{feff}{header},编号,名称,客户等级,负责人\n乙,C9,某客户,core,E001\n"),
        );
        env.ok(&format!("import customers {file}"));
    }
    assert_eq!(customers(&env), format!("{USCC_B}:C9:E001"));
}

#[test]
fn an_unknown_or_shared_company_is_a_row_error_with_its_line_and_value() {
    let env = two_companies();
    env.ok("company add --code 91110000100000000R --name 乙");
    let file = env.file(
        "customers.csv",
        format!(
            "id,name,tier,owner,company\nC1,甲一,core,E001,{USCC_A}\n\
             C2,某,core,E001,91350200MA31XX6F1M\nC3,某,core,E001,乙\n"
        ),
    );
    let err = env.fails(&format!("import customers {file}"), 4);
    assert!(err.contains("2 bad rows; nothing was imported"), "{err}");
    assert!(
        err.contains(
            "customers.csv:3: column \"company\": value \"91350200MA31XX6F1M\": \
             no company \"91350200MA31XX6F1M\" in the database"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "customers.csv:4: column \"company\": value \"乙\": several companies are named \"乙\""
        ),
        "{err}"
    );
    let count: i64 = env.sql("SELECT count(*) FROM customers");
    assert_eq!(count, 0);
    let zh = env.fails(&format!("import customers {file} --lang zh"), 4);
    assert!(
        zh.contains("数据库中没有公司 \"91350200MA31XX6F1M\""),
        "{zh}"
    );
}

#[test]
fn rows_without_a_company_go_to_the_company_of_the_command() {
    let env = two_companies();
    let file = env.file(
        "customers.csv",
        format!("id,name,tier,owner,company\nC1,甲一,core,E001,\nC2,乙二,key,E002,{USCC_B}\n"),
    );
    let err = env.fails(&format!("import customers {file}"), 4);
    assert!(
        err.contains("customers.csv:2: column \"company\": value \"\": the row names no company"),
        "{err}"
    );
    env.ok(&format!("import customers {file} -c {USCC_A}"));
    assert_eq!(
        customers(&env),
        format!("{USCC_A}:C1:E001 {USCC_B}:C2:E002")
    );
    // A file without the column needs a company at once when there are several.
    let plain = env.file("plain.csv", "id,name,tier,owner\nC3,甲三,core,E001\n");
    let err = env.fails(&format!("import customers {plain}"), 2);
    assert!(err.contains("several companies"), "{err}");
    env.ok(&format!("import customers {plain} -c {USCC_A}"));
    let err = env.fails(
        &format!("import customers {plain} -c 91350200MA31XX6F1M"),
        4,
    );
    assert!(err.contains("91350200MA31XX6F1M"), "{err}");
}

#[test]
fn lists_across_companies_name_the_company_and_import_back() {
    let env = two_companies();
    let file = env.file(
        "customers.csv",
        format!(
            "company,id,name,tier,owner,backup,phone,since\n\
             {USCC_A},C1,甲一,core,E001,E002,13800138000,2024-01-02\n\
             {USCC_B},C1,乙一,key,E002,,,\n{USCC_B},C2,乙二,normal,E001,E002,,\n"
        ),
    );
    env.ok(&format!("import customers {file}"));
    let csv = env.ok("customer list --format csv --reveal");
    assert!(
        csv.starts_with("company,id,name,tier,owner,backup"),
        "{csv}"
    );
    let scoped = env.ok(&format!("customer list --format csv -c {USCC_B}"));
    assert!(scoped.starts_with("id,name,tier,owner"), "{scoped}");
    assert_eq!(scoped.lines().count(), 3, "{scoped}");
    let employees = env.json("employee list");
    assert_eq!(employees.as_array().unwrap().len(), 4);
    assert_eq!(employees[3]["company"], USCC_B);

    // Both exports load into a database of the same companies, unchanged.
    let copy = TestEnv::new();
    copy.ok(&format!("company add --code {USCC_A} --name 甲"));
    copy.ok(&format!("company add --code {USCC_B} --name 乙"));
    let staff = copy.file("staff.csv", env.ok("employee list --format csv"));
    copy.ok(&format!("import employees {staff}"));
    let exported = copy.file("exported.csv", csv.as_bytes());
    let summary = copy.json(&format!("import customers {exported}"));
    assert_eq!(summary["inserted"], 3, "{summary}");
    assert_eq!(copy.ok("customer list --format csv --reveal"), csv);
    let again = copy.json(&format!("import customers {exported}"));
    assert_eq!(
        (&again["inserted"], &again["updated"]),
        (&0.into(), &0.into())
    );
}

#[test]
fn every_entity_routes_its_rows() {
    let env = two_companies();
    let handovers = env.file(
        "handovers.csv",
        format!("company,employee,leaving_on,successor\n{USCC_B},E001,2026-04-30,E002\n"),
    );
    env.ok(&format!("import handovers {handovers}"));
    let complaints = env.file(
        "complaints.csv",
        "company,summary,received_at,complainant\n乙,服务中断,2026-03-01 09:00,张三\n",
    );
    env.ok(&format!("import complaints {complaints}"));
    let credit = env.file(
        "credit.csv",
        format!("company,subject,code,occurred_on\n{USCC_B},employee:E001,handover-refused,2026-02-10\n"),
    );
    env.ok(&format!("import credit {credit}"));
    let placed: String = env.sql(&format!(
        "SELECT (SELECT count(*) FROM handovers h JOIN companies co ON co.id = h.company_id
                 WHERE co.code = '{USCC_B}') || ',' ||
                (SELECT count(*) FROM complaints c JOIN companies co ON co.id = c.company_id
                 WHERE co.code = '{USCC_B}') || ',' ||
                (SELECT count(*) FROM handovers) || ',' || (SELECT count(*) FROM complaints)"
    ));
    assert_eq!(placed, "1,1,1,1");
    let history = env.json(&format!("credit history employee:E001 -c {USCC_B}"));
    assert_eq!(history.as_array().map(Vec::len), Some(1), "{history}");
}

#[test]
fn a_key_repeated_in_a_bulk_load_across_companies_names_both_lines() {
    let env = two_companies();
    let mut file = String::from("id,name,tier,owner,company\n");
    for n in 0..600 {
        let company = if n % 2 == 0 { USCC_A } else { USCC_B };
        file.push_str(&format!("C{:04},客户{n},normal,E001,{company}\n", n / 2));
    }
    // Line 602 repeats line 10 (C0004 of 甲), batches later; C0004 of 乙 is another key.
    file.push_str(&format!(
        "C0004,重复,key,E002,{USCC_A}\nC0300,新,key,E002,{USCC_B}\n"
    ));
    let path = env.file("spread.csv", file);
    let rejects = env.path("rejects.csv");
    let summary = super::import_skipping(&env, "customers", &path, &rejects);
    assert_eq!(
        (&summary["inserted"], &summary["rejected"]),
        (&601.into(), &1.into()),
        "{summary}"
    );
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        rejected.contains(&format!("C0004,重复,key,E002,{USCC_A},")),
        "the rejects file keeps the row as it was: {rejected}"
    );
    assert!(
        rejected.contains("value \"\"C0004\"\": the same key is on line 10 of this file"),
        "{rejected}"
    );
    let kept: String = env.sql(&format!(
        "SELECT c.name FROM customers c JOIN companies co ON co.id = c.company_id
         WHERE co.code = '{USCC_A}' AND c.code = 'C0004'"
    ));
    assert_eq!(
        kept, "客户8",
        "the first row stays, the repeated one is taken back"
    );
    let unique: i64 = env.sql(
        "SELECT count(*) FROM sqlite_schema WHERE name = 'customers_key' AND sql LIKE '%UNIQUE%'",
    );
    assert_eq!(unique, 1, "the unique index is back after the load");
    let again = env.file(
        "again.csv",
        format!(
            "id,name,tier,owner,company\nC0004,再,key,E002,{USCC_A}\nC0004,又,key,E002,{USCC_A}\n"
        ),
    );
    let err = env.fails(&format!("import customers {again}"), 4);
    assert!(
        err.contains("again.csv:3") && err.contains("line 2"),
        "{err}"
    );
}
