//! Where a ticket stands, and what staff may do to it from there.

use serde::{Deserialize, Serialize};

use crate::domain::ids::ServiceId;

/// The id of a ticket (its row id; the public id of the status page is kept elsewhere).
#[derive(
    Debug,
    derive_more::Display,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
)]
#[serde(transparent)]
pub struct TicketId(pub i64);

/// Where a ticket stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TicketStatus {
    Waiting,
    Called,
    Serving,
    /// Set aside by staff (the citizen fetches a document) and returned to the queue later.
    Parked,
    /// Served; the [`Outcome`] is stored beside the status.
    Finished,
    NoShow,
}

impl TicketStatus {
    /// Whether nothing more can happen to the ticket.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Finished | Self::NoShow)
    }

    /// The word used in sentences to staff ("it is finished").
    pub(super) fn words(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Called => "called",
            Self::Serving => "serving",
            Self::Parked => "parked",
            Self::Finished => "finished",
            Self::NoShow => "no-show",
        }
    }
}

/// How a served errand ended: first-contact resolution is the share of `Resolved`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    Resolved,
    Referred,
}

/// What staff do to one ticket (API.md, staff section). The payloads (outcome, service)
/// are not part of the status: the caller stores them beside it when [`apply`] allows the
/// action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffAction {
    Call,
    Recall,
    Start,
    Finish(Outcome),
    NoShow,
    /// Back into the queue of another service, keeping the original `queued_at`.
    Transfer(ServiceId),
    Park,
    Return,
}

impl StaffAction {
    /// The statuses the action may start from, and the status it leads to.
    fn rule(self) -> (&'static [TicketStatus], TicketStatus) {
        use TicketStatus::*;
        match self {
            Self::Call => (&[Waiting], Called),
            Self::Recall => (&[Called], Called),
            Self::Start => (&[Called], Serving),
            Self::Finish(_) => (&[Serving], Finished),
            Self::NoShow => (&[Called], NoShow),
            Self::Transfer(_) => (&[Waiting, Called, Serving], Waiting),
            Self::Park => (&[Called, Serving], Parked),
            Self::Return => (&[Parked], Waiting),
        }
    }

    /// The action as a past participle, for "cannot be …".
    fn done(self) -> &'static str {
        match self {
            Self::Call => "called",
            Self::Recall => "called again",
            Self::Start => "started",
            Self::Finish(_) => "finished",
            Self::NoShow => "marked as a no-show",
            Self::Transfer(_) => "transferred",
            Self::Park => "parked",
            Self::Return => "returned to the queue",
        }
    }
}

/// A staff action refused because the ticket is not in a state for it (HTTP 409).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.sentence())]
pub struct TransitionError {
    pub from: TicketStatus,
    pub action: StaffAction,
}

impl TransitionError {
    /// "The ticket cannot be started: it is waiting, and only a called ticket can be started."
    fn sentence(&self) -> String {
        let (allowed, _) = self.action.rule();
        let words: Vec<&str> = allowed.iter().map(|s| s.words()).collect();
        let allowed = match words.split_last() {
            Some((last, [])) => (*last).to_owned(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => "no".to_owned(),
        };
        let done = self.action.done();
        format!(
            "The ticket cannot be {done}: it is {}, and only a {allowed} ticket can be {done}.",
            self.from.words()
        )
    }
}

/// The status a ticket has after `action`, or why staff cannot do that now.
pub fn apply(status: TicketStatus, action: StaffAction) -> Result<TicketStatus, TransitionError> {
    let (allowed, next) = action.rule();
    if allowed.contains(&status) {
        Ok(next)
    } else {
        Err(TransitionError {
            from: status,
            action,
        })
    }
}

/// How long a no-show or a finish can be taken back: long enough to catch a slip of the
/// finger, short enough that the ticket has not moved on in anyone's mind.
pub const UNDO_WINDOW_SECONDS: i64 = 10;

/// Why a ticket's last action cannot be undone (HTTP 409).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UndoError {
    #[error("There is nothing to undo: only a no-show or a finish can be undone, and only as the ticket's last action.")]
    NothingToUndo,
    #[error(
        "The {0} can no longer be undone: that is possible for {UNDO_WINDOW_SECONDS} seconds."
    )]
    TooLate(&'static str),
    #[error("Only the person who marked the ticket can undo it.")]
    SomeoneElse,
}

/// The status a ticket goes back to when its last action — named as its event is, by
/// `describe` in the desk's use cases — is undone `elapsed` after it was done.
pub fn undo(
    last_action: &str,
    status: TicketStatus,
    elapsed: chrono::Duration,
    by_the_same_person: bool,
) -> Result<TicketStatus, UndoError> {
    let (before, words) = match (last_action, status) {
        ("no_show", TicketStatus::NoShow) => (TicketStatus::Called, "no-show"),
        ("finish", TicketStatus::Finished) => (TicketStatus::Serving, "finish"),
        _ => return Err(UndoError::NothingToUndo),
    };
    if !by_the_same_person {
        return Err(UndoError::SomeoneElse);
    }
    if elapsed > chrono::Duration::seconds(UNDO_WINDOW_SECONDS)
        || elapsed < chrono::Duration::zero()
    {
        return Err(UndoError::TooLate(words));
    }
    Ok(before)
}
