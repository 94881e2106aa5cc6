use crate::util::{mode_of, TestEnv};
use serde_json::Value;

/// The registry; E001 (owner of C001 and C002) leaves on 2026-03-20, E002 takes over.
fn planned() -> TestEnv {
    let env = TestEnv::new().with_registry();
    env.ok("employee update E002 --phone 13912340002 --email lina@example.com");
    env.ok("customer update C001 --contact 陈经理");
    env.open_handover(Some("E002"));
    env.ok("notify plan 1");
    env
}

fn at(env: &TestEnv, now: &str) -> TestEnv {
    TestEnv {
        dir: tempfile::tempdir().unwrap(),
        db: env.db.clone(),
        now: now.into(),
    }
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn planning_makes_one_notice_per_customer_and_is_idempotent() {
    let env = TestEnv::new().with_registry();
    env.open_handover(Some("E002"));
    let first = env.json("notify plan 1");
    assert_eq!(ids(&first), [1, 2]);
    let n = &first[0];
    assert_eq!(n["handover"], 1);
    assert_eq!(n["customer"], "C001");
    assert_eq!(n["customer_name"], "华丰食品");
    assert_eq!(n["old_contact"], "E001");
    assert_eq!(n["new_contact"], "E002");
    assert_eq!(n["effective_on"], "2026-03-20");
    assert_eq!(n["send_by"], "2026-03-17", "3 days before the leaving date");
    assert_eq!(n["status"], "planned");
    assert_eq!(n["late"], false);

    let stderr = env.run("notify plan 1").ok_stderr();
    assert!(
        stderr.contains("0 notice(s) planned, 0 updated, 2 in all"),
        "{stderr}"
    );
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM notices"), 2);
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM events WHERE action = 'notice.plan'"),
        1,
        "planning again changed nothing"
    );

    // a re-assigned customer: the planned notice names the new contact
    env.ok("handover assign 1 --customer C002 --to E003");
    let list = env.json("notify list --handover 1");
    assert_eq!(list[1]["customer"], "C002");
    assert_eq!(list[1]["new_contact"], "E003");
    // a new lead time: planning again moves the planned send-by dates
    let config = env.file("config.toml", "[notify]\nlead_days = 5\n");
    let replanned = env.json(&format!("notify plan 1 --config {config}"));
    assert_eq!(ids(&replanned), [1, 2]);
    assert_eq!(replanned[0]["send_by"], "2026-03-15");
    let h = env.json("handover show 1");
    assert_eq!(h["notices_total"], 2);
    assert_eq!(h["notices_sent"], 0);
    assert_eq!(h["notices"].as_array().unwrap().len(), 2);
}

#[test]
fn an_unassigned_customer_gets_its_notice_once_assigned() {
    let env = TestEnv::new().with_registry();
    env.ok("handover open --employee E001 --leaving-on 2026-03-20");
    let stderr = env.run("notify plan 1").ok_stderr();
    assert!(
        stderr.contains("no notice for customer(s) C001") && stderr.contains("1 notice(s) planned"),
        "{stderr}"
    );
    env.ok("handover assign 1 --customer C001 --to E003");
    let all = env.json("notify plan 1");
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[0]["customer"], "C001");
    assert_eq!(all[0]["new_contact"], "E003");
}

#[test]
fn planning_past_the_send_by_date_warns() {
    let env = TestEnv::new().with_registry();
    env.ok("handover open --employee E001 --leaving-on 2026-03-04 --successor E002");
    let stderr = env.run("notify plan 1").ok_stderr();
    assert!(
        stderr.contains(
            "the send-by date 2026-03-01 has passed: notices 1 (C001), 2 (C002) are late"
        ),
        "{stderr}"
    );
    let late = env.json("notify list --late");
    assert_eq!(ids(&late), [1, 2]);
}

