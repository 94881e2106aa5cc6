//! The command line: every command and flag, with help text and examples.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::domain::complaint::{Category, Channel, ComplaintStatus, Outcome};
use crate::domain::customer::Tier;
use crate::domain::employee::{EmployeeStatus, Role};
use crate::domain::handover::{HandoverStatus, ItemKind, Reason};
use crate::domain::notify::{self, NoticeStatus};
use crate::i18n::Lang;
use crate::import::{Encoding, InputFormat, OnError};
use crate::output::Format;

const EXAMPLES: &str = "\
Examples:
  baton demo                              try everything on the seed's cases
  baton company add --code 914403001922038216 --name 深圳示例科技有限公司
  baton employee add --id E001 --name 王磊 --role rnd --core --nda
  baton customer add --id C001 --name 华丰食品 --tier core --owner E001 --backup E002
  baton customer list --at-risk
  baton status

The five parts: checklist (self-check), handover (departure ledger), notify (customer
notices), complaint (service clocks), credit (violations and incentives).";

/// What `baton` without arguments prints (on stderr, exit 2): the five parts and where to
/// start.
pub fn short_usage(lang: Lang) -> String {
    crate::tr!(
        lang,
        "baton: keep customers served when a core employee leaves.

Usage: baton [OPTIONS] <COMMAND>

The five parts:
  checklist   the self-check: risks answered by hand and from the data, scored
  handover    a leaver's ledger: customers, contracts, documents, access
  notify      written notices to customers, the public contact roster
  complaint   complaints with service clocks (accept 24 h, feedback 48 h), mediation
  credit      violations and incentives, scores, the dishonest list

Start with `baton demo`, then `baton status`; `baton --help` lists every command.
",
        "baton:核心员工离职时,让客户继续得到服务。

用法:baton [选项] <命令>

五个部分:
  checklist   离职风险自查:手工回答并由数据自动核查,评分
  handover    离职交接台账:客户、合同、文档、权限
  notify      给客户的书面告知,公开的对接人名单
  complaint   投诉与服务时限(24 小时受理、48 小时反馈)、调解
  credit      失信与守信记录、信用分、失信名单

先运行 `baton demo`,再看 `baton status`;`baton --help` 列出全部命令。
"
    )
}

