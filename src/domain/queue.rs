//! The walk-in queue: ticket numbers, what staff may do to a ticket, which ticket a desk
//! calls next, and how long a citizen can expect to wait.
//!
//! Everything is pure: the caller passes `now` and a snapshot of the waiting tickets, and
//! gets back a decision to store. One ordering, [`CallKey`], decides both [`call_next`] and
//! [`position`], so the position shown on a ticket is the order in which desks will call it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::ids::ServiceId;

// ---------------------------------------------------------------------------------------
// Ticket numbers
// ---------------------------------------------------------------------------------------

/// Digits shown at least, so that numbers line up on the call display (`A001` … `A999`).
const MIN_DIGITS: usize = 3;

/// The number printed on a ticket and called out: the service's queue letter and the
/// sequence of the day, `A001`, `B014`, `A1000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TicketNumber {
    prefix: char,
    seq: u32,
}

impl TicketNumber {
    /// Accepts a capital letter A–Z (as `organisation::parse_queue_prefix` does) and a
    /// sequence from 1: numbering starts at `A001`, so `A000` is never issued.
    pub fn new(prefix: char, seq: u32) -> Result<Self, String> {
        if !prefix.is_ascii_uppercase() {
            Err(format!("'{prefix}' is not a queue letter A-Z"))
        } else if seq == 0 {
            Err("ticket numbers start at 1".into())
        } else {
            Ok(Self { prefix, seq })
        }
    }

    pub fn prefix(self) -> char {
        self.prefix
    }

    pub fn seq(self) -> u32 {
        self.seq
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:0width$}", self.prefix, self.seq, width = MIN_DIGITS)
    }
}

impl FromStr for TicketNumber {
    type Err = String;

    /// Parses exactly what [`fmt::Display`] writes. Other spellings (`A1`, `A0001`, `a001`)
    /// are refused, so that one ticket has one text and a lookup by number cannot miss.
    fn from_str(raw: &str) -> Result<Self, String> {
        let refuse = || {
            format!(
                "'{raw}' is not a ticket number: \
                 a capital letter and at least three digits, like A001"
            )
        };
        let mut chars = raw.chars();
        let prefix = chars.next().ok_or_else(refuse)?;
        let digits = chars.as_str();
        let canonical = digits.len() >= MIN_DIGITS
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !(digits.len() > MIN_DIGITS && digits.starts_with('0'));
        if !canonical {
            return Err(refuse());
        }
        let seq = digits
            .parse::<u32>()
            .map_err(|_| format!("'{raw}' has a sequence number too large for one day"))?;
        Self::new(prefix, seq).map_err(|why| format!("'{raw}' is not a ticket number: {why}"))
    }
}

impl TryFrom<String> for TicketNumber {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        raw.parse()
    }
}

impl From<TicketNumber> for String {
    fn from(number: TicketNumber) -> String {
        number.to_string()
    }
}

/// The local calendar day at the location, on which numbering restarts at 001.
///
/// Converting the instant to the zone (rather than adding a fixed offset) keeps the day
/// right across daylight-saving changes and in zones west of UTC, where the local evening
/// is already the next UTC day (Nuuk).
pub fn local_day(now: DateTime<Utc>, zone: Tz) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// The sequence number for the next ticket of a queue, given the highest one issued on
/// the same local day (`None` for the first ticket of the day).
///
/// Saturates rather than wraps: four billion tickets in one queue in one day do not
/// happen, and a repeated number is then refused by the store's unique key.
pub fn next_seq(last_today: Option<u32>) -> u32 {
    last_today.map_or(1, |last| last.saturating_add(1))
}

// ---------------------------------------------------------------------------------------
// Ticket status and staff actions
// ---------------------------------------------------------------------------------------

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
    fn words(self) -> &'static str {
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

// ---------------------------------------------------------------------------------------
// Call next
// ---------------------------------------------------------------------------------------

/// Minutes of waiting that one step of service priority is worth.
///
/// A priority-1 errand is called as if its citizen had waited five minutes longer than
/// they have: enough to favour short errands or vulnerable groups when waits are close,
/// small enough that a low-priority citizen is never starved (after 5 × Δpriority minutes
/// of extra waiting they are ahead again).
pub const PRIORITY_MINUTES: i64 = 5;

