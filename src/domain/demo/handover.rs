//! The departure stories: the food lab's R&D lead, the medical-device company's archive, the
//! advertising company's unfinished plans, the law firm's late and missing notices, and the
//! consulting firm's published roster.

use anyhow::Result;
use chrono::{Days, TimeDelta};
use rusqlite::Connection;

use super::{client, person, Firm, CONSULTING, FOOD_LAB, MEDICAL};
use crate::audit::Stamp;
use crate::config;
use crate::domain::customer::Tier;
use crate::domain::employee::Role;
use crate::domain::handover::{self, ItemKind, NewItem, OpenRequest, Reason, Rules};
use crate::domain::notify::{self, Channel};
use crate::domain::{company, departure};
use crate::i18n::Lang;
use crate::time::Clock;

/// The advertising company whose planner left three client plans unfinished.
pub(super) const ADVERTISING: Firm = Firm {
    code: "91310106MA1FYL8K3T",
    name: "上海创意星广告有限公司",
    short: "创意星广告",
    people: &[
        person(
            "E001",
            "陈思",
            Role::Other,
            true,
            false,
            "13312340001",
            "chensi@chuangyixing.example.com",
        ),
        person(
            "E002",
            "马骏",
            Role::Other,
            true,
            true,
            "13312340002",
            "majun@chuangyixing.example.com",
        ),
        person(
            "E003",
            "林晓",
            Role::Management,
            false,
            true,
            "13312340003",
            "linxiao@chuangyixing.example.com",
        ),
    ],
    clients: &[
        client(
            "C001",
            "春风饮料有限公司",
            Tier::Core,
            "E001",
            None,
            "市场部钱经理",
            "13412340001",
            None,
        ),
        client(
            "C002",
            "悦家家居",
            Tier::Key,
            "E001",
            Some("E002"),
            "品牌部冯主管",
            "13412340002",
            None,
        ),
        client(
            "C003",
            "蓝海科技股份有限公司",
            Tier::Key,
            "E001",
            None,
            "总经办",
            "13412340003",
            Some("品牌升级项目预算 60 万"),
        ),
    ],
};

/// The law firm whose client was never told that the lawyer had gone.
pub(super) const LAW_FIRM: Firm = Firm {
    code: "31440000MD01123K5B",
    name: "广东正衡律师事务所",
    short: "正衡律所",
    people: &[
        person(
            "E001",
            "周明",
            Role::Service,
            true,
            true,
            "13212340001",
            "zhouming@zhengheng.example.com",
        ),
        person(
            "E002",
            "郑华",
            Role::Service,
            true,
            true,
            "13212340002",
            "zhenghua@zhengheng.example.com",
        ),
        person(
            "E003",
            "何静",
            Role::Other,
            false,
            true,
            "13212340003",
            "hejing@zhengheng.example.com",
        ),
    ],
    clients: &[
        client(
            "C001",
            "宏达建设集团",
            Tier::Core,
            "E001",
            None,
            "法务部许总",
            "13112340001",
            Some("常年法律顾问，诉讼标的约 900 万"),
        ),
        client(
            "C002",
            "万家超市连锁",
            Tier::Key,
            "E001",
            Some("E003"),
            "行政部曹经理",
            "13112340002",
            None,
        ),
        client(
            "C003",
            "青禾农业合作社",
            Tier::Normal,
            "E002",
            None,
            "理事长",
            "13112340003",
            None,
        ),
    ],
};

/// The id of the item of `kind` whose title starts with `title`.
pub(super) fn item_id(
    conn: &Connection,
    stamp: &Stamp,
    handover: i64,
    kind: ItemKind,
    title: &str,
) -> Result<i64> {
    handover::sheet(conn, handover, Clock::fixed(stamp.at).today())?
        .items
        .into_iter()
        .find(|i| i.item.kind == kind && i.item.title.starts_with(title))
        .map(|i| i.item.id)
        .ok_or_else(|| anyhow::anyhow!("demo: no {kind} item {title}"))
}

