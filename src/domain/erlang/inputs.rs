//! What a staffing is asked for: the load on a desk in one interval and the target its
//! waits must meet, each valid by construction, and the error that names a bad input.

/// The longest patience accepted. Erlang A's work grows with the queue that forms, which
/// grows with patience; a citizen does not wait at a desk for more than a day, and one
/// who would wait for ever is Erlang C, chosen by giving no patience at all.
pub const MAX_PATIENCE_MINUTES: f64 = 1440.0;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ErlangError {
    /// An input out of range; `field` is the CLI flag that it comes from.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("no staffing of up to {max} positions meets the target")]
    Unreachable { max: u32 },
}

impl ErlangError {
    /// The flag to blame, if the error is about one input.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::Unreachable { .. } => None,
        }
    }
}

/// Accepts `value` if it is finite and `ok`, else names `field` and says what it `must` be.
pub(super) fn check(
    field: &'static str,
    value: f64,
    ok: bool,
    must: &str,
) -> Result<f64, ErlangError> {
    if ok && value.is_finite() {
        Ok(value)
    } else {
        Err(ErlangError::Invalid {
            field,
            message: format!("must be {must}, not {value}"),
        })
    }
}

/// The demand on a desk in one interval. Built only by [`Load::new`], so every `Load`
/// in the program is a valid one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    pub(super) arrivals: f64,
    pub(super) interval_minutes: f64,
    pub(super) handling_minutes: f64,
    pub(super) patience_minutes: Option<f64>,
}

impl Load {
    /// `arrivals` citizens in `interval_minutes`, each handled in `handling_minutes` on
    /// average; with `patience_minutes` they leave after that long on average (Erlang A),
    /// without it they wait for ever (Erlang C).
    pub fn new(
        arrivals: f64,
        interval_minutes: f64,
        handling_minutes: f64,
        patience_minutes: Option<f64>,
    ) -> Result<Self, ErlangError> {
        // Checked in the order of the CLI's flags, so the first complaint is the first flag.
        let arrivals = check("calls", arrivals, arrivals >= 0.0, "0 or more")?;
        let interval_minutes = check(
            "interval-minutes",
            interval_minutes,
            interval_minutes > 0.0,
            "above 0",
        )?;
        let handling_minutes = check(
            "aht-minutes",
            handling_minutes,
            handling_minutes > 0.0,
            "above 0",
        )?;
        let patience_minutes = patience_minutes
            .map(|p| {
                check(
                    "patience-minutes",
                    p,
                    p > 0.0 && p <= MAX_PATIENCE_MINUTES,
                    "above 0 and at most 1440 (a day); leave it out to assume citizens never leave",
                )
            })
            .transpose()?;
        Ok(Self {
            arrivals,
            interval_minutes,
            handling_minutes,
            patience_minutes,
        })
    }

    pub fn arrivals(&self) -> f64 {
        self.arrivals
    }

    pub fn interval_minutes(&self) -> f64 {
        self.interval_minutes
    }

    pub fn handling_minutes(&self) -> f64 {
        self.handling_minutes
    }

    pub fn patience_minutes(&self) -> Option<f64> {
        self.patience_minutes
    }

    /// Offered traffic A = λ/μ: the positions that would be busy if nobody ever waited.
    pub fn traffic_erlangs(&self) -> f64 {
        // Multiplying first keeps round numbers round: 100·3/30 is exactly 10.
        self.arrivals * self.handling_minutes / self.interval_minutes
    }

    pub(super) fn arrival_rate(&self) -> f64 {
        self.arrivals / self.interval_minutes
    }

    pub(super) fn service_rate(&self) -> f64 {
        1.0 / self.handling_minutes
    }
}

/// What the staffing must achieve. Built only by its validating constructors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target(pub(super) Goal);

/// What a [`Target`] asks for, as those who measure waits themselves read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    ServiceLevel { level: f64, within_minutes: f64 },
    AverageWait { minutes: f64 },
}

impl Target {
    /// A share `level` of citizens served within `within_seconds`. A level of 1 is refused:
    /// with random arrivals no finite staff serves everyone within a time.
    pub fn service_level(level: f64, within_seconds: f64) -> Result<Self, ErlangError> {
        let level = check(
            "service-level",
            level,
            level > 0.0 && level < 1.0,
            "above 0 and below 1",
        )?;
        let within_seconds = check(
            "target-seconds",
            within_seconds,
            within_seconds >= 0.0,
            "0 or more",
        )?;
        Ok(Self(Goal::ServiceLevel {
            level,
            within_minutes: within_seconds / 60.0,
        }))
    }

    /// An average wait of at most `seconds` for those served. Zero is refused: some
    /// citizen always finds every position busy.
    pub fn average_wait(seconds: f64) -> Result<Self, ErlangError> {
        let seconds = check("average-wait-seconds", seconds, seconds > 0.0, "above 0")?;
        Ok(Self(Goal::AverageWait {
            minutes: seconds / 60.0,
        }))
    }

    pub fn goal(&self) -> Goal {
        self.0
    }

    /// The time the reported service level is measured against: the target's own, and for
    /// an average-wait target that average.
    pub(super) fn within_minutes(&self) -> f64 {
        match self.0 {
            Goal::ServiceLevel { within_minutes, .. } => within_minutes,
            Goal::AverageWait { minutes } => minutes,
        }
    }
}
