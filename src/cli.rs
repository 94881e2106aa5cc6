//! The command line: every command and flag, with help text and examples.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::domain::customer::Tier;
use crate::domain::employee::{EmployeeStatus, Role};
use crate::domain::handover::{HandoverStatus, ItemKind, Reason};
use crate::domain::notify::{Channel, NoticeStatus};
use crate::i18n::Lang;
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
        channel: Channel,
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
