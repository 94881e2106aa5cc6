//! Checklist templates: TOML files with items grouped in dimensions, each item with a
//! weight, a question and advice in zh and en, and optionally a probe.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Deserialize;

use crate::error::Failure;
use crate::i18n::Text;
use crate::{bad_input, text};

/// The template `checklist run` uses when none is named.
pub const DEFAULT_ID: &str = "core-departure";

const BUILT_IN: &[&str] = &[include_str!(
    "../../../assets/checklists/core-departure.toml"
)];

/// A text of the template file: `{ zh = "...", en = "..." }`, both required.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bilingual {
    zh: String,
    en: String,
}

/// Reads a [`Bilingual`] field as a [`Text`].
fn bilingual<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
    let Bilingual { zh, en } = Bilingual::deserialize(d)?;
    Ok(Text { en, zh })
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub id: String,
    #[serde(deserialize_with = "bilingual")]
    pub title: Text,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub dimension: String,
    pub weight: u8,
    #[serde(deserialize_with = "bilingual")]
    pub question: Text,
    #[serde(deserialize_with = "bilingual")]
    pub advice: Text,
    /// The probe that answers this item from the data, by name.
    #[serde(default)]
    pub probe: Option<String>,
    /// The seed section or the law the advice rests on.
    #[serde(default)]
    pub refs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub id: String,
    pub version: u32,
    pub title: Text,
    pub dimensions: Vec<Dimension>,
    pub items: Vec<Item>,
    /// Where it came from: `built-in` or the file's path.
    pub source: String,
}

/// The file as written, before each item is read on its own (so that an error names it).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: String,
    version: u32,
    #[serde(deserialize_with = "bilingual")]
    title: Text,
    dimensions: Vec<Dimension>,
    items: Vec<toml::Table>,
}

