//! The demo database: the seed's companies, people and customers, entered through the same
//! rules as any user's data.

use anyhow::Result;
use chrono::{Days, TimeDelta};
use rusqlite::Connection;

use super::customer::{self, CustomerPatch, Tier};
use super::employee::{self, EmployeePatch, Role};
use super::handover::{self, ItemKind, NewItem, OpenRequest, Reason, Rules};
use super::notify::{self, Channel};
use super::{company, Patch};
use crate::audit::Stamp;
use crate::config;
use crate::i18n::Lang;
use crate::time::Clock;

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

/// The advertising company whose planner left three client plans unfinished.
const ADVERTISING: Firm = Firm {
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
const LAW_FIRM: Firm = Firm {
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
            Some("常年法律顾问,诉讼标的约 900 万"),
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

const FIRMS: [&Firm; 5] = [&FOOD_LAB, &MEDICAL, &CONSULTING, &ADVERTISING, &LAW_FIRM];

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
    handovers(conn, stamp)
}

/// The departures of the seed's stories, at dates around today.
fn handovers(conn: &Connection, stamp: &Stamp) -> Result<()> {
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
    let item_id = |handover: i64, kind: ItemKind, title: &str| -> Result<i64> {
        handover::show(conn, handover, today)?
            .items
            .into_iter()
            .find(|i| i.item.kind == kind && i.item.title.starts_with(title))
            .map(|i| i.item.id)
            .ok_or_else(|| anyhow::anyhow!("demo: no {kind} item {title}"))
    };
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
            title: "核心配方 KY-7 与研发记录(存入公司加密系统,只可查看不得拷贝)".into(),
            reference: Some("KY-7".into()),
            assignee: Some("E004".into()),
            due_on: Some(day(7)),
        },
    )?;
    handover::assign(conn, stamp, lab, "C003", "E003")?;
    let first = item_id(lab, ItemKind::Customer, "华丰食品")?;
    handover::done_item(
        conn,
        stamp,
        first,
        Some("已与陈经理当面交接,客户确认新对接人"),
    )?;

    // The medical-device company: the technical lead hands usage records and maintenance
    // manuals to the archive room; he leaves in two days and a customer is not handed over yet.
    let archive = Rules {
        documents: vec![
            "客户使用记录(交公司档案室)".into(),
            "产品维护手册(交公司档案室)".into(),
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
        "春风饮料夏季新品广告方案:执行与投放",
        "E002",
        day(7),
    )?;
    contract(
        ads,
        "HT-2026-015",
        "悦家家居门店开业宣传方案:定稿与物料",
        "E003",
        day(10),
    )?;
    contract(
        ads,
        "HT-2026-018",
        "蓝海科技品牌升级方案:客户确认",
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
