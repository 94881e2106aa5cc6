//! The demo database: the seed's companies, people and customers, entered through the same
//! rules as any user's data.

use anyhow::Result;
use chrono::TimeDelta;
use rusqlite::Connection;

use super::complaint::{self, Act, Category, Channel, Clocks, NewComplaint, Outcome};
use super::customer::{self, CustomerPatch, Tier};
use super::employee::{self, EmployeePatch, Role};
use super::{company, Patch};
use crate::audit::Stamp;

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

/// The decoration company whose designer left: the successor changed the design without the
/// owner's signature.
const DECORATION: Firm = Firm {
    code: "91310115MA1K4DX87J",
    name: "上海匠心装饰工程有限公司",
    short: "匠心装饰",
    people: &[
        person(
            "E001",
            "何静",
            Role::Rnd,
            true,
            false,
            "13712350001",
            "hejing@jiangxin.example.com",
        ),
        person(
            "E002",
            "马超",
            Role::Service,
            true,
            true,
            "13712350002",
            "machao@jiangxin.example.com",
        ),
        person(
            "E003",
            "杨帆",
            Role::Management,
            false,
            true,
            "13712350003",
            "yangfan@jiangxin.example.com",
        ),
    ],
    clients: &[client(
        "C001",
        "浦东新区 王先生(锦绣苑 12 号楼)",
        Tier::Key,
        "E002",
        Some("E003"),
        "王先生",
        "13812350101",
        None,
    )],
};

/// The bookkeeping firm whose accountant left mid-season: a client's tax return went wrong.
const BOOKKEEPING: Firm = Firm {
    code: "91330106MA2CF7XN4W",
    name: "杭州诚信财务咨询有限公司",
    short: "诚信财税",
    people: &[
        person(
            "E001",
            "钱芳",
            Role::Finance,
            true,
            true,
            "13912360001",
            "qianfang@chengxin.example.com",
        ),
        person(
            "E002",
            "冯磊",
            Role::Finance,
            true,
            true,
            "13912360002",
            "fenglei@chengxin.example.com",
        ),
    ],
    clients: &[
        client(
            "C001",
            "杭州青禾贸易有限公司",
            Tier::Core,
            "E002",
            None,
            "财务 沈女士",
            "13912360101",
            Some("月度代账费 1800 元"),
        ),
        client(
            "C002",
            "西湖区 味道小馆",
            Tier::Normal,
            "E002",
            None,
            "老板 蒋先生",
            "13912360102",
            None,
        ),
    ],
};

/// The gym whose coaches left together: members asked for refunds.
const GYM: Firm = Firm {
    code: "91510107MA6DG8XL2J",
    name: "成都力行健身有限公司",
    short: "力行健身",
    people: &[
        person(
            "E001",
            "唐勇",
            Role::Service,
            true,
            false,
            "13512370001",
            "tangyong@lixing.example.com",
        ),
        person(
            "E002",
            "邓丽",
            Role::Management,
            true,
            true,
            "13512370002",
            "dengli@lixing.example.com",
        ),
    ],
    clients: &[client(
        "C001",
        "锦江区 企业团课(蓝海科技)",
        Tier::Key,
        "E001",
        Some("E002"),
        "行政 许女士",
        "13512370101",
        None,
    )],
};

const FIRMS: [&Firm; 6] = [
    &FOOD_LAB,
    &MEDICAL,
    &CONSULTING,
    &DECORATION,
    &BOOKKEEPING,
    &GYM,
];