impl Template {
    /// Reads a template; an error names `source`, the item and the field.
    pub fn parse(text: &str, source: &str) -> Result<Template, Failure> {
        let fail = |what: Text| {
            let Text { en, zh } = what;
            bad_input!("template {source}: {en}", "模板 {source}：{zh}")
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let what = e.to_string().trim().to_string();
            fail(Text::new(what.clone(), what))
        })?;
        let mut items = Vec::with_capacity(raw.items.len());
        for (n, table) in raw.items.into_iter().enumerate() {
            let name = match table.get("id") {
                Some(toml::Value::String(id)) => id.clone(),
                _ => format!("#{}", n + 1),
            };
            let item = Item::deserialize(toml::Value::Table(table)).map_err(|e| {
                let what = e.to_string().trim().to_string();
                fail(text!("item {name}: {what}", "条目 {name}：{what}"))
            })?;
            items.push(item);
        }
        let template = Template {
            id: raw.id,
            version: raw.version,
            title: raw.title,
            dimensions: raw.dimensions,
            items,
            source: source.to_string(),
        };
        template.validate().map_err(fail)?;
        Ok(template)
    }

    /// What is wrong with a template that reads, naming the dimension or item and the field.
    fn validate(&self) -> Result<(), Text> {
        let id = &self.id;
        if !is_name(id, '-') {
            return Err(text!(
                "field `id`: {id:?} must be lower-case letters, digits and dashes",
                "字段 `id`：{id:?} 只能由小写字母、数字和短横线组成"
            ));
        }
        if self.version == 0 {
            return Err(text!(
                "field `version`: must be 1 or more",
                "字段 `version`：须为 1 或更大"
            ));
        }
        text_filled(&self.title, text!("field `title`", "字段 `title`"))?;
        if self.dimensions.is_empty() || self.items.is_empty() {
            return Err(text!(
                "a template needs at least one dimension and one item",
                "模板至少需要一个维度和一个条目"
            ));
        }
        let mut dimensions = BTreeSet::new();
        for d in &self.dimensions {
            let id = &d.id;
            if !is_name(id, '_') || !dimensions.insert(id.as_str()) {
                return Err(text!(
                    "dimension {id:?}: field `id` must be unique, lower-case letters, digits and _",
                    "维度 {id:?}：字段 `id` 须唯一，且只能由小写字母、数字和 _ 组成"
                ));
            }
            let at = text!(
                "dimension {id:?}: field `title`",
                "维度 {id:?}：字段 `title`"
            );
            text_filled(&d.title, at)?;
        }
        let mut ids = BTreeSet::new();
        for item in &self.items {
            let id = &item.id;
            let id_ok = !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !id_ok {
                return Err(text!(
                    "item {id:?}: field `id` must be letters, digits, - or _",
                    "条目 {id:?}：字段 `id` 只能由字母、数字、- 或 _ 组成"
                ));
            }
            if !ids.insert(id.as_str()) {
                return Err(text!(
                    "item {id}: field `id`: used twice",
                    "条目 {id}：字段 `id`：重复使用"
                ));
            }
            if !dimensions.contains(item.dimension.as_str()) {
                let dimension = &item.dimension;
                let known = dimensions.iter().copied().collect::<Vec<_>>();
                let (known, known_zh) = (known.join(", "), known.join("、"));
                return Err(text!(
                    "item {id}: field `dimension`: {dimension:?} is not one of the template's dimensions ({known})",
                    "条目 {id}：字段 `dimension`：{dimension:?} 不是模板中的维度（{known_zh}）"
                ));
            }
            let weight = item.weight;
            if !(1..=5).contains(&weight) {
                return Err(text!(
                    "item {id}: field `weight`: {weight} is not between 1 and 5",
                    "条目 {id}：字段 `weight`：{weight} 不在 1 到 5 之间"
                ));
            }
            let at = text!("item {id}: field `question`", "条目 {id}：字段 `question`");
            text_filled(&item.question, at)?;
            let at = text!("item {id}: field `advice`", "条目 {id}：字段 `advice`");
            text_filled(&item.advice, at)?;
            if let Some(probe) = &item.probe {
                if !is_name(probe, '_') {
                    return Err(text!(
                        "item {id}: field `probe`: {probe:?} must be lower-case letters, digits and _",
                        "条目 {id}：字段 `probe`：{probe:?} 只能由小写字母、数字和 _ 组成"
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.id == id)
    }
}

fn is_name(text: &str, separator: char) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == separator)
}

/// Both texts of a template field are written; `at` names the field.
fn text_filled(text: &Text, at: Text) -> Result<(), Text> {
    for (lang, value) in [("zh", &text.zh), ("en", &text.en)] {
        if value.trim().is_empty() {
            let Text { en, zh } = at;
            return Err(text!(
                "{en}: the {lang} text is empty",
                "{zh}：{lang} 文本为空"
            ));
        }
    }
    Ok(())
}

fn all_built_in() -> Result<Vec<Template>> {
    BUILT_IN
        .iter()
        .map(|text| Ok(Template::parse(text, "built-in")?))
        .collect()
}

/// The built-in template with this id.
pub fn built_in(id: &str) -> Result<Template> {
    all_built_in()?
        .into_iter()
        .find(|t| t.id == id)
        .with_context(|| format!("no built-in checklist template {id:?}"))
}

fn from_file(path: &Path) -> Result<Template> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the template {}", path.display()))?;
    Ok(Template::parse(&text, &path.display().to_string())?)
}

/// The templates of the folder (`checklists/` next to the config file), by file name.
fn from_folder(folder: &Path) -> Result<Vec<Template>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", folder.display())),
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("cannot read {}", folder.display()))?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file());
    paths.sort();
    paths.iter().map(|p| from_file(p)).collect()
}

/// Every template on offer: the folder's first, then the built-in ones they do not replace.
pub fn available(folder: &Path) -> Result<Vec<Template>> {
    let mut all = from_folder(folder)?;
    for template in all_built_in()? {
        if !all.iter().any(|t| t.id == template.id) {
            all.push(template);
        }
    }
    Ok(all)
}

