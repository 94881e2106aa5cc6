//! The demo database: the seed's companies, people and customers, entered through the same
//! rules as any user's data.

use std::collections::BTreeSet;

use anyhow::Result;
use chrono::{Days, Months, NaiveDate};
use rusqlite::Connection;

use super::checklist::{self, template};
use super::credit::catalog::Catalog;
use super::credit::{self, NewEvent, SubjectArg};
use super::customer::{self, CustomerPatch, Tier};
use super::employee::{self, EmployeePatch, Role};
use super::{company, Patch};
use crate::audit::Stamp;
use crate::i18n::Lang;

struct Person {
    code: &'static str,
    name: &'static str,
    role: Role,
    core: bool,
    nda: bool,
    phone: &'static str,
    email: &'static str,
}

struct Client {
    code: &'static str,
    name: &'static str,
    tier: Tier,
    owner: &'static str,
    backup: Option<&'static str>,
    contact: &'static str,
    phone: &'static str,
    confidential: Option<&'static str>,
}

struct Firm {
    code: &'static str,
    name: &'static str,
    short: &'static str,
    people: &'static [Person],
    clients: &'static [Client],
}

const fn person(
    code: &'static str,
    name: &'static str,
    role: Role,
    core: bool,
    nda: bool,
    phone: &'static str,
    email: &'static str,
) -> Person {
    Person {
        code,
        name,
        role,
        core,
        nda,
        phone,
        email,
    }
}

#[allow(clippy::too_many_arguments)]
const fn client(
    code: &'static str,
    name: &'static str,
    tier: Tier,
    owner: &'static str,
    backup: Option<&'static str>,
    contact: &'static str,
    phone: &'static str,
    confidential: Option<&'static str>,
) -> Client {
    Client {
        code,
        name,
        tier,
        owner,
        backup,
        contact,
        phone,
        confidential,
    }
}

/// The seed's opening story: the R&D lead of a food-additive lab leaves with the formula and
/// three core customers; a month of orders piles up.
const FOOD_LAB: Firm = Firm {
    code: "91320500MA1MXX0Q17",
    name: "苏州绿源食品添加剂科技有限公司",
    short: "绿源食品添加剂",
    people: &[
        person(
            "E001",
            "王磊",
            Role::Rnd,
            true,
            true,
            "13812340001",
            "wanglei@lvyuan.example.com",
        ),
        person(
            "E002",
            "李娜",
            Role::Sales,
            true,
            false,
            "13812340002",
            "lina@lvyuan.example.com",
        ),
        person(
            "E003",
            "张伟",
            Role::Service,
            false,
            false,
            "13812340003",
            "zhangwei@lvyuan.example.com",
        ),
        person(
            "E004",
            "赵敏",
            Role::Management,
            true,
            true,
            "13812340004",
            "zhaomin@lvyuan.example.com",
        ),
    ],
    clients: &[
        client(
            "C001",
            "华丰食品有限公司",
            Tier::Core,
            "E001",
            None,
            "陈经理",
            "13912340001",
            Some("年采购量约 120 吨;底价 38 元/公斤"),
        ),
        client(
            "C002",
            "康源乳业股份有限公司",
            Tier::Core,
            "E001",
            None,
            "刘主管",
            "13912340002",
            Some("定制配方 KY-7,年框合同至 2027 年"),
        ),
        client(
            "C003",
            "美味园烘焙连锁",
            Tier::Core,
            "E001",
            None,
            "周店长",
            "13912340003",
            None,
        ),
        client(
            "C004",
            "鲜达饮品有限公司",
            Tier::Key,
            "E002",
            Some("E003"),
            "吴采购",
            "13912340004",
            None,
        ),
        client(
            "C005",
            "邻里便利超市",
            Tier::Normal,
            "E003",
            None,
            "郑老板",
            "13912340005",
            None,
        ),
    ],
};

/// The medical-device company told to hand over usage records and maintenance manuals.
const MEDICAL: Firm = Firm {
    code: "91440101MA5CQX4R1J",
    name: "广州康健医疗器械有限公司",
    short: "康健医疗器械",
    people: &[
        person(
            "E001",
            "陈刚",
            Role::Tech,
            true,
            true,
            "13612340001",
            "chengang@kangjian.example.com",
        ),
        person(
            "E002",
            "刘洋",
            Role::Service,
            false,
            true,
            "13612340002",
            "liuyang@kangjian.example.com",
        ),
        person(
            "E003",
            "黄芳",
            Role::Sales,
            true,
            true,
            "13612340003",
            "huangfang@kangjian.example.com",
        ),
    ],
    clients: &[
        client(
            "C001",
            "广州市第一人民医院",
            Tier::Core,
            "E001",
            Some("E002"),
            "设备科林主任",
            "02087654321",
            None,
        ),
        client(
            "C002",
            "仁和社区卫生服务中心",
            Tier::Key,
            "E003",
            None,
            "何医生",
            "13712340002",
            None,
        ),
        client(
            "C003",
            "安康口腔诊所",
            Tier::Normal,
            "E003",
            Some("E002"),
            "罗医生",
            "13712340003",
            None,
        ),
    ],
};

