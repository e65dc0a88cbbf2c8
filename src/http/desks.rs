//! The staff console's API: desks and the tickets they call.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::desk_view::DeskView;
use super::paths::{DeskPath, TicketPath};
use super::session::StaffSession;
use super::{blocking, body};
use crate::app::desk::{self, TicketRequest, DESK_ROLES};
use crate::app::AppState;
use crate::domain::ids::DeskId;
use crate::domain::organisation::DeskState;
use crate::domain::queue::{Outcome, StaffAction, TicketStatus};
use crate::error::{AppError, AppResult};
use crate::store::tickets::TicketRecord;

async fn set_state(
    state: web::Data<AppState>,
    session: StaffSession,
    id: i64,
    to: DeskState,
) -> AppResult<web::Json<DeskView>> {
    session.require(DESK_ROLES)?;
    let now = state.clock.now();
    let user = session.user;
    let events = state.events.clone();
    let (d, _) = blocking::run(&state, move |conn| {
        desk::set_state(conn, &user, DeskId(id), to, now, &events)
    })
    .await?;
    Ok(web::Json(d.into()))
}

/// A route that puts a desk in a state: documented as the others are, and handled by
/// [`set_state`].
macro_rules! desk_state {
    ($(#[doc = $doc:tt])* $name:ident, $path:tt, $state:expr) => {
        $(#[doc = $doc])*
        #[utoipa::path(post, path = $path, tag = "staff", params(DeskPath), security(("bearer" = []), ("session" = [], "csrf" = [])),
            responses((status = 200, body = DeskView), (status = 403, description = "not a desk role, or not at this desk's location"),
                (status = 404, description = "no such desk")))]
        pub async fn $name(
            state: web::Data<AppState>,
            session: StaffSession,
            id: web::Path<i64>,
        ) -> AppResult<web::Json<DeskView>> {
            set_state(state, session, id.into_inner(), $state).await
        }
    };
}

desk_state!(
    /// Open a desk: it starts calling.
    open, "/api/v1/desks/{desk}/open", DeskState::Open
);
desk_state!(
    /// Pause a desk (a break): it calls nobody until opened again.
    pause, "/api/v1/desks/{desk}/pause", DeskState::Paused
);
desk_state!(
    /// Close a desk.
    close, "/api/v1/desks/{desk}/close", DeskState::Closed
);

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffTicketView {
    pub id: String,
    pub number: String,
    pub status: TicketStatus,
    pub desk: Option<i64>,
}

impl From<TicketRecord> for StaffTicketView {
    fn from(t: TicketRecord) -> Self {
        Self {
            id: t.public_id,
            number: t.number.to_string(),
            status: t.status,
            desk: t.desk.map(|d| d.0),
        }
    }
}

/// Call the next ticket this desk can serve; 204 when nothing waits for it.
#[utoipa::path(post, path = "/api/v1/desks/{desk}/call-next", tag = "staff", params(DeskPath), security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, body = StaffTicketView), (status = 204, description = "nothing waits that this desk serves"),
        (status = 403, description = "not a desk role, or not at this desk's location"),
        (status = 404, description = "no such desk"), (status = 409, description = "the desk is not open")))]
pub async fn call_next(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    session.require(DESK_ROLES)?;
    let now = state.clock.now();
    let (user, id) = (session.user, DeskId(id.into_inner()));
    let events = state.events.clone();
    let called = blocking::run(&state, move |conn| {
        desk::call_next(conn, &user, id, now, &events)
    })
    .await?;
    Ok(match called {
        Some(c) => HttpResponse::Ok().json(announce(&state, c, now)),
        None => HttpResponse::NoContent().finish(),
    })
}

