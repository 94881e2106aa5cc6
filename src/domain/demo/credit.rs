//! The credit stories: the trading company listed by the market regulator for an unpublished
//! annual report (the one official record: an agency decision), the salesperson who sent a
//! purchase list to a competitor and the technical director who sold the core code (internal
//! risk records of their employers), the e-commerce company's service manual.

use anyhow::Result;
use chrono::{Days, NaiveDate};
use rusqlite::Connection;

use super::{client, person, Firm};
use crate::audit::Stamp;
use crate::domain::company;
use crate::domain::credit::catalog::Catalog;
use crate::domain::credit::{self, Decision, NewEvent, SubjectArg};
use crate::domain::customer::Tier;
use crate::domain::employee::Role;

/// The trading company whose salesperson sent a customer's purchase list to a competitor, and
/// which the market regulator listed as an abnormal operation: the listing later cost it a
/// government tender.
pub(super) const TRADING: Firm = Firm {
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
        Some("年度采购清单：钢材 800 吨，水泥 2,000 吨"),
    )],
};

/// The software company whose technical director sold its core code to a competitor.
pub(super) const SOFTWARE: Firm = Firm {
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
        person(
            "E003",
            "赵鹏",
            Role::Rnd,
            false,
            true,
            "13212340003",
            "zhaopeng@yunqi.example.com",
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
pub(super) const ECOMMERCE: Firm = Firm {
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

/// A credit record of the demo: whom, which catalogue entry, how many days before today, and
/// for an official record the agency decision (number, authority) of that day.
struct Story {
    company: &'static str,
    subject: fn() -> SubjectArg,
    code: &'static str,
    days_ago: u64,
    note: &'static str,
    decision: Option<(&'static str, &'static str)>,
}

/// The technical director is recorded with an ID number (made up, check digit valid): one
/// subject wherever a company records him.
const DIRECTOR_ID: &str = "330106198506120031";

const STORIES: &[Story] = &[
    Story {
        company: TRADING.code,
        subject: || SubjectArg::Company(TRADING.code.into()),
        code: "abnormal-operations-list",
        days_ago: 200,
        note: "未按期公示年度报告，被列入经营异常名录；此后参加政府采购投标受限",
        decision: Some(("沪市监浦异〔2025〕0312号", "上海市浦东新区市场监督管理局")),
    },
    Story {
        company: TRADING.code,
        subject: || SubjectArg::Employee("E001".into()),
        code: "purchase-list-leaked",
        days_ago: 200,
        note: "销售离职后把东方建材的采购清单发给竞争对手，客户被比价，损失 30 万订单（公司内部风险记录）",
        decision: None,
    },
    Story {
        company: TRADING.code,
        subject: || SubjectArg::Company(TRADING.code.into()),
        code: "contact-change-not-notified",
        days_ago: 190,
        note: "客户仍联系已离职销售，未收到对接人变更告知",
        decision: None,
    },
    Story {
        company: SOFTWARE.code,
        subject: || SubjectArg::Person {
            name: Some("陈立".into()),
            id_number: Some(DIRECTOR_ID.into()),
        },
        code: "trade-secret-leaked",
        days_ago: 90,
        note: "技术总监离职后把核心代码卖给竞争对手（公司内部风险记录，非官方名单）",
        decision: None,
    },
    Story {
        company: SOFTWARE.code,
        subject: || SubjectArg::Company(SOFTWARE.code.into()),
        code: "no-handover-rules",
        days_ago: 90,
        note: "无离职交接与代码权限回收制度，客户系统维护中断",
        decision: None,
    },
    Story {
        company: SOFTWARE.code,
        subject: || SubjectArg::Company(SOFTWARE.code.into()),
        code: "complaint-clock-breached",
        days_ago: 60,
        note: "客户投诉三次超过 48 小时未反馈",
        decision: None,
    },
    Story {
        company: SOFTWARE.code,
        subject: || SubjectArg::Company(SOFTWARE.code.into()),
        code: "contact-change-not-notified",
        days_ago: 85,
        note: "技术对接人变更未告知客户",
        decision: None,
    },
    Story {
        company: ECOMMERCE.code,
        subject: || SubjectArg::Employee("E001".into()),
        code: "service-manual-handover",
        days_ago: 120,
        note: "客服主管离职前整理《客户服务手册》，与新客服一对一交接",
        decision: None,
    },
    Story {
        company: ECOMMERCE.code,
        subject: || SubjectArg::Company(ECOMMERCE.code.into()),
        code: "service-manual-handover",
        days_ago: 120,
        note: "规范离职，客户服务未中断",
        decision: None,
    },
    Story {
        company: ECOMMERCE.code,
        subject: || SubjectArg::Company(ECOMMERCE.code.into()),
        code: "service-integrity-award",
        days_ago: 60,
        note: "市场监管局颁发“客户服务诚信单位”牌匾",
        decision: None,
    },
];

/// Records the demo's credit stories, dated back from `today`.
pub fn fill(conn: &Connection, stamp: &Stamp, catalog: &Catalog, today: NaiveDate) -> Result<()> {
    for story in STORIES {
        let company = company::resolve(conn, Some(story.company))?;
        let occurred_on = today - Days::new(story.days_ago);
        let new = NewEvent {
            subject: (story.subject)(),
            code: story.code.into(),
            occurred_on,
            note: Some(story.note.into()),
            decision: story.decision.map(|(decision_no, authority)| Decision {
                decision_no: decision_no.into(),
                authority: authority.into(),
                decided_on: occurred_on,
                ..Decision::default()
            }),
        };
        credit::record(conn, stamp, catalog, Some(company.id), today, &new)?;
    }
    Ok(())
}