/// The template `--template SPEC` names: a file path, or an id from the folder or built in.
pub fn resolve(spec: Option<&str>, folder: &Path) -> Result<Template> {
    let spec = spec.map(str::trim).unwrap_or(DEFAULT_ID);
    let path = Path::new(spec);
    if path.is_file() {
        return from_file(path);
    }
    available(folder)?
        .into_iter()
        .find(|t| t.id == spec)
        .ok_or_else(|| {
            let folder = folder.display();
            bad_input!(
                "no checklist template {spec:?}",
                "没有自查模板 {spec:?}"
            )
            .hint(text!(
                "see `baton checklist templates`; custom templates go in {folder} or are named by path",
                "用 `baton checklist templates` 查看；自定义模板放在 {folder} 或以路径指定"
            ))
                .into()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    const MINIMAL: &str = r#"
id = "mini"
version = 1
title.zh = "小"
title.en = "Mini"
[[dimensions]]
id = "prevention"
title = { zh = "预警", en = "Prevention" }
[[items]]
id = "P1"
dimension = "prevention"
weight = 3
question = { zh = "问？", en = "Q?" }
advice = { zh = "做", en = "Do" }
"#;

    fn error_of(text: &str) -> String {
        Template::parse(text, "t.toml").unwrap_err().message.en
    }

    #[test]
    fn the_built_in_template_is_valid_and_covers_the_five_dimensions() {
        let t = built_in(DEFAULT_ID).unwrap();
        assert_eq!(t.id, DEFAULT_ID);
        assert!(t.items.len() >= 25, "{}", t.items.len());
        for d in &t.dimensions {
            let n = t.items.iter().filter(|i| i.dimension == d.id).count();
            assert!(n >= 4, "dimension {} has {n} items", d.id);
        }
        assert_eq!(t.dimensions.len(), 5);
        assert!(t.items.iter().all(|i| !i.refs.is_empty()));
    }

    #[test]
    fn a_minimal_template_reads() {
        let t = Template::parse(MINIMAL, "t.toml").unwrap();
        assert_eq!(t.items[0].weight, 3);
        assert_eq!(t.items[0].question.get(Lang::Zh), "问？");
        assert_eq!(t.items[0].probe, None);
    }

    #[test]
    fn errors_name_the_file_the_item_and_the_field() {
        let err = error_of(&MINIMAL.replace("weight = 3", "weight = 9"));
        assert!(
            err.contains("t.toml") && err.contains("item P1") && err.contains("`weight`"),
            "{err}"
        );
        let err = error_of(&MINIMAL.replace("weight = 3\n", ""));
        assert!(err.contains("item P1") && err.contains("weight"), "{err}");
        let err = error_of(&MINIMAL.replace("weight = 3", "wieght = 3"));
        assert!(err.contains("item P1") && err.contains("wieght"), "{err}");
        let err = error_of(&MINIMAL.replace("dimension = \"prevention\"", "dimension = \"x\""));
        assert!(
            err.contains("`dimension`") && err.contains("\"x\""),
            "{err}"
        );
        let err = error_of(&MINIMAL.replace("advice = { zh = \"做\"", "advice = { zh = \" \""));
        assert!(err.contains("`advice`") && err.contains("zh"), "{err}");
        let err = error_of(&MINIMAL.replace("version = 1", "version = \"one\""));
        assert!(err.contains("t.toml") && err.contains("version"), "{err}");
        let twice = format!(
            "{MINIMAL}{}",
            &MINIMAL[MINIMAL.find("[[items]]").unwrap()..]
        );
        assert!(error_of(&twice).contains("used twice"));
    }

    proptest::proptest! {
        #[test]
        fn no_template_text_panics(text in "\\PC*") {
            let _ = Template::parse(&text, "t.toml");
        }

        #[test]
        fn no_changed_line_of_a_valid_template_panics(line in 0..20usize, with in "\\PC{0,20}") {
            let mut lines: Vec<String> = MINIMAL.lines().map(str::to_string).collect();
            let at = line % lines.len();
            lines[at] = with;
            let _ = Template::parse(&lines.join("\n"), "t.toml");
        }
    }
}
