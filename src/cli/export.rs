//! `skranke export` and `skranke import --dry-run`: the organisation in the database as its
//! file, and what importing a file would change in it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use skranke::app;
use skranke::clock;
use skranke::config::Settings;
use skranke::domain::municipality::Logo;
use skranke::domain::organisation::OrganisationSpec;
use skranke::domain::roster::PlanningSpec;
use skranke::export::{line_diff, organisation_file, DEMO_LOGO_FILE};

use super::open;
use super::stdout::{say, say_raw};

/// `skranke export [--out FILE]`: the file on standard output, or written to `out`.
pub fn run(settings: &Settings, out: Option<&Path>) -> Result<()> {
    let pool = open(settings)?;
    let (mut spec, planning) =
        app::organisation::export(&mut *pool.get()?).map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Logo::File(path) = &mut spec.municipality.logo {
        // Stored as the import found it, from the folder it ran in; the file may be read
        // from anywhere.
        *path = std::path::absolute(&*path).unwrap_or_else(|_| path.clone());
    }
    let text = organisation_file(&spec, &planning);
    let Some(out) = out else {
        if spec.municipality.logo == Logo::Demo {
            eprintln!(
                "skranke: the demo's logo is built in; the file names {DEMO_LOGO_FILE}, \
                 which is examples/{DEMO_LOGO_FILE}: put it beside the file before importing it"
            );
        }
        say_raw!("{text}")?;
        return Ok(());
    };
    std::fs::write(out, &text).with_context(|| format!("writing {}", out.display()))?;
    say!("Wrote {} ({}) to {}.", spec.name, spec.slug, out.display())?;
    if spec.municipality.logo == Logo::Demo {
        write_demo_logo(out)?;
    }
    Ok(())
}

/// The demo's built-in logo beside the exported file, so that the file imports as it is;
/// a logo already there is left alone.
fn write_demo_logo(file: &Path) -> Result<()> {
    let logo: PathBuf = file
        .parent()
        .map_or_else(|| DEMO_LOGO_FILE.into(), |dir| dir.join(DEMO_LOGO_FILE));
    if logo.exists() {
        return Ok(());
    }
    std::fs::write(&logo, app::demo::LOGO_SVG)
        .with_context(|| format!("writing {}", logo.display()))?;
    say!("Wrote the demo's logo to {}.", logo.display())?;
    Ok(())
}

/// `skranke import --dry-run FILE`: the import's changes as lines of the file, nothing written.
pub fn dry_run(
    settings: &Settings,
    name: &str,
    spec: &OrganisationSpec,
    planning: &PlanningSpec,
) -> Result<()> {
    let pool = open(settings)?;
    let mut conn = pool.get()?;
    let now = clock::from_start(settings.now).now();
    let fail = |e: skranke::error::AppError| anyhow::anyhow!("{name}: {e}");
    let before = app::organisation::described(&mut conn, spec.slug.as_str()).map_err(fail)?;
    let after = app::organisation::after_import(&mut conn, spec, planning, now).map_err(fail)?;
    let after_text = organisation_file(&after.0, &after.1);
    let Some(before) = before else {
        say!(
            "{name} would create {} ({}): {} departments, {} errands, {} locations, {} staff.",
            spec.name,
            spec.slug,
            spec.departments.len(),
            spec.services.len(),
            spec.locations.len(),
            spec.staff.len()
        )?;
        return Ok(());
    };
    let diff = line_diff(&organisation_file(&before.0, &before.1), &after_text);
    if diff.is_empty() {
        say!("Importing {name} would change nothing in {}.", spec.slug)?;
    } else {
        say!(
            "Importing {name} would make these changes to {} (- now, + after); nothing was changed:",
            spec.slug
        )?;
        say_raw!("{diff}")?;
    }
    Ok(())
}
