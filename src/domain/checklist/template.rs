//! Checklist templates: TOML files with items grouped in dimensions, each item with a
//! weight, a question and advice in zh and en, and optionally a probe.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Deserialize;

use crate::error::Failure;
use crate::i18n::Lang;

/// The template `checklist run` uses when none is named.
pub const DEFAULT_ID: &str = "core-departure";

const BUILT_IN: &[&str] = &[include_str!(
    "../../../assets/checklists/core-departure.toml"
)];

/// A text in both languages.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub id: String,
    pub title: Text,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub dimension: String,
    pub weight: u8,
    pub question: Text,
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
    title: Text,
    dimensions: Vec<Dimension>,
    items: Vec<toml::Table>,
}

impl Template {
    /// Reads a template; an error names `source`, the item and the field.
    pub fn parse(text: &str, source: &str) -> Result<Template, Failure> {
        let fail = |what: String| {
            Failure::bad_input(format!("template {source}: {what}"))
                .zh(format!("模板 {source}:{what}"))
        };
        let raw: Raw = toml::from_str(text).map_err(|e| fail(e.to_string().trim().into()))?;
        let mut items = Vec::with_capacity(raw.items.len());
        for (n, table) in raw.items.into_iter().enumerate() {
            let name = match table.get("id") {
                Some(toml::Value::String(id)) => id.clone(),
                _ => format!("#{}", n + 1),
            };
            let item = Item::deserialize(toml::Value::Table(table))
                .map_err(|e| fail(format!("item {name}: {}", e.to_string().trim())))?;
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

    fn validate(&self) -> Result<(), String> {
        if !is_name(&self.id, '-') {
            return Err(format!(
                "field `id`: {:?} must be lower-case letters, digits and dashes",
                self.id
            ));
        }
        if self.version == 0 {
            return Err("field `version`: must be 1 or more".into());
        }
        text_filled(&self.title, "field `title`")?;
        if self.dimensions.is_empty() || self.items.is_empty() {
            return Err("a template needs at least one dimension and one item".into());
        }
        let mut dimensions = BTreeSet::new();
        for d in &self.dimensions {
            let at = format!("dimension {:?}", d.id);
            if !is_name(&d.id, '_') || !dimensions.insert(d.id.as_str()) {
                return Err(format!(
                    "{at}: field `id` must be unique, lower-case letters, digits and _"
                ));
            }
            text_filled(&d.title, &format!("{at}: field `title`"))?;
        }
        let mut ids = BTreeSet::new();
        for item in &self.items {
            let at = format!("item {}", item.id);
            let id_ok = !item.id.is_empty()
                && item
                    .id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !id_ok {
                return Err(format!(
                    "item {:?}: field `id` must be letters, digits, - or _",
                    item.id
                ));
            }
            if !ids.insert(item.id.as_str()) {
                return Err(format!("{at}: field `id`: used twice"));
            }
            if !dimensions.contains(item.dimension.as_str()) {
                return Err(format!(
                    "{at}: field `dimension`: {:?} is not one of the template's dimensions ({})",
                    item.dimension,
                    dimensions.iter().copied().collect::<Vec<_>>().join(", ")
                ));
            }
            if !(1..=5).contains(&item.weight) {
                return Err(format!(
                    "{at}: field `weight`: {} is not between 1 and 5",
                    item.weight
                ));
            }
            text_filled(&item.question, &format!("{at}: field `question`"))?;
            text_filled(&item.advice, &format!("{at}: field `advice`"))?;
            if let Some(probe) = &item.probe {
                if !is_name(probe, '_') {
                    return Err(format!(
                        "{at}: field `probe`: {probe:?} must be lower-case letters, digits and _"
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

fn text_filled(text: &Text, at: &str) -> Result<(), String> {
    for (lang, value) in [("zh", &text.zh), ("en", &text.en)] {
        if value.trim().is_empty() {
            return Err(format!("{at}: the {lang} text is empty"));
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
            Failure::bad_input(format!("no checklist template {spec:?}"))
                .zh(format!("没有自查模板 {spec:?}"))
                .hint(format!(
                    "see `baton checklist templates`; custom templates go in {} or are named by path",
                    folder.display()
                ))
                .hint_zh(format!(
                    "用 `baton checklist templates` 查看;自定义模板放在 {} 或以路径指定",
                    folder.display()
                ))
                .into()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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
question = { zh = "问?", en = "Q?" }
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
        assert_eq!(t.items[0].question.get(Lang::Zh), "问?");
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
