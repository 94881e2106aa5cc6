//! baton's integration tests: one binary (one link instead of one per file), a module per
//! area, each driving the real binary through `util::TestEnv`.

mod agency;
mod audit_chain;
mod calendar;
mod checklist;
mod complaint;
mod complaint_rules;
mod corpus;
mod credit;
mod credit_law;
mod documents;
mod examples;
mod export;
mod foundation;
mod handover;
mod help;
mod hostile_faults;
mod hostile_files;
mod hostile_input;
mod hostile_limits;
mod hostile_output;
mod import;
mod letters;
mod notify;
mod print;
mod privacy;
mod properties;
mod punctuation;
mod readme;
mod registry;
mod reliability;
mod report;
mod tables;
mod tour;
mod util;