/// One step of a demo complaint, so many hours after it was received.
enum Step {
    Accept,
    Feedback(&'static str),
    Mediate(&'static str),
    Hold(&'static str),
    Resume,
    Resolve(Outcome, &'static str),
}

struct Case {
    firm: &'static str,
    customer: Option<&'static str>,
    complainant: Option<&'static str>,
    summary: &'static str,
    category: Category,
    channel: Channel,
    /// Received this many hours before the demo's now.
    hours_ago: i64,
    steps: &'static [(i64, Step)],
}

/// The seed's mediation stories, and one complaint nobody has accepted yet.
const CASES: [Case; 4] = [
    Case {
        firm: DECORATION.code,
        customer: Some("C001"),
        complainant: None,
        summary: "原设计师离职后,新设计师未经业主签字变更了设计方案",
        category: Category::Commitment,
        channel: Channel::Visit,
        hours_ago: 20 * 24,
        steps: &[
            (2, Step::Accept),
            (20, Step::Feedback("已致电业主,暂停施工,调取原方案核对")),
            (22, Step::Hold("委托监理核对原设计图纸与现场")),
            (70, Step::Resume),
            (74, Step::Mediate("业主、项目经理、新设计师三方面谈")),
            (
                144,
                Step::Resolve(
                    Outcome::Agreement,
                    "按业主签字的原设计方案施工,减免设计费 20%",
                ),
            ),
        ],
    },
    Case {
        firm: BOOKKEEPING.code,
        customer: Some("C001"),
        complainant: None,
        summary: "会计离职交接不清,季度纳税申报有误产生滞纳金和罚款",
        category: Category::Quality,
        channel: Channel::Phone,
        hours_ago: 12 * 24,
        steps: &[
            (3, Step::Accept),
            (20, Step::Feedback("已更正申报,正在核算滞纳金与罚款")),
            (24, Step::Mediate("第一天:核对离职会计的交接记录")),
            (48, Step::Mediate("第二天:与客户财务核对责任")),
            (72, Step::Mediate("第三天:商定分担比例")),
            (
                73,
                Step::Resolve(
                    Outcome::Agreement,
                    "滞纳金和罚款由双方按 6:4 分担,免收当季代账费",
                ),
            ),
        ],
    },
    Case {
        firm: GYM.code,
        customer: None,
        complainant: Some("会员代表 刘女士"),
        summary: "多名教练同时离职,私教课无人接手,会员要求退费",
        category: Category::ServiceGap,
        channel: Channel::Platform,
        hours_ago: 30 * 24,
        steps: &[
            (5, Step::Accept),
            (23, Step::Feedback("已公布新教练名单,逐一联系会员排课")),
            (48, Step::Mediate("会员代表与店长面谈")),
            (
                96,
                Step::Resolve(
                    Outcome::Agreement,
                    "新教练接手全部私教课,受影响会员赠送三个月会籍,不退费",
                ),
            ),
        ],
    },
    Case {
        firm: GYM.code,
        customer: None,
        complainant: Some("会员 陈先生"),
        summary: "私教课预约三天无人回复,要求退还剩余课时费",
        category: Category::ServiceGap,
        channel: Channel::Phone,
        hours_ago: 3 * 24,
        steps: &[],
    },
];

/// Fills an empty database with the demo's records; complaints get the clocks given.
pub fn fill(conn: &Connection, stamp: &Stamp, clocks: Clocks<'_>) -> Result<()> {
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
    for case in &CASES {
        let company = company::resolve(conn, Some(case.firm))?;
        let received_at = stamp.at - TimeDelta::hours(case.hours_ago);
        let new = NewComplaint {
            customer: case.customer.map(Into::into),
            complainant: case.complainant.map(Into::into),
            summary: case.summary.into(),
            category: case.category,
            channel: case.channel,
            received_at,
        };
        let id = complaint::file(conn, stamp, company.id, clocks, &new)?.id;
        for (hours, step) in case.steps {
            let act = match step {
                Step::Accept => Act::Accept,
                Step::Feedback(note) => Act::Feedback {
                    note: (*note).into(),
                },
                Step::Mediate(note) => Act::Mediate {
                    note: (*note).into(),
                },
                Step::Hold(reason) => Act::Hold {
                    reason: (*reason).into(),
                },
                Step::Resume => Act::Resume,
                Step::Resolve(outcome, terms) => Act::Resolve {
                    outcome: *outcome,
                    terms: (*terms).into(),
                },
            };
            complaint::act(
                conn,
                stamp,
                id,
                received_at + TimeDelta::hours(*hours),
                &act,
            )?;
        }
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
