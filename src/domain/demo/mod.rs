//! The demo database: the seed's companies, people and customers, entered through the same
//! rules as any user's data, then the stories of each part acted out on them.

mod checklist;
mod complaint;
mod credit;
mod handover;
mod leavers;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;

use super::complaint::Clocks;
use super::credit::catalog::Catalog;
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
            Some("年采购量约 120 吨；底价 38 元/公斤"),
        ),
        client(
            "C002",
            "康源乳业股份有限公司",
            Tier::Core,
            "E001",
            None,
            "刘主管",
            "13912340002",
            Some("定制配方 KY-7，年框合同至 2027 年"),
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
            Some("五年期战略咨询，年费 80 万"),
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

const FIRMS: [&Firm; 12] = [
    &FOOD_LAB,
    &MEDICAL,
    &CONSULTING,
    &handover::ADVERTISING,
    &handover::LAW_FIRM,
    &credit::TRADING,
    &credit::SOFTWARE,
    &credit::ECOMMERCE,
    &complaint::DECORATION,
    &complaint::BOOKKEEPING,
    &complaint::GYM,
    &leavers::FOREIGN_TRADE,
];

/// What the stories need besides the database: the rules in force and the day they play on.
pub struct Setup<'a> {
    pub clocks: Clocks<'a>,
    pub catalog: &'a Catalog,
    pub today: NaiveDate,
    /// The language of the checklist runs' stored texts.
    pub lang: Lang,
}

/// Fills an empty database with the demo's records and stories.
pub fn fill(conn: &Connection, stamp: &Stamp, setup: &Setup<'_>) -> Result<()> {
    for firm in FIRMS {
        add_firm(conn, stamp, firm)?;
    }
    handover::fill(conn, stamp)?;
    leavers::fill(conn, stamp, setup.catalog, setup.today)?;
    complaint::fill(conn, stamp, setup.clocks)?;
    credit::fill(conn, stamp, setup.catalog, setup.today)?;
    checklist::fill(conn, stamp, setup.lang, setup.today)?;
    Ok(())
}

fn add_firm(conn: &Connection, stamp: &Stamp, firm: &Firm) -> Result<()> {
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
            publish_consent_on: Some(Some(super::today_of(stamp))),
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
