use std::io::IsTerminal as _;
use std::path::Path;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::app::Context;
use crate::cli::{ImportArgs, ImportEntity};
use crate::domain::complaint::{self, Clocks};
use crate::domain::handover::{self, Rules};
use crate::domain::{company, credit, customer, employee};
use crate::error::Failure;
use crate::i18n::Lang;
use crate::import::{self, Entity, OnError, Options, Report};
use crate::{bad_input, text, tr};

impl ImportArgs {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let options = Options {
            file: self.file,
            format: self.input_format,
            encoding: self.encoding,
            on_error: self.on_error,
            rejects: self.rejects,
            dry_run: self.dry_run,
            lang: ctx.lang(),
            company: ctx.company_asked().map(str::to_string),
            sheet: self.sheet,
        };
        let stamp = ctx.stamp();
        let clock = ctx.settings.clock;
        let mut entity: Box<dyn Entity + '_> = match self.entity {
            ImportEntity::Companies => Box::new(company::Import::new(clock, stamp.clone())),
            ImportEntity::Employees => Box::new(employee::Import::new(clock, stamp.clone())),
            ImportEntity::Customers => Box::new(customer::Import::new(clock, stamp.clone())),
            ImportEntity::Handovers => Box::new(handover::Import::new(
                clock,
                stamp.clone(),
                Rules::new(&ctx.settings.config.handover, ctx.lang()),
            )),
            ImportEntity::Complaints => Box::new(complaint::Import::new(
                clock,
                stamp.clone(),
                Clocks {
                    sla: &ctx.settings.config.sla,
                    calendar: &ctx.settings.calendar,
                },
            )),
            ImportEntity::Credit => Box::new(credit::Import::new(
                clock,
                stamp.clone(),
                super::credit::catalog(&ctx.settings)?,
            )),
        };
        let bar = progress_bar(ctx.out().quiet);
        // The calendar is borrowed beside the connection (as by `complaint file`).
        let report = import::run(
            &mut ctx.conn,
            &stamp,
            entity.as_mut(),
            &options,
            &mut |rows| bar.set_position(rows),
        )?;
        bar.finish_and_clear();
        let lang = ctx.lang();
        let noun = noun(self.entity, lang, report.summary.rows);
        if report.failed > 0 && options.on_error == OnError::Abort {
            let (file, bad) = (&report.file, report.failed);
            // The row errors are in the language of the command already.
            let errors = report.errors.join("\n  ");
            let (more_en, more_zh) = (more(&report, Lang::En), more(&report, Lang::Zh));
            return Err(bad_input!(
                "{file}: {bad} bad rows; nothing was imported\n  {errors}{more_en}",
                "{file}：共 {bad} 行有误，未导入任何数据\n  {errors}{more_zh}"
            )
            .hint(text!(
                "fix those rows, or import the good ones with --on-error skip --rejects FILE",
                "请修正这些行，或用 --on-error skip --rejects FILE 只导入正确的行"
            ))
            .into());
        }
        for error in &report.errors {
            ctx.out().warn(error);
        }
        if report.failed > report.errors.len() as u64 {
            ctx.out().warn(more(&report, lang).trim());
        }
        for warning in &report.warnings {
            ctx.out().warn(warning);
        }
        let message = summary_line(&report, noun, lang);
        ctx.out().changed(&message, &report.summary)?;
        if report.failed > 0 {
            return Err(rows_left_out(&report, options.rejects.as_deref()).into());
        }
        Ok(())
    }
}

