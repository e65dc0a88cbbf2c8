//! `skranke serve` and `skranke demo`: the server, on the database as it is or with the
//! demo municipality created first.

use anyhow::Result;
use skranke::app;
use skranke::clock;
use skranke::config::Settings;
use skranke::startup::{Application, Provided};

use super::open;
use super::stdout::say;

/// `skranke serve`.
pub fn serve(settings: &Settings) -> Result<()> {
    run(settings, Provided::default(), |base| {
        let _ = say!("Skranke is at {base}/");
    })
}

/// Builds the application and serves it; `announce` learns the public base URL once the
/// server is bound.
fn run(settings: &Settings, provided: Provided, announce: impl FnOnce(&str)) -> Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let application = Application::build_with(settings, provided)?;
        if let Some(metrics) = application.metrics_address() {
            let _ = say!("Metrics are at http://{metrics}/metrics");
        }
        announce(application.public_base());
        tracing::info!(address = %application.address(), database = %settings.database().redacted(), "Skranke is serving");
        application.run_until_stopped().await?;
        Ok(())
    })
}

/// `skranke demo`: the demo municipality when it is not there yet, its sign-ins, then the server.
pub fn demo(settings: &Settings) -> Result<()> {
    let pool = open(settings)?;
    let now = clock::from_start(settings.now).now();
    let report = app::demo::ensure(&mut *pool.get()?, now, settings.demo_password.as_deref())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    release_freed_memory();
    if report.created {
        app::demo::settle_in_background(pool.clone());
        let _ = say!(
            "Created the demo municipality {} with a year of history: {} tickets, {} bookings, \
             {} staff actions.",
            report.spec.name,
            report.history.tickets,
            report.history.appointments,
            report.history.staff_actions
        );
    } else {
        let _ = say!(
            "The demo municipality {} is already in the database.",
            report.spec.name
        );
    }
    let origin = if report.password_generated {
        "random; set SKRANKE_DEMO_PASSWORD to choose it"
    } else {
        "from SKRANKE_DEMO_PASSWORD"
    };
    let provided = Provided {
        pool: Some(pool),
        ..Provided::default()
    };
    run(settings, provided, |base| {
        let _ = say!(
            "Sign in as admin (admin, planner) or staff (staff) with the password {} ({origin}).",
            report.password
        );
        let _ = say!("  API:      {base}/api/v1/locations");
        let _ = say!("  OpenAPI:  {base}/api/openapi.json");
        for location in &report.spec.locations {
            let _ = say!(
                "  {:<9} {base}/api/v1/locations/{}/services",
                "",
                location.slug
            );
        }
        // The last line, so that scripts can wait for it.
        let _ = say!("Skranke is at {base}/");
    })
}

/// Hands the heap's free pages back to the system. The demo's year is built in memory while
/// it is written (some 400 MB at its peak); glibc keeps most of what was freed, spread over
/// its arenas, so the server would otherwise go on holding some 190 MB it never uses again.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator's own to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}
