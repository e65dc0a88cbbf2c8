//! `skranke migrate`, `skranke import` and `skranke set-password`: the database, the
//! organisation and its staff's passwords, from the command line.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};
use skranke::app;
use skranke::clock;
use skranke::config::Settings;

use super::open;
use super::stdout::say;

/// `skranke migrate`: the schema brought up to date, nothing else.
pub fn migrate(settings: &Settings) -> Result<()> {
    open(settings)?;
    say!(
        "The database is up to date ({}).",
        settings.database().redacted()
    )?;
    Ok(())
}

/// `skranke import FILE`: all or nothing; with `--dry-run`, what it would change.
pub fn import(settings: &Settings, file: &Path, dry_run: bool) -> Result<()> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {name}"))?;
    // Parse and validate before touching the database: a bad file changes nothing.
    let (spec, planning) = skranke::import::parse_organisation_and_planning(&name, &text)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let skranke::domain::municipality::Logo::File(logo) = &spec.municipality.logo {
        // The server reads the logo at each request; a wrong path is found now, not by citizens.
        std::fs::metadata(logo).with_context(|| {
            format!(
                "{name}: municipality.logo: the file {} cannot be read",
                logo.display()
            )
        })?;
    }
    if dry_run {
        return super::export::dry_run(settings, &name, &spec, &planning);
    }
    let pool = open(settings)?;
    let now = clock::from_start(settings.now).now();
    let mut conn = pool.get()?;
    let summary = app::organisation::import_with_planning(&mut conn, &spec, &planning, now)
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    app::audit::record(
        &mut conn,
        (None, app::audit::CLI),
        "import",
        Some(spec.slug.as_str()),
        now,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let verb = if summary.organisation_created {
        "Created"
    } else {
        "Updated"
    };
    say!("{verb} {} ({}) from {name}.", spec.name, spec.slug)?;
    for (kind, n) in &summary.created {
        say!("  {n} {kind} created")?;
    }
    for (kind, n) in &summary.updated {
        say!("  {n} {kind} updated")?;
    }
    if summary.deactivated_desks > 0 {
        say!(
            "  {} desks no longer in the file were made inactive",
            summary.deactivated_desks
        )?;
    }
    Ok(())
}

/// `skranke set-password USERNAME`, the password read from standard input.
pub fn set_password(settings: &Settings, username: &str) -> Result<()> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("reading the password from standard input")?;
    let password = password.trim_end_matches(['\n', '\r']);
    let pool = open(settings)?;
    let mut conn = pool.get()?;
    app::auth::set_password(&mut conn, username, password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = clock::from_start(settings.now).now();
    app::audit::record(
        &mut conn,
        (None, app::audit::CLI),
        "set_password",
        Some(username),
        now,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    say!("The password of {username} is set.")?;
    Ok(())
}