#[test]
fn due_and_late_depend_on_now() {
    let env = planned();
    // 2026-03-02: send-by 03-17 is beyond the 7-day window
    assert_eq!(ids(&env.json("notify list --due")), Vec::<i64>::new());
    let status = env.json("status");
    assert_eq!(status[0]["notices_due"], 0);
    assert_eq!(status[0]["notices_late"], 0);

    let march_10 = at(&env, "2026-03-10T09:00:00+08:00");
    assert_eq!(ids(&march_10.json("notify list --due")), [1, 2]);
    assert_eq!(march_10.json("status")[0]["notices_due"], 2);

    // sent on the last day: on time; the other one is late from 03-18 on
    let march_17 = at(&env, "2026-03-17T23:00:00+08:00");
    march_17.ok("notify sent 1 --channel letter");
    let march_18 = at(&env, "2026-03-18T08:00:00+08:00");
    let all = march_18.json("notify list");
    assert_eq!(all[0]["late"], false);
    assert_eq!(all[1]["late"], true);
    assert_eq!(ids(&march_18.json("notify list --late")), [2]);
    assert_eq!(ids(&march_18.json("notify list --due")), [2]);
    let status = march_18.json("status");
    assert_eq!(status[0]["notices_due"], 1);
    assert_eq!(status[0]["notices_late"], 1);

    // sent after its send-by date: late for good
    let stderr = march_18
        .run("notify sent 2 --channel phone --at '2026-03-18 07:30'")
        .ok_stderr();
    assert!(
        stderr.contains("notice(s) 2 went out after their send-by date"),
        "{stderr}"
    );
    let late = march_18.json("notify list --late");
    assert_eq!(ids(&late), [2]);
    assert_eq!(late[0]["status"], "sent");
    assert_eq!(late[0]["sent_at"], "2026-03-18T07:30:00+08:00");
    assert_eq!(ids(&march_18.json("notify list --due")), Vec::<i64>::new());
    // sent at 07:30 local time on 03-18 is 23:30 UTC on 03-17: lateness counts local days
    assert_eq!(
        env.sql::<String>("SELECT sent_at || ' ' || sent_on FROM notices WHERE id = 2"),
        "2026-03-17T23:30:00Z 2026-03-18"
    );
}

#[test]
fn every_state_change_and_refusal() {
    let base = planned();
    let env = at(&base, "2026-03-10T10:00:00+08:00");
    let sent = env.json("notify sent 1 --channel email --at '2026-03-05 09:30'");
    assert_eq!(sent[0]["status"], "sent");
    assert_eq!(sent[0]["channel"], "email");
    assert_eq!(sent[0]["sent_at"], "2026-03-05T09:30:00+08:00");

    let err = env.fails("notify sent 1 --channel email", 3);
    assert!(
        err.contains("notice 1 is sent; only a planned notice can become sent"),
        "{err}"
    );
    let err = env.fails("notify ack 2", 3);
    assert!(
        err.contains("notice 2 is planned; only a sent notice can become acknowledged"),
        "{err}"
    );
    let err = env.fails("notify ack 1 --at 2026-03-04", 4);
    assert!(
        err.contains("notice 1 was sent at 2026-03-05T09:30:00+08:00"),
        "{err}"
    );
    let acked = env.json("notify ack 1 --at '2026-03-06 10:00'");
    assert_eq!(acked["status"], "acknowledged");
    assert_eq!(acked["ack_at"], "2026-03-06T10:00:00+08:00");
    let err = env.fails("notify ack 1", 3);
    assert!(err.contains("notice 1 is acknowledged"), "{err}");
    let err = env.fails("notify cancel 1 --reason x", 3);
    assert!(
        err.contains("notice 1 is acknowledged; only a planned notice can become cancelled"),
        "{err}"
    );

    env.fails("notify cancel 2", 2);
    let err = env.fails("notify cancel 2 --reason ' '", 4);
    assert!(err.contains("reason must not be empty"), "{err}");
    let cancelled = env.json("notify cancel 2 --reason 客户已终止合作");
    assert_eq!(cancelled["status"], "cancelled");
    let err = env.fails("notify sent 2 --channel sms", 3);
    assert!(err.contains("notice 2 is cancelled"), "{err}");
    let err = env.fails("notify render 2", 3);
    assert!(err.contains("notice 2 is cancelled"), "{err}");

    // unknown notices and channels; sending several is all or nothing
    let err = env.fails("notify ack 99", 4);
    assert!(err.contains("no notice 99"), "{err}");
    env.fails("notify sent 1 --channel pigeon", 2);
    env.fails("notify sent --channel sms", 2);
    env.ok("handover open --employee E002 --leaving-on 2026-04-30 --successor E003");
    env.ok("notify plan 2");
    let err = env.fails("notify sent 3 --channel sms --at +1d", 4);
    assert!(
        err.contains("2026-03-11T10:00:00+08:00 is in the future"),
        "{err}"
    );
    let err = env.fails("notify sent 3 1 --channel sms", 3);
    assert!(err.contains("notice 1 is acknowledged"), "{err}");
    assert_eq!(
        env.sql::<String>("SELECT status FROM notices WHERE id = 3"),
        "planned"
    );
    let both = env.json("notify sent 3 --channel wechat");
    assert_eq!(both[0]["status"], "sent");
    let statuses = env.json("notify list --status cancelled");
    assert_eq!(ids(&statuses), [2]);

    let actions: String = env.sql(
        "SELECT group_concat(action, ' ') FROM (SELECT action FROM events
         WHERE action LIKE 'notice.%' AND action != 'notice.plan' ORDER BY id)",
    );
    assert_eq!(actions, "notice.sent notice.ack notice.cancel notice.sent");
    env.ok("log --verify");
}