/// Keep customers served when a core employee leaves a small business.
#[derive(Debug, Parser)]
#[command(name = "baton", version, after_help = EXAMPLES, arg_required_else_help = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after the subcommand.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Database file [default: config `db`, else $XDG_DATA_HOME/baton/baton.db]
    #[arg(long, env = "BATON_DB", global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Config file [default: $XDG_CONFIG_HOME/baton/config.toml]
    #[arg(long, env = "BATON_CONFIG", global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Company context (统一社会信用代码) when the database holds several
    #[arg(short, long, env = "BATON_COMPANY", global = true, value_name = "CODE")]
    pub company: Option<String>,
    /// Output format
    #[arg(short, long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE instead of stdout
    #[arg(short, long, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Start CSV output with a UTF-8 byte order mark (for Excel)
    #[arg(long, global = true)]
    pub bom: bool,
    /// Language of texts and table headers [default: config, then LANG/LC_ALL, else en]
    #[arg(long, env = "BATON_LANG", global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Who is acting, for the audit log [default: config `actor`, else $USER]
    #[arg(long, env = "BATON_ACTOR", global = true, value_name = "NAME")]
    pub actor: Option<String>,
    /// Show personal data (phones, e-mail, ID numbers) unmasked; the use is logged
    #[arg(long, global = true)]
    pub reveal: bool,
    /// Print only data and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or upgrade the database and print its path
    #[command(after_help = "Examples:\n  baton init\n  baton --db /srv/baton/clients.db init")]
    Init,
    /// Fill a fresh database with the seed's cases, then show the status and a guided tour
    #[command(
        after_help = "Writes to --db / BATON_DB, else ./baton-demo.db; refuses a database that holds data.\n\nExamples:\n  baton demo\n  baton demo --db /tmp/demo.db --lang zh"
    )]
    Demo,
    /// One screen: a short table per company, then what needs attention and the command for each
    #[command(
        after_help = "The table folds the counts into a few columns; --format csv|json|md give every field.\n\nExamples:\n  baton status\n  baton status --lang zh\n  baton status --format csv --bom -o status.csv"
    )]
    Status,
    /// Show or create the config file
    #[command(
        subcommand,
        after_help = "Examples:\n  baton config show\n  baton config init\n  baton --config ./baton.toml config show"
    )]
    Config(ConfigCmd),
    /// The audit log: who changed what, when
    #[command(
        after_help = "Examples:\n  baton log --entity customer --id C001\n  baton log --since 2026-03-01 --actor clerk\n  baton log --verify"
    )]
    Log(LogArgs),
    /// Consistent copy of the database while it is in use
    #[command(after_help = "Example:\n  baton backup /mnt/usb/baton-2026-03-02.db")]
    Backup(BackupArgs),
    /// Shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(
        after_help = "Example:\n  baton completions bash > ~/.local/share/bash-completion/completions/baton"
    )]
    Completions { shell: clap_complete::Shell },
    /// Companies (keyed by 统一社会信用代码)
    #[command(subcommand)]
    Company(CompanyCmd),
    /// Employees of the company in context
    #[command(subcommand)]
    Employee(EmployeeCmd),
    /// Customers of the company in context
    #[command(subcommand)]
    Customer(CustomerCmd),
    /// The self-check: a risk list answered by hand and from the data, scored, compared
    #[command(subcommand)]
    Checklist(ChecklistCmd),
    /// Credit records: violations and incentives, scores, dishonest / watch / honoured lists
    #[command(subcommand)]
    Credit(CreditCmd),
    /// Complaints with service-level clocks (accept, feedback, resolve), mediation, evidence
    #[command(subcommand)]
    Complaint(ComplaintCmd),
    /// Departure ledger: customers, contracts, documents and access a leaver hands over
    #[command(
        subcommand,
        after_help = "Examples:\n  baton handover open --employee E001 --leaving-on 2026-03-20 --successor E002\n  baton handover show 1 --lang zh\n  baton handover assign 1 --customer C003 --to E003\n  baton handover item done 4 --note \"客户已确认新对接人\"\n  baton handover close 1\n  baton handover ledger --from 2026-03-01 --format csv --bom -o 台账.csv"
    )]
    Handover(HandoverCmd),
    /// Written notices to the customers of a departure, and the public contact roster
    #[command(
        subcommand,
        after_help = "Examples:\n  baton notify plan 1\n  baton notify list --due\n  baton notify render --handover 1 --out letters/\n  baton notify sent 1 2 --channel email --at \"2026-03-12 09:30\"\n  baton notify ack 1\n  baton notify roster --format md -o contacts.md"
    )]
    Notify(NotifyCmd),
    /// The manual pages (roff) on stdout: baton, then every subcommand
    #[command(
        after_help = "Examples:\n  baton man > ~/.local/share/man/man1/baton.1\n  baton man | man -l -"
    )]
    Man,
    /// Load companies, employees, customers, handovers, complaints, credit events from CSV/JSON
    #[command(
        after_help = "The columns are the field names of the exports (or their --lang zh table headers).\n\
                      One transaction: with --on-error abort (default) a bad row means nothing is written.\n\
                      Registry records are upserted by key. Handovers, complaints and credit events go\n\
                      through `handover open`, `complaint file`, `credit record`; a row naming one that\n\
                      exists is unchanged, so a file can be re-imported.\n\n\
                      Examples:\n  baton import employees hr-export.csv\n  \
                      baton customer list --format csv --reveal -o customers.csv && baton import customers customers.csv\n  \
                      baton import customers crm.csv --encoding gbk --on-error skip --rejects bad.csv\n  \
                      baton import customers customers.jsonl --dry-run --format json\n  \
                      baton import handovers leavers.csv --on-error skip --rejects leavers-bad.csv"
    )]
    Import(ImportArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the effective config (file, environment and flags applied) as TOML
    Show,
    /// Write a commented default config file
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only events about this kind of record (company, employee, customer, ...)
    #[arg(long, value_name = "KIND")]
    pub entity: Option<String>,
    /// Only events about this record (its code or number)
    #[arg(long)]
    pub id: Option<String>,
    /// Only events at or after this date or time
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only events by this actor
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Check the hash chain instead of listing; exit 1 at the first broken link
    #[arg(long)]
    pub verify: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy
    pub file: PathBuf,
    /// Overwrite FILE if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton company add --code 914403001922038216 --name 深圳示例科技有限公司 --short 示例科技\n  baton company list --format csv --bom -o companies.csv"
)]
pub enum CompanyCmd {
    /// Register a company
    Add {
        /// 统一社会信用代码 (18 characters, check digit verified)
        #[arg(long, value_name = "USCC")]
        code: String,
        #[arg(long)]
        name: String,
        /// Short name for tables
        #[arg(long, value_name = "NAME")]
        short: Option<String>,
    },
    /// List every company
    List,
    /// One company with its counts
    Show { code: String },
}

