//! The mail worker: every few seconds it sends what is due of the appointments' mails and
//! of the waitlist's, through one mailer.

use chrono::{DateTime, Utc};

use crate::app::mailer::{drain, Delivery, Mailer};
use crate::app::{appointment_mail, waitlist_mail};
use crate::domain::redaction::redact;
use crate::error::AppResult;
use crate::store::Pool;

/// Sends every mail that is due, the appointments' and the waitlist's, each on its own: one
/// that cannot be composed or is refused never holds back the others (see [`drain`]).
pub fn deliver_due(
    pool: &Pool,
    mailer: &Mailer,
    public_base: &str,
    now: DateTime<Utc>,
) -> AppResult<Delivery> {
    let mut conn = pool.get()?;
    let mut done = drain(
        &mut conn,
        mailer,
        &appointment_mail::OUTBOX,
        |conn, row| appointment_mail::prepare(conn, row, public_base, now),
        now,
    )?;
    done += drain(
        &mut conn,
        mailer,
        &waitlist_mail::MAILS,
        |conn, row| waitlist_mail::prepare(conn, row, public_base, now),
        now,
    )?;
    Ok(done)
}

/// Runs [`deliver_due`] every `every` until the process ends.
pub fn spawn_worker(
    pool: Pool,
    mailer: Mailer,
    public_base: String,
    clock: crate::clock::SharedClock,
    every: std::time::Duration,
) {
    std::thread::Builder::new()
        .name("mail".into())
        .spawn(move || loop {
            if let Err(e) = deliver_due(&pool, &mailer, &public_base, clock.now()) {
                tracing::error!(error = %redact(&e.to_string()), "the mail worker could not read the outbox");
            }
            std::thread::sleep(every);
        })
        .expect("starting the mail thread");
}
