//! Reports rendered for people and spreadsheets, shared by the CLI and the HTTP handlers.
//!
//! The domain computes a report as data; how it is written out is presentation, and
//! neither the web layer's nor the CLI's alone: both print the same CSV, so the format
//! lives here, above the domain and beside `http`, where each of them can reach it.

pub mod kpi_csv;
pub mod plan_csv;
pub mod plan_html;
pub mod whatif_html;
