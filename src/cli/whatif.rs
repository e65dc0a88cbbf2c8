//! `skranke whatif`: a week planned as it is and under the scenarios of a file, side by side.

use std::path::PathBuf;

use anyhow::{Context, Result};
use skranke::app::whatif::{what_if, ScenarioFile};
use skranke::clock;
use skranke::config::Settings;
use skranke::domain::booking::Language;

use super::open;
use super::stdout::{say, say_raw};

#[derive(Debug, clap::Args)]
pub struct WhatIfArgs {
    /// The ISO week to plan, e.g. 2027-W14.
    #[arg(long)]
    week: String,
    /// The scenarios: a TOML file (see the README).
    #[arg(long)]
    scenario: PathBuf,
    #[arg(long, value_enum, default_value = "json")]
    format: WhatIfFormat,
    /// The language of the HTML page.
    #[arg(long, value_enum, default_value = "da")]
    lang: PageLanguage,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum WhatIfFormat {
    Json,
    Html,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum PageLanguage {
    Da,
    En,
}

/// Plans the week as it is and under each scenario; a bad flag or field is named.
pub fn run(settings: &Settings, args: &WhatIfArgs) -> Result<()> {
    let week = skranke::domain::roster::iso_week(&args.week)
        .map_err(|e| anyhow::anyhow!("--week: {e}"))?;
    let name = args.scenario.display().to_string();
    let text =
        std::fs::read_to_string(&args.scenario).with_context(|| format!("reading {name}"))?;
    let file: ScenarioFile = toml::from_str(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let pool = open(settings)?;
    let now = clock::from_start(settings.now).now();
    let outcome = what_if(&mut *pool.get()?, &file, week, &settings.costs.costs(), now)
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    match args.format {
        WhatIfFormat::Json => say!("{}", serde_json::to_string_pretty(&outcome)?)?,
        WhatIfFormat::Html => {
            let lang = match args.lang {
                PageLanguage::Da => Language::Da,
                PageLanguage::En => Language::En,
            };
            say_raw!("{}", skranke::report::whatif_html::page(&outcome, lang))?
        }
    }
    Ok(())
}