/// A call counted in the metrics (the displays and consoles heard of it at its commit).
fn announce(state: &AppState, c: desk::Called, now: DateTime<Utc>) -> StaffTicketView {
    state
        .metrics
        .called(&c.location_slug, now - c.ticket.issued_at);
    StaffTicketView::from(c.ticket)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CallInput {
    /// The open desk the citizen is called to.
    pub desk: i64,
    /// Why this ticket goes ahead of its turn (at most 200 characters); kept in the audit.
    pub reason: String,
}

/// Call one waiting ticket to a desk out of turn, with the reason (recorded in the audit).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/call", tag = "staff", params(TicketPath), security(("bearer" = []), ("session" = [], "csrf" = [])),
    request_body = CallInput, responses((status = 200, body = StaffTicketView),
        (status = 403, description = "not a desk role, or not at this desk's location"),
        (status = 404, description = "no such desk, or no such ticket at its location"),
        (status = 409, description = "the desk is not open, or the ticket is not waiting"),
        (status = 422, description = "no reason, or one too long")))]
pub async fn call_out_of_turn(
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<TicketPath>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<web::Json<StaffTicketView>> {
    session.require(DESK_ROLES)?;
    let input: CallInput = body::json(&req, payload).await?;
    let now = state.clock.now();
    let (user, id) = (session.user, path.into_inner().id);
    let events = state.events.clone();
    let called = blocking::run(&state, move |conn| {
        desk::call_out_of_turn(
            conn,
            &user,
            &id,
            DeskId(input.desk),
            &input.reason,
            now,
            &events,
        )
    })
    .await?;
    Ok(web::Json(announce(&state, called, now)))
}

async fn act(
    state: web::Data<AppState>,
    session: StaffSession,
    id: String,
    request: TicketRequest,
) -> AppResult<web::Json<StaffTicketView>> {
    session.require(DESK_ROLES)?;
    let now = state.clock.now();
    let user = session.user;
    let events = state.events.clone();
    let acted = blocking::run(&state, move |conn| {
        desk::act(conn, &user, &id, request, now, &events)
    })
    .await?;
    Ok(web::Json(acted.ticket.into()))
}

/// A staff action that takes nothing but the ticket.
async fn plain(
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<TicketPath>,
    action: StaffAction,
) -> AppResult<web::Json<StaffTicketView>> {
    let id = path.into_inner().id;
    act(state, session, id, TicketRequest::Act(action)).await
}

/// A route of a staff action that takes nothing but the ticket: documented as the others
/// are, with what its 409 means, and handled by [`plain`].
macro_rules! plain_action {
    ($(#[doc = $doc:tt])* $name:ident, $path:tt, $action:expr, $conflict:tt) => {
        $(#[doc = $doc])*
        #[utoipa::path(post, path = $path, tag = "staff", params(TicketPath), security(("bearer" = []), ("session" = [], "csrf" = [])),
            responses((status = 200, body = StaffTicketView), (status = 403, description = "not a desk role, or not at this ticket's location"),
                (status = 404, description = "no such ticket"), (status = 409, description = $conflict)))]
        pub async fn $name(
            state: web::Data<AppState>,
            session: StaffSession,
            path: web::Path<TicketPath>,
        ) -> AppResult<web::Json<StaffTicketView>> {
            plain(state, session, path, $action).await
        }
    };
}

plain_action!(
    /// Call the ticket again, to the same desk.
    recall, "/api/v1/tickets/{id}/recall", StaffAction::Recall, "the ticket is not called"
);
plain_action!(
    /// Serving has begun.
    start, "/api/v1/tickets/{id}/start", StaffAction::Start, "the ticket is not called"
);
plain_action!(
    /// The citizen did not come when called.
    no_show, "/api/v1/tickets/{id}/no-show", StaffAction::NoShow, "the ticket is not called"
);
plain_action!(
    /// Set the ticket aside while the citizen fetches something; it keeps its place.
    park, "/api/v1/tickets/{id}/park", StaffAction::Park, "the ticket is not in a state to be parked"
);
plain_action!(
    /// A parked ticket back in its queue.
    give_back, "/api/v1/tickets/{id}/return", StaffAction::Return, "the ticket is not parked"
);

/// Take back a no-show or a finish within 10 seconds of it (the same person only): the
/// ticket is called, or being served, again. Recorded in the audit.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/undo", tag = "staff", params(TicketPath), security(("bearer" = []), ("session" = [], "csrf" = [])),
    responses((status = 200, body = StaffTicketView), (status = 403, description = "not a desk role, or not at this ticket's location"),
        (status = 404, description = "no such ticket"),
        (status = 409, description = "nothing to undo: the last action was not a no-show or finish, is older than 10 seconds, or was someone else's")))]
