//! The complaint stories: the decoration company's changed design, the bookkeeping firm's
//! tax penalty, the gym's refunds (and a member's report on it), and one complaint nobody
//! accepted in time; then the
//! complaints of the leavers' stories (the software company's lawsuit, the consulting firm's
//! copied files, the foreign-trade customer nobody answers).

use anyhow::Result;
use chrono::TimeDelta;
use rusqlite::Connection;

use super::credit::SOFTWARE;
use super::leavers::FOREIGN_TRADE;
use super::{client, person, Firm, CONSULTING};
use crate::audit::Stamp;
use crate::config::{Sla, SlaPreset};
use crate::domain::company;
use crate::domain::complaint::{
    self, Act, Category, Channel, Clocks, ComplainantKind, Kind, NewComplaint, Outcome, Paper,
};
use crate::domain::customer::Tier;
use crate::domain::employee::Role;

/// The decoration company whose designer left: the successor changed the design without the
/// owner's signature.
pub(super) const DECORATION: Firm = Firm {
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
        "浦东新区 王先生（锦绣苑 12 号楼）",
        Tier::Key,
        "E002",
        Some("E003"),
        "王先生",
        "13812350101",
        None,
    )],
};

/// The bookkeeping firm whose accountant left mid-season: a client's tax return went wrong.
pub(super) const BOOKKEEPING: Firm = Firm {
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
pub(super) const GYM: Firm = Firm {
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
        "锦江区 企业团课（蓝海科技）",
        Tier::Key,
        "E001",
        Some("E002"),
        "行政 许女士",
        "13512370101",
        None,
    )],
};