/// The consulting firm whose client manager copied five years of client files.
const CONSULTING: Firm = Firm {
    code: "91110108MA01GLXX35",
    name: "北京博远企业管理咨询有限公司",
    short: "博远咨询",
    people: &[
        person(
            "E001",
            "孙婷",
            Role::Sales,
            true,
            false,
            "13512340001",
            "sunting@boyuan.example.com",
        ),
        person(
            "E002",
            "周杰",
            Role::Management,
            true,
            true,
            "13512340002",
            "zhoujie@boyuan.example.com",
        ),
        person(
            "E003",
            "吴倩",
            Role::Service,
            false,
            true,
            "13512340003",
            "wuqian@boyuan.example.com",
        ),
    ],
    clients: &[
        client(
            "C001",
            "京华制造集团",
            Tier::Core,
            "E001",
            None,
            "董事会办公室",
            "01065432101",
            Some("五年期战略咨询,年费 80 万"),
        ),
        client(
            "C002",
            "远航物流有限公司",
            Tier::Key,
            "E001",
            Some("E003"),
            "人事总监",
            "13612349876",
            None,
        ),
        client(
            "C003",
            "晨光教育科技",
            Tier::Normal,
            "E003",
            None,
            "校长办公室",
            "13612349877",
            None,
        ),
    ],
};

/// The trading company whose salesperson sent a customer's purchase list to a competitor; the
/// company's record later cost it a government tender.
const TRADING: Firm = Firm {
    code: "91310115MA1H7HT80T",
    name: "上海恒通商贸有限公司",
    short: "恒通商贸",
    people: &[
        person(
            "E001",
            "周明",
            Role::Sales,
            true,
            false,
            "13312340001",
            "zhouming@hengtong.example.com",
        ),
        person(
            "E002",
            "钱芳",
            Role::Sales,
            true,
            true,
            "13312340002",
            "qianfang@hengtong.example.com",
        ),
    ],
    clients: &[client(
        "C001",
        "东方建材集团",
        Tier::Core,
        "E002",
        None,
        "采购部孙经理",
        "13412340001",
        Some("年度采购清单: 钢材 800 吨, 水泥 2,000 吨"),
    )],
};

/// The software company whose technical director sold its core code to a competitor.
const SOFTWARE: Firm = Firm {
    code: "91330106MA2CFYQ242",
    name: "杭州云启软件科技有限公司",
    short: "云启软件",
    people: &[
        person(
            "E001",
            "陈立",
            Role::Tech,
            true,
            true,
            "13212340001",
            "chenli@yunqi.example.com",
        ),
        person(
            "E002",
            "许静",
            Role::Rnd,
            true,
            true,
            "13212340002",
            "xujing@yunqi.example.com",
        ),
    ],
    clients: &[client(
        "C001",
        "浙商物流有限公司",
        Tier::Core,
        "E002",
        None,
        "信息部主任",
        "13112340001",
        None,
    )],
};

/// The e-commerce company whose customer-service lead wrote a service manual before leaving.
const ECOMMERCE: Firm = Firm {
    code: "91440300MA5FUXD369",
    name: "深圳优选电子商务有限公司",
    short: "优选电商",
    people: &[
        person(
            "E001",
            "林晓",
            Role::Service,
            true,
            true,
            "13012340001",
            "linxiao@youxuan.example.com",
        ),
        person(
            "E002",
            "黄磊",
            Role::Service,
            false,
            true,
            "13012340002",
            "huanglei@youxuan.example.com",
        ),
    ],
    clients: &[client(
        "C001",
        "优选天猫旗舰店会员",
        Tier::Key,
        "E001",
        Some("E002"),
        "会员服务组",
        "0755-86001234",
        None,
    )],
};

const FIRMS: [&Firm; 6] = [
    &FOOD_LAB,
    &MEDICAL,
    &CONSULTING,
    &TRADING,
    &SOFTWARE,
    &ECOMMERCE,
];

/// A credit record of the demo: whom, which catalogue entry, how many days before today.
struct Story {
    company: &'static str,
    subject: fn() -> SubjectArg,
    code: &'static str,
    days_ago: u64,
    note: &'static str,
}

/// The technical director is recorded with an ID number (made up, check digit valid): one
/// subject wherever a company records him.
const DIRECTOR_ID: &str = "330106198506120031";

