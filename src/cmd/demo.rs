use std::path::Path;

use anyhow::Result;

use crate::app::{shell_word, Context, Settings};
use crate::cli::StatusArgs;
use crate::domain::complaint::Clocks;
use crate::domain::demo;
use crate::{refused, text, tr};

/// Fills the database in use (`--db`, `BATON_DB`, config `db`, else the default) when it
/// holds nothing yet, and shows its status.
pub fn run(settings: Settings) -> Result<()> {
    let mut ctx = Context::open(settings, "demo")?;
    let path = ctx.settings.db_path.display().to_string();
    if !demo::is_empty(&ctx.conn)? {
        return Err(refused!(
            "{path} holds data already; the demo needs a fresh database",
            "{path} 中已有数据；演示需要一个新的数据库"
        )
        .hint(text!(
            "remove the file or name another with --db",
            "删除该文件，或用 --db 指定另一个文件"
        ))
        .into());
    }
    let catalog = super::credit::catalog(&ctx.settings)?;
    ctx.transact(|w| {
        let settings = w.settings();
        let setup = demo::Setup {
            clocks: Clocks {
                sla: &settings.config.sla,
                calendar: &settings.calendar,
            },
            catalog: &catalog,
            today: settings.clock.today(),
            lang: settings.lang(),
        };
        demo::fill(w, w.stamp(), &setup)
    })?;
    let lang = ctx.lang();
    ctx.out().say(&tr!(
        lang,
        "demo database written to {path}",
        "演示数据库已写入 {path}"
    ));
    let everything = StatusArgs {
        all: true,
        sort: None,
    };
    super::status::run(&mut ctx, &everything)?;
    let db = shell_word(Path::new(&path));
    ctx.out().say(&tr!(
        lang,
        "\nA tour of the demo: each command reads {path} (add --lang zh for Chinese).
1. The food lab's R&D lead leaves with three core customers: who takes which, by when (工作交接说明)
     baton --db {db} handover show 1
2. The software company's requirements ledger: each custom requirement, who takes it, by when
     baton --db {db} handover ledger -c 91330106MA2CFYQ242
3. The law firm: one client told after the send-by date, one never told
     baton --db {db} notify list -c 31440000MD01123K5B --late
4. The letter (客户告知函) that client should have had, as a page to open in a browser and print
     baton --db {db} notify render 2 -f html -o letter.html
5. The foreign-trade company's laptop files: public register vs confidential notes (the reveal is logged)
     baton --db {db} customer show C001 -c 91330206MA2GW8TX5H --reveal
6. The bookkeeping firm's three days of mediation: each clock, met or breached
     baton --db {db} complaint show 2
7. Official lists only by an agency decision: the trading company's abnormal-operations listing
     baton --db {db} credit list --official
   The technical director and the manager who copied client files are internal risk records
     baton --db {db} credit list --attention
8. What the food lab fixed between two self-checks, and its self-check report to print
     baton --db {db} checklist diff 1 2
     baton --db {db} checklist report 2 -f html -o report.html",
        "\n演示导览：以下命令均读取 {path}。
1. 食品添加剂公司研发主管带着三个核心客户离职：谁接手哪个客户、何时完成（工作交接说明）
     baton --db {db} handover show 1 --lang zh
2. 软件公司的《客户需求交接台账》：每项定制需求由谁接手、何时完成
     baton --db {db} handover ledger -c 91330106MA2CFYQ242 --lang zh
3. 律师事务所：一位客户在最迟发送日之后才被告知，另一位从未被告知
     baton --db {db} notify list -c 31440000MD01123K5B --late --lang zh
4. 那位客户本应收到的客户告知函，写成网页文件，用浏览器打开即可打印
     baton --db {db} notify render 2 -f html -o letter.html --lang zh
5. 外贸公司离职业务员电脑里的客户资料：公开信息与保密信息（查看保密信息会记入审计日志）
     baton --db {db} customer show C001 -c 91330206MA2GW8TX5H --reveal --lang zh
6. 代理记账公司三天调解：每个时限是否达标
     baton --db {db} complaint show 2 --lang zh
7. 官方名单只来自行政机关的决定：商贸公司被列入经营异常名录
     baton --db {db} credit list --official --lang zh
   技术总监和拷走客户资料的客户经理是公司内部风险记录（关注），不是官方名单
     baton --db {db} credit list --attention --lang zh
8. 食品添加剂公司两次自查之间的改进，以及可打印的自查报告（雷达图、得分变化、整改计划）
     baton --db {db} checklist diff 1 2 --lang zh
     baton --db {db} checklist report 2 -f html -o report.html --lang zh"
    ));
    Ok(())
}
