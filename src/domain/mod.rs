//! The rules and the SQL of each area. A domain function takes a connection or a
//! transaction, returns typed rows and prints nothing.

pub mod calendar;
pub mod checklist;
pub mod company;
pub mod complaint;
pub mod credit;
pub mod customer;
pub mod demo;
pub mod departure;
pub mod document;
pub mod employee;
pub mod evidence;
pub mod handover;
pub mod notify;
pub mod report;
pub mod status;

/// An enum stored as text (with a CHECK constraint in the schema), parsed from the command
/// line, CSV and JSON, and written back as the same text; each value has a label in both
/// languages.
///
/// `text_enum! { "role" / "岗位": pub enum Role { Sales = "sales" / "销售", Rnd = "rnd" / "研发" } }`
/// gives `as_str`, `label`, `FromStr` (the value or its Chinese label; a bad value is
/// `BadInput` listing the valid ones), `Display`, serde (labels inside
/// [`crate::i18n::with_labels`]), clap's `ValueEnum` (Chinese labels as aliases) and
/// rusqlite's `ToSql`/`FromSql`. `Default` is the first variant; it only serves to name the
/// columns of an empty list.
#[macro_export]
macro_rules! text_enum {
    ($noun:literal / $noun_zh:literal: $(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $text:literal / $zh:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
        $vis enum $name {
            #[default]
            $($(#[$vmeta])* #[value(name = $text, alias = $zh)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// What the value is called in `lang`.
            pub fn label(self, lang: $crate::i18n::Lang) -> &'static str {
                match (lang, self) {
                    ($crate::i18n::Lang::En, _) => self.as_str(),
                    $(($crate::i18n::Lang::Zh, $name::$variant) => $zh),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::Failure;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let s = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s || v.label($crate::i18n::Lang::Zh) == s)
                    .ok_or_else(|| {
                        let valid: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        let valid_zh: Vec<String> = $name::ALL
                            .iter()
                            .map(|v| format!("{}({})", v.label($crate::i18n::Lang::Zh), v.as_str()))
                            .collect();
                        $crate::error::Failure::bad_input($crate::i18n::Text::new(
                            format!("invalid {} {:?}: expected one of {}", $noun, s, valid.join(", ")),
                            format!("无效的{} {:?}：应为 {} 之一", $noun_zh, s, valid_zh.join("、")),
                        ))
                        .hint($crate::i18n::Text::new(
                            format!("use one of: {}", valid.join(", ")),
                            format!("可用的值：{}", valid_zh.join("、")),
                        ))
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match $crate::i18n::labels_lang() {
                    Some(lang) => s.serialize_str(self.label(lang)),
                    None => s.serialize_str(self.as_str()),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                value
                    .as_str()?
                    .parse()
                    .map_err(|e: $crate::error::Failure| rusqlite::types::FromSqlError::Other(e.into()))
            }
        }
    };
}

/// A change to an optional field: `None` keeps it, `Some(None)` clears it.
pub type Patch<T> = Option<Option<T>>;

/// A new value of an optional field checked by `validate` (e.g. `ids::validate_phone`);
/// the failure names `field`.
pub fn validated(
    value: Option<&str>,
    field: &'static str,
    validate: fn(&str) -> Result<String, crate::error::Failure>,
) -> Result<Option<String>, crate::error::Failure> {
    value.map(validate).transpose().map_err(|e| e.field(field))
}

/// `value` without white space around it, in its own buffer when it had none.
fn trimmed(value: String) -> String {
    match value.trim() {
        kept if kept.len() == value.len() => value,
        cut => cut.to_string(),
    }
}

/// A stored instant (RFC 3339 UTC) in the local form of JSON and CSV fields.
fn local_instant(stored: Option<String>) -> Option<String> {
    stored.map(crate::time::stored_to_local)
}

/// The local date of a stamp: "today" for the command that carries it.
fn today_of(stamp: &crate::audit::Stamp) -> chrono::NaiveDate {
    crate::time::Clock::fixed(stamp.at).today()
}
