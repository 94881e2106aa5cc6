//! The stories of what a leaver takes along: the software company's custom requirements
//! (the 客户需求交接台账), the foreign-trade company's customer files on a salesperson's
//! laptop (public vs confidential), and the consulting firm's copied client data settled by a
//! 《客户信息交接备忘录》.

use anyhow::{Context as _, Result};
use chrono::{Days, NaiveDate, TimeDelta};
use rusqlite::Connection;

use super::{client, person, Firm, CONSULTING};
use crate::audit::Stamp;
use crate::config;
use crate::domain::company;
use crate::domain::credit::catalog::Catalog;
use crate::domain::credit::{self, NewEvent, SubjectArg};
use crate::domain::customer::Tier;
use crate::domain::employee::Role;
use crate::domain::handover::{self, ItemKind, NewItem, OpenRequest, Reason, Rules};
use crate::domain::notify::{self, Channel};
use crate::i18n::Lang;

/// The foreign-trade company whose salesperson left with the customer files on his laptop.
pub(super) const FOREIGN_TRADE: Firm = Firm {
    code: "91330206MA2GW8TX5H",
    name: "宁波海联进出口有限公司",
    short: "海联外贸",
    people: &[
        person(
            "E001",
            "吴涛",
            Role::Sales,
            true,
            false,
            "13912360001",
            "wutao@hailian.example.com",
        ),
        person(
            "E002",
            "郑雪",
            Role::Sales,
            true,
            true,
            "13912360002",
            "zhengxue@hailian.example.com",
        ),
        person(
            "E003",
            "冯梅",
            Role::Management,
            false,
            true,
            "13912360003",
            "fengmei@hailian.example.com",
        ),
    ],
    clients: &[
        client(
            "C001",
            "Nordhandel GmbH（汉堡，五金工具进口）",
            Tier::Core,
            "E001",
            None,
            "采购经理 Schmidt",
            "13912360101",
            Some("年采购约 40 个货柜；FOB 底价 2.35 美元/件；账期 60 天"),
        ),
        client(
            "C002",
            "Pacific Home Supply（洛杉矶，家居用品连锁）",
            Tier::Key,
            "E001",
            None,
            "买手 Linda",
            "13912360102",
            Some("年采购约 18 万美元；目标价低于越南供应商 5%"),
        ),
    ],
};

/// The custom requirements of 浙商物流 that the software company's new programmer did not
/// know about: each becomes a line of the requirements ledger, with the programmer taking it.
const REQUIREMENTS: [(&str, &str, u64); 3] = [
    (
        "REQ-07",
        "浙商物流 WMS 定制：按批次先进先出出库（2025-06 邮件确认）",
        4,
    ),
    ("REQ-12", "浙商物流 WMS 定制：月结对账单按客户模板导出", 6),
    (
        "REQ-15",
        "浙商物流 WMS 定制：冷链仓温度告警推送到值班手机",
        8,
    ),
];

/// Acts out the three stories, dated around `today`.
pub fn fill(conn: &Connection, stamp: &Stamp, catalog: &Catalog, today: NaiveDate) -> Result<()> {
    let day = |n: u64| today.checked_add_days(Days::new(n)).unwrap_or(today);
    let past = |n: u64| today.checked_sub_days(Days::new(n)).unwrap_or(today);
    let rules = Rules::new(&config::Handover::default(), Lang::Zh);
    let lead_days = config::Notify::default().lead_days;
    let item = |handover: i64, kind, title: &str, reference: &str, assignee: &str, due_on| {
        handover::add_item(
            conn,
            stamp,
            handover,
            &NewItem {
                kind,
                title: title.into(),
                reference: Some(reference.into()),
                assignee: Some(assignee.into()),
                due_on: Some(due_on),
            },
        )
    };
    let find_item =
        |handover, kind, title| super::handover::item_id(conn, stamp, handover, kind, title);

    // The software company: the developer who knows 浙商物流's custom requirements leaves in
    // nine days; this time every requirement is a line of the ledger, taken by 赵鹏, and the
    // customer's notice of the new contact is due within the week.
    let software = company::resolve(conn, Some(super::credit::SOFTWARE.code))?.id;
    let request = OpenRequest {
        employee: "E002".into(),
        leaving_on: day(9),
        successor: Some("E003".into()),
        reason: Reason::Resign,
    };
    let ledger = handover::open(conn, stamp, software, &rules, &request)?.id;
    for (reference, title, due) in REQUIREMENTS {
        item(
            ledger,
            ItemKind::Contract,
            title,
            reference,
            "E003",
            day(due),
        )?;
    }
    let document = find_item(ledger, ItemKind::Document, "客户需求交接台账")?;
    handover::done_item(
        conn,
        stamp,
        document,
        Some("每项定制需求与历史沟通记录逐条整理，客户信息部主任签字确认"),
    )?;
    notify::plan(conn, stamp, ledger, lead_days)?;

    // The foreign-trade company: the salesperson left three days ago with the customer files
    // on his laptop. Public details went into the customer register, confidential ones
    // (volumes, price floors) into the confidential notes, read only with `--reveal`; the
    // successor reached the first customer through them (by phone, after the send-by date),
    // the second is still waiting.
    let trade = company::resolve(conn, Some(FOREIGN_TRADE.code))?.id;
    let request = OpenRequest {
        employee: "E001".into(),
        leaving_on: past(3),
        successor: Some("E002".into()),
        reason: Reason::Resign,
    };
    let laptop = handover::open(conn, stamp, trade, &rules, &request)?.id;
    item(
        laptop,
        ItemKind::Document,
        "离职业务员电脑中的客户资料：公开信息录入客户台账，保密信息存入公司加密系统，原件删除",
        "LAPTOP-WT",
        "E003",
        past(1),
    )?;
    let first = find_item(laptop, ItemKind::Customer, "Nordhandel")?;
    handover::done_item(
        conn,
        stamp,
        first,
        Some("新业务员通过系统调取客户信息，已恢复联系"),
    )?;
    let notices = notify::plan(conn, stamp, laptop, lead_days)?.notices;
    let called = stamp.at - TimeDelta::days(1);
    notify::sent(conn, stamp, &[notices[0].id], Channel::Phone, called)?;

    // The consulting firm: the client manager copied five years of client files; both sides
    // sign a 《客户信息交接备忘录》 and the copy is recorded against her.
    let consulting = company::resolve(conn, Some(CONSULTING.code))?.id;
    let mut open = None;
    let filter = handover::Filter {
        status: Some(handover::HandoverStatus::Open),
        ..handover::Filter::default()
    };
    handover::list(conn, consulting, &filter, today, |h| {
        open = open.or(Some(h.id));
        Ok(())
    })?;
    let departure = open.context("demo: the consulting firm has no open handover")?;
    item(
        departure,
        ItemKind::Document,
        "《客户信息交接备忘录》：双方签署，拷走的五年客户资料交回公司并删除副本",
        "MEMO-2026-01",
        "E002",
        day(3),
    )?;
    let copied = NewEvent {
        subject: SubjectArg::Person {
            name: Some("孙婷".into()),
            id_number: None,
        },
        code: "customer-data-taken".into(),
        occurred_on: past(6),
        note: Some("离职前把跟了五年的客户资料全部拷走，客户服务中断".into()),
        decision: None,
    };
    credit::record(conn, stamp, catalog, Some(consulting), today, &copied)?;
    Ok(())
}