/// One step of a demo complaint, so many hours after it was received.
enum Step {
    Accept,
    Feedback(&'static str),
    Mediate(&'static str),
    Hold(&'static str),
    Resume,
    Resolve(Outcome, Paper, &'static str),
    /// Both parties told how mediation ended (art. 21).
    Inform(&'static str),
}

struct Case {
    firm: &'static str,
    customer: Option<&'static str>,
    complainant: Option<&'static str>,
    complainant_kind: ComplainantKind,
    /// A consumer's complaint goes by the rules (`samr`, mediated by the regulator); a
    /// business customer's is the company's own (`company`).
    preset: SlaPreset,
    kind: Kind,
    /// A report's real-name reporter.
    reporter: Option<&'static str>,
    summary: &'static str,
    category: Category,
    channel: Channel,
    /// Received this many hours before the demo's now.
    hours_ago: i64,
    steps: &'static [(i64, Step)],
}

/// The seed's mediation stories (the consulting firm's parties still to be told), one
/// complaint nobody has accepted yet, and a member's real-name report on the gym.
const CASES: [Case; 8] = [
    Case {
        firm: DECORATION.code,
        customer: Some("C001"),
        complainant: None,
        complainant_kind: ComplainantKind::Consumer,
        preset: SlaPreset::Samr,
        kind: Kind::Complaint,
        reporter: None,
        summary: "原设计师离职后，新设计师未经业主签字变更了设计方案",
        category: Category::Commitment,
        channel: Channel::Visit,
        hours_ago: 20 * 24,
        steps: &[
            (2, Step::Accept),
            (20, Step::Feedback("已致电业主，暂停施工，调取原方案核对")),
            (22, Step::Hold("委托监理核对原设计图纸与现场")),
            (70, Step::Resume),
            (74, Step::Mediate("业主、项目经理、新设计师三方面谈")),
            (
                144,
                Step::Resolve(
                    Outcome::Agreement,
                    Paper::Document,
                    "按业主签字的原设计方案施工，减免设计费 20%",
                ),
            ),
            (150, Step::Inform("调解书送达业主与公司各一份")),
        ],
    },
    Case {
        firm: BOOKKEEPING.code,
        customer: Some("C001"),
        complainant: None,
        complainant_kind: ComplainantKind::Business,
        preset: SlaPreset::Company,
        kind: Kind::Complaint,
        reporter: None,
        summary: "会计离职交接不清，季度纳税申报有误产生滞纳金和罚款",
        category: Category::Quality,
        channel: Channel::Phone,
        hours_ago: 12 * 24,
        steps: &[
            (3, Step::Accept),
            (20, Step::Feedback("已更正申报，正在核算滞纳金与罚款")),
            (24, Step::Mediate("第一天：核对离职会计的交接记录")),
            (48, Step::Mediate("第二天：与客户财务核对责任")),
            (72, Step::Mediate("第三天：商定分担比例")),
            (
                73,
                Step::Resolve(
                    Outcome::Agreement,
                    Paper::Document,
                    "滞纳金和罚款由双方按 6:4 分担，免收当季代账费",
                ),
            ),
            (90, Step::Inform("电话并书面告知双方调解结果")),
        ],
    },
    Case {
        firm: GYM.code,
        customer: None,
        complainant: Some("会员代表 刘女士"),
        complainant_kind: ComplainantKind::Consumer,
        preset: SlaPreset::Samr,
        kind: Kind::Complaint,
        reporter: None,
        summary: "多名教练同时离职，私教课无人接手，会员要求退费",
        category: Category::ServiceGap,
        channel: Channel::Platform,
        hours_ago: 30 * 24,
        steps: &[
            (5, Step::Accept),
            (23, Step::Feedback("已公布新教练名单，逐一联系会员排课")),
            (48, Step::Mediate("会员代表与店长面谈")),
            (
                96,
                Step::Resolve(
                    Outcome::Agreement,
                    Paper::Record,
                    "新教练接手全部私教课，受影响会员赠送三个月会籍，不退费",
                ),
            ),
            (100, Step::Inform("会员群公告并逐一短信告知")),
        ],
    },
    Case {
        firm: GYM.code,
        customer: None,
        complainant: Some("会员 陈先生"),
        complainant_kind: ComplainantKind::Consumer,
        preset: SlaPreset::Samr,
        kind: Kind::Complaint,
        reporter: None,
        summary: "私教课预约三天无人回复，要求退还剩余课时费",
        category: Category::ServiceGap,
        channel: Channel::Phone,
        hours_ago: 20 * 24,
        steps: &[],
    },
    Case {
        firm: SOFTWARE.code,
        customer: Some("C001"),
        complainant: None,
        complainant_kind: ComplainantKind::Business,
        preset: SlaPreset::Company,
        kind: Kind::Complaint,
        reporter: None,
        summary: "技术总监离职后新程序员不了解定制需求，项目延期，客户要求赔偿 20 万",
        category: Category::Commitment,
        channel: Channel::Letter,
        hours_ago: 80 * 24,
        steps: &[
            (4, Step::Accept),
            (30, Step::Feedback("已梳理全部定制需求，重新排期")),
            (72, Step::Mediate("客户坚持索赔，调解未达成一致")),
            (
                120,
                Step::Resolve(
                    Outcome::Referred,
                    Paper::Record,
                    "客户已起诉索赔 20 万，转人民法院处理；公司建立《客户需求交接台账》",
                ),
            ),
            (130, Step::Inform("书面告知客户与公司：调解终止，转诉讼")),
        ],
    },
    Case {
        firm: CONSULTING.code,
        customer: Some("C001"),
        complainant: None,
        complainant_kind: ComplainantKind::Business,
        preset: SlaPreset::Company,
        kind: Kind::Complaint,
        reporter: None,
        summary: "客户经理离职前拷走五年客户资料，战略咨询服务中断",
        category: Category::Data,
        channel: Channel::Visit,
        hours_ago: 6 * 24,
        steps: &[
            (2, Step::Accept),
            (20, Step::Feedback("已联系离职员工，新对接人周杰接手")),
            (26, Step::Mediate("公司、离职员工与客户三方协调")),
            (
                50,
                Step::Resolve(
                    Outcome::Agreement,
                    Paper::Document,
                    "双方签署《客户信息交接备忘录》：资料交回并删除副本，服务由周杰继续",
                ),
            ),
        ],
    },
    Case {
        firm: FOREIGN_TRADE.code,
        customer: Some("C002"),
        complainant: None,
        complainant_kind: ComplainantKind::Business,
        preset: SlaPreset::Company,
        kind: Kind::Complaint,
        reporter: None,
        summary: "业务员离职后联系不上，两周的订单无人跟进",
        category: Category::ServiceGap,
        channel: Channel::Online,
        hours_ago: 10,
        steps: &[],
    },
    Case {
        firm: GYM.code,
        customer: None,
        complainant: None,
        complainant_kind: ComplainantKind::Consumer,
        preset: SlaPreset::Samr,
        kind: Kind::Report,
        reporter: Some("会员 赵女士"),
        summary: "教练离职后门店继续发售私教预付卡，涉嫌不能兑现",
        category: Category::Commitment,
        channel: Channel::Wechat,
        hours_ago: 9 * 24,
        steps: &[(5 * 24, Step::Accept)],
    },
];

/// Files the demo complaints and acts them out, each with the clocks of its preset (whatever
/// the config says: the stories are the same on every machine), on the calendar given.
pub fn fill(conn: &Connection, stamp: &Stamp, clocks: Clocks<'_>) -> Result<()> {
    for case in &CASES {
        let sla = Sla::of_preset(case.preset);
        let clocks = Clocks {
            sla: &sla,
            calendar: clocks.calendar,
        };
        let company = company::resolve(conn, Some(case.firm))?;
        let received_at = stamp.at - TimeDelta::hours(case.hours_ago);
        let new = NewComplaint {
            customer: case.customer.map(Into::into),
            complainant: case.complainant.map(Into::into),
            summary: case.summary.into(),
            category: case.category,
            channel: case.channel,
            received_at,
            handover: None,
            kind: case.kind,
            complainant_kind: case.complainant_kind,
            reporter: case.reporter.map(Into::into),
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
                Step::Resolve(outcome, paper, terms) => Act::Resolve {
                    outcome: *outcome,
                    paper: *paper,
                    terms: (*terms).into(),
                },
                Step::Inform(note) => Act::Inform {
                    note: Some((*note).into()),
                },
            };
            complaint::act(
                conn,
                stamp,
                clocks.calendar,
                id,
                received_at + TimeDelta::hours(*hours),
                &act,
            )?;
        }
    }
    Ok(())
}
