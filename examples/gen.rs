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

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

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
    /// How many customers (C0000001, ...)
    #[arg(long, default_value_t = 1_000_000)]
    customers: usize,
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

fn create(path: &PathBuf) -> Result<csv::Writer<BufWriter<File>>> {
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
    let routed = args.companies > 1;
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

    let mut employees = create(&args.out.join("employees.csv"))?;
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
    match routed {
        true => employees.write_record(header.iter().chain(&["company"]))?,
        false => employees.write_record(header)?,
    }
    for (company, n) in codes
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
            person_name(&mut rng),
            role.to_string(),
            core.to_string(),
            mobile(&mut rng),
            format!("e{n:04}@example.com"),
            nda.to_string(),
            until,
        ];
        match routed {
            true => employees.write_record(record.iter().chain([company]))?,
            false => employees.write_record(&record)?,
        }
    }
    employees.flush()?;

    let mut customers = create(&args.out.join("customers.csv"))?;
    let header = [
        "id", "name", "tier", "owner", "backup", "contact", "phone", "email", "since", "status",
    ];
    match routed {
        true => customers.write_record(header.iter().chain(&["company"]))?,
        false => customers.write_record(header)?,
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
        let (contact, phone) = (person_name(&mut rng), mobile(&mut rng));
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
        match routed {
            true => {
                let company = codes[rng.below(codes.len())].as_str();
                customers.write_record(record.iter().copied().chain([company]))?
            }
            false => customers.write_record(record)?,
        }
    }
    customers.flush()?;
    let mut stderr = std::io::stderr();
    writeln!(
        stderr,
        "wrote {} companies, {} employees each, {} customers to {}",
        args.companies,
        args.employees,
        args.customers,
        args.out.display()
    )?;
    Ok(())
}
