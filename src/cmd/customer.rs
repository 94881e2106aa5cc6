use anyhow::Result;

use super::{date_patch, text_patch};
use crate::app::Context;
use crate::cli::{CustomerCmd, CustomerFields};
use crate::domain::company::OfCompany;
use crate::domain::customer::{self, CustomerPatch, Filter};
use crate::output::Compact;
use crate::time::Clock;
use crate::tr;

impl CustomerFields {
    fn into_patch(self, clock: &Clock) -> Result<CustomerPatch> {
        Ok(CustomerPatch {
            backup: text_patch(self.backup),
            contact: text_patch(self.contact),
            phone: text_patch(self.phone),
            email: text_patch(self.email),
            confidential: text_patch(self.confidential),
            since: date_patch(self.since.as_deref(), clock)?,
            status: self.status,
            ..CustomerPatch::default()
        })
    }
}

impl CustomerCmd {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let company = match ctx.company_scope()? {
            Some(company) => company,
            None => match self {
                CustomerCmd::List {
                    owner: None,
                    tier,
                    at_risk: false,
                } => {
                    let mut list = ctx.out().list::<OfCompany<customer::Customer>>()?;
                    customer::list_all(&ctx.conn, tier, |c| list.push(c))?;
                    return list.finish();
                }
                _ => ctx.company()?,
            },
        };
        match self {
            CustomerCmd::Add {
                id,
                name,
                tier,
                owner,
                fields,
            } => {
                let patch = CustomerPatch {
                    name: Some(name),
                    tier: Some(tier),
                    owner: Some(owner),
                    ..fields.into_patch(&ctx.settings.clock)?
                };
                let added =
                    ctx.transact(|w| customer::add(w, w.stamp(), company.id, &id, &patch))?;
                let (id, name) = (&added.id, &added.name);
                ctx.out().changed(
                    &tr!(
                        ctx.lang(),
                        "customer {id} ({name}) added",
                        "已添加客户 {id}（{name}）"
                    ),
                    &added,
                )
            }
            CustomerCmd::Update {
                id,
                name,
                tier,
                owner,
                fields,
            } => {
                let patch = CustomerPatch {
                    name,
                    tier,
                    owner,
                    ..fields.into_patch(&ctx.settings.clock)?
                };
                let updated =
                    ctx.transact(|w| customer::update(w, w.stamp(), company.id, &id, &patch))?;
                let id = &updated.id;
                ctx.out().changed(
                    &tr!(ctx.lang(), "customer {id} updated", "已更新客户 {id}"),
                    &updated,
                )
            }
            CustomerCmd::List { at_risk: true, .. } => {
                let mut list = ctx.out().list::<customer::AtRisk>()?;
                customer::at_risk(&ctx.conn, company.id, |c| list.push(&c))?;
                list.finish()
            }
            CustomerCmd::List {
                owner,
                tier,
                at_risk: false,
            } => {
                let mut list = ctx.out().list::<customer::Customer>()?;
                customer::list(&ctx.conn, company.id, &Filter { owner, tier }, |c| {
                    list.push(c)
                })?;
                list.finish()
            }
            CustomerCmd::Show { id } => {
                let reveal = ctx.out().reveal;
                ctx.out()
                    .record(&customer::show(&ctx.conn, &company, &id, reveal)?)
            }
        }
    }
}

impl Compact for customer::Customer {
    const SHEET: (&'static str, &'static str) = ("customers", "客户");
    const COLUMNS: &'static [&'static str] =
        &["company", "id", "name", "tier", "owner", "backup", "status"];
}

impl Compact for customer::AtRisk {
    const SHEET: (&'static str, &'static str) = ("customers at risk", "风险客户");
    const COLUMNS: &'static [&'static str] = &[
        "company", "id", "name", "tier", "owner", "backup", "status", "risk",
    ];
}
