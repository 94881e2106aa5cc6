//! Generates a company, its employees and its customers as CSV files that `baton import`
//! reads, for benchmarks and trials. The same arguments always give the same files.
//!
//! ```text
//! cargo run --release --example gen -- --employees 5000 --customers 1000000 --out DIR
//! baton import companies DIR/companies.csv
//! baton import employees DIR/employees.csv
//! baton import customers DIR/customers.csv
//! ```
//!
//! With `--companies N` (N > 1), every company has `--employees` employees and the
//! customers are spread over the companies: employees.csv and customers.csv then have a
//! `company` column, and each file loads in one import.
//!
//! An agency's many companies with `--per-company` are DIR/companies.csv and one folder per
//! company, DIR/0001/ … (named by its row in companies.csv), each with the counts given *per
//! company* and optionally handovers, complaints and credit records, dated around 2026-03-02
//! (the benchmark's `BATON_NOW`):
//!
//! ```text
//! gen --companies 1000 --per-company --employees 20 --customers 500 --handovers 2 --complaints 100 --credit 3 --out DIR
//! baton import companies DIR/companies.csv
//! for each company CODE in row N: baton -c CODE import employees|customers|handovers|complaints|credit DIR/N/….csv
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use baton::ids;
use clap::Parser;

/// Deterministic test data for `baton import`.
#[derive(Parser)]
struct Args {
    /// How many employees (E0001, E0002, ...), in each company
    #[arg(long, default_value_t = 5000)]
    employees: usize,
    /// How many companies
    #[arg(long, default_value_t = 1)]
    companies: usize,
    /// How many customers (C0000001, ...), in all (in each company with --per-company)
    #[arg(long, default_value_t = 1_000_000)]
    customers: usize,
    /// With --companies: a folder per company with its own counts, not files spread over them
    #[arg(long)]
    per_company: bool,
    /// How many handovers (of the first employees, leaving in February and March 2026)
    #[arg(long, default_value_t = 0)]
    handovers: usize,
    /// How many complaints (of random customers, received from December 2025 to March 2026)
    #[arg(long, default_value_t = 0)]
    complaints: usize,
    /// How many credit records (internal records of random employees)
    #[arg(long, default_value_t = 0)]
    credit: usize,
    /// Folder to write companies.csv, employees.csv and customers.csv into
    #[arg(long)]
    out: PathBuf,
    /// Seed of the random choices
    #[arg(long, default_value_t = 20260302)]
    seed: u64,
}

/// SplitMix64: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "华", "建国", "晓东", "子涵", "欣怡", "浩然", "雨萱", "宇轩", "思远", "嘉怡",
];
const CITIES: &[&str] = &[
    "深圳", "广州", "上海", "北京", "杭州", "苏州", "成都", "武汉", "南京", "天津", "重庆", "西安",
    "宁波", "佛山", "东莞", "青岛", "厦门", "长沙",
];
const WORDS: &[&str] = &[
    "华丰",
    "康源",
    "美味园",
    "邻里",
    "金禾",
    "鼎盛",
    "恒信",
    "瑞祥",
    "新远",
    "宏达",
    "佳和",
    "众合",
    "天成",
    "博雅",
    "永盛",
    "锦程",
    "海川",
    "乐活",
    "优品",
    "立信",
];
const TRADES: &[&str] = &[
    "食品",
    "乳业",
    "超市",
    "餐饮",
    "贸易",
    "科技",
    "健身",
    "设计",
    "物流",
    "药业",
    "酒店",
    "烘焙",
    "饮料",
    "调味品",
];
const FORMS: &[&str] = &["有限公司", "股份有限公司", "商行", "工作室"];
const ROLES: &[&str] = &[
    "sales",
    "sales",
    "sales",
    "service",
    "service",
    "rnd",
    "tech",
    "finance",
    "management",
    "other",
];
const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "135", "136", "137", "138", "139", "150", "151", "158", "159", "166", "177",
    "186", "188", "189", "199",
];

fn person_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

fn mobile(rng: &mut Rng) -> String {
    format!("{}{:08}", rng.pick(MOBILE_PREFIXES), rng.below(100_000_000))
}

/// A USCC with the given 17-character body and whichever check character makes it valid.
fn uscc(body: &str) -> Result<String> {
    "0123456789ABCDEFGHJKLMNPQRTUWXY"
        .chars()
        .map(|check| format!("{body}{check}"))
        .find(|code| ids::validate_uscc(code).is_ok())
        .context("no check character fits")
}

