use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::app::{Context, Settings};
use crate::domain::complaint::Clocks;
use crate::domain::demo;
use crate::error::Failure;
use crate::{db, tr};

/// Fills a fresh database (`--db`, else `./baton-demo.db`) and shows its status.
pub fn run(mut settings: Settings, db: Option<PathBuf>) -> Result<()> {
    settings.db_path = db.unwrap_or_else(|| PathBuf::from("baton-demo.db"));
    let mut ctx = Context::open(settings, "demo")?;
    let path = ctx.settings.db_path.display().to_string();
    if !demo::is_empty(&ctx.conn)? {
        return Err(Failure::refused(format!(
            "{path} holds data already; the demo needs a fresh database"
        ))
        .hint("remove the file or name another with --db")
        .into());
    }
    let stamp = ctx.stamp();
    let catalog = super::credit::catalog(&ctx.settings)?;
    let today = ctx.settings.clock.today();
    let clocks = Clocks {
        sla: &ctx.settings.config.sla,
        calendar: &ctx.settings.calendar,
    };
    let setup = demo::Setup {
        clocks,
        catalog: &catalog,
        today,
        lang: ctx.lang(),
    };
    let tx = db::write(&mut ctx.conn)?;
    demo::fill(&tx, &stamp, &setup)?;
    tx.commit()?;
    let lang = ctx.lang();
    ctx.out().say(&tr!(
        lang,
        "demo database written to {path}",
        "演示数据库已写入 {path}"
    ));
    super::status::run(&mut ctx)?;
    let db = shell_word(Path::new(&path));
    ctx.out().say(&tr!(
        lang,
        "\nTry next (each reads the demo database):
  baton --db {db} customer list -c 91320500MA1MXX0Q17 --at-risk     core customers with no second contact
  baton --db {db} employee list -c 91320500MA1MXX0Q17 --core         who holds the customer relationships
  baton --db {db} customer show C001 -c 91110108MA01GLXX35 --reveal  a customer's confidential notes (logged)
  baton --db {db} checklist report -c 91320500MA1MXX0Q17            the self-check's gaps and what to do
  baton --db {db} checklist diff 1 2                                 what the food lab fixed between two runs
  baton --db {db} credit list                                        dishonest, watched and honoured subjects
  baton --db {db} complaint list -c 91510107MA6DG8XL2J --overdue    the gym's complaint nobody accepted in time
  baton --db {db} complaint show 2                                   three days of mediation, each clock met or not
  baton --db {db} handover show 1                                    the food lab's handover statement
  baton --db {db} handover list -c 91440101MA5CQX4R1J --overdue      a handover with a customer past due
  baton --db {db} handover ledger -c 91310106MA1FYL8K3T -f csv --bom -o ledger.csv  the ledger for Excel
  baton --db {db} log --verify                                       the audit log's hash chain",
        "\n接下来可以试试(均读取演示数据库):
  baton --db {db} customer list -c 91320500MA1MXX0Q17 --at-risk     没有第二联系人的核心客户
  baton --db {db} employee list -c 91320500MA1MXX0Q17 --core         谁掌握着客户关系
  baton --db {db} customer show C001 -c 91110108MA01GLXX35 --reveal  客户的保密信息(会记入审计日志)
  baton --db {db} checklist report -c 91320500MA1MXX0Q17            自查的差距与整改建议
  baton --db {db} checklist diff 1 2                                 食品添加剂公司两次自查之间的改进
  baton --db {db} credit list                                        失信、重点关注与守信名单
  baton --db {db} complaint list -c 91510107MA6DG8XL2J --overdue    健身房无人及时受理的投诉
  baton --db {db} complaint show 2                                   三天调解,各时限是否达标
  baton --db {db} handover show 1 --lang zh                          食品添加剂公司的工作交接说明
  baton --db {db} handover list -c 91440101MA5CQX4R1J --overdue      有客户交接已逾期的交接
  baton --db {db} handover ledger -c 91310106MA1FYL8K3T -f csv --bom -o ledger.csv  导出台账给 Excel
  baton --db {db} log --verify                                       校验审计日志的哈希链"
    ));
    Ok(())
}

/// The path as one shell word.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