const MS_PER_MINUTE: i64 = 60_000;

/// A ticket in the queue, as the calling rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitingTicket {
    pub id: TicketId,
    pub service: ServiceId,
    /// When the citizen first joined the queue; a transfer keeps it, so the citizen
    /// keeps their place in time in the new queue.
    pub queued_at: DateTime<Utc>,
    /// The booked start of a checked-in appointment; `None` for a walk-in.
    pub appointment_start: Option<DateTime<Utc>>,
}

/// What one desk can take: the services it serves and their priorities
/// (higher is called sooner; a service without one has priority 0).
#[derive(Debug, Clone, Copy)]
pub struct DeskView<'a> {
    pub serves: &'a HashSet<ServiceId>,
    pub priority: &'a HashMap<ServiceId, i32>,
}

impl DeskView<'_> {
    fn can_serve(&self, ticket: &WaitingTicket) -> bool {
        self.serves.contains(&ticket.service)
    }

    fn priority_of(&self, service: ServiceId) -> i32 {
        self.priority.get(&service).copied().unwrap_or(0)
    }
}

/// The three groups of the queue, in calling order.
///
/// An appointment checked in early waits in the last group until its time comes: calling it
/// early would make walk-ins who came first wait for someone who is not due yet. It is
/// still called early when nothing else waits that the desk can serve, since an idle desk
/// helps nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    DueAppointment,
    WalkIn,
    EarlyAppointment,
}

/// The sort key of a ticket at `now`: the smallest key is called first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct CallKey {
    group: Group,
    /// Appointments: the booked start in ms (earliest first). Walk-ins: `queued_at` moved
    /// back by the priority bonus, in ms; the smallest has the longest effective wait.
    /// Milliseconds in an i64 cannot overflow for any i32 priority, unlike a `DateTime`.
    rank: i64,
    queued_at: DateTime<Utc>,
    id: TicketId,
}

/// The effective wait that orders walk-ins: the real wait plus the priority bonus.
pub fn effective_wait(queued_at: DateTime<Utc>, priority: i32, now: DateTime<Utc>) -> TimeDelta {
    (now - queued_at) + TimeDelta::minutes(i64::from(priority) * PRIORITY_MINUTES)
}

/// Ranks by `now − queued_at + bonus` descending, written as `queued_at − bonus` ascending:
/// the same order, but independent of `now`, so walk-ins never overtake each other.
fn call_key(ticket: &WaitingTicket, desk: DeskView<'_>, now: DateTime<Utc>) -> CallKey {
    let (group, rank) = match ticket.appointment_start {
        Some(start) if start <= now => (Group::DueAppointment, start.timestamp_millis()),
        Some(start) => (Group::EarlyAppointment, start.timestamp_millis()),
        None => {
            let bonus = i64::from(desk.priority_of(ticket.service)) * PRIORITY_MINUTES;
            (
                Group::WalkIn,
                ticket.queued_at.timestamp_millis() - bonus * MS_PER_MINUTE,
            )
        }
    };
    CallKey {
        group,
        rank,
        queued_at: ticket.queued_at,
        id: ticket.id,
    }
}

/// The ticket that `desk` should call at `now`, or `None` when nothing waits that it can
/// serve: first checked-in appointments whose time has come (earliest booking first),
/// then the longest effective wait (see [`effective_wait`]), then appointments checked
/// in early; ties go to the earlier `queued_at`, then the lower id.
pub fn call_next(
    desk: DeskView<'_>,
    now: DateTime<Utc>,
    waiting: &[WaitingTicket],
) -> Option<TicketId> {
    waiting
        .iter()
        .filter(|t| desk.can_serve(t))
        .min_by_key(|t| call_key(t, desk, now))
        .map(|t| t.id)
}

