//! The command line: every command and flag, with help text and examples.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::domain::customer::Tier;
use crate::domain::employee::{EmployeeStatus, Role};
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
    Init,
    /// Fill a fresh database with the seed's cases, then show the status
    #[command(
        after_help = "Writes to --db / BATON_DB, else ./baton-demo.db; refuses a database that holds data."
    )]
    Demo,
    /// One screen: what needs attention, per company
    Status,
    /// Show or create the config file
    #[command(subcommand)]
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
    /// Load companies, employees or customers from CSV, JSON or JSON Lines (upsert by key)
    #[command(
        after_help = "The columns are the field names of the exports (or their --lang zh table headers).\n\
                      One transaction: with --on-error abort (default) a bad row means nothing is written.\n\n\
                      Examples:\n  baton import employees hr-export.csv\n  \
                      baton customer list --format csv --reveal -o customers.csv && baton import customers customers.csv\n  \
                      baton import customers crm.csv --encoding gbk --on-error skip --rejects bad.csv\n  \
                      baton import customers customers.jsonl --dry-run --format json"
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportEntity {
    Companies,
    Employees,
    Customers,
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
