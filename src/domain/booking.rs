//! The rules of a booking: who the citizen is, the appointment's public reference and
//! secret token, and how many future bookings one citizen may hold.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::FieldError;

/// How the citizen is addressed in mails and on pages.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
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
pub enum Language {
    #[default]
    Da,
    En,
}

impl Language {
    /// Its code, as in `?lang=` and `<html lang>`: `da` or `en`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The language of a code, when it is one of ours.
    pub fn from_code(code: &str) -> Option<Self> {
        code.parse().ok()
    }
}

/// Where an appointment stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
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
pub enum AppointmentStatus {
    Booked,
    Cancelled,
    CheckedIn,
    NoShow,
    Completed,
}

impl AppointmentStatus {
    /// Whether the appointment still takes its desk's time.
    pub fn holds_capacity(self) -> bool {
        matches!(self, Self::Booked | Self::CheckedIn)
    }
}

/// The citizen behind a booking: the least personal data that lets us reach them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// Asked for text messages at `phone`, which is then a mobile number.
    pub sms_opt_in: bool,
    /// Asked for one mail after the visit with its feedback question; off unless asked.
    pub feedback_opt_in: bool,
}

impl Citizen {
    /// Validates every field, reporting all problems at once.
    pub fn parse(name: &str, email: &str, phone: Option<&str>) -> Result<Self, Vec<FieldError>> {
        Self::parse_with_sms(name, email, phone, false)
    }

    /// [`Citizen::parse`] for a citizen who may ask for text messages: then the phone must
    /// be given and be a mobile number that an SMS can reach.
    pub fn parse_with_sms(
        name: &str,
        email: &str,
        phone: Option<&str>,
        sms_opt_in: bool,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            errors.push(FieldError::new(
                "citizen.name",
                "give a name of 1 to 200 characters",
            ));
        }
        let email = super::email::parse(email).unwrap_or_else(|message| {
            errors.push(FieldError::new("citizen.email", message));
            String::new()
        });
        let phone = phone.map(str::trim).filter(|p| !p.is_empty());
        if let Some(p) = phone {
            let digits = p.chars().filter(char::is_ascii_digit).count();
            let allowed = p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
            if !allowed || !(6..=15).contains(&digits) {
                errors.push(FieldError::new(
                    "citizen.phone",
                    format!("'{p}' is not a phone number"),
                ));
            }
        }
        if sms_opt_in && errors.iter().all(|e| e.field != "citizen.phone") {
            let mobile = phone
                .ok_or_else(|| "give a mobile number to get text messages".to_owned())
                .and_then(super::sms::Msisdn::parse);
            if let Err(message) = mobile {
                errors.push(FieldError::new("citizen.sms_opt_in", message));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            name: name.to_owned(),
            email,
            phone: phone.map(str::to_owned),
            sms_opt_in,
            feedback_opt_in: false,
        })
    }
}

/// Letters without look-alikes (no 0/O, 1/I/L), so a reference read aloud on the phone survives.
const REFERENCE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A short, readable appointment reference like `K7M-4QX`. It names the appointment; the
/// separate token is what proves the right to change it.
pub fn new_reference(rng: &mut impl Rng) -> String {
    let mut pick = || REFERENCE_ALPHABET[rng.gen_range(0..REFERENCE_ALPHABET.len())] as char;
    let first: String = (0..3).map(|_| pick()).collect();
    let second: String = (0..3).map(|_| pick()).collect();
    format!("{first}-{second}")
}

/// What happens to a booking whose citizen arrives after the grace period.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr, strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum LateArrival {
    /// The citizen gets an ordinary walk-in ticket instead.
    WalkIn,
    /// The check-in is refused with a message; the citizen asks at the desk.
    Refuse,
}

/// An errand's rules for a booked visit: its reminder, how many bookings one citizen may
/// hold, and the check-in window at the kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitRules {
    /// Hours before the start that the reminder goes out; 0 sends none.
    pub reminder_hours: u32,
    /// Future bookings of this errand one citizen (by e-mail) may hold.
    pub max_future_bookings: u32,
    /// How early before its time a booking may be checked in.
    pub check_in_early_minutes: u32,
    /// How late after its start a booking still counts as on time.
    pub check_in_grace_minutes: u32,
    pub late_arrival: LateArrival,
    /// How the reminder goes, and whether news goes by SMS too.
    pub reminder_channels: super::reminder_channels::ReminderChannels,
}