#[test]
fn letters_in_chinese_and_english_with_contacts_unmasked() {
    let env = planned();
    let config = env.file("config.toml", "[notify]\nhotline = \"400-800-1234\"\n");
    let zh = env.ok(&format!("notify render 1 --lang zh --config {config}"));
    for part in [
        "# 客户告知函",
        "致：华丰食品\n联系人：陈经理\n",
        "感谢贵司长期以来对深圳示例科技有限公司的信任与支持",
        "原由王磊负责对接的贵司业务，自2026年3月20日起由李娜负责对接",
        "- 电话：13912340002",
        "- 邮箱：lina@example.com",
        "- 公司服务热线：400-800-1234",
        "王磊不再代表本公司，无权以本公司名义签订合同、报价、收取款项",
        "请拨打公司服务热线 400-800-1234 核实",
        "此致\n敬礼！",
        "深圳示例科技有限公司（盖章处）\n2026年3月2日",
        "回执",
        "客户名称（盖章）：华丰食品",
    ] {
        assert!(zh.contains(part), "missing {part:?} in\n{zh}");
    }
    for unverifiable in ["不再持有", "统一保管", "已列入"] {
        assert!(!zh.contains(unverifiable), "{unverifiable:?} in\n{zh}");
    }
    let en = env.ok(&format!("notify render --handover 1 --config {config}"));
    for part in [
        "# Notice of a change of contact",
        "To: 华丰食品\nAttention: 陈经理\n",
        "From 20 March 2026, your business with us is handled by 李娜, who takes over from 王磊",
        "- Phone: 13912340002",
        "- E-mail: lina@example.com",
        "- Company hotline: 400-800-1234",
        "王磊 no longer represents 深圳示例科技有限公司 and may not sign contracts, give quotations, collect payments",
        "深圳示例科技有限公司 (company seal)\n2 March 2026",
        "ACKNOWLEDGEMENT OF RECEIPT",
        "康源乳业",
        "\n---\n",
    ] {
        assert!(en.contains(part), "missing {part:?} in\n{en}");
    }
    assert!(
        !en.contains("底价"),
        "confidential notes stay out of letters"
    );
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM events WHERE action = 'notice.render'"),
        2
    );
    env.fails("notify render", 2);
    let err = env.fails("notify render --handover 9", 4);
    assert!(err.contains("no handover 9"), "{err}");
}

#[test]
fn a_custom_template_with_every_placeholder_and_an_unknown_one() {
    let env = planned();
    let template = env.file(
        "letter.md",
        "{company}|{customer}|{customer_contact}|{old_contact}|{new_contact}|{new_contact_phone}|\
         {new_contact_email}|{hotline}|{effective_on}|{date}|{{literal}}\n",
    );
    let out = env.ok(&format!("notify render 1 --template {template} --lang zh"));
    assert_eq!(
        out,
        "深圳示例科技有限公司|华丰食品|陈经理|王磊|李娜|13912340002|lina@example.com||2026年3月20日|2026年3月2日|{literal}\n"
    );

    env.file("letter.md", "尊敬的{customer}:{greeting}\n");
    let err = env.fails(&format!("notify render 1 --template {template}"), 4);
    assert!(
        err.contains("letter.md: unknown placeholder {greeting}")
            && err.contains("{new_contact_phone}"),
        "{err}"
    );
    let err = env.fails("notify render 1 --template missing.md", 4);
    assert!(err.contains("missing.md"), "{err}");
}