pub async fn undo(
    state: web::Data<AppState>,
    session: StaffSession,
    path: web::Path<TicketPath>,
) -> AppResult<web::Json<StaffTicketView>> {
    session.require(DESK_ROLES)?;
    let now = state.clock.now();
    let (user, id) = (session.user, path.into_inner().id);
    let events = state.events.clone();
    let acted = blocking::run(&state, move |conn| {
        desk::undo(conn, &user, &id, now, &events)
    })
    .await?;
    Ok(web::Json(acted.ticket.into()))
}

/// One errand's outcome at a finish.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ErrandOutcomeInput {
    #[schema(example = "pas")]
    pub service: String,
    /// `resolved` or `referred`.
    #[schema(example = "resolved")]
    pub outcome: String,
}

/// `outcome` for a ticket of one errand; `outcomes`, one for each errand, for several.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct FinishInput {
    pub outcome: Option<Outcome>,
    pub outcomes: Option<Vec<ErrandOutcomeInput>>,
}

/// Finish with an outcome: `resolved` at first contact, or `referred`; a ticket of several
/// errands gives each its own (`outcomes`), and the visit is resolved when every errand is.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/finish", tag = "staff", params(TicketPath), security(("bearer" = []), ("session" = [], "csrf" = [])),
    request_body = FinishInput, responses((status = 200, body = StaffTicketView),
        (status = 403, description = "not a desk role, or not at this ticket's location"),
        (status = 404, description = "no such ticket"), (status = 409, description = "the ticket is not being served"),
        (status = 422, description = "an outcome missing, for an errand not on the ticket, or named twice: `errors` names the field (`outcomes[1].service`); nothing is changed")))]
pub async fn finish(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<web::Json<StaffTicketView>> {
    session.require(DESK_ROLES)?;
    let input: FinishInput = body::json(&req, payload).await?;
    let request = match (input.outcome, input.outcomes) {
        (Some(_), Some(_)) => {
            return Err(AppError::invalid_field(
                "outcomes",
                "give either outcome or outcomes, not both",
            ))
        }
        (None, None) => {
            return Err(AppError::invalid_field(
                "outcome",
                "give the outcome (resolved or referred), or outcomes for each errand",
            ))
        }
        (Some(outcome), None) => TicketRequest::Act(StaffAction::Finish(outcome)),
        (None, Some(each)) => {
            TicketRequest::FinishErrands(each.into_iter().map(|e| (e.service, e.outcome)).collect())
        }
    };
    act(state, session, id.into_inner(), request).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TransferInput {
    pub service: String,
}

/// Back in the queue of another errand, keeping its place in time.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/transfer", tag = "staff", params(TicketPath), security(("bearer" = []), ("session" = [], "csrf" = [])),
    request_body = TransferInput, responses((status = 200, body = StaffTicketView),
        (status = 403, description = "not a desk role, or not at this ticket's location"),
        (status = 404, description = "no such ticket"), (status = 409, description = "the ticket is not in a state to be transferred"),
        (status = 422, description = "no such errand at the ticket's location")))]
pub async fn transfer(
    state: web::Data<AppState>,
    session: StaffSession,
    id: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<web::Json<StaffTicketView>> {
    session.require(DESK_ROLES)?;
    let input: TransferInput = body::json(&req, payload).await?;
    act(
        state,
        session,
        id.into_inner(),
        TicketRequest::TransferTo(input.service),
    )
    .await
}
