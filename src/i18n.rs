//! The two languages of baton's built-in texts.
//!
//! Messages are written with [`tr!`], which takes both texts at the call site, so a message
//! cannot exist in one language only. Table headers come from [`label`].

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The language a locale name such as `zh_CN.UTF-8` asks for, if it is one of ours.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let locale = locale.to_ascii_lowercase();
        if locale.starts_with("zh") {
            Some(Lang::Zh)
        } else if locale.is_empty() || locale == "c" || locale == "posix" {
            None
        } else {
            Some(Lang::En)
        }
    }

    /// `LC_ALL`, then `LANG`, as the C library reads them.
    pub fn from_env() -> Option<Lang> {
        ["LC_ALL", "LANG"]
            .iter()
            .filter_map(|var| std::env::var(var).ok())
            .find_map(|value| Lang::from_locale(&value))
    }
}

/// A text a person reads, in both languages. Errors, hints and labels are built from it, so
/// a text cannot exist in one language only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// Both texts of a message, formatted at the call site: `text!("no {id}", "没有 {id}")`.
#[macro_export]
macro_rules! text {
    ($en:literal, $zh:literal $(,)?) => {
        $crate::i18n::Text::new(format!($en), format!($zh))
    };
}

thread_local! {
    static LABELS: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with enum values serialized as their labels in `lang` (tables people read),
/// instead of the stable English values of JSON and CSV.
pub fn with_labels<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    let before = LABELS.replace(Some(lang));
    let result = f();
    LABELS.set(before);
    result
}

/// The language enum values are serialized in, when inside [`with_labels`].
pub fn labels_lang() -> Option<Lang> {
    LABELS.get()
}

/// Picks the text of the current language: `tr!(lang, "opened {id}", "已创建 {id}")`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $en:literal, $zh:literal $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en),
            $crate::i18n::Lang::Zh => format!($zh),
        }
    };
}