#[test]
fn out_writes_one_private_markdown_file_per_notice() {
    let env = planned();
    let dir = env.path("letters");
    let out = env
        .run(&format!(
            "notify render --handover 1 --lang zh --out {}",
            dir.display()
        ))
        .output();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("已将 2 份告知函写入"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["notice-1-C001.md", "notice-2-C002.md"]);
    let first = std::fs::read_to_string(dir.join("notice-1-C001.md")).unwrap();
    assert!(first.starts_with("# 客户告知函") && first.contains("华丰食品"));
    let second = std::fs::read_to_string(dir.join("notice-2-C002.md")).unwrap();
    assert!(second.contains("康源乳业") && !second.contains("华丰食品"));
    assert_eq!(mode_of(&dir.join("notice-1-C001.md")), 0o600);
}

#[test]
fn the_roster_never_holds_a_customer_name_or_confidential_note() {
    let env = planned();
    env.ok("notify sent 1 2 --channel letter");
    let customer_texts = [
        "华丰食品",
        "康源乳业",
        "美味园",
        "邻里超市",
        "底价",
        "陈经理",
        "C001",
    ];

    // nobody agreed to be published yet: nobody is listed, and stderr says why
    let out = env.run("notify roster --format json").output();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("3 customer-facing employee(s) left out: no consent to publish"),
        "{stderr}"
    );
    for code in ["E001", "E002", "E003"] {
        env.ok(&format!(
            "employee update {code} --publish-consent 2026-03-01"
        ));
    }

    let json = env.json("notify roster --reveal");
    let rows = json.as_array().unwrap();
    let current: Vec<&str> = rows
        .iter()
        .filter(|r| r["replaces"].is_null())
        .map(|r| r["contact"].as_str().unwrap())
        .collect();
    assert_eq!(
        current,
        ["王磊", "李娜", "张伟"],
        "everyone who serves a customer now"
    );
    let change = rows.iter().find(|r| !r["replaces"].is_null()).unwrap();
    assert_eq!(change["contact"], "李娜");
    assert_eq!(change["replaces"], "王磊");
    assert_eq!(change["effective_on"], "2026-03-20");
    assert_eq!(change["phone"], "13912340002");
    assert_eq!(rows.len(), 4, "one change line for both customers");

    let md = env.ok("notify roster --format md --lang zh");
    assert!(md.contains("# 深圳示例科技有限公司 客户对接人公示"), "{md}");
    assert!(md.contains("更新日期：2026年3月2日"), "{md}");
    assert!(
        md.contains("| 李娜 | 销售 | 13912340002 | lina@example.com |"),
        "{md}"
    );
    assert!(
        md.contains("- 自2026年3月20日起，李娜接替王磊负责客户对接（工作电话 13912340002）"),
        "{md}"
    );
    assert!(md.contains("对接人变更不影响已签订合同的履行"), "{md}");
    let en_md = env.ok("notify roster --format md");
    assert!(
        en_md.contains("- 李娜 replaces 王磊 from 20 March 2026 (work phone 13912340002)"),
        "{en_md}"
    );

    let table = env.ok("notify roster");
    assert!(table.contains("139****0002"), "masked in tables: {table}");
    let csv = env.ok("notify roster --format csv --reveal");
    assert!(
        csv.starts_with("contact,role,phone,email,replaces,effective_on\n"),
        "{csv}"
    );
    for output in [json.to_string(), md, en_md, table, csv] {
        for text in customer_texts {
            assert!(!output.contains(text), "{text:?} in roster:\n{output}");
        }
    }

    // a cancelled notice announces no change
    let env = planned();
    env.ok("employee update E002 --publish-consent 2026-03-01");
    env.ok("notify cancel 1 --reason x");
    env.ok("notify cancel 2 --reason x");
    let rows = env.json("notify roster");
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["replaces"].is_null()));
}

