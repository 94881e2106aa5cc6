//! `complaint`: complaints with service clocks, mediation, evidence.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::domain::complaint::{
    Category, Channel, ComplainantKind, ComplaintStatus, Ground, Outcome, Paper,
};

/// The subcommands of `complaint`.
#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  baton complaint file --customer C001 --summary \"新对接人不了解配方\" --category service-gap
  baton complaint file --complainant 刘女士 --complainant-kind 消费者 --summary 退费难
  baton complaint file --report --reporter 张先生 --summary \"门店销售过期食品\"
  baton complaint accept 7
  baton complaint reject 8 --ground not-consumer --reason \"购买用于转售，非生活消费\"
  baton complaint feedback 7 --note \"已电话回复，安排技术主管上门\"
  baton complaint hold 7 --reason \"送检，等待检测报告\"
  baton complaint resume 7
  baton complaint extend 9 --reason \"需调取平台交易记录\"
  baton complaint resolve 7 --outcome agreement --paper document --terms \"减免设计费 20%\"
  baton complaint inform 7 --note \"已书面告知双方\"
  baton complaint evidence add 7 合同.pdf --description \"签字版合同\"
  baton complaint list --overdue
  baton complaint list --handover 3
  baton complaint show 7 --paper
  baton complaint stats --since 2026-01-01

Clocks (working days of the mainland China calendar), set by [sla] in the config: the
company preset (default) accepts within 24h, feeds back within 48h and resolves within 45wd
of receipt; preset = \"samr\" (the rules) accepts within 7wd of receipt (art. 14) and
resolves within 45wd of acceptance (art. 21(5)). Both parties are told within 7wd after
mediation ends (art. 21). A hold (testing, appraisal: art. 20) moves each open deadline by
the working days on hold (hour clocks: the hours). A report (--report) is checked within
15wd (+15wd with `extend`, art. 23); a real-name reporter is told within 5wd of the case
decision (art. 31) and is masked in every output unless --reveal (art. 33).
--at back-fills an action.")]
pub enum ComplaintCmd {
    /// File a complaint of a customer or of anyone else, or a report (举报); its clocks start
    #[command(
        group(clap::ArgGroup::new("who").required(true).args(["customer", "complainant", "report"])),
        override_usage = "baton complaint file --customer CODE --summary TEXT [OPTIONS]\n       baton complaint file --complainant NAME --summary TEXT [OPTIONS]\n       baton complaint file --report [--reporter NAME] --summary TEXT [OPTIONS]"
    )]
    #[command(
        after_help = "Example:\n  baton complaint file --customer C001 --summary \"新对接人不了解定制配方\" --category service-gap"
    )]
    File {
        /// The customer who complains (their code, e.g. C001)
        #[arg(long, value_name = "CUSTOMER")]
        customer: Option<String>,
        /// Who complains, when it is not a customer
        #[arg(long, value_name = "NAME")]
        complainant: Option<String>,
        /// Who complains: a consumer (the rules' complaint, art. 3), a business or other
        /// (handled by reference, art. 38)
        #[arg(long, value_enum, default_value_t = ComplainantKind::Consumer)]
        complainant_kind: ComplainantKind,
        /// A report (举报) of a suspected violation rather than a complaint
        #[arg(long)]
        report: bool,
        /// A real-name report's reporter (kept confidential); leave out for an anonymous one
        #[arg(long, value_name = "NAME")]
        reporter: Option<String>,
        /// What the complaint is about, in a sentence
        #[arg(long, value_name = "TEXT")]
        summary: String,
        /// Kind of complaint
        #[arg(long, value_enum, default_value_t = Category::Other)]
        category: Category,
        /// How it came in
        #[arg(long, value_enum, default_value_t = Channel::Phone)]
        channel: Channel,
        /// When the complaint came in; the clocks start here [default: now]
        #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
        received_at: Option<String>,
        /// The handover (departure) that caused it
        #[arg(long, value_name = "ID")]
        handover: Option<i64>,
    },
    /// Accept a received complaint (meets the accept clock); for a report, open a case (立案)
    #[command(
        after_help = "Examples:\n  baton complaint accept 7\n  baton complaint accept 7 --at \"2026-03-02 16:00\""
    )]
    Accept {
        /// The complaint's number
        id: i64,
        #[command(flatten)]
        at: At,
    },
    /// Reject a received complaint on a ground of art. 15, with the reason (meets the accept
    /// clock; closes it); for a report, decide not to open a case
    #[command(
        after_help = "Example:\n  baton complaint reject 7 --reason \"不属于本公司经营范围\""
    )]
    Reject {
        /// The complaint's number
        id: i64,
        /// Why it is not accepted
        #[arg(long)]
        reason: String,
        /// The case of art. 15 (required for a complaint)
        #[arg(long, value_enum)]
        ground: Option<Ground>,
        #[command(flatten)]
        at: At,
    },
    /// Tell the complainant where things stand (the first one meets the feedback clock)
    #[command(
        after_help = "Example:\n  baton complaint feedback 7 --note \"已电话回复，安排技术主管上门\""
    )]
    Feedback {
        /// The complaint's number
        id: i64,
        /// What the complainant was told
        #[arg(long)]
        note: String,
        #[command(flatten)]
        at: At,
    },
    /// Record a mediation session (the complaint is then mediating)
    #[command(
        after_help = "Example:\n  baton complaint mediate 7 --note \"双方到场，客户同意返工方案\""
    )]
    Mediate {
        /// The complaint's number
        id: i64,
        /// What happened in the session
        #[arg(long)]
        note: String,
        #[command(flatten)]
        at: At,
    },
    /// Pause the clocks, e.g. while waiting for testing or appraisal
    #[command(after_help = "Example:\n  baton complaint hold 7 --reason \"送检，等待检测报告\"")]
    Hold {
        /// The complaint's number
        id: i64,
        /// Why the clocks stop (testing, appraisal...)
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        at: At,
    },
    /// Restart the clocks; the time on hold is added to every open deadline
    #[command(after_help = "Example:\n  baton complaint resume 7")]
    Resume {
        /// The complaint's number
        id: i64,
        #[command(flatten)]
        at: At,
    },
    /// Close with the mediation outcome and the agreed terms (meets the resolve clock)
    #[command(
        after_help = "Example:\n  baton complaint resolve 7 --outcome agreement --terms \"按原方案施工，减免设计费 20%\""
    )]
    Resolve {
        /// The complaint's number
        id: i64,
        /// How mediation ended
        #[arg(long, value_enum)]
        outcome: Outcome,
        /// What is kept on file (art. 22): a 调解书 for an agreement reached on site, else a
        /// 调解记录
        #[arg(long, value_enum, default_value_t = Paper::Record)]
        paper: Paper,
        /// What was agreed (or why it failed)
        #[arg(long, value_name = "TEXT")]
        terms: String,
        #[command(flatten)]
        at: At,
    },
    /// Record that both parties (a report: the reporter) were told how it ended (meets the
    /// inform clock)
    #[command(after_help = "Example:\n  baton complaint inform 7 --note \"已书面告知双方\"")]
    Inform {
        /// The complaint's number
        id: i64,
        /// How they were told
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[command(flatten)]
        at: At,
    },
    /// Extend a report's check by 15 working days, once, with the reason (art. 23)
    #[command(after_help = "Example:\n  baton complaint extend 9 --reason \"需调取平台交易记录\"")]
    Extend {
        /// The complaint's number
        id: i64,
        /// Why the check needs 15 more working days
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        at: At,
    },
    /// Evidence files, kept inside the database
    #[command(subcommand)]
    Evidence(EvidenceCmd),
    /// List complaints of the company in context
    #[command(
        after_help = "Examples:\n  baton complaint list --overdue\n  baton complaint list --customer C001 --format csv --bom -o 投诉.csv"
    )]
    List {
        /// Only complaints in this state
        #[arg(long, value_enum)]
        status: Option<ComplaintStatus>,
        /// Complaints with a clock still running (the parties still to be told included)
        #[arg(long)]
        open: bool,
        /// Open complaints with a stage past its deadline
        #[arg(long)]
        overdue: bool,
        /// Complaints of this customer
        #[arg(long, value_name = "CUSTOMER")]
        customer: Option<String>,
        /// Complaints linked to this handover
        #[arg(long, value_name = "ID")]
        handover: Option<i64>,
    },
    /// One complaint: each clock met or breached and by how much, its events and evidence;
    /// with --paper its 调解书 or 调解记录
    #[command(
        after_help = "The paper of a resolved complaint (art. 22): a 调解书 (signed or sealed by both parties,\nsealed by the department, three copies) or a 调解记录 kept for reference, as `complaint\nresolve --paper` recorded. It goes to the company complained about: no reporter is named.\n\nExamples:\n  baton complaint show 7\n  baton complaint show 7 --paper --lang zh -o 调解书-7.md"
    )]
    Show {
        /// The complaint's number
        id: i64,
        /// Print the mediation paper (调解书 or 调解记录) instead; with --format json|csv|md
        /// its record
        #[arg(long)]
        paper: bool,
    },
    /// Counts, met rates and median times of the complaints received in a period
    #[command(
        after_help = "Example:\n  baton complaint stats --since 2026-01-01 --until 2026-03-31"
    )]
    Stats {
        /// The days received
        #[command(flatten)]
        period: super::Period,
    },
}

