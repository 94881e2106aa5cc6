//! `handover`: the departure ledger.

use clap::Subcommand;

use crate::domain::handover::{HandoverStatus, ItemKind, Reason};

/// The subcommands of `handover`.
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
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        leaving_on: String,
        /// The colleague who takes over the customers and documents
        #[arg(long, value_name = "EMPLOYEE")]
        successor: Option<String>,
        /// Why the employee leaves
        #[arg(long, value_enum, default_value_t = Reason::Resign)]
        reason: Reason,
    },
    /// List the handovers of the company
    #[command(after_help = "Example:\n  baton handover list --overdue")]
    List {
        /// Only handovers in this state
        #[arg(long, value_enum)]
        status: Option<HandoverStatus>,
        /// Open handovers with an item past due
        #[arg(long, conflicts_with = "status")]
        overdue: bool,
    },
    /// The internal handover statement (工作交接说明), or with --customer that customer's confirmation (交接确认书); with --format json|csv|md the record
    #[command(
        after_help = "The statement names every customer of the departure: it stays inside the company.\nA customer signs its own confirmation: its open matters, who is responsible and by when, and the\nlines for 移交人 (hands over), 接收人 (receives) and 监交人 (oversees).\n\nExamples:\n  baton handover show 1\n  baton handover show 1 --customer C001 --lang zh -o 交接确认书-C001.txt"
    )]
    Show {
        /// The handover's number
        id: i64,
        /// Only this customer's part, as the confirmation it signs
        #[arg(long, value_name = "CUSTOMER")]
        customer: Option<String>,
    },
    /// Add, finish or waive an item
    #[command(subcommand)]
    Item(HandoverItemCmd),
    /// Give a customer of the handover to another colleague
    #[command(after_help = "Example:\n  baton handover assign 1 --customer C003 --to E003")]
    Assign {
        /// The handover's number
        id: i64,
        /// The customer's code, e.g. C003
        #[arg(long, value_name = "CUSTOMER")]
        customer: String,
        /// The colleague who takes the customer
        #[arg(long, value_name = "EMPLOYEE")]
        to: String,
    },
    /// Close the handover; refused while an item is open, unless --force --reason
    #[command(
        after_help = "Examples:\n  baton handover close 1\n  baton handover close 1 --force --reason \"客户已终止合作\""
    )]
    Close {
        /// The handover's number
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
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        from: Option<String>,
        /// Last leaving date to include
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        to: Option<String>,
    },
}

/// The subcommands of `handover item`.
#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton handover item add 1 --kind document --title 产品维护手册 --assignee E002\n  baton handover item done 4 --note 档案室已签收\n  baton handover item waive 5 --reason 客户已终止合作"
)]
pub enum HandoverItemCmd {
    /// Add an item to an open handover
    #[command(
        after_help = "Examples:\n  baton handover item add 1 --kind contract --ref HT-2026-011 --title 广告方案 --due 2026-03-25\n  baton handover item add 1 --kind customer --ref C006 --title 新客户"
    )]
    Add {
        /// The handover
        id: i64,
        /// What is handed over
        #[arg(long, value_enum)]
        kind: ItemKind,
        /// What the item is, in a few words
        #[arg(long)]
        title: String,
        /// The customer code (required for a customer item), contract number, ...
        #[arg(long = "ref", value_name = "CODE")]
        reference: Option<String>,
        /// Who is responsible for it
        #[arg(long, value_name = "EMPLOYEE")]
        assignee: Option<String>,
        /// Due date [default: the leaving date]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        due: Option<String>,
    },
    /// Mark an item done; a customer item moves the customer to its assignee
    #[command(after_help = "Example:\n  baton handover item done 4 --note 档案室已签收")]
    Done {
        /// The item's number (see `handover show`)
        item: i64,
        /// How it was done
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Waive an item that will not be done
    #[command(after_help = "Example:\n  baton handover item waive 5 --reason 客户已终止合作")]
    Waive {
        /// The item's number (see `handover show`)
        item: i64,
        /// Why it will not be done
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}
