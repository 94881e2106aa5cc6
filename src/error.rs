//! The few errors that callers branch on: each maps to an exit code.

use std::fmt;

use crate::i18n::Lang;

/// Why a command was refused; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Wrong use of the command line (exit 2).
    Usage,
    /// A rule refused the change: invalid state change, open blockers (exit 3).
    Refused,
    /// Bad input data: validation, unknown reference, import errors (exit 4).
    BadInput,
}

/// An error with a kind (for the exit code), a message and an optional hint, in English and,
/// where given, in Chinese (`main` prints the language of the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
    pub message_zh: Option<String>,
    pub hint_zh: Option<String>,
    /// The field of the record the failure is about, when one is (imports name the column).
    pub field: Option<&'static str>,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }

    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(Kind::Refused, message)
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(Kind::BadInput, message)
    }

    fn new(kind: Kind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            hint: None,
            field: None,
            message_zh: None,
            hint_zh: None,
        }
    }

    /// The message in Chinese.
    pub fn zh(mut self, message: impl Into<String>) -> Self {
        self.message_zh = Some(message.into());
        self
    }

    /// The hint in Chinese.
    pub fn hint_zh(mut self, hint: impl Into<String>) -> Self {
        self.hint_zh = Some(hint.into());
        self
    }

    /// The message in `lang`, English where no Chinese was given.
    pub fn message_in(&self, lang: Lang) -> &str {
        match (lang, &self.message_zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.message,
        }
    }

    /// The hint in `lang`, English where no Chinese was given.
    pub fn hint_in(&self, lang: Lang) -> Option<&str> {
        match (lang, &self.hint_zh) {
            (Lang::Zh, Some(zh)) => Some(zh),
            _ => self.hint.as_deref(),
        }
    }

    /// Adds the line printed after the error as `hint: ...`.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
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
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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

/// Shorthand for `Err(Failure::bad_input(..).into())`-style early returns.
#[macro_export]
macro_rules! bad_input {
    ($($arg:tt)*) => { $crate::error::Failure::bad_input(format!($($arg)*)) };
}

#[macro_export]
macro_rules! refused {
    ($($arg:tt)*) => { $crate::error::Failure::refused(format!($($arg)*)) };
}
