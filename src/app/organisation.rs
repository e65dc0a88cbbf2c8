//! Creating and updating an organisation from its description (the import file, the demo).

use chrono::{DateTime, Utc};

use crate::domain::organisation::OrganisationSpec;
use crate::domain::roster::PlanningSpec;
use crate::error::{AppError, AppResult};
use crate::store::import::SaveSummary;
use crate::store::{self, DbConnection};

/// Saves the whole organisation in one transaction: all of it lands, or none of it.
pub fn import(
    conn: &mut DbConnection,
    spec: &OrganisationSpec,
    now: DateTime<Utc>,
) -> AppResult<SaveSummary> {
    store::write(conn, |conn| {
        Ok(store::import::save(conn, spec, now.naive_utc())?)
    })
}

/// Saves the organisation and its planning data (shift templates, contracts, absences,
/// preferences) in one transaction.
pub fn import_with_planning(
    conn: &mut DbConnection,
    spec: &OrganisationSpec,
    planning: &PlanningSpec,
    now: DateTime<Utc>,
) -> AppResult<SaveSummary> {
    store::write(conn, |conn| Ok(save(conn, spec, planning, now)?))
}

fn save(
    conn: &mut DbConnection,
    spec: &OrganisationSpec,
    planning: &PlanningSpec,
    now: DateTime<Utc>,
) -> store::StoreResult<SaveSummary> {
    let summary = store::import::save(conn, spec, now.naive_utc())?;
    store::planning::save(conn, spec.slug.as_str(), planning)?;
    Ok(summary)
}

/// An organisation and its planning data, as an import file describes them.
pub type Described = (OrganisationSpec, PlanningSpec);

/// The one organisation in the database, as an import file describes it; an error when
/// there is none or more than one (the file describes one).
pub fn export(conn: &mut DbConnection) -> AppResult<Described> {
    let slugs = store::export::organisation_slugs(conn)?;
    let slug = match slugs.as_slice() {
        [one] => one,
        [] => {
            return Err(AppError::not_found(
                "the database holds no organisation yet: import one first",
            ))
        }
        several => {
            return Err(AppError::conflict(format!(
                "the database holds {} organisations ({}); a file describes one",
                several.len(),
                several.join(", ")
            )))
        }
    };
    described(conn, slug)?
        .ok_or_else(|| AppError::not_found(format!("the organisation '{slug}' is gone")))
}

/// The organisation with this slug as an import file describes it, if it exists.
pub fn described(conn: &mut DbConnection, slug: &str) -> AppResult<Option<Described>> {
    Ok(store::export::load(conn, slug)?)
}

/// What the organisation would be after importing `spec` and `planning`: the import runs as
/// it would, and its transaction is rolled back, so nothing changes and nothing of the
/// import's own rules (what a file leaves out, which desks it retires) is guessed at.
pub fn after_import(
    conn: &mut DbConnection,
    spec: &OrganisationSpec,
    planning: &PlanningSpec,
    now: DateTime<Utc>,
) -> AppResult<Described> {
    let outcome = store::write(conn, |conn| -> Result<(), DryRun> {
        save(conn, spec, planning, now).map_err(AppError::from)?;
        let after = store::export::load(conn, spec.slug.as_str())
            .map_err(AppError::from)?
            .ok_or_else(|| AppError::Internal("the imported organisation is missing".into()))?;
        Err(DryRun::Undone(Box::new(after)))
    });
    match outcome {
        Err(DryRun::Undone(after)) => Ok(*after),
        Err(DryRun::Failed(e)) => Err(e),
        Ok(()) => Err(AppError::Internal("a dry run was committed".into())),
    }
}

/// How a dry run leaves its transaction: always by an error, so that it is rolled back.
enum DryRun {
    Undone(Box<Described>),
    Failed(AppError),
}

impl From<AppError> for DryRun {
    fn from(e: AppError) -> Self {
        Self::Failed(e)
    }
}

impl From<diesel::result::Error> for DryRun {
    fn from(e: diesel::result::Error) -> Self {
        Self::Failed(e.into())
    }
}