const STORIES: &[Story] = &[
    Story {
        company: TRADING.code,
        subject: || SubjectArg::Company(TRADING.code.into()),
        code: "purchase-list-leaked",
        days_ago: 200,
        note: "销售离职后把东方建材的采购清单发给竞争对手, 客户被比价, 损失 30 万订单",
    },
    Story {
        company: TRADING.code,
        subject: || SubjectArg::Company(TRADING.code.into()),
        code: "contact-change-not-notified",
        days_ago: 190,
        note: "客户仍联系已离职销售, 未收到对接人变更告知",
    },
    Story {
        company: SOFTWARE.code,
        subject: || SubjectArg::Person {
            name: Some("陈立".into()),
            id_number: Some(DIRECTOR_ID.into()),
        },
        code: "trade-secret-leaked",
        days_ago: 90,
        note: "技术总监离职后把核心代码卖给竞争对手, 列入行业失信名单",
    },
    Story {
        company: SOFTWARE.code,
        subject: || SubjectArg::Company(SOFTWARE.code.into()),
        code: "no-handover-rules",
        days_ago: 90,
        note: "无离职交接与代码权限回收制度, 客户系统维护中断",
    },
    Story {
        company: SOFTWARE.code,
        subject: || SubjectArg::Company(SOFTWARE.code.into()),
        code: "complaint-clock-breached",
        days_ago: 60,
        note: "客户投诉三次超过 48 小时未反馈",
    },
    Story {
        company: SOFTWARE.code,
        subject: || SubjectArg::Company(SOFTWARE.code.into()),
        code: "contact-change-not-notified",
        days_ago: 85,
        note: "技术对接人变更未告知客户",
    },
    Story {
        company: ECOMMERCE.code,
        subject: || SubjectArg::Employee("E001".into()),
        code: "service-manual-handover",
        days_ago: 120,
        note: "客服主管离职前整理《客户服务手册》, 与新客服一对一交接",
    },
    Story {
        company: ECOMMERCE.code,
        subject: || SubjectArg::Company(ECOMMERCE.code.into()),
        code: "service-manual-handover",
        days_ago: 120,
        note: "规范离职, 客户服务未中断",
    },
    Story {
        company: ECOMMERCE.code,
        subject: || SubjectArg::Company(ECOMMERCE.code.into()),
        code: "service-integrity-award",
        days_ago: 60,
        note: "市场监管局颁发“客户服务诚信单位”牌匾",
    },
];

/// Fills an empty database with the demo's records.
pub fn fill(conn: &Connection, stamp: &Stamp) -> Result<()> {
    for firm in FIRMS {
        company::add(conn, stamp, firm.code, firm.name, Some(firm.short))?;
        let company = company::resolve(conn, Some(firm.code))?;
        for p in firm.people {
            let patch = EmployeePatch {
                name: Some(p.name.into()),
                role: Some(p.role),
                core: Some(p.core),
                nda: Some(p.nda),
                phone: text(p.phone),
                email: text(p.email),
                noncompete_until: None,
            };
            employee::add(conn, stamp, company.id, p.code, &patch)?;
        }
        for c in firm.clients {
            let patch = CustomerPatch {
                name: Some(c.name.into()),
                tier: Some(c.tier),
                owner: Some(c.owner.into()),
                backup: Some(c.backup.map(Into::into)),
                contact: text(c.contact),
                phone: text(c.phone),
                confidential: Some(c.confidential.map(Into::into)),
                ..CustomerPatch::default()
            };
            customer::add(conn, stamp, company.id, c.code, &patch)?;
        }
    }
    Ok(())
}

/// Records the demo's credit stories, dated back from `today`.
pub fn fill_credit(
    conn: &Connection,
    stamp: &Stamp,
    catalog: &Catalog,
    today: NaiveDate,
) -> Result<()> {
    for story in STORIES {
        let company = company::resolve(conn, Some(story.company))?;
        let new = NewEvent {
            subject: (story.subject)(),
            code: story.code.into(),
            occurred_on: today - Days::new(story.days_ago),
            note: Some(story.note.into()),
        };
        credit::record(conn, stamp, catalog, Some(company.id), today, &new)?;
    }
    Ok(())
}

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
const ANSWERS_BEFORE: &str = include_str!("../../examples/checklist-answers.toml");

/// The manual answers after a month of work on the remediation plan.
const ANSWERS_AFTER: &str = r#"
P1 = { answer = "yes", note = "《员工手册》第 7 章加入核心岗位离职交接规范" }
P5 = "yes"
P6 = "partial"
P7 = "yes"
P8 = "yes"
D1 = { answer = "yes", note = "投诉电话和小程序,承诺 24 小时受理、48 小时反馈" }
D2 = "yes"
D3 = "yes"
D4 = "partial"
D5 = "partial"
D6 = "yes"
C1 = { answer = "partial", note = "保密信息已迁入加密系统,导出权限尚未关闭" }
C4 = "yes"
C5 = "yes"
C6 = "n/a"
C7 = "partial"
C8 = "partial"
B1 = "yes"
B2 = "n/a"
B3 = "yes"
B4 = "partial"
B7 = "no"
R1 = "yes"
R2 = "yes"
R3 = "partial"
R4 = "partial"
R5 = { answer = "partial", note = "公示系统中发现一条未移出的经营异常记录" }
"#;

/// Runs the built-in checklist for every demo company; the first three then fix part of what
/// it found and run it again, so that `checklist history` and `diff` have something to show.
pub fn checklists(conn: &Connection, stamp: &Stamp, lang: Lang, today: NaiveDate) -> Result<()> {
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

fn text(value: &str) -> Patch<String> {
    Some(Some(value.to_string()))
}

/// True when the database holds no record yet.
pub fn is_empty(conn: &Connection) -> Result<bool> {
    Ok(
        conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM companies)", [], |r| {
            r.get(0)
        })?,
    )
}
