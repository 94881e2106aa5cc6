//! The public roster, the customer letter, the customer's handover confirmation and the
//! employer's duties of a departure, as the law reads (#16).

use crate::util::TestEnv;

/// The registry; E001 and E002 agreed to be published, E003 did not. E001 (owner of C001 and
/// C002) leaves on 2026-03-05, E002 takes over; the notices are planned.
fn departure() -> TestEnv {
    let env = TestEnv::new().with_registry();
    env.ok("employee update E001 --publish-consent 2026-01-10");
    env.ok("employee update E002 --publish-consent 2026-01-10 --phone 13912340002");
    env.ok("handover open --employee E001 --leaving-on 2026-03-05 --successor E002");
    env.ok("notify plan 1");
    env
}

fn contacts(rows: &serde_json::Value) -> Vec<String> {
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["effective_on"].is_null())
        .map(|r| r["contact"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_roster_lists_nobody_gone_and_nobody_without_consent() {
    let env = departure();
    let out = env.run("notify roster --format json --reveal").output();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // E003 serves C004 but never agreed to be published
    assert_eq!(contacts(&rows), ["王磊", "李娜"], "{rows}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 customer-facing employee(s) left out: no consent to publish"),
        "{stderr}"
    );
    let change = &rows[2];
    assert_eq!(change["contact"], "李娜");
    assert_eq!(change["replaces"], "王磊", "named while still employed");

    // the day after the leaving date, the handover still open: 王磊 is gone from the page
    let later = env.at("2026-03-06T09:00:00+08:00");
    let out = later.run("notify roster --format json --reveal").output();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(contacts(&rows), ["李娜"], "{rows}");
    let change = &rows[1];
    assert_eq!(change["contact"], "李娜");
    assert!(change["replaces"].is_null(), "{rows}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "1 customer-facing employee(s) left out: they have left or their leaving date has passed"
        ),
        "{stderr}"
    );
    let md = later.ok("notify roster --format md --lang zh");
    assert!(!md.contains("王磊"), "{md}");
    assert!(
        md.contains("- 自2026年3月5日起，李娜负责相关客户对接（工作电话 13912340002）"),
        "{md}"
    );
    let zh = later
        .run("notify roster --lang zh --format json")
        .ok_stderr();
    assert!(
        zh.contains("名对接客户的员工未列入：已离职或离职日期已过"),
        "{zh}"
    );
}

#[test]
fn consent_to_publish_is_recorded_by_add_update_and_import() {
    let env = TestEnv::new().with_registry();
    let added = env.json(
        "employee add --id E009 --name 赵敏 --role sales --phone 13600000009 --publish-consent 2026-02-01",
    );
    assert_eq!(added["publish_consent_on"], "2026-02-01");
    let cleared = env.json("employee update E009 --publish-consent ''");
    assert!(cleared["publish_consent_on"].is_null(), "{cleared}");
    let file = env.file(
        "staff.csv",
        "id,name,role,publish_consent_on\nE010,钱进,service,2026-02-15\n",
    );
    env.ok(&format!("import employees {file}"));
    assert_eq!(
        env.json("employee show E010")["publish_consent_on"],
        "2026-02-15"
    );
    let zh = env.ok("employee list --lang zh --wide");
    assert!(zh.contains("同意公示日期"), "{zh}");
}

#[test]
fn a_letter_leaves_out_every_line_it_has_no_value_for() {
    // C002 has no contact person, E002 no e-mail, and no hotline is configured
    let env = departure();
    let zh = env.ok("notify render 2 --lang zh");
    for absent in ["联系人：", "邮箱：", "公司服务热线", "请拨打", "{", "}"] {
        assert!(!zh.contains(absent), "{absent:?} in\n{zh}");
    }
    for present in [
        "致：康源乳业\n\n尊敬的客户：",
        "- 电话：13912340002\n\n",
        "自2026年3月5日起，王磊不再代表本公司",
    ] {
        assert!(zh.contains(present), "missing {present:?} in\n{zh}");
    }
    let out = env.run("notify render 2").output();
    let en = String::from_utf8_lossy(&out.stdout);
    for absent in ["Attention:", "E-mail:", "hotline", "{"] {
        assert!(!en.contains(absent), "{absent:?} in\n{en}");
    }
    assert!(en.contains("To: 康源乳业\n\nDear Sir or Madam,"), "{en}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no company hotline in the config"),
        "a letter without a hotline is worth a warning"
    );
    // a line with one empty and one filled placeholder stays
    let template = env.file("t.md", "{new_contact_phone} / {new_contact_email}\nend\n");
    assert_eq!(
        env.ok(&format!("notify render 2 --template {template}")),
        "13912340002 / \nend\n"
    );
}