/// How many tickets `desk` would call before `ticket` if it called again and again at
/// `now` with no one else arriving; `None` when the ticket is not waiting or the desk does
/// not serve it.
///
/// Simplifications: the desks open for a service are treated as one desk serving all the
/// services in `desk.serves` (pass the union of the services of the desks that serve the
/// ticket's service, or only that service when desks are dedicated); and time is frozen
/// at `now`, so an early appointment that becomes due later will then move ahead.
pub fn position(
    ticket: TicketId,
    desk: DeskView<'_>,
    now: DateTime<Utc>,
    waiting: &[WaitingTicket],
) -> Option<u32> {
    let me = waiting
        .iter()
        .find(|t| t.id == ticket)
        .filter(|t| desk.can_serve(t))?;
    let my_key = call_key(me, desk, now);
    let ahead = waiting
        .iter()
        .filter(|t| desk.can_serve(t) && call_key(t, desk, now) < my_key)
        .count();
    Some(u32::try_from(ahead).unwrap_or(u32::MAX))
}

// ---------------------------------------------------------------------------------------
// Estimated wait
// ---------------------------------------------------------------------------------------

/// Minutes until a ticket is called: the tickets ahead share the open desks, each taking
/// the mean service time. `None` when no desk is open for the service (nobody will call
/// it, so any number would be invented) or the mean is not a usable duration.
///
/// It ignores how far the citizens at the desks now have come; on average that is half a
/// service, which the simulated-day accuracy measurement can tune if it matters.
pub fn estimated_wait_minutes(
    position_ahead: u32,
    mean_service_minutes: f64,
    open_desks_for_service: u32,
) -> Option<u32> {
    if open_desks_for_service == 0
        || !mean_service_minutes.is_finite()
        || mean_service_minutes < 0.0
    {
        return None;
    }
    let minutes =
        f64::from(position_ahead) * mean_service_minutes / f64::from(open_desks_for_service);
    // `as` saturates for floats, so a huge queue reads u32::MAX rather than wrapping.
    Some(minutes.round() as u32)
}

/// The mean of the last `window` service durations of one service, starting from its
/// configured duration until there is history.
#[derive(Debug, Clone, PartialEq)]
pub struct RollingMean {
    prior_minutes: f64,
    window: usize,
    recent: VecDeque<f64>,
}

impl RollingMean {
    /// Twenty services: about a morning at one desk, so the mean follows the day (a
    /// passport rush) without one odd errand moving it much.
    pub const DEFAULT_WINDOW: usize = 20;

    /// Starts from the service's configured duration, with the default window.
    pub fn new(prior_minutes: f64) -> Self {
        Self::with_window(prior_minutes, Self::DEFAULT_WINDOW)
    }

    /// A window of 0 would forget every duration at once; it is taken as 1.
    pub fn with_window(prior_minutes: f64, window: usize) -> Self {
        let window = window.max(1);
        Self {
            prior_minutes,
            window,
            recent: VecDeque::with_capacity(window),
        }
    }

    /// Records how long one service took (from `start` to `finish`).
    ///
    /// A negative duration is a clock error between server instances, not a service, and
    /// is left out rather than pull the mean below zero.
    pub fn push(&mut self, duration: TimeDelta) {
        if duration < TimeDelta::zero() {
            return;
        }
        if self.recent.len() == self.window {
            self.recent.pop_front();
        }
        self.recent
            .push_back(duration.num_milliseconds() as f64 / MS_PER_MINUTE as f64);
    }

    /// The mean of the recorded durations, or the prior when there are none.
    pub fn mean_minutes(&self) -> f64 {
        if self.recent.is_empty() {
            self.prior_minutes
        } else {
            self.recent.iter().sum::<f64>() / self.recent.len() as f64
        }
    }

    /// How many durations the mean is over now.
    pub fn len(&self) -> usize {
        self.recent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.recent.is_empty()
    }
}

