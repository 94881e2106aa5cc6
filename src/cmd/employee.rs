use anyhow::Result;

use super::{date_patch, text_patch};
use crate::app::Context;
use crate::cli::{EmployeeCmd, EmployeeFields};
use crate::domain::company::OfCompany;
use crate::domain::employee::{self, EmployeePatch, Filter};
use crate::output::Compact;
use crate::time::Clock;
use crate::tr;

impl EmployeeFields {
    fn into_patch(self, clock: &Clock) -> Result<EmployeePatch> {
        Ok(EmployeePatch {
            core: self.core,
            phone: text_patch(self.phone),
            email: text_patch(self.email),
            nda: self.nda,
            noncompete_until: date_patch(self.noncompete_until.as_deref(), clock)?,
            publish_consent_on: date_patch(self.publish_consent.as_deref(), clock)?,
            ..EmployeePatch::default()
        })
    }
}

impl EmployeeCmd {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let company = match ctx.company_scope()? {
            Some(company) => company,
            None => match self {
                EmployeeCmd::List { core, status } => {
                    let mut list = ctx.out().list::<OfCompany<employee::Employee>>()?;
                    employee::list_all(&ctx.conn, &Filter { core, status }, |e| list.push(&e))?;
                    return list.finish();
                }
                _ => ctx.company()?,
            },
        };
        match self {
            EmployeeCmd::Add {
                id,
                name,
                role,
                fields,
            } => {
                let patch = EmployeePatch {
                    name: Some(name),
                    role: Some(role),
                    ..fields.into_patch(&ctx.settings.clock)?
                };
                let added =
                    ctx.transact(|w| employee::add(w, w.stamp(), company.id, &id, &patch))?;
                let (id, name) = (&added.id, &added.name);
                ctx.out().changed(
                    &tr!(
                        ctx.lang(),
                        "employee {id} ({name}) added",
                        "已添加员工 {id}（{name}）"
                    ),
                    &added,
                )
            }
            EmployeeCmd::Update {
                id,
                name,
                role,
                fields,
            } => {
                let patch = EmployeePatch {
                    name,
                    role,
                    ..fields.into_patch(&ctx.settings.clock)?
                };
                let updated =
                    ctx.transact(|w| employee::update(w, w.stamp(), company.id, &id, &patch))?;
                let id = &updated.id;
                ctx.out().changed(
                    &tr!(ctx.lang(), "employee {id} updated", "已更新员工 {id}"),
                    &updated,
                )
            }
            EmployeeCmd::List { core, status } => {
                let mut list = ctx.out().list::<employee::Employee>()?;
                employee::list(&ctx.conn, company.id, &Filter { core, status }, |e| {
                    list.push(&e)
                })?;
                list.finish()
            }
            EmployeeCmd::Show { id } => {
                ctx.out().record(&employee::show(&ctx.conn, &company, &id)?)
            }
        }
    }
}

impl Compact for employee::Employee {
    const SHEET: (&'static str, &'static str) = ("employees", "员工");
    const COLUMNS: &'static [&'static str] = &[
        "company",
        "id",
        "name",
        "role",
        "core",
        "status",
        "leaving_on",
    ];
}