#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton employee add --id E001 --name 王磊 --role rnd --core --nda --noncompete-until 2027-06-30\n  baton employee update E001 --phone 13812345678\n  baton employee list --core --status active"
)]
pub enum EmployeeCmd {
    /// Register an employee
    Add {
        /// The company's own code for the employee, e.g. E001
        #[arg(long, value_name = "CODE")]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: Role,
        #[command(flatten)]
        fields: EmployeeFields,
    },
    /// Change an employee's details (an empty value clears a field)
    Update {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_enum)]
        role: Option<Role>,
        #[command(flatten)]
        fields: EmployeeFields,
    },
    /// List employees
    List {
        /// Core employees only
        #[arg(long)]
        core: bool,
        #[arg(long, value_enum)]
        status: Option<EmployeeStatus>,
    },
    /// One employee with the customers they own and back up
    Show { id: String },
}

#[derive(Debug, Clone, Default, Args)]
pub struct EmployeeFields {
    /// Holds a core post (sales, R&D, service ... with customer relationships)
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub core: Option<bool>,
    /// Work phone
    #[arg(long)]
    pub phone: Option<String>,
    /// Work e-mail
    #[arg(long)]
    pub email: Option<String>,
    /// Has signed a confidentiality agreement
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub nda: Option<bool>,
    /// End of the non-compete period (at most two years after leaving)
    #[arg(long, value_name = "DATE")]
    pub noncompete_until: Option<String>,
}

#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton customer add --id C001 --name 华丰食品 --tier core --owner E001 --backup E002 --phone 13912345678\n  baton customer update C001 --backup E003\n  baton customer list --owner E001\n  baton customer list --at-risk --format csv --bom -o at-risk.csv\n  baton customer show C001 --reveal"
)]
pub enum CustomerCmd {
    /// Register a customer
    Add {
        /// The company's own code for the customer, e.g. C001
        #[arg(long, value_name = "CODE")]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        tier: Tier,
        /// Employee who serves the customer
        #[arg(long, value_name = "EMPLOYEE")]
        owner: String,
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// Change a customer's details (an empty value clears a field)
    Update {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_enum)]
        tier: Option<Tier>,
        /// New owner (the change is kept in the owner history)
        #[arg(long, value_name = "EMPLOYEE")]
        owner: Option<String>,
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// List customers
    List {
        #[arg(long, value_name = "EMPLOYEE")]
        owner: Option<String>,
        #[arg(long, value_enum)]
        tier: Option<Tier>,
        /// Core and key customers with no backup, or whose owner is leaving or has left
        #[arg(long, conflicts_with_all = ["owner", "tier"])]
        at_risk: bool,
    },
    /// One customer; confidential notes only with --reveal
    Show { id: String },
}

#[derive(Debug, Clone, Default, Args)]
pub struct CustomerFields {
    /// Second employee who knows the customer
    #[arg(long, value_name = "EMPLOYEE")]
    pub backup: Option<String>,
    /// The customer's contact person
    #[arg(long, value_name = "NAME")]
    pub contact: Option<String>,
    /// The contact's phone
    #[arg(long)]
    pub phone: Option<String>,
    /// The contact's e-mail
    #[arg(long)]
    pub email: Option<String>,
    /// Confidential notes (保密信息: volumes, price floors); shown only by `customer show --reveal`
    #[arg(long, value_name = "TEXT")]
    pub confidential: Option<String>,
    /// Customer since
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// active or inactive
    #[arg(long, value_enum)]
    pub status: Option<crate::domain::customer::CustomerStatus>,
}