fn create(path: &Path) -> Result<csv::Writer<BufWriter<File>>> {
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(csv::Writer::from_writer(BufWriter::with_capacity(
        1 << 20,
        file,
    )))
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.employees < 2 {
        bail!("--employees must be at least 2 (a backup must be a second person)");
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut rng = Rng(args.seed);

    if args.companies == 0 || args.companies > 99_999 {
        bail!("--companies must be between 1 and 99999");
    }
    if args.handovers > args.employees {
        bail!("--handovers must not exceed --employees (one handover per leaver)");
    }
    if args.complaints > 0 && args.customers == 0 {
        bail!("--complaints needs customers to complain");
    }
    let any_records = args.handovers + args.complaints + args.credit > 0;
    if any_records && args.companies > 1 && !args.per_company {
        bail!("--handovers, --complaints and --credit over several companies need --per-company");
    }
    let mut codes = Vec::with_capacity(args.companies);
    let mut companies = create(&args.out.join("companies.csv"))?;
    companies.write_record(["code", "name", "short_name"])?;
    for n in 1..=args.companies {
        let code = uscc(&format!("91440300MA5G{n:05}"))?;
        let (name, short) = match n {
            1 => (
                "深圳市基准食品添加剂有限公司".to_string(),
                "基准食品".to_string(),
            ),
            _ => (
                format!("深圳市基准样本{n:05}有限公司"),
                format!("样本{n:05}"),
            ),
        };
        companies.write_record([code.as_str(), &name, &short])?;
        codes.push(code);
    }
    companies.flush()?;

    if args.per_company {
        for (n, _) in codes.iter().enumerate() {
            let dir = args.out.join(format!("{:04}", n + 1));
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let one = [None];
            employees(&args, &mut rng, &dir, &one)?;
            customers(&args, &mut rng, &dir, &one)?;
            records(&args, &mut rng, &dir)?;
        }
    } else {
        let routed: Vec<Option<&str>> = match codes.len() {
            1 => vec![None],
            _ => codes.iter().map(|c| Some(c.as_str())).collect(),
        };
        employees(&args, &mut rng, &args.out, &routed)?;
        customers(&args, &mut rng, &args.out, &routed)?;
        records(&args, &mut rng, &args.out)?;
    }
    let mut stderr = std::io::stderr();
    writeln!(
        stderr,
        "wrote {} companies, {} employees each, {} customers{}, {} handovers, {} complaints, {} credit records to {}",
        args.companies,
        args.employees,
        args.customers,
        if args.per_company { " each" } else { "" },
        args.handovers,
        args.complaints,
        args.credit,
        args.out.display()
    )?;
    Ok(())
}

/// DIR/employees.csv: `--employees` of each company in `companies`; with a `company` column
/// when they are several, none when the one company is None (the import's `-c`).
fn employees(args: &Args, rng: &mut Rng, dir: &Path, companies: &[Option<&str>]) -> Result<()> {
    let mut employees = create(&dir.join("employees.csv"))?;
    let header = [
        "id",
        "name",
        "role",
        "core",
        "phone",
        "email",
        "nda",
        "noncompete_until",
    ];
    match companies {
        [None] => employees.write_record(header)?,
        _ => employees.write_record(header.iter().chain(&["company"]))?,
    }
    for (company, n) in companies
        .iter()
        .flat_map(|code| (1..=args.employees).map(move |n| (code, n)))
    {
        let role = rng.pick(ROLES);
        let core = matches!(role, "sales" | "rnd" | "service") && rng.chance(60);
        let nda = core && rng.chance(70);
        let until = if nda {
            format!("2027-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28))
        } else {
            String::new()
        };
        let record = [
            format!("E{n:04}"),
            person_name(rng),
            role.to_string(),
            core.to_string(),
            mobile(rng),
            format!("e{n:04}@example.com"),
            nda.to_string(),
            until,
        ];
        match company {
            Some(company) => {
                employees.write_record(record.iter().map(String::as_str).chain([*company]))?
            }
            None => employees.write_record(&record)?,
        }
    }
    employees.flush()?;
    Ok(())
}

/// DIR/customers.csv: `--customers`, each of a random company of `companies` (a `company`
/// column when they are several).
fn customers(args: &Args, rng: &mut Rng, dir: &Path, companies: &[Option<&str>]) -> Result<()> {
    let mut customers = create(&dir.join("customers.csv"))?;
    let header = [
        "id", "name", "tier", "owner", "backup", "contact", "phone", "email", "since", "status",
    ];
    match companies {
        [None] => customers.write_record(header)?,
        _ => customers.write_record(header.iter().chain(&["company"]))?,
    }
    let mut backup = String::new();
    for n in 1..=args.customers {
        let tier = match rng.below(100) {
            0..=4 => "core",
            5..=19 => "key",
            _ => "normal",
        };
        let owner = 1 + rng.below(args.employees);
        backup.clear();
        let backed = if tier == "normal" { 20 } else { 70 };
        if rng.chance(backed) {
            let other = 1 + (owner + rng.below(args.employees - 1)) % args.employees;
            backup.push_str(&format!("E{other:04}"));
        }
        let name = format!(
            "{}{}{}{}",
            rng.pick(CITIES),
            rng.pick(WORDS),
            rng.pick(TRADES),
            rng.pick(FORMS)
        );
        let email = if rng.chance(30) {
            format!("c{n}@example.cn")
        } else {
            String::new()
        };
        let since = format!(
            "{}-{:02}-{:02}",
            2010 + rng.below(16),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let (code, owner) = (format!("C{n:07}"), format!("E{owner:04}"));
        let (contact, phone) = (person_name(rng), mobile(rng));
        let record = [
            code.as_str(),
            &name,
            tier,
            &owner,
            &backup,
            &contact,
            &phone,
            &email,
            &since,
            if rng.chance(97) { "active" } else { "inactive" },
        ];
        match companies {
            [None] => customers.write_record(record)?,
            _ => {
                let company = companies[rng.below(companies.len())].unwrap_or_default();
                customers.write_record(record.iter().copied().chain([company]))?
            }
        }
    }
    customers.flush()?;
    Ok(())
}

/// DIR/handovers.csv, complaints.csv and credit.csv of one company, those asked for.
fn records(args: &Args, rng: &mut Rng, dir: &Path) -> Result<()> {
    if args.handovers > 0 {
        let mut handovers = create(&dir.join("handovers.csv"))?;
        handovers.write_record(["employee", "leaving_on", "successor", "reason"])?;
        for n in 1..=args.handovers {
            let successor = 1 + n % args.employees;
            handovers.write_record([
                format!("E{n:04}").as_str(),
                &format!("2026-{:02}-{:02}", 2 + rng.below(2), 1 + rng.below(28)),
                &format!("E{successor:04}"),
                rng.pick(&["resign", "resign", "resign", "dismissal", "transfer"]),
            ])?;
        }
        handovers.flush()?;
    }
    if args.complaints > 0 {
        let mut complaints = create(&dir.join("complaints.csv"))?;
        complaints.write_record(["customer", "category", "channel", "summary", "received_at"])?;
        for n in 1..=args.complaints {
            let (month, days) = [(12, 31), (1, 31), (2, 28), (3, 1)][rng.below(4)];
            let year = if month == 12 { 2025 } else { 2026 };
            complaints.write_record([
                format!("C{:07}", 1 + rng.below(args.customers)).as_str(),
                rng.pick(&[
                    "service-gap",
                    "commitment",
                    "quality",
                    "billing",
                    "data",
                    "other",
                ]),
                rng.pick(&["phone", "online", "visit", "letter", "platform"]),
                &format!(
                    "{}(第 {n} 件)",
                    rng.pick(&[
                        "新对接人不了解情况",
                        "承诺未兑现",
                        "交付质量问题",
                        "多收费用",
                        "无人跟进"
                    ])
                ),
                &format!(
                    "{year}-{month:02}-{:02} {:02}:{:02}",
                    1 + rng.below(days),
                    8 + rng.below(10),
                    rng.below(60)
                ),
            ])?;
        }
        complaints.flush()?;
    }
    if args.credit > 0 {
        let mut credit = create(&dir.join("credit.csv"))?;
        credit.write_record(["subject", "code", "occurred_on"])?;
        for _ in 0..args.credit {
            credit.write_record([
                format!("employee:E{:04}", 1 + rng.below(args.employees)).as_str(),
                rng.pick(&[
                    "handover-refused",
                    "customer-data-taken",
                    "service-manual-handover",
                    "handover-ledger-accepted",
                ]),
                &format!("2025-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
            ])?;
        }
        credit.flush()?;
    }
    Ok(())
}