/// When an action happened, for back-filling.
#[derive(Debug, Clone, Args)]
pub struct At {
    /// When it happened; not before the complaint's previous event [default: now]
    #[arg(long = "at", value_name = "TIME", allow_hyphen_values = true)]
    pub time: Option<String>,
}

/// The subcommands of `complaint evidence`.
#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton complaint evidence add 7 现场照片.jpg --description \"墙面开裂\"\n  baton complaint evidence export 7 --out ./evidence-7\n  baton complaint evidence verify"
)]
pub enum EvidenceCmd {
    /// Keep a file as evidence (the same content twice is stored once)
    #[command(
        after_help = "Example:\n  baton complaint evidence add 7 合同.pdf --description \"签字版合同\""
    )]
    Add {
        /// The complaint's number
        id: i64,
        /// The file to keep
        file: PathBuf,
        /// What the file shows
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
    },
    /// The evidence of a complaint
    #[command(after_help = "Example:\n  baton complaint evidence list 7")]
    List {
        /// The complaint's number
        id: i64,
    },
    /// Write the evidence files of a complaint into a folder, byte for byte
    #[command(after_help = "Example:\n  baton complaint evidence export 7 --out ./evidence-7")]
    Export {
        /// The complaint's number
        id: i64,
        /// Folder to write into (created if needed; existing files are not overwritten)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Re-hash the stored files (of one complaint, or all); exit 1 naming any that changed
    #[command(
        after_help = "Examples:\n  baton complaint evidence verify\n  baton complaint evidence verify 7"
    )]
    Verify {
        /// The complaint's number [default: every complaint]
        id: Option<i64>,
    },
}
