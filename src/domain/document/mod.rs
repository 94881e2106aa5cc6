//! The documents baton writes for people to read, send or sign, one file each: the
//! handover statement, the customer notice letter, the public contact roster, the paper an
//! ended mediation leaves (调解书 or 调解记录), the self-check report. They take the typed
//! records of their areas and return text; the command decides where it goes. They sit
//! above the areas: an area gives a document its values (e.g.
//! [`crate::domain::notify::Letter`]) and never calls into this module.

pub mod clocks;
pub mod letter;
pub mod mediation;
pub mod roster;
pub mod selfcheck;
pub mod statement;