/// Chinese table headers for the field names of JSON and CSV; English headers are the field
/// names themselves, the same as the CSV headers. Import accepts both.
pub const ZH_LABELS: &[(&str, &str)] = &[
    ("accept_due", "受理时限"),
    ("accept_met_rate", "受理达标率"),
    ("accepted_at", "受理时间"),
    ("ack_at", "确认时间"),
    ("action", "操作"),
    ("active_incentives", "有效激励"),
    ("active_violations", "有效违规记录"),
    ("actor", "操作人"),
    ("added_at", "添加时间"),
    ("advice", "建议"),
    ("after", "之后"),
    ("answer", "回答"),
    ("answered", "已答"),
    ("applies_to", "适用对象"),
    ("assignee", "接手人"),
    ("assignee_name", "接手人姓名"),
    ("at", "时间"),
    ("at_risk_customers", "风险客户"),
    ("attention", "内部关注"),
    ("authority", "决定机关"),
    ("backup", "备份联系人"),
    ("backup_name", "备份联系人姓名"),
    ("band", "等级"),
    ("bar", "图示"),
    ("basis", "合法性基础"),
    ("before", "之前"),
    ("breakdown", "得分明细"),
    ("by_category", "按类别"),
    ("by_complainant_kind", "按投诉人类型"),
    ("by_hours", "相差小时"),
    ("by_outcome", "按结果"),
    ("bytes", "字节"),
    ("category", "类别"),
    ("change", "变化"),
    ("changed_at", "变更时间"),
    ("channel", "渠道"),
    ("checklist", "自查"),
    ("checklist_score", "自查得分"),
    ("close_reason", "关闭原因"),
    ("closed", "已关闭"),
    ("closed_at", "关闭时间"),
    ("code", "代码"),
    ("company", "公司"),
    ("company_name", "公司名称"),
    ("complainant", "投诉人"),
    ("complainant_kind", "投诉人类型"),
    ("complaint", "投诉"),
    ("complaints", "投诉（未结）"),
    ("complaints_open", "未结投诉"),
    ("complaints_overdue", "超时投诉"),
    ("conditions", "修复条件"),
    ("confidential", "保密信息"),
    ("contact", "联系人"),
    ("core", "核心"),
    ("core_employees", "核心员工"),
    ("count", "数量"),
    ("created", "新建"),
    ("created_at", "创建时间"),
    ("credit", "信用"),
    ("credit_score", "信用分"),
    ("customer", "客户"),
    ("customer_name", "客户名称"),
    ("customers", "客户数"),
    ("customers_backed", "任备份联系人的客户数"),
    ("customers_owned", "负责客户数"),
    ("date", "日期"),
    ("days", "日期明细"),
    ("days_off", "放假天数"),
    ("decided_on", "决定日期"),
    ("decision_no", "决定书文号"),
    ("description", "说明"),
    ("detail", "详情"),
    ("dimension", "维度"),
    ("dimensions", "维度得分"),
    ("done_at", "完成时间"),
    ("dry_run", "试运行"),
    ("due", "时限"),
    ("due_on", "截止日期"),
    ("earned", "实得分"),
    ("effective_on", "生效日期"),
    ("email", "邮箱"),
    ("employee", "员工"),
    ("employee_name", "员工姓名"),
    ("employees", "员工数"),
    ("entity", "对象"),
    ("entity_id", "对象编号"),
    ("events", "处理记录"),
    ("evidence", "证据"),
    ("expires_on", "失效日期"),
    ("extension_reason", "延长核查理由"),
    ("feedback_at", "反馈时间"),
    ("feedback_due", "反馈时限"),
    ("feedback_met_rate", "反馈达标率"),
    ("file_name", "文件名"),
    ("from", "原负责人"),
    ("gaps", "差距与整改建议"),
    ("group", "分组"),
    ("handover", "交接"),
    ("handovers", "交接（进行中）"),
    ("held_at", "中止时间"),
    ("history", "变更记录"),
    ("hold_hours", "中止小时数"),
    ("holds", "中止记录"),
    ("honoured", "守信"),
    ("id", "编号"),
    ("id_number", "身份证号"),
    ("imported_at", "导入时间"),
    ("incentives", "守信记录"),
    ("inform_due", "告知时限"),
    ("inform_met_rate", "告知达标率"),
    ("informed_at", "告知时间"),
    ("inserted", "新增"),
    ("item", "条目"),
    ("items", "条目清单"),
    ("items_open", "未完成条目"),
    ("items_overdue", "逾期条目"),
    ("items_total", "条目总数"),
    ("kind", "类型"),
    ("late", "逾期"),
    ("leaving", "离职中"),
    ("leaving_on", "离职日期"),
    ("left_on", "离职完成日期"),
    ("linked_to_handover", "关联交接"),
    ("lost", "失分"),
    ("median_accept_hours", "受理用时中位数（小时）"),
    ("median_feedback_hours", "反馈用时中位数（小时）"),
    ("median_resolve_days", "办结用时中位数（天）"),
    ("median_resolve_hours", "办结用时中位数（小时）"),
    ("moved", "变动的时限"),
    ("name", "名称"),
    ("nda", "保密协议"),
    ("new_contact", "新对接人"),
    ("noncompete_until", "竞业限制至"),
    ("note", "备注"),
    ("notices", "客户告知"),
    ("notices_due", "待发告知"),
    ("notices_late", "逾期告知"),
    ("notices_sent", "已发告知"),
    ("notices_total", "告知总数"),
    ("occurred_on", "发生日期"),
    ("official", "官方名单"),
    ("old_contact", "原对接人"),
    ("on_hold_since", "中止起始"),
    ("open", "未结"),
    ("open_handovers", "进行中交接"),
    ("open_items", "未完成事项"),
    ("opened", "新开"),
    ("opened_at", "发起时间"),
    ("origin", "来源类型"),
    ("outcome", "结果"),
    ("overdue", "超时"),
    ("overdue_items", "逾期事项"),
    ("owner", "负责人"),
    ("owner_name", "负责人姓名"),
    ("paper", "调解文书"),
    ("penalty_no", "处罚决定书文号"),
    ("phone", "电话"),
    ("points", "分值"),
    ("possible", "可得分"),
    ("probe", "数据探针"),
    ("provisional", "暂定年份"),
    ("publish_consent_on", "同意公示日期"),
    ("question", "问题"),
    ("reason", "原因"),
    ("received_at", "收到时间"),
    ("records", "记录数"),
    ("ref", "关联编号"),
    ("refs", "依据"),
    ("reject_ground", "不予受理情形"),
    ("rejected", "不予受理"),
    ("rejected_at", "不予受理时间"),
    ("replaces", "接替"),
    ("reporter", "举报人"),
    ("reports", "举报"),
    ("resolve_due", "办结时限"),
    ("resolve_met_rate", "办结达标率"),
    ("resolved", "已办结"),
    ("resolved_at", "办结时间"),
    ("result", "结果判定"),
    ("resumed_at", "恢复时间"),
    ("risk", "风险"),
    ("role", "岗位"),
    ("rows", "行数"),
    ("score", "得分"),
    ("sector", "领域"),
    ("send_by", "最迟发送"),
    ("sent_at", "发送时间"),
    ("severity", "严重程度"),
    ("sha256", "SHA-256"),
    ("short_name", "简称"),
    ("since", "合作起始"),
    ("skipped", "跳过"),
    ("source", "来源"),
    ("stage", "时限环节"),
    ("stages", "时限情况"),
    ("standing", "官方/暂定"),
    ("started_at", "开始时间"),
    ("status", "状态"),
    ("subject", "主体"),
    ("subject_kind", "主体类型"),
    ("subject_name", "主体名称"),
    ("successor", "接任人"),
    ("successor_name", "接任人姓名"),
    ("summary", "摘要"),
    ("template", "模板"),
    ("terms", "协议内容"),
    ("tier", "客户等级"),
    ("title", "标题"),
    ("to", "新负责人"),
    ("total", "总数"),
    ("unchanged", "未变"),
    ("updated", "更新"),
    ("validity_years", "有效年限"),
    ("version", "版本"),
    ("violations", "违规记录"),
    ("watch", "关注"),
    ("weekday", "星期"),
    ("weight", "权重"),
    ("workdays", "调休上班天数"),
    ("year", "年份"),
];