impl Extend<TimeDelta> for RollingMean {
    fn extend<I: IntoIterator<Item = TimeDelta>>(&mut self, durations: I) {
        durations.into_iter().for_each(|d| self.push(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use strum::VariantArray;

    fn at(raw: &str) -> DateTime<Utc> {
        raw.parse().unwrap()
    }

    fn date(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    fn walk_in(id: i64, service: i64, queued_at: &str) -> WaitingTicket {
        WaitingTicket {
            id: TicketId(id),
            service: ServiceId(service),
            queued_at: at(queued_at),
            appointment_start: None,
        }
    }

    fn booked(id: i64, service: i64, queued_at: &str, start: &str) -> WaitingTicket {
        WaitingTicket {
            appointment_start: Some(at(start)),
            ..walk_in(id, service, queued_at)
        }
    }

    /// A desk serving `services`, each with the given priority.
    struct Desk {
        serves: HashSet<ServiceId>,
        priority: HashMap<ServiceId, i32>,
    }

    impl Desk {
        fn new(services: &[(i64, i32)]) -> Self {
            Self {
                serves: services.iter().map(|(s, _)| ServiceId(*s)).collect(),
                priority: services.iter().map(|(s, p)| (ServiceId(*s), *p)).collect(),
            }
        }

        fn view(&self) -> DeskView<'_> {
            DeskView {
                serves: &self.serves,
                priority: &self.priority,
            }
        }
    }

    // Ticket numbers

    #[test]
    fn numbers_show_three_digits_or_more_and_parse_back() {
        for (prefix, seq, text) in [
            ('A', 1, "A001"),
            ('B', 14, "B014"),
            ('P', 999, "P999"),
            ('A', 1000, "A1000"),
            ('Z', u32::MAX, "Z4294967295"),
        ] {
            let number = TicketNumber::new(prefix, seq).unwrap();
            assert_eq!(number.to_string(), text);
            assert_eq!(text.parse::<TicketNumber>().unwrap(), number);
        }
    }

    #[test]
    fn odd_spellings_of_numbers_are_refused_with_a_reason() {
        for bad in [
            "",
            "A",
            "A1",
            "A01",
            "A0001",
            "a001",
            "1001",
            "ÆØ01",
            "A00x",
            "A000",
            "A 001",
            "A4294967296",
        ] {
            let err = bad.parse::<TicketNumber>().unwrap_err();
            assert!(err.contains(&format!("'{bad}'")), "{bad:?}: {err}");
        }
        assert!(TicketNumber::new('a', 1).is_err());
        assert!(TicketNumber::new('A', 0).is_err());
    }

    #[test]
    fn numbers_serialise_as_their_text() {
        let number = TicketNumber::new('B', 14).unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), r#""B014""#);
        assert_eq!(
            serde_json::from_str::<TicketNumber>(r#""B014""#).unwrap(),
            number
        );
        assert!(serde_json::from_str::<TicketNumber>(r#""B14""#).is_err());
    }

    #[test]
    fn numbering_restarts_each_day() {
        assert_eq!(next_seq(None), 1);
        assert_eq!(next_seq(Some(1)), 2);
        assert_eq!(next_seq(Some(999)), 1000);
        assert_eq!(next_seq(Some(u32::MAX)), u32::MAX);
    }

    #[test]
    fn local_day_follows_copenhagen_across_the_spring_change() {
        // On 2027-03-28 clocks go from 02:00 CET to 03:00 CEST: that day starts at
        // 23:00 UTC the evening before and ends at 22:00 UTC.
        let cph = chrono_tz::Europe::Copenhagen;
        for (instant, day) in [
            ("2027-03-27T22:59:59Z", "2027-03-27"),
            ("2027-03-27T23:00:00Z", "2027-03-28"),
            ("2027-03-28T01:30:00Z", "2027-03-28"),
            ("2027-03-28T21:59:59Z", "2027-03-28"),
            ("2027-03-28T22:00:00Z", "2027-03-29"),
            ("2027-10-30T22:00:00Z", "2027-10-31"),
            ("2027-10-31T22:59:59Z", "2027-10-31"),
            ("2027-10-31T23:00:00Z", "2027-11-01"),
        ] {
            assert_eq!(local_day(at(instant), cph), date(day), "{instant}");
        }
    }

    #[test]
    fn local_day_in_nuuk_late_evening_is_not_the_utc_day() {
        let nuuk = chrono_tz::America::Nuuk;
        for day in ["2027-01-15", "2027-07-15"] {
            let d = date(day);
            let evening = nuuk
                .from_local_datetime(&d.and_hms_opt(23, 30, 0).unwrap())
                .single()
                .unwrap()
                .with_timezone(&Utc);
            assert_eq!(evening.date_naive(), d.succ_opt().unwrap(), "UTC is ahead");
            assert_eq!(local_day(evening, nuuk), d);
        }
    }

    // Status transitions

    #[test]
    fn every_action_from_every_status() {
        use StaffAction as A;
        use TicketStatus::*;
        let other = ServiceId(9);
        // (action, [(from, to)]); every status not listed must be refused.
        let table: [(StaffAction, &[(TicketStatus, TicketStatus)]); 9] = [
            (A::Call, &[(Waiting, Called)]),
            (A::Recall, &[(Called, Called)]),
            (A::Start, &[(Called, Serving)]),
            (A::Finish(Outcome::Resolved), &[(Serving, Finished)]),
            (A::Finish(Outcome::Referred), &[(Serving, Finished)]),
            (A::NoShow, &[(Called, NoShow)]),
            (
                A::Transfer(other),
                &[(Waiting, Waiting), (Called, Waiting), (Serving, Waiting)],
            ),
            (A::Park, &[(Called, Parked), (Serving, Parked)]),
            (A::Return, &[(Parked, Waiting)]),
        ];
        for (action, allowed) in table {
            for &from in TicketStatus::VARIANTS {
                let expected = allowed.iter().find(|(f, _)| *f == from).map(|(_, to)| *to);
                match (apply(from, action), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{action:?} from {from}"),
                    (Err(err), None) => {
                        assert_eq!(err, TransitionError { from, action });
                        assert!(
                            err.to_string().contains(&format!("it is {}", from.words())),
                            "{err}"
                        );
                    }
                    (got, want) => panic!("{action:?} from {from}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn refusals_are_sentences_naming_status_and_action() {
        let err = apply(TicketStatus::Waiting, StaffAction::Start).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The ticket cannot be started: it is waiting, and only a called ticket can be started."
        );
        let err = apply(TicketStatus::Finished, StaffAction::Transfer(ServiceId(2))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The ticket cannot be transferred: it is finished, and only a waiting, called or \
             serving ticket can be transferred."
        );
        let err = apply(TicketStatus::NoShow, StaffAction::Park).unwrap_err();
        assert!(err
            .to_string()
            .contains("it is no-show, and only a called or serving"));
    }

    #[test]
    fn final_statuses() {
        let finals: Vec<_> = TicketStatus::VARIANTS
            .iter()
            .filter(|s| s.is_final())
            .collect();
        assert_eq!(finals, [&TicketStatus::Finished, &TicketStatus::NoShow]);
        assert_eq!(TicketStatus::NoShow.to_string(), "no_show");
    }

    // Call next

    const NOW: &str = "2027-03-29T10:00:00Z";

    #[test]
    fn a_due_appointment_beats_a_walk_in_waiting_longer() {
        let desk = Desk::new(&[(1, 0)]);
        let queue = [
            walk_in(1, 1, "2027-03-29T09:20:00Z"),
            booked(2, 1, "2027-03-29T09:55:00Z", "2027-03-29T10:00:00Z"),
        ];
        assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
    }

    #[test]
    fn due_appointments_go_by_booked_time_not_arrival() {
        let desk = Desk::new(&[(1, 0)]);
        let queue = [
            booked(1, 1, "2027-03-29T09:40:00Z", "2027-03-29T09:50:00Z"),
            booked(2, 1, "2027-03-29T09:30:00Z", "2027-03-29T09:45:00Z"),
        ];
        assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
    }

    #[test]
    fn an_early_appointment_does_not_jump_ahead() {
        let desk = Desk::new(&[(1, 0)]);
        let early = booked(1, 1, "2027-03-29T09:30:00Z", "2027-03-29T10:15:00Z");
        let queue = [early, walk_in(2, 1, "2027-03-29T09:50:00Z")];
        assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
        // Once its time has come, it goes first.
        assert_eq!(
            call_next(desk.view(), at("2027-03-29T10:15:00Z"), &queue),
            Some(TicketId(1))
        );
        // An idle desk takes it early rather than wait.
        assert_eq!(call_next(desk.view(), at(NOW), &[early]), Some(TicketId(1)));
    }

    #[test]
    fn priority_is_worth_five_minutes_a_step() {
        let desk = Desk::new(&[(1, 0), (2, 2)]);
        // The priority-2 errand has waited 9 minutes less: 10 minutes of bonus wins.
        let queue = [
            walk_in(1, 1, "2027-03-29T09:30:00Z"),
            walk_in(2, 2, "2027-03-29T09:39:00Z"),
        ];
        assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
        // 11 minutes less: the longer real wait wins.
        let queue = [
            walk_in(1, 1, "2027-03-29T09:30:00Z"),
            walk_in(2, 2, "2027-03-29T09:41:00Z"),
        ];
        assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(1)));
        assert_eq!(
            effective_wait(at("2027-03-29T09:41:00Z"), 2, at(NOW)),
            TimeDelta::minutes(29)
        );
    }

    #[test]
    fn a_transferred_ticket_keeps_its_place_in_time() {
        // Ticket 1 queued for service 1 at 09:10, was served for a while, then transferred
        // to service 2: it keeps queued_at 09:10 and goes before those who came later.
        let desk = Desk::new(&[(2, 0)]);
        let transferred = walk_in(1, 2, "2027-03-29T09:10:00Z");
        let queue = [
            walk_in(2, 2, "2027-03-29T09:20:00Z"),
            walk_in(3, 2, "2027-03-29T09:30:00Z"),
            transferred,
        ];
        assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(1)));
        assert_eq!(position(TicketId(1), desk.view(), at(NOW), &queue), Some(0));
    }

    #[test]
    fn a_desk_never_gets_a_service_it_does_not_serve() {
        let desk = Desk::new(&[(1, 0)]);
        let queue = [
            walk_in(1, 2, "2027-03-29T08:00:00Z"),
            booked(2, 3, "2027-03-29T08:00:00Z", "2027-03-29T09:00:00Z"),
        ];
        assert_eq!(call_next(desk.view(), at(NOW), &queue), None);
        assert_eq!(position(TicketId(1), desk.view(), at(NOW), &queue), None);
        let queue = [queue[0], queue[1], walk_in(3, 1, "2027-03-29T09:59:00Z")];
        assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(3)));
    }

    #[test]
    fn ties_are_broken_by_arrival_then_id_whatever_the_input_order() {
        let desk = Desk::new(&[(1, 1), (2, 0)]);
        // Same effective wait: 2 and 3 arrived 5 minutes before 1, which has a step more.
        let mut queue = vec![
            walk_in(4, 2, "2027-03-29T09:35:00Z"),
            walk_in(3, 2, "2027-03-29T09:35:00Z"),
            walk_in(1, 1, "2027-03-29T09:40:00Z"),
            walk_in(2, 2, "2027-03-29T09:35:00Z"),
        ];
        for _ in 0..4 {
            queue.rotate_left(1);
            assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
        }
    }

    #[test]
    fn nothing_waiting_means_nothing_to_call() {
        let desk = Desk::new(&[(1, 0)]);
        assert_eq!(call_next(desk.view(), at(NOW), &[]), None);
    }

    #[test]
    fn extreme_priorities_do_not_overflow() {
        let desk = Desk::new(&[(1, i32::MAX), (2, i32::MIN)]);
        let queue = [
            walk_in(1, 2, "2027-03-29T08:00:00Z"),
            walk_in(2, 1, "2027-03-29T09:59:00Z"),
        ];
        assert_eq!(call_next(desk.view(), at(NOW), &queue), Some(TicketId(2)));
    }

    /// A random queue of up to 12 tickets over 4 services, some of them checked-in
    /// appointments due or early, and a desk serving a random non-empty subset.
    fn random_case(rng: &mut StdRng) -> (Desk, Vec<WaitingTicket>) {
        let now = at(NOW);
        let services: Vec<(i64, i32)> = (1..=4)
            .map(|s| (s, rng.gen_range(-2..=3), rng.gen_bool(0.6)))
            .filter(|(_, _, served)| *served)
            .map(|(s, p, _)| (s, p))
            .collect();
        let desk = Desk::new(if services.is_empty() {
            &[(1, 0)]
        } else {
            &services
        });
        let n = rng.gen_range(0..=12);
        let queue = (0..n)
            .map(|i| {
                // Coarse minutes so that ties happen.
                let queued_at = now - TimeDelta::minutes(rng.gen_range(0..=12) * 5);
                let appointment_start = rng
                    .gen_bool(0.3)
                    .then(|| now + TimeDelta::minutes(rng.gen_range(-4..=4) * 5));
                WaitingTicket {
                    id: TicketId(rng.gen_range(0..1000) * 100 + i),
                    service: ServiceId(rng.gen_range(1..=4)),
                    queued_at,
                    appointment_start,
                }
            })
            .collect();
        (desk, queue)
    }

    #[test]
    fn position_is_the_order_of_repeated_call_next() {
        let mut rng = StdRng::seed_from_u64(0x5c4a_2027);
        let now = at(NOW);
        for case in 0..500 {
            let (desk, queue) = random_case(&mut rng);
            let mut left = queue.clone();
            let mut called = Vec::new();
            while let Some(id) = call_next(desk.view(), now, &left) {
                left.retain(|t| t.id != id);
                called.push(id);
            }
            assert!(
                left.iter().all(|t| !desk.serves.contains(&t.service)),
                "case {case}: a servable ticket was left"
            );
            for t in &queue {
                let expected = called.iter().position(|id| *id == t.id).map(|i| i as u32);
                assert_eq!(
                    position(t.id, desk.view(), now, &queue),
                    expected,
                    "case {case}: {t:?} in {queue:?}"
                );
            }
        }
    }

    // Estimated wait

    #[test]
    fn estimated_wait_shares_the_queue_between_open_desks() {
        assert_eq!(estimated_wait_minutes(0, 8.0, 1), Some(0));
        assert_eq!(estimated_wait_minutes(3, 8.0, 1), Some(24));
        assert_eq!(estimated_wait_minutes(3, 8.0, 2), Some(12));
        assert_eq!(
            estimated_wait_minutes(1, 7.0, 3),
            Some(2),
            "2.33 rounds to 2"
        );
        assert_eq!(estimated_wait_minutes(u32::MAX, 1e9, 1), Some(u32::MAX));
    }

    #[test]
    fn no_open_desk_gives_no_estimate() {
        assert_eq!(estimated_wait_minutes(3, 8.0, 0), None);
        assert_eq!(estimated_wait_minutes(3, f64::NAN, 1), None);
        assert_eq!(estimated_wait_minutes(3, -1.0, 1), None);
    }

    #[test]
    fn rolling_mean_starts_from_the_prior_and_keeps_the_last_n() {
        let mut mean = RollingMean::new(10.0);
        assert_eq!(
            mean.mean_minutes(),
            10.0,
            "no history: the configured duration"
        );
        assert!(mean.is_empty());

        mean.push(TimeDelta::minutes(4));
        mean.push(TimeDelta::seconds(90));
        assert_eq!(mean.mean_minutes(), 2.75);

        mean.extend((0..RollingMean::DEFAULT_WINDOW).map(|_| TimeDelta::minutes(6)));
        assert_eq!(mean.len(), RollingMean::DEFAULT_WINDOW);
        assert_eq!(mean.mean_minutes(), 6.0, "the first two have rolled out");
    }

    #[test]
    fn rolling_mean_ignores_negative_durations_and_a_zero_window() {
        let mut mean = RollingMean::with_window(5.0, 0);
        mean.push(TimeDelta::minutes(-3));
        assert_eq!(mean.mean_minutes(), 5.0);
        mean.push(TimeDelta::minutes(2));
        mean.push(TimeDelta::minutes(8));
        assert_eq!(mean.mean_minutes(), 8.0, "a window of one");
    }
}
