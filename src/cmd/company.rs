use anyhow::Result;

use crate::app::Context;
use crate::cli::CompanyCmd;
use crate::domain::company;
use crate::output::Compact;
use crate::tr;

impl CompanyCmd {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        match self {
            CompanyCmd::Add { code, name, short } => {
                let added =
                    ctx.transact(|w| company::add(w, w.stamp(), &code, &name, short.as_deref()))?;
                let code = &added.code;
                ctx.out().changed(
                    &tr!(ctx.lang(), "company {code} added", "已添加公司 {code}"),
                    &added,
                )
            }
            CompanyCmd::List => ctx.out().rows(&company::list(&ctx.conn)?),
            CompanyCmd::Show { code } => ctx.out().record(&company::get(&ctx.conn, &code)?),
        }
    }
}

impl Compact for company::Company {
    const SHEET: (&'static str, &'static str) = ("companies", "公司");
}

/// A list over every company shows its row's compact columns, which name `company` too.
impl<T: Compact> Compact for company::OfCompany<T> {
    const COLUMNS: &'static [&'static str] = T::COLUMNS;
    const SHEET: (&'static str, &'static str) = T::SHEET;
}