#[test]
fn a_customer_signs_its_own_confirmation_and_the_full_statement_stays_internal() {
    let env = departure();
    env.ok("handover item add 1 --kind contract --ref C001 --title 春季订单交付 --assignee E003 --due 2026-03-25");
    env.ok("handover item add 1 --kind contract --ref C002 --title 康源年度框架合同");
    let zh = env.ok("handover show 1 --customer C001 --lang zh");
    for part in [
        "客户交接确认书",
        "致：华丰食品（客户编号 C001）",
        "发自：深圳示例科技有限公司",
        "原负责贵司业务的王磊于2026年3月5日离职，自2026年3月5日起由李娜负责与贵司对接",
        "1. 将贵司业务移交给李娜\n     负责人：李娜；完成期限：2026年3月2日",
        "2. 春季订单交付\n     负责人：张伟；完成期限：2026年3月25日",
        "移交人（签字）：",
        "接收人（签字）：",
        "监交人（签字）：",
        "客户确认（签字并盖章）：",
        "深圳示例科技有限公司（盖章处）\n2026年3月2日",
    ] {
        assert!(zh.contains(part), "missing {part:?} in\n{zh}");
    }
    for other in ["康源", "C002", "内部文件", "底价"] {
        assert!(!zh.contains(other), "{other:?} in\n{zh}");
    }
    let en = env.ok("handover show 1 --customer C001");
    for part in [
        "HANDOVER CONFIRMATION",
        "To: 华丰食品 (customer C001)",
        "王磊, who served you, leaves 深圳示例科技有限公司 on 5 March 2026",
        "responsible: 张伟; by 25 March 2026",
        "Handed over by (移交人)",
        "Received by (接收人)",
        "Overseen by (监交人)",
    ] {
        assert!(en.contains(part), "missing {part:?} in\n{en}");
    }
    let json = env.json("handover show 1 --customer C002");
    assert_eq!(json["customer"], "C002");
    assert_eq!(json["assignee"], "E002");
    let titles: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["康源乳业", "康源年度框架合同"]);
    assert_eq!(json["notice"]["customer"], "C002");

    let err = env.fails("handover show 1 --customer C004", 4);
    assert!(
        err.contains("handover 1 does not hand over customer \"C004\"")
            && err.contains("its customers: C001, C002"),
        "{err}"
    );

    let internal = env.ok("handover show 1");
    assert!(internal.starts_with("INTERNAL: "), "{internal}");
    let internal = env.ok("handover show 1 --lang zh");
    assert!(internal.starts_with("内部文件："), "{internal}");
}