impl Default for VisitRules {
    fn default() -> Self {
        Self {
            reminder_hours: 24,
            max_future_bookings: 2,
            check_in_early_minutes: 30,
            check_in_grace_minutes: 10,
            late_arrival: LateArrival::WalkIn,
            reminder_channels: Default::default(),
        }
    }
}

/// The mails a booking sends.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MailKind {
    Confirmation,
    Changed,
    Cancelled,
    Reminder,
}

/// Whether a message of `kind` about an appointment still goes: a reminder only while the
/// appointment is booked and has not begun; the others always.
pub fn still_goes(
    kind: MailKind,
    status: AppointmentStatus,
    start: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    kind != MailKind::Reminder || (status == AppointmentStatus::Booked && start > now)
}

/// When a reminder is due; `None` when the errand sends none or that moment has passed
/// already (a late booking needs no reminder on top of its confirmation).
pub fn reminder_due(
    start: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    rules: &VisitRules,
) -> Option<chrono::DateTime<chrono::Utc>> {
    if rules.reminder_hours == 0 {
        return None;
    }
    let due = start - chrono::Duration::hours(i64::from(rules.reminder_hours));
    (due > now).then_some(due)
}

/// Why a booking cannot be checked in now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckInRefusal {
    /// Before the window opens, at this instant (said with the location's offset by the
    /// caller, who knows the zone).
    #[error("it is too early to check in")]
    TooEarly(chrono::DateTime<chrono::Utc>),
    #[error("the appointment began more than {0} minutes ago; please ask at the desk")]
    TooLate(u32),
    #[error("the appointment is {}", .0.to_string().replace('_', " "))]
    NotBooked(AppointmentStatus),
}

impl CheckInRefusal {
    /// The refusal's name for a client that says it in its own words.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::TooEarly(_) => "too_early",
            Self::TooLate(_) => "too_late",
            Self::NotBooked(_) => "not_booked",
        }
    }
}

/// How a check-in at the kiosk goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckIn {
    /// In time: the booking's ticket is called first once its time has come.
    OnTime,
    /// After the grace period, where the errand allows it: an ordinary walk-in ticket.
    LateAsWalkIn,
}