#[test]
fn close_waits_for_planned_notices() {
    let env = planned();
    for item in 1..=11 {
        env.ok(&format!("handover item done {item}"));
    }
    let err = env.fails("handover close 1", 3);
    assert!(
        err.contains("handover 1 cannot close: 2 blocker(s)"),
        "{err}"
    );
    assert!(
        err.contains("notice 1 (customer C001 华丰食品): planned, not sent, send by 2026-03-17")
            && err.contains("notice 2 (customer C002"),
        "{err}"
    );
    assert!(err.contains("baton notify sent"), "{err}");
    let statement = env.ok("handover show 1");
    assert!(
        statement.contains("┆ planned, send by") && statement.contains("2026-03-17"),
        "{statement}"
    );

    env.ok("notify sent 1 --channel visit");
    let err = env.fails("handover close 1", 3);
    assert!(
        err.contains("1 blocker(s)") && err.contains("notice 2 "),
        "{err}"
    );
    env.ok("notify cancel 2 --reason 客户当面确认,无需书面告知");
    let closed = env.json("handover close 1");
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["notices_total"], 2);
    assert_eq!(closed["notices_sent"], 1);
    let zh = env.ok("handover show 1 --lang zh");
    assert!(
        zh.contains("┆ 已于 2026-03-02 通过") && zh.contains("上门拜访 发出"),
        "{zh}"
    );
    assert!(zh.contains("┆ 已取消 "), "{zh}");
    // notices of a closed handover are not planned again
    let err = env.fails("notify plan 1", 3);
    assert!(err.contains("handover 1 is closed"), "{err}");
    let err = env.fails("notify plan 7", 4);
    assert!(err.contains("no handover 7"), "{err}");
}

#[test]
fn the_demo_law_firm_told_one_client_late_and_one_never_and_the_consultants_publish() {
    let env = TestEnv::new();
    let status = env.json("demo");
    const LAW: &str = "31440000MD01123K5B";
    const CONSULTING: &str = "91110108MA01GLXX35";
    let row = |code: &str| {
        status
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["company"] == code)
            .unwrap_or_else(|| panic!("no status row for {code}"))
            .clone()
    };
    assert_eq!(row(LAW)["notices_late"], 2);
    assert_eq!(row(LAW)["notices_due"], 1);
    assert_eq!(row(CONSULTING)["notices_late"], 0);

    let late = env.json(&format!("notify list -c {LAW} --late"));
    let late = late.as_array().unwrap();
    assert_eq!(late.len(), 2);
    assert_eq!(late[0]["status"], "sent");
    assert_eq!(late[0]["channel"], "phone");
    assert_eq!(late[1]["status"], "planned");
    assert_eq!(late[1]["sent_at"], Value::Null);

    let sent = env.json(&format!("notify list -c {CONSULTING} --status sent"));
    assert_eq!(sent.as_array().unwrap().len(), 2);
    assert!(sent.as_array().unwrap().iter().all(|n| n["late"] == false));
    let roster = env.json(&format!("notify roster -c {CONSULTING}"));
    let change = roster
        .as_array()
        .unwrap()
        .iter()
        .find(|r| !r["replaces"].is_null())
        .expect("a published change");
    assert_eq!(change["contact"], "周杰");
    assert_eq!(change["replaces"], "孙婷");
    let page = env.ok(&format!(
        "notify roster -c {CONSULTING} --format md --lang zh"
    ));
    assert!(
        page.contains("周杰接替孙婷") && !page.contains("京华制造集团"),
        "{page}"
    );
    // the seed's law firm kept listing 周明 after he left on 2026-02-28; the roster no longer does
    let out = env
        .run(&format!("notify roster -c {LAW} --format json"))
        .output();
    let roster = String::from_utf8_lossy(&out.stdout);
    assert!(
        !roster.contains("周明") && roster.contains("郑华"),
        "{roster}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("their leaving date has passed"),
        "the omission is said"
    );
}

#[test]
fn planning_a_handover_without_customers_says_so_and_names_no_next_step() {
    let env = TestEnv::new().with_registry();
    env.ok("employee add --id E004 --name 周航 --role finance");
    env.ok("handover open --employee E004 --leaving-on 2026-03-20");
    let said = env.run("notify plan 1").ok_stderr();
    assert!(
        said.contains("no customer to notify") && !said.contains("next:"),
        "{said}"
    );
}
