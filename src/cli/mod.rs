//! The command line: every command and flag, with help text and examples.
//!
//! The top level (`Cli`, the global options, the list of commands) is here; each command
//! group's own subcommands and arguments are in a child module.

mod admin;
mod calendar;
mod checklist;
mod complaint;
mod credit;
mod handover;
pub mod help;
mod import;
mod notify;
mod registry;
mod report;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use admin::{BackupArgs, ConfigCmd, LogArgs};
pub use calendar::CalendarCmd;
pub use checklist::ChecklistCmd;
pub use complaint::{At, ComplaintCmd, EvidenceCmd};
pub use credit::{CreditCmd, CreditSubject, DecisionArgs};
pub use handover::{HandoverCmd, HandoverItemCmd};
pub use import::{ImportArgs, ImportEntity};
pub use notify::NotifyCmd;
pub use registry::{CompanyCmd, CustomerCmd, CustomerFields, EmployeeCmd, EmployeeFields};
pub use report::{Period, ReportCmd};

use crate::domain::status::Sort;
use crate::error::Failure;
use crate::i18n::Lang;
use crate::limits;
use crate::output::Format;

/// The examples and the five parts at the end of `baton --help`.
const EXAMPLES: &str = "\
Examples:
  baton demo                              try everything on the guide's cases
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
  credit      agency decisions and internal risk records, scores, repair

Start with `baton demo`, then `baton status`; `baton --help` lists every command.
",
        "baton：核心员工离职时，让客户继续得到服务。

用法：baton [选项] <命令>

五个部分：
  checklist   离职风险自查：手工回答并由数据自动核查，评分
  handover    离职交接台账：客户、合同、文档、权限
  notify      给客户的书面告知，公开的对接人名单
  complaint   投诉与服务时限（24 小时受理、48 小时反馈）、调解
  credit      官方记录与内部风险记录、信用分、信用修复

先运行 `baton demo`，再看 `baton status`；`baton --help` 列出全部命令。
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
    /// Company context when the database holds several: its 统一社会信用代码, or its name or short name when unique
    #[arg(
        short,
        long,
        env = "BATON_COMPANY",
        global = true,
        value_name = "COMPANY"
    )]
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
    /// Tables show every field, as wide as they need (CSV, JSON and Markdown always do)
    #[arg(long, global = true)]
    pub wide: bool,
    /// Print only data and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// The options of `status`.
#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// Every company and every item that needs attention, not one screen
    #[arg(long)]
    pub all: bool,
    /// Order of the companies [default: risk in the table, code in csv|json|md]
    #[arg(long, value_enum, value_name = "KEY")]
    pub sort: Option<Sort>,
}