#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton checklist show\n  baton checklist run --answers answers.toml --fail-under 60\n  baton checklist run --skip D6,R5            (asks the rest on a terminal)\n  baton checklist report --explain\n  baton checklist diff 1 2"
)]
pub enum ChecklistCmd {
    /// The templates on offer: built in, and the files in `checklists/` next to the config file
    Templates,
    /// The items of a template, with the probe that answers each from the data
    Show {
        /// Template id, or the path of a template file [default: core-departure]
        #[arg(long, value_name = "ID|FILE")]
        template: Option<String>,
    },
    /// Answer the self-check and store the run (probes answer what the data can tell)
    #[command(
        after_help = "An answers file holds `ITEM = \"yes\"` (yes, partial, no, n/a) or\n`ITEM = { answer = \"no\", note = \"...\" }`. Without --answers the run asks item by item\nwhen stdin is a terminal: y(es), p(artial), n(o), - (n/a), ? (advice); a note may follow\nthe key, e.g. `n not in the contracts yet`."
    )]
    Run {
        /// Template id, or the path of a template file [default: core-departure]
        #[arg(long, value_name = "ID|FILE")]
        template: Option<String>,
        /// TOML file of manual answers
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        /// Items to leave out of the score
        #[arg(long, value_delimiter = ',', value_name = "ITEM,...")]
        skip: Vec<String>,
        /// Exit 3 when the overall score is below SCORE (the run is stored all the same)
        #[arg(long, value_name = "SCORE")]
        fail_under: Option<f64>,
    },
    /// Score per dimension and the remediation plan: the gaps, largest loss first
    Report {
        /// Run id [default: the company's latest run]
        run: Option<i64>,
        /// Every item with the points it could earn and did earn
        #[arg(long)]
        explain: bool,
    },
    /// The company's runs with score and risk
    History,
    /// Items that improved or slipped from run A to run B
    Diff { a: i64, b: i64 },
}

#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  baton credit catalog
  baton credit record --employee E002 --code purchase-list-leaked --date 2026-01-12 --note \"采购清单发给竞争对手\"
  baton credit record --company-subject 91320500MA1MXX0Q17 --code purchase-list-leaked --date 2026-01-12
  baton credit record --person 陈某 --id-number 11010519491231002X --code trade-secret-leaked --date 2025-11-03 --evidence 判决书.pdf
  baton credit score company:91320500MA1MXX0Q17
  baton credit list --dishonest --format csv --bom -o dishonest.csv
  baton credit history person:11010519491231002X --reveal
  baton credit repair 12 --reason \"整改完成, 客户书面确认\"

Subjects: company:USCC, employee:E001 (in the company context), person:NAME, person:ID-NUMBER.
A person recorded with an ID number is one subject across every company.")]
pub enum CreditCmd {
    /// The catalogue of violations and incentives (built in, plus config `[credit] catalog`)
    Catalog,
    /// Record a violation or an incentive from the catalogue
    Record {
        #[command(flatten)]
        subject: CreditSubject,
        /// The person's resident ID number (GB 11643); masked in output unless --reveal
        #[arg(long, value_name = "N", requires = "person")]
        id_number: Option<String>,
        /// Catalogue code (see `baton credit catalog`)
        #[arg(long)]
        code: String,
        /// When it happened [default: today]
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// What happened, in a few words
        #[arg(long)]
        note: Option<String>,
        /// A file that proves it, kept inside the database (like complaint evidence)
        #[arg(long, value_name = "FILE")]
        evidence: Option<PathBuf>,
    },
    /// A subject's score, band and lists; without SUBJECT every subject with a record
    Score {
        /// company:USCC, employee:E001, person:NAME or person:ID-NUMBER
        subject: Option<String>,
    },
    /// Subjects on the dishonest, watch or honoured list (all three without a flag)
    List {
        /// An active severe violation, or `credit.dishonest_major_count` active major ones
        #[arg(long)]
        dishonest: bool,
        /// Score below `credit.watch_below`
        #[arg(long)]
        watch: bool,
        /// An active incentive and no active violation
        #[arg(long)]
        honoured: bool,
    },
    /// Every record of a subject, whatever its status
    History {
        /// company:USCC, employee:E001, person:NAME or person:ID-NUMBER
        subject: String,
    },
    /// Mark a violation repaired (from `credit.repair_after_years` after its date on)
    Repair {
        /// The event's number (see `credit history`)
        event: i64,
        /// What was put right
        #[arg(long)]
        reason: String,
    },
    /// Mark a record made in error revoked (any time)
    Revoke {
        /// The event's number (see `credit history`)
        event: i64,
        /// What the error was
        #[arg(long)]
        reason: String,
    },
}