#[test]
fn a_departure_carries_the_employer_duties_of_art_50_and_expiry_is_a_reason() {
    let env = TestEnv::new().with_registry();
    let opened = env
        .json("handover open --employee E001 --leaving-on 2026-03-20 --reason 期满终止 --lang zh");
    assert_eq!(opened["reason"], "expiry");
    let detail = env.json("handover show 1 --lang zh");
    let duties: Vec<(String, String)> = detail["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["title"].as_str().unwrap().contains("第五十条"))
        .map(|i| {
            (
                i["due_on"].as_str().unwrap().to_string(),
                i["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(duties.len(), 4, "{duties:?}");
    assert_eq!(duties[0].0, "2026-03-20");
    assert!(duties[0].1.starts_with("出具解除或者终止劳动合同的证明"));
    assert_eq!(duties[1].0, "2026-04-04", "15 days after leaving");
    assert!(duties[1]
        .1
        .starts_with("十五日内办理档案和社会保险关系转移手续"));
    assert!(duties[2].1.contains("在办结工作交接时支付"), "{duties:?}");
    assert!(duties[3].1.contains("存档二年备查，至 2028-03-20"));
    let zh = env.ok("handover list --lang zh --wide");
    assert!(zh.contains("期满终止"), "{zh}");

    // a resignation owes no compensation by default; a transfer ends no contract
    env.ok("handover open --employee E002 --leaving-on 2026-03-20 --reason resign");
    env.ok("handover open --employee E003 --leaving-on 2026-03-20 --reason transfer");
    let counts: Vec<i64> = env
        .json("handover list")
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["items_total"].as_i64().unwrap())
        .collect();
    // E001: 2 customers, 4 documents, access, task, 4 duties; E002: 1 customer + 6 + 3;
    // E003: 1 customer + 6
    let mut sorted = counts.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [7, 10, 12], "{counts:?}");
    let err = env.fails(
        "handover open --employee E001 --leaving-on 2026-03-20 --reason fired",
        2,
    );
    assert!(err.contains("expiry"), "{err}");
}

#[test]
fn the_checklist_cites_what_the_law_says_in_full_width_chinese() {
    let env = TestEnv::new().with_registry();
    let zh = env.json("checklist show --lang zh");
    let items = zh.as_array().unwrap();
    let item = |id: &str| items.iter().find(|i| i["id"] == id).unwrap().clone();
    for i in items {
        for key in ["question", "advice"] {
            let text = i[key].as_str().unwrap();
            assert!(
                !text.contains([',', ':', ';', '(', ')', '?', '!']),
                "{} {key}: half-width punctuation in {text}",
                i["id"]
            );
            assert!(!text.contains("是否没有"), "{} {key}: {text}", i["id"]);
        }
        let refs = i["refs"].to_string();
        assert!(!refs.contains("第九条"), "{refs}");
    }
    let text = |id: &str| item(id).to_string();
    assert!(text("P1").contains("第四条") && text("P1").contains("公示或告知"));
    assert!(text("P6").contains("企业年度报告没有“核心人员变动”栏目"));
    assert!(text("C1").contains("国家没有统一的《客户信息管理办法》"));
    assert!(text("D6").contains("12315") && text("D6").contains("人民调解"));
    assert!(text("D6").contains("商会") && text("D6").contains("仲裁"));
    assert!(text("C3").contains("30%") && text("C3").contains("第三十六条"));
    assert!(text("C5").contains("补救措施") && text("C5").contains("第五十七条"));
    assert!(text("P4").contains("备份联系人") && !text("P4").contains("备份人（"));
    let en = env.json("checklist show");
    let p7 = en
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "P7")
        .unwrap()
        .to_string();
    assert!(p7.contains("a private matter"), "{p7}");

    // the non-compete probe asks only core staff who know secrets: E001 (R&D, NDA) is flagged,
    // E002 (core, no NDA) is not
    let manual: String = en
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["probe"].is_null())
        .map(|i| format!("{} = \"yes\"\n", i["id"].as_str().unwrap()))
        .collect();
    let answers = env.file("answers.toml", manual);
    env.ok(&format!("checklist run --answers {answers}"));
    let report = env.json("checklist report 1");
    let c3 = report["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["item"] == "C3")
        .expect("C3 is a gap")
        .clone();
    assert_eq!(c3["note"], "1 of 1: E001 王磊 (none)", "{c3}");
}

#[test]
fn the_readme_glossary_lists_each_chinese_term_once() {
    let readme = include_str!("../../README.md");
    let from = readme.find("### Glossary (术语表)").expect("a glossary");
    let terms: Vec<&str> = readme[from..]
        .lines()
        .skip_while(|l| !l.starts_with("|---"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.split('|').nth(1).unwrap().trim())
        .collect();
    assert!(terms.len() >= 20, "{terms:?}");
    let mut unique = terms.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), terms.len(), "a term listed twice: {terms:?}");
    for role in [
        "接任人",
        "接手人",
        "备份联系人",
        "移交人",
        "接收人",
        "监交人",
        "不予受理",
    ] {
        assert!(terms.contains(&role), "{role} missing");
    }
    // the texts use the glossary's term for each role, not a variant
    let env = TestEnv::new().with_registry();
    env.ok("handover open --employee E001 --leaving-on 2026-03-20 --successor E002");
    let zh = env.ok("handover show 1 --lang zh");
    assert!(zh.contains("接任人：李娜（E002）"), "{zh}");
    for variant in ["接任者", "接替人", "新负责人"] {
        assert!(!zh.contains(variant), "{variant} in\n{zh}");
    }
    let err = env.fails(
        "handover open --employee E003 --leaving-on 2026-03-20 --successor E003 --lang zh",
        4,
    );
    assert!(err.contains("接任人 E003 就是离职员工本人"), "{err}");
}