/// The table header for a field in `lang`.
pub fn label(field: &str, lang: Lang) -> &str {
    match lang {
        Lang::En => field,
        Lang::Zh => ZH_LABELS
            .binary_search_by(|(key, _)| key.cmp(&field))
            .map(|i| ZH_LABELS[i].1)
            .unwrap_or(field),
    }
}

/// Other Chinese headers an import reads: the ones clerks' sheets use for a row's company.
const ZH_ALIASES: &[(&str, &str)] = &[("company", "企业名称"), ("company", "统一社会信用代码")];

/// The field a header names, in either language (for imports of Excel sheets).
pub fn field_of(header: &str) -> &str {
    ZH_LABELS
        .iter()
        .chain(ZH_ALIASES)
        .find(|(_, zh)| *zh == header)
        .map(|(field, _)| *field)
        .unwrap_or(header)
}

/// A date as a letter writes it: 2026年2月28日, 28 February 2026.
pub fn long_date(date: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    let (y, m, d) = (date.year(), date.month(), date.day());
    match lang {
        Lang::Zh => format!("{y}年{m}月{d}日"),
        Lang::En => format!("{d} {} {y}", date.format("%B")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_dates_read_as_letters_write_them() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        assert_eq!(long_date(day, Lang::Zh), "2026年2月28日");
        assert_eq!(long_date(day, Lang::En), "28 February 2026");
    }

    #[test]
    fn labels_are_sorted_unique_and_translated() {
        for pair in ZH_LABELS.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{:?} must come before {:?}",
                pair[0],
                pair[1]
            );
        }
        let mut zh: Vec<&str> = ZH_LABELS.iter().map(|(_, zh)| *zh).collect();
        zh.sort_unstable();
        let before = zh.len();
        zh.dedup();
        assert_eq!(zh.len(), before, "two fields share a Chinese label");
    }

    #[test]
    fn labels_round_trip() {
        assert_eq!(label("owner", Lang::Zh), "负责人");
        assert_eq!(label("owner", Lang::En), "owner");
        assert_eq!(field_of("负责人"), "owner");
        assert_eq!(field_of("owner"), "owner");
        assert_eq!(field_of("统一社会信用代码"), "company");
        assert_eq!(field_of("企业名称"), "company");
    }

    #[test]
    fn locales() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_locale("C"), None);
    }
}

#[cfg(test)]
mod punctuation;