/// Whom a record is about: exactly one of these.
#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct CreditSubject {
    /// A company in the database, by its USCC
    #[arg(long, value_name = "USCC")]
    pub company_subject: Option<String>,
    /// An employee of the company in context
    #[arg(long, value_name = "CODE")]
    pub employee: Option<String>,
    /// A person by name (with --id-number: one subject across every company)
    #[arg(long, value_name = "NAME")]
    pub person: Option<String>,
}

#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  baton complaint file --customer C001 --summary \"新对接人不了解定制配方\" --category service-gap --handover 3
  baton complaint accept 7
  baton complaint feedback 7 --note \"已电话回复,安排技术主管上门\"
  baton complaint hold 7 --reason \"送检,等待检测报告\"
  baton complaint resume 7
  baton complaint resolve 7 --outcome agreement --terms \"按原方案施工,减免设计费 20%\"
  baton complaint evidence add 7 合同.pdf --description \"签字版合同\"
  baton complaint list --overdue
  baton complaint list --handover 3
  baton complaint stats --since 2026-01-01

Clocks start when the complaint is received: accept (default 24h), feedback (48h) and
resolve (45wd, working days of the mainland China calendar), set by [sla] in the config.
Time on hold is added to every deadline still open. --at back-fills an action.")]
pub enum ComplaintCmd {
    /// File a complaint of a customer or of anyone else; its deadlines are fixed now
    #[command(group(clap::ArgGroup::new("who").required(true).args(["customer", "complainant"])))]
    File {
        /// The customer who complains (their code, e.g. C001)
        #[arg(long, value_name = "CUSTOMER")]
        customer: Option<String>,
        /// Who complains, when it is not a customer
        #[arg(long, value_name = "NAME")]
        complainant: Option<String>,
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
        #[arg(long, value_name = "TIME")]
        received_at: Option<String>,
        /// The handover (departure) that caused it
        #[arg(long, value_name = "ID")]
        handover: Option<i64>,
    },
    /// Accept a received complaint (meets the accept clock)
    Accept {
        id: i64,
        #[command(flatten)]
        at: At,
    },
    /// Reject a received complaint, with the reason (meets the accept clock; closes it)
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        at: At,
    },
    /// Tell the complainant where things stand (the first one meets the feedback clock)
    Feedback {
        id: i64,
        #[arg(long)]
        note: String,
        #[command(flatten)]
        at: At,
    },
    /// Record a mediation session (the complaint is then mediating)
    Mediate {
        id: i64,
        #[arg(long)]
        note: String,
        #[command(flatten)]
        at: At,
    },
    /// Pause the clocks, e.g. while waiting for testing or appraisal
    Hold {
        id: i64,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        at: At,
    },
    /// Restart the clocks; the time on hold is added to every open deadline
    Resume {
        id: i64,
        #[command(flatten)]
        at: At,
    },
    /// Close with the mediation outcome and the agreed terms (meets the resolve clock)
    Resolve {
        id: i64,
        /// How mediation ended
        #[arg(long, value_enum)]
        outcome: Outcome,
        /// What was agreed (or why it failed)
        #[arg(long, value_name = "TEXT")]
        terms: String,
        #[command(flatten)]
        at: At,
    },
    /// Evidence files, kept inside the database
    #[command(subcommand)]
    Evidence(EvidenceCmd),
    /// List complaints of the company in context
    List {
        /// Only complaints in this state
        #[arg(long, value_enum)]
        status: Option<ComplaintStatus>,
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
    /// One complaint: each clock met or breached and by how much, its events and evidence
    Show { id: i64 },
    /// Counts, met rates and median times of the complaints received in a period
    Stats {
        /// First day of the period (by the day received)
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Last day of the period, inclusive
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
    },
}

