//! The few errors that callers branch on: each maps to an exit code.

use std::fmt;

use crate::i18n::{Lang, Text};

/// Why a command was refused; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Wrong use of the command line (exit 2).
    Usage,
    /// A rule refused the change: invalid state change, open blockers (exit 3).
    Refused,
    /// Bad input data: validation, unknown reference, import errors (exit 4).
    BadInput,
    /// Done in part: an import with `--on-error skip` left bad rows out (exit 5).
    Partial,
}

/// An error with a kind (for the exit code), a message and an optional hint, each in both
/// languages (`main` prints the language of the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: Kind,
    pub message: Text,
    pub hint: Option<Text>,
    /// The field of the record the failure is about, when one is (imports name the column).
    pub field: Option<&'static str>,
}

impl Failure {
    pub fn usage(message: Text) -> Self {
        Self::new(Kind::Usage, message)
    }

    pub fn refused(message: Text) -> Self {
        Self::new(Kind::Refused, message)
    }

    pub fn bad_input(message: Text) -> Self {
        Self::new(Kind::BadInput, message)
    }

    pub fn partial(message: Text) -> Self {
        Self::new(Kind::Partial, message)
    }

    fn new(kind: Kind, message: Text) -> Self {
        Failure {
            kind,
            message,
            hint: None,
            field: None,
        }
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        self.message.get(lang)
    }

    /// The hint in `lang`.
    pub fn hint_in(&self, lang: Lang) -> Option<&str> {
        self.hint.as_ref().map(|hint| hint.get(lang))
    }

    /// Adds the line printed after the error as `hint: ...`.
    pub fn hint(mut self, hint: Text) -> Self {
        self.hint = Some(hint);
        self
    }

    /// Puts `context` before the message, in both languages (`config.toml: ...`).
    pub fn within(mut self, context: Text) -> Self {
        self.message = Text::new(
            format!("{}: {}", context.en, self.message.en),
            format!("{}:{}", context.zh, self.message.zh),
        );
        self
    }

    /// Names the field the failure is about.
    pub fn field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Usage => 2,
            Kind::Refused => 3,
            Kind::BadInput => 4,
            Kind::Partial => 5,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message.en)
    }
}

impl std::error::Error for Failure {}

/// Names the field a `Failure` inside `err` is about; other errors pass unchanged.
pub fn in_field(err: anyhow::Error, field: &'static str) -> anyhow::Error {
    match err.downcast::<Failure>() {
        Ok(failure) => failure.field(field).into(),
        Err(other) => other,
    }
}

/// A `BadInput` failure with both texts: `bad_input!("no complaint {id}", "没有投诉 {id}")`.
#[macro_export]
macro_rules! bad_input {
    ($en:literal, $zh:literal $(,)?) => {
        $crate::error::Failure::bad_input($crate::text!($en, $zh))
    };
}

/// A `Refused` failure with both texts.
#[macro_export]
macro_rules! refused {
    ($en:literal, $zh:literal $(,)?) => {
        $crate::error::Failure::refused($crate::text!($en, $zh))
    };
}