/// The commands, in the order `baton --help` lists them.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or upgrade the database and print its path
    #[command(after_help = "Examples:\n  baton init\n  baton --db /srv/baton/clients.db init")]
    Init,
    /// Fill an empty database with the guide's cases, then show the status and a tour
    #[command(
        after_help = "Writes to the database in use (--db, BATON_DB, config `db`, else the default) when it holds no data yet, and refuses one that does.\n\nExamples:\n  baton demo\n  baton demo --db /tmp/demo.db --lang zh"
    )]
    Demo,
    /// One screen: each company in a row, what needs attention, and the command for each
    #[command(
        after_help = "The table folds the counts into a few columns, the riskiest company first; with many\ncompanies it shows one screen (15 companies, 15 lines of attention, grouped and ranked)\nunless --all. --format csv|json|md give every field of every company, by code unless --sort.\n\nExamples:\n  baton status\n  baton status -c 914403001922038216 --lang zh\n  baton status --all --sort complaints\n  baton status --format csv --bom -o status.csv"
    )]
    Status(StatusArgs),
    /// Show or create the config file
    #[command(
        subcommand,
        after_help = "Examples:\n  baton config show\n  baton config init\n  baton --config ./baton.toml config show"
    )]
    Config(ConfigCmd),
    /// The audit log: who changed what, when
    #[command(
        after_help = "Shows the latest 50 events, oldest first; --limit N or --all for more.\n\nExamples:\n  baton log --entity customer --id C001\n  baton log --since 2026-03-01 --until 2026-03-31 --actor clerk --all\n  baton log --verify\n  baton log --verify --expect-head 3fa94c0d2b17"
    )]
    Log(LogArgs),
    /// Consistent copy of the database while it is in use
    #[command(after_help = "Example:\n  baton backup /mnt/usb/baton-2026-03-02.db")]
    Backup(BackupArgs),
    /// Shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(
        after_help = "Example:\n  baton completions bash > ~/.local/share/bash-completion/completions/baton"
    )]
    Completions {
        /// The shell to write the script for
        shell: clap_complete::Shell,
    },
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
    /// Credit records: agency decisions, internal risk records, scores, repair
    #[command(subcommand)]
    Credit(CreditCmd),
    /// Complaints with service-level clocks (accept, feedback, resolve), mediation, evidence
    #[command(subcommand)]
    Complaint(ComplaintCmd),
    /// The working-day calendar: official years, provisional years, importing a notice
    #[command(
        subcommand,
        after_help = "Examples:\n  baton calendar show 2027\n  baton calendar years\n  baton calendar import 2027.json"
    )]
    Calendar(CalendarCmd),
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
    /// Statistics across companies (or one with -c): complaints, handovers, credit records
    #[command(subcommand)]
    Report(ReportCmd),
    /// The manual pages (roff): one file per command into a folder, or all on stdout
    #[command(
        after_help = "Examples:\n  baton man --dir ~/.local/share/man/man1\n  baton man --dir ~/.local/share/man/zh_CN/man1 --lang zh\n  baton man | man -l -"
    )]
    Man {
        /// Write baton.1, baton-handover-open.1, ... into DIR (created if needed)
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Load companies, employees, customers, handovers, complaints, credit: CSV/JSON/Excel
    #[command(
        after_help = "The columns are the field names of the exports (or their --lang zh table headers);\n\
                      a workbook's first sheet is read (or --sheet).\n\
                      One transaction: with --on-error abort (default) a bad row means nothing is written.\n\
                      Registry records are upserted by key. Handovers, complaints and credit events go\n\
                      through `handover open`, `complaint file`, `credit record`; a row naming one that\n\
                      exists is unchanged, so a file can be re-imported.\n\n\
                      Examples:\n  baton import employees hr-export.csv\n  \
                      baton customer list --format csv --reveal -o customers.csv && baton import customers customers.csv\n  \
                      baton import customers crm.csv --encoding gbk --on-error skip --rejects bad.csv\n  \
                      baton import customers customers.jsonl --dry-run --format json\n  \
                      baton import customers 客户名单.xlsx --sheet 客户\n  \
                      baton import handovers leavers.csv --on-error skip --rejects leavers-bad.csv"
    )]
    Import(ImportArgs),
}

/// Refuses a value longer than its option takes ([`limits`]), for the command of `matches`
/// and its subcommands: `--name` of 16 MB is refused before anything reads it.
pub fn check_lengths(command: &clap::Command, matches: &clap::ArgMatches) -> Result<(), Failure> {
    for arg in command.get_arguments() {
        let id = arg.get_id().as_str();
        let Ok(Some(values)) = matches.try_get_raw(id) else {
            continue;
        };
        let shown = match (arg.get_long(), arg.get_value_names()) {
            (Some(long), _) => format!("--{long}"),
            (None, Some([name, ..])) => name.to_string(),
            (None, _) => id.to_uppercase(),
        };
        for value in values {
            limits::check(id, &shown, &value.to_string_lossy())?;
        }
    }
    match matches.subcommand() {
        Some((name, sub)) => match command.find_subcommand(name) {
            Some(command) => check_lengths(command, sub),
            None => Ok(()),
        },
        None => Ok(()),
    }
}