/// The departures of the seed's stories, at dates around today.
pub fn fill(conn: &Connection, stamp: &Stamp) -> Result<()> {
    let today = Clock::fixed(stamp.at).today();
    let day = |n: u64| today.checked_add_days(Days::new(n)).unwrap_or(today);
    let past = |n: u64| today.checked_sub_days(Days::new(n)).unwrap_or(today);
    let rules = Rules::new(&config::Handover::default(), Lang::Zh);
    let company = |code: &str| company::resolve(conn, Some(code)).map(|c| c.id);
    let open = |firm: &Firm, rules: &Rules, leaving_on, successor: &str| {
        handover::open(
            conn,
            stamp,
            company(firm.code)?,
            rules,
            &OpenRequest {
                employee: "E001".into(),
                leaving_on,
                successor: Some(successor.into()),
                reason: Reason::Resign,
            },
        )
    };
    let item_id = |handover, kind, title| item_id(conn, stamp, handover, kind, title);
    let contract = |handover: i64, reference: &str, title: &str, assignee: &str, due_on| {
        handover::add_item(
            conn,
            stamp,
            handover,
            &NewItem {
                kind: ItemKind::Contract,
                title: title.into(),
                reference: Some(reference.into()),
                assignee: Some(assignee.into()),
                due_on: Some(due_on),
            },
        )
    };

    // The food-additive lab: the R&D lead leaves with three core customers and the formula;
    // 李娜 takes the customers, 张伟 the bakery chain, 赵敏 keeps the formula.
    let lab = open(&FOOD_LAB, &rules, day(10), "E002")?.id;
    handover::add_item(
        conn,
        stamp,
        lab,
        &NewItem {
            kind: ItemKind::Document,
            title: "核心配方 KY-7 与研发记录（存入公司加密系统，只可查看不得拷贝）".into(),
            reference: Some("KY-7".into()),
            assignee: Some("E004".into()),
            due_on: Some(day(7)),
        },
    )?;
    departure::assign(conn, stamp, lab, "C003", "E003")?;
    let first = item_id(lab, ItemKind::Customer, "华丰食品")?;
    handover::done_item(
        conn,
        stamp,
        first,
        Some("已与陈经理当面交接，客户确认新对接人"),
    )?;

    // The medical-device company: the technical lead hands usage records and maintenance
    // manuals to the archive room; he leaves in two days and a customer is not handed over yet.
    let archive = Rules {
        documents: vec![
            "客户使用记录（交公司档案室）".into(),
            "产品维护手册（交公司档案室）".into(),
        ],
        ..rules.clone()
    };
    let medical = open(&MEDICAL, &archive, day(2), "E002")?.id;
    let records = item_id(medical, ItemKind::Document, "客户使用记录")?;
    handover::done_item(conn, stamp, records, Some("档案室已签收"))?;

    // The advertising company: the planner leaves three client plans unfinished; each gets a
    // responsible person and a date, as the 工作交接说明 requires.
    let agency = Rules {
        documents: vec!["客户需求交接台账".into(), "广告方案与创意素材源文件".into()],
        ..rules.clone()
    };
    let ads = open(&ADVERTISING, &agency, day(14), "E002")?.id;
    contract(
        ads,
        "HT-2026-011",
        "春风饮料夏季新品广告方案：执行与投放",
        "E002",
        day(7),
    )?;
    contract(
        ads,
        "HT-2026-015",
        "悦家家居门店开业宣传方案：定稿与物料",
        "E003",
        day(10),
    )?;
    contract(
        ads,
        "HT-2026-018",
        "蓝海科技品牌升级方案：客户确认",
        "E002",
        day(12),
    )?;

    // The law firm: the lawyer left two days ago; one client was told late (by phone, after
    // the send-by date), the other was never told.
    let lead_days = config::Notify::default().lead_days;
    let law = open(&LAW_FIRM, &rules, past(2), "E002")?.id;
    let notices = notify::plan(conn, stamp, law, lead_days)?.notices;
    let told_late = stamp.at - TimeDelta::days(3);
    notify::sent(conn, stamp, &[notices[0].id], Channel::Phone, told_late)?;

    // The consulting firm: the client manager leaves in five days; both clients were told in
    // writing in time, and the new contacts are published (`notify roster`).
    let consulting = open(&CONSULTING, &rules, day(5), "E002")?.id;
    let ids: Vec<i64> = notify::plan(conn, stamp, consulting, lead_days)?
        .notices
        .iter()
        .map(|n| n.id)
        .collect();
    notify::sent(conn, stamp, &ids, Channel::Email, stamp.at)?;
    let first = item_id(consulting, ItemKind::Customer, "京华制造集团")?;
    handover::done_item(conn, stamp, first, Some("客户服务承诺书已随告知函发出"))?;
    Ok(())
}