/// The end of an import with `--on-error skip` that left bad rows out (exit 5): the good
/// rows are in, the bad ones wait in the rejects file (or the warnings above).
fn rows_left_out(report: &Report, rejects: Option<&Path>) -> Failure {
    let (file, bad) = (&report.file, report.failed);
    let message = match (report.summary.dry_run, bad == 1) {
        (true, true) => text!("{file}: 1 row would be rejected", "{file}：将有 1 行被拒绝"),
        (true, false) => text!(
            "{file}: {bad} rows would be rejected",
            "{file}：将有 {bad} 行被拒绝"
        ),
        (false, true) => text!(
            "{file}: 1 row was rejected and left out; the others are imported",
            "{file}：1 行被拒绝、未导入；其余各行已导入"
        ),
        (false, false) => text!(
            "{file}: {bad} rows were rejected and left out; the others are imported",
            "{file}：{bad} 行被拒绝、未导入；其余各行已导入"
        ),
    };
    Failure::partial(message).hint(match rejects {
        Some(rejects) => {
            let rejects = rejects.display();
            text!(
                "fix the rows in {rejects} (the error column says why) and import that file",
                "请修正 {rejects} 中的行（error 列写明原因），再导入该文件"
            )
        }
        None => text!(
            "the warnings above name them; --rejects FILE keeps them in a file to fix and import",
            "上方警告列出了这些行；加 --rejects FILE 可将它们保存到文件，修正后再导入"
        ),
    })
}

/// A spinner with the row count and rate, on a terminal only.
fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {human_pos} rows  {per_sec}  {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

/// What the rows are, in English singular for one row.
fn noun(entity: ImportEntity, lang: Lang, rows: u64) -> &'static str {
    let one = rows == 1;
    match (entity, lang) {
        (ImportEntity::Companies, Lang::En) if one => "company",
        (ImportEntity::Companies, Lang::En) => "companies",
        (ImportEntity::Employees, Lang::En) if one => "employee",
        (ImportEntity::Employees, Lang::En) => "employees",
        (ImportEntity::Customers, Lang::En) if one => "customer",
        (ImportEntity::Customers, Lang::En) => "customers",
        (ImportEntity::Handovers, Lang::En) if one => "handover",
        (ImportEntity::Handovers, Lang::En) => "handovers",
        (ImportEntity::Complaints, Lang::En) if one => "complaint",
        (ImportEntity::Complaints, Lang::En) => "complaints",
        (ImportEntity::Credit, Lang::En) if one => "credit event",
        (ImportEntity::Credit, Lang::En) => "credit events",
        (ImportEntity::Companies, Lang::Zh) => "公司",
        (ImportEntity::Employees, Lang::Zh) => "员工",
        (ImportEntity::Customers, Lang::Zh) => "客户",
        (ImportEntity::Handovers, Lang::Zh) => "交接",
        (ImportEntity::Complaints, Lang::Zh) => "投诉",
        (ImportEntity::Credit, Lang::Zh) => "信用记录",
    }
}

/// "(and 12 more)" when not every error was listed.
fn more(report: &Report, lang: Lang) -> String {
    let more = report.failed - report.errors.len() as u64;
    if more == 0 {
        String::new()
    } else {
        tr!(lang, "\n  ... and {more} more", "\n  …… 另有 {more} 行")
    }
}

fn summary_line(report: &Report, noun: &str, lang: Lang) -> String {
    let s = &report.summary;
    let (rows, new, updated, unchanged, rejected) = (
        thousands(s.rows),
        thousands(s.inserted),
        thousands(s.updated),
        thousands(s.unchanged),
        thousands(s.rejected),
    );
    let secs = report.elapsed.as_secs_f64();
    if s.dry_run {
        tr!(
            lang,
            "checked {rows} {noun} (dry run, nothing written): {new} new, {updated} to update, {unchanged} unchanged, {rejected} rejected",
            "已检查 {rows} 条{noun}（试运行，未写入）：新增 {new}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}"
        )
    } else if s.rows == 0 {
        tr!(
            lang,
            "no {noun} in the file; nothing imported",
            "文件中没有{noun}数据，未导入"
        )
    } else {
        tr!(
            lang,
            "imported {rows} {noun}: {new} new, {updated} updated, {unchanged} unchanged, {rejected} rejected in {secs:.1} s",
            "已导入 {rows} 条{noun}：新增 {new}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}，用时 {secs:.1} 秒"
        )
    }
}

/// 1234567 -> "1,234,567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
