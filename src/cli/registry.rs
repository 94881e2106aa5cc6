//! The registry: `company`, `employee`, `customer`.

use clap::{Args, Subcommand};

use crate::domain::customer::{CustomerStatus, Tier};
use crate::domain::employee::{EmployeeStatus, Role};

/// The subcommands of `company`.
#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton company add --code 914403001922038216 --name 深圳示例科技有限公司 --short 示例科技\n  baton company list --format csv --bom -o companies.csv"
)]
pub enum CompanyCmd {
    /// Register a company
    #[command(
        after_help = "Example:\n  baton company add --code 914403001922038216 --name 深圳示例科技有限公司 --short 示例科技"
    )]
    Add {
        /// 统一社会信用代码 (18 characters, check digit verified)
        #[arg(long, value_name = "USCC")]
        code: String,
        /// The registered name (企业名称)
        #[arg(long)]
        name: String,
        /// Short name for tables
        #[arg(long, value_name = "NAME")]
        short: Option<String>,
    },
    /// List every company
    #[command(
        after_help = "Examples:\n  baton company list\n  baton company list --format csv --bom -o companies.csv"
    )]
    List,
    /// One company with its counts
    #[command(
        after_help = "Examples:\n  baton company show 914403001922038216\n  baton company show 示例科技"
    )]
    Show {
        /// The company's code, name or short name
        code: String,
    },
}

/// The subcommands of `employee`.
#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton employee add --id E001 --name 王磊 --role rnd --core --nda --noncompete-until 2027-06-30\n  baton employee update E001 --phone 13812345678\n  baton employee list --core --status active"
)]
pub enum EmployeeCmd {
    /// Register an employee
    #[command(
        after_help = "Example:\n  baton employee add --id E001 --name 王磊 --role rnd --core --nda --phone 13812345678"
    )]
    Add {
        /// The company's own code for the employee, e.g. E001
        #[arg(long, value_name = "CODE")]
        id: String,
        /// Full name
        #[arg(long)]
        name: String,
        /// The kind of post (Chinese labels accepted: 销售, 研发, ...)
        #[arg(long, value_enum)]
        role: Role,
        #[command(flatten)]
        fields: EmployeeFields,
    },
    /// Change an employee's details (an empty value clears a field)
    #[command(
        after_help = "Examples:\n  baton employee update E001 --phone 13812345678\n  baton employee update E002 --nda --noncompete-until 2027-06-30"
    )]
    Update {
        /// The employee's code, e.g. E001
        id: String,
        /// Full name
        #[arg(long)]
        name: Option<String>,
        /// The kind of post
        #[arg(long, value_enum)]
        role: Option<Role>,
        #[command(flatten)]
        fields: EmployeeFields,
    },
    /// List employees
    #[command(
        after_help = "Examples:\n  baton employee list --core\n  baton employee list --status leaving --lang zh"
    )]
    List {
        /// Core employees only
        #[arg(long)]
        core: bool,
        /// Only employees in this state
        #[arg(long, value_enum)]
        status: Option<EmployeeStatus>,
    },
    /// One employee with the customers they own and back up
    #[command(
        after_help = "Examples:\n  baton employee show E001\n  baton employee show E001 --reveal"
    )]
    Show {
        /// The employee's code, e.g. E001
        id: String,
    },
}

/// The optional details of an employee, shared by `add` and `update`.
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
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub noncompete_until: Option<String>,
    /// When the employee agreed to their work phone and e-mail on the public roster (PIPL
    /// art. 25); without it `notify roster` leaves them out
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub publish_consent: Option<String>,
}

/// The subcommands of `customer`.
#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  baton customer add --id C001 --name 华丰食品 --tier core --owner E001 --backup E002\n  baton customer update C001 --backup E003\n  baton customer list --owner E001\n  baton customer list --at-risk --format csv --bom -o at-risk.csv\n  baton customer show C001 --reveal"
)]
pub enum CustomerCmd {
    /// Register a customer
    #[command(
        after_help = "Example:\n  baton customer add --id C001 --name 华丰食品 --tier core --owner E001 --backup E002"
    )]
    Add {
        /// The company's own code for the customer, e.g. C001
        #[arg(long, value_name = "CODE")]
        id: String,
        /// The customer's name
        #[arg(long)]
        name: String,
        /// How much the customer matters (Chinese labels accepted: 核心, 重点, 一般)
        #[arg(long, value_enum)]
        tier: Tier,
        /// Employee who serves the customer
        #[arg(long, value_name = "EMPLOYEE")]
        owner: String,
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// Change a customer's details (an empty value clears a field)
    #[command(
        after_help = "Examples:\n  baton customer update C001 --backup E003\n  baton customer update C004 --status inactive"
    )]
    Update {
        /// The customer's code, e.g. C001
        id: String,
        /// The customer's name
        #[arg(long)]
        name: Option<String>,
        /// How much the customer matters
        #[arg(long, value_enum)]
        tier: Option<Tier>,
        /// New owner (the change is kept in the owner history)
        #[arg(long, value_name = "EMPLOYEE")]
        owner: Option<String>,
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// List customers
    #[command(
        after_help = "Examples:\n  baton customer list --owner E001\n  baton customer list --at-risk --format csv --bom -o at-risk.csv"
    )]
    List {
        /// Only the customers this employee serves
        #[arg(long, value_name = "EMPLOYEE")]
        owner: Option<String>,
        /// Only customers of this tier
        #[arg(long, value_enum)]
        tier: Option<Tier>,
        /// Core and key customers with no backup, or whose owner is leaving or has left
        #[arg(long, conflicts_with_all = ["owner", "tier"])]
        at_risk: bool,
    },
    /// One customer; confidential notes only with --reveal
    #[command(
        after_help = "Examples:\n  baton customer show C001\n  baton customer show C001 --reveal"
    )]
    Show {
        /// The customer's code, e.g. C001
        id: String,
    },
}

/// The optional details of a customer, shared by `add` and `update`.
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
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Whether the company still serves the customer
    #[arg(long, value_enum)]
    pub status: Option<CustomerStatus>,
}