/// When an action happened, for back-filling.
#[derive(Debug, Clone, Args)]
pub struct At {
    /// When it happened; not before the complaint's previous event [default: now]
    #[arg(long = "at", value_name = "TIME")]
    pub time: Option<String>,
}

#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton complaint evidence add 7 现场照片.jpg --description \"墙面开裂\"\n  baton complaint evidence export 7 --out ./evidence-7\n  baton complaint evidence verify"
)]
pub enum EvidenceCmd {
    /// Keep a file as evidence (the same content twice is stored once)
    Add {
        id: i64,
        file: PathBuf,
        /// What the file shows
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
    },
    /// The evidence of a complaint
    List { id: i64 },
    /// Write the evidence files of a complaint into a folder, byte for byte
    Export {
        id: i64,
        /// Folder to write into (created if needed; existing files are not overwritten)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Re-hash the stored files (of one complaint, or all); exit 1 naming any that changed
    Verify { id: Option<i64> },
}

#[derive(Debug, Subcommand)]
pub enum HandoverCmd {
    /// Open the handover of a departing employee: marks them leaving and lists what to hand over
    #[command(
        after_help = "Creates one customer item per customer the employee serves (taken by the successor, else the customer's backup),\nthe document items of config `handover.documents`, an access item and a confidentiality task.\n\nExample:\n  baton handover open --employee E001 --leaving-on 2026-03-20 --successor E002 --reason resign"
    )]
    Open {
        /// The employee who leaves
        #[arg(long, value_name = "EMPLOYEE")]
        employee: String,
        /// Last working day (a past date back-fills, with a warning)
        #[arg(long, value_name = "DATE")]
        leaving_on: String,
        /// The colleague who takes over the customers and documents
        #[arg(long, value_name = "EMPLOYEE")]
        successor: Option<String>,
        #[arg(long, value_enum, default_value_t = Reason::Resign)]
        reason: Reason,
    },
    /// List the handovers of the company
    List {
        #[arg(long, value_enum)]
        status: Option<HandoverStatus>,
        /// Open handovers with an item past due
        #[arg(long, conflicts_with = "status")]
        overdue: bool,
    },
    /// The handover statement (工作交接说明); with --format json|csv|md the record, items and notices
    Show { id: i64 },
    /// Add, finish or waive an item
    #[command(subcommand)]
    Item(HandoverItemCmd),
    /// Give a customer of the handover to another colleague
    #[command(after_help = "Example:\n  baton handover assign 1 --customer C003 --to E003")]
    Assign {
        id: i64,
        #[arg(long, value_name = "CUSTOMER")]
        customer: String,
        #[arg(long, value_name = "EMPLOYEE")]
        to: String,
    },
    /// Close the handover; refused while an item is open, unless --force --reason
    #[command(
        after_help = "Examples:\n  baton handover close 1\n  baton handover close 1 --force --reason \"客户已终止合作\""
    )]
    Close {
        id: i64,
        /// Close despite open items (logged with the items overridden)
        #[arg(long, requires = "reason")]
        force: bool,
        /// Why the handover closes by force
        #[arg(long, value_name = "TEXT", requires = "force")]
        reason: Option<String>,
    },
    /// The ledger (台账): one row per item of every handover leaving in the period
    #[command(
        after_help = "Example:\n  baton handover ledger --from 2026-01-01 --to 2026-12-31 --format csv --bom -o ledger.csv"
    )]
    Ledger {
        /// First leaving date to include
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last leaving date to include
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton handover item add 1 --kind document --title 产品维护手册 --assignee E002\n  baton handover item done 4 --note 档案室已签收\n  baton handover item waive 5 --reason 客户已终止合作"
)]
pub enum HandoverItemCmd {
    /// Add an item to an open handover
    #[command(
        after_help = "Examples:\n  baton handover item add 1 --kind contract --ref HT-2026-011 --title \"春季广告方案执行\" --assignee E002 --due 2026-03-25\n  baton handover item add 1 --kind customer --ref C006 --title 新客户"
    )]
    Add {
        /// The handover
        id: i64,
        #[arg(long, value_enum)]
        kind: ItemKind,
        #[arg(long)]
        title: String,
        /// The customer code (required for a customer item), contract number, ...
        #[arg(long = "ref", value_name = "CODE")]
        reference: Option<String>,
        /// Who is responsible for it
        #[arg(long, value_name = "EMPLOYEE")]
        assignee: Option<String>,
        /// Due date [default: the leaving date]
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
    },
    /// Mark an item done; a customer item moves the customer to its assignee
    Done {
        item: i64,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Waive an item that will not be done
    Waive {
        item: i64,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum NotifyCmd {
    /// Plan one notice per customer of a handover (again: brings planned notices up to date)
    #[command(
        after_help = "Each notice goes from the leaver to the customer's new contact, effective on the leaving date,\nto be sent `notify.lead_days` (3) days before it.\n\nExample:\n  baton notify plan 1"
    )]
    Plan {
        /// The handover
        handover: i64,
    },
    /// List notices of the company, by send-by date
    List {
        /// Only the notices of this handover (no company context needed)
        #[arg(long, value_name = "ID")]
        handover: Option<i64>,
        #[arg(long, value_enum)]
        status: Option<NoticeStatus>,
        /// Planned notices to send within `notify.due_window_days`, or already past their date
        #[arg(long)]
        due: bool,
        /// Notices unsent after their send-by date, or sent after it
        #[arg(long)]
        late: bool,
    },
    /// Write the letters (客户告知函); contact details in them are unmasked
    #[command(
        group(clap::ArgGroup::new("which").required(true).args(["notices", "handover"])),
        after_help = "Placeholders: {company} {customer} {customer_contact} {old_contact} {new_contact}\n{new_contact_phone} {new_contact_email} {effective_on} {date}; {{ and }} are braces.\n\nExamples:\n  baton notify render 3\n  baton notify render --handover 1 --lang zh --out letters/\n  baton notify render --handover 1 --template our-letter.md"
    )]
    Render {
        /// The notices
        notices: Vec<i64>,
        /// Every notice of this handover that is not cancelled
        #[arg(long, value_name = "ID", conflicts_with = "notices")]
        handover: Option<i64>,
        /// The company's own template [default: the built-in letter in the current language]
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// Write one Markdown file per notice into DIR instead of stdout
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Record that notices went out
    #[command(after_help = "Example:\n  baton notify sent 1 2 3 --channel letter --at 2026-03-12")]
    Sent {
        #[arg(required = true, value_name = "NOTICE")]
        notices: Vec<i64>,
        #[arg(long, value_enum)]
        channel: notify::Channel,
        /// When they went out [default: now]
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// Record that the customer confirmed a sent notice
    Ack {
        notice: i64,
        /// When the customer confirmed [default: now]
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// Cancel a planned notice
    Cancel {
        notice: i64,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// The public list (公示) of customer-facing contacts and of recent and planned changes
    #[command(
        after_help = "Never shows customer names or confidential notes. With --format md: a page for the company's website,\nwith the contacts' work phones and e-mail unmasked.\n\nExample:\n  baton notify roster --format md --lang zh -o 对接人公示.md"
    )]
    Roster,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportEntity {
    Companies,
    Employees,
    Customers,
    /// Opens each handover as `handover open` does
    Handovers,
    /// Files each complaint as `complaint file` does
    Complaints,
    /// Records each event as `credit record` does
    Credit,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the file holds
    #[arg(value_enum)]
    pub entity: ImportEntity,
    /// CSV, JSON array or JSON Lines file; `-` reads standard input
    pub file: PathBuf,
    /// Check every row, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Text encoding of the file
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    pub encoding: Encoding,
    /// What a bad row does
    #[arg(long, value_enum, default_value_t = OnError::Abort, value_name = "MODE")]
    pub on_error: OnError,
    /// Write bad rows here (CSV: their columns plus `error`)
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Format of the file [default: from its extension: .csv, .json, .jsonl]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
}