/// Whether a booking starting at `start` may be checked in at `now`: the window opens
/// `check_in_early_minutes` before the start and closes `check_in_grace_minutes` after
/// it; later, the errand's [`LateArrival`] decides.
pub fn check_in_window(
    status: AppointmentStatus,
    start: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    rules: &VisitRules,
) -> Result<CheckIn, CheckInRefusal> {
    if status != AppointmentStatus::Booked {
        return Err(CheckInRefusal::NotBooked(status));
    }
    let opens = start - chrono::Duration::minutes(i64::from(rules.check_in_early_minutes));
    if now < opens {
        return Err(CheckInRefusal::TooEarly(opens));
    }
    if now <= start + chrono::Duration::minutes(i64::from(rules.check_in_grace_minutes)) {
        return Ok(CheckIn::OnTime);
    }
    match rules.late_arrival {
        LateArrival::WalkIn => Ok(CheckIn::LateAsWalkIn),
        LateArrival::Refuse => Err(CheckInRefusal::TooLate(rules.check_in_grace_minutes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn a_citizen_needs_a_name_and_an_address() {
        let c = Citizen::parse(" Ada Jensen ", "Ada@Example.DK", Some("+45 12 34 56 78")).unwrap();
        assert_eq!(c.name, "Ada Jensen");
        assert_eq!(c.email, "ada@example.dk");
        let errors = Citizen::parse("", "no-at-sign", Some("call me")).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["citizen.name", "citizen.email", "citizen.phone"]);
        assert!(
            Citizen::parse("A", "a@b", None).is_err(),
            "a domain needs a dot"
        );
    }

    #[test]
    fn text_messages_need_a_mobile_number() {
        let field = |phone: Option<&str>| {
            Citizen::parse_with_sms("Ada", "ada@example.dk", phone, true)
                .map_err(|e| e.iter().map(|e| e.field.clone()).collect::<Vec<_>>())
        };
        assert!(field(Some("12 34 56 78")).unwrap().sms_opt_in);
        assert_eq!(field(None).unwrap_err(), ["citizen.sms_opt_in"]);
        assert_eq!(field(Some("123456")).unwrap_err(), ["citizen.sms_opt_in"]);
        assert_eq!(field(Some("call me")).unwrap_err(), ["citizen.phone"]);
        let without = Citizen::parse("Ada", "ada@example.dk", None).unwrap();
        assert!(!without.sms_opt_in);
    }

    #[test]
    fn references_are_short_readable_and_varied() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let refs: std::collections::HashSet<String> =
            (0..1000).map(|_| new_reference(&mut rng)).collect();
        assert_eq!(refs.len(), 1000);
        for r in &refs {
            assert_eq!(r.len(), 7);
            assert!(!r.contains(['0', 'O', '1', 'I', 'L']), "{r}");
        }
    }

    #[test]
    fn reminders_come_as_many_hours_before_as_the_errand_says_unless_passed() {
        let start: chrono::DateTime<chrono::Utc> = "2027-03-30T08:00:00Z".parse().unwrap();
        let early: chrono::DateTime<chrono::Utc> = "2027-03-28T08:00:00Z".parse().unwrap();
        let day = VisitRules::default();
        assert_eq!(
            reminder_due(start, early, &day),
            Some("2027-03-29T08:00:00Z".parse().unwrap())
        );
        assert_eq!(
            reminder_due(start, "2027-03-29T09:00:00Z".parse().unwrap(), &day),
            None
        );
        let three = VisitRules {
            reminder_hours: 3,
            ..day
        };
        assert_eq!(
            reminder_due(start, early, &three),
            Some("2027-03-30T05:00:00Z".parse().unwrap())
        );
        let none = VisitRules {
            reminder_hours: 0,
            ..day
        };
        assert_eq!(reminder_due(start, early, &none), None);
    }

    #[test]
    fn check_in_follows_the_errands_window_and_its_rule_for_latecomers() {
        let start: chrono::DateTime<chrono::Utc> = "2027-03-30T08:00:00Z".parse().unwrap();
        let at = |m: i64| start + chrono::Duration::minutes(m);
        let booked = AppointmentStatus::Booked;
        let rules = VisitRules::default();
        assert!(matches!(
            check_in_window(booked, start, at(-31), &rules),
            Err(CheckInRefusal::TooEarly(_))
        ));
        assert_eq!(
            check_in_window(booked, start, at(-30), &rules),
            Ok(CheckIn::OnTime)
        );
        assert_eq!(
            check_in_window(booked, start, at(10), &rules),
            Ok(CheckIn::OnTime)
        );
        assert_eq!(
            check_in_window(booked, start, at(11), &rules),
            Ok(CheckIn::LateAsWalkIn)
        );
        let strict = VisitRules {
            check_in_early_minutes: 10,
            check_in_grace_minutes: 0,
            late_arrival: LateArrival::Refuse,
            ..rules
        };
        assert!(check_in_window(booked, start, at(-11), &strict).is_err());
        assert_eq!(
            check_in_window(booked, start, at(0), &strict),
            Ok(CheckIn::OnTime)
        );
        assert_eq!(
            check_in_window(booked, start, at(1), &strict),
            Err(CheckInRefusal::TooLate(0))
        );
        assert!(check_in_window(AppointmentStatus::Cancelled, start, at(0), &rules).is_err());
        assert!(
            check_in_window(AppointmentStatus::CheckedIn, start, at(0), &rules).is_err(),
            "only once"
        );
    }

    #[test]
    fn only_live_appointments_take_capacity() {
        assert!(AppointmentStatus::Booked.holds_capacity());
        assert!(AppointmentStatus::CheckedIn.holds_capacity());
        assert!(!AppointmentStatus::Cancelled.holds_capacity());
    }
}
