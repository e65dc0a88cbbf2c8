//! Staff sign-in: argon2 password hashes, and sessions whose tokens are stored only as hashes.

use std::net::IpAddr;
use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::app::audit;
use crate::domain::organisation::StaffUser;
use crate::domain::rate_limit::{seconds_until, Backoff};
use crate::error::{AppError, AppResult};
use crate::store::staff::{self, SessionRecord};
use crate::store::{self, login_failures, DbConnection};

/// How long a sign-in lasts: a working day with margin.
pub const SESSION_LENGTH: Duration = Duration::hours(12);

/// Hashes a password with argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing a password failed: {e}")))
}

/// Whether `password` is the one `hash` was made from.
pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the user does not exist, so that an unknown username
/// takes as long to refuse as a wrong password and usernames cannot be probed by timing.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password").expect("argon2 with default parameters"))
}

/// A random secret of 256 bits, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The form in which a token is stored and looked up.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A session just opened: the token is shown once, here, and never stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: StaffUser,
}

/// Where a sign-in comes from and for which account, as the back-off counts them: the
/// keys are hashed, so the table of failures names neither.
struct Throttle {
    account: String,
    address: Option<String>,
}

impl Throttle {
    fn new(username: &str, client: Option<IpAddr>) -> Self {
        Self {
            account: token_hash(&format!("account:{}", username.trim().to_lowercase())),
            address: client.map(|ip| token_hash(&format!("address:{ip}"))),
        }
    }
}

fn backed_off(until: DateTime<Utc>, now: DateTime<Utc>) -> AppError {
    let seconds = seconds_until(until, now);
    AppError::rate_limited(
        format!("too many failed sign-ins; try again in {seconds} seconds"),
        seconds,
    )
}

/// Counts a failure for `key` under `policy` and starts its wait when the count calls for
/// one; returns the failures in a row, and the wait if one began. `Err` (429) when the key
/// is blocked already.
fn count_failure(
    conn: &mut DbConnection,
    key: &str,
    policy: &Backoff,
    now: DateTime<Utc>,
) -> AppResult<(u32, Option<Duration>)> {
    store::write(conn, |conn| {
        let failures = login_failures::count(conn, key, now, now - policy.forget_after)?
            .map_err(|until| backed_off(until, now))?;
        let wait = policy.wait_after(failures);
        if let Some(wait) = wait {
            login_failures::block(conn, key, now + wait)?;
        }
        Ok((failures, wait))
    })
}

/// Signs a staff user in. Every refusal reads the same, so it tells nothing of which part was wrong.
///
/// Failed sign-ins back off per account and per client address ([`Backoff`]); successful
/// ones count for nothing, so colleagues behind one address never hold each other up.
/// During a back-off the password is not even checked (429 with the wait). Each attempt
/// counts against its account before the password is checked, so guesses sent in parallel
/// meet the back-off as soon as the count calls for it; a success clears the count.
pub fn login(
    conn: &mut DbConnection,
    username: &str,
    password: &str,
    client: Option<IpAddr>,
    now: DateTime<Utc>,
) -> AppResult<NewSession> {
    let throttle = Throttle::new(username, client);
    if let Some(address) = &throttle.address {
        if let Some(until) = login_failures::blocked_until(conn, address, now)? {
            return Err(backed_off(until, now));
        }
    }
    let (failures, wait) = count_failure(conn, &throttle.account, &Backoff::ACCOUNT, now)?;
    let user = staff::find_by_username(conn, username)?;
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let matches = verify_password(password, hash.as_deref().unwrap_or_else(|| decoy_hash()));
    let user = match user {
        Some(u) if matches && hash.is_some() && u.active => u,
        known => {
            let failed = Failed {
                account: known.map(|u| u.username),
                client,
                failures,
                wait,
            };
            failed.record(conn, &throttle, now)?;
            return Err(AppError::Unauthorized(
                "the username or the password is wrong".into(),
            ));
        }
    };
    login_failures::clear(conn, &throttle.account)?;
    let session = NewSession {
        token: random_token(),
        csrf_token: random_token(),
        expires_at: now + SESSION_LENGTH,
        user,
    };
    staff::create_session(
        conn,
        session.user.id,
        &token_hash(&session.token),
        &session.csrf_token,
        now.naive_utc(),
        session.expires_at.naive_utc(),
    )?;
    Ok(session)
}

/// A failed sign-in, as the audit log records it.
struct Failed {
    /// The account tried, when it exists. An unknown username is not recorded: it may be
    /// a password typed into the wrong field.
    account: Option<String>,
    client: Option<IpAddr>,
    /// Failures in a row for the account, this one included.
    failures: u32,
    /// The account's wait that this failure began.
    wait: Option<Duration>,
}

impl Failed {
    /// Writes the security events: the failure, and each back-off it began. The audit log
    /// holds the client address; the plain log only counts, with no name and no address.
    fn record(
        &self,
        conn: &mut DbConnection,
        throttle: &Throttle,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let from = self
            .client
            .map_or_else(|| "an unknown address".to_owned(), |ip| ip.to_string());
        let subject = self.account.as_deref();
        let whom = if subject.is_some() {
            ""
        } else {
            " to an unknown user"
        };
        let failures = self.failures;
        audit::record_security(
            conn,
            "login.failed",
            subject,
            &format!("failed sign-in{whom} from {from}; {failures} in a row"),
            now,
        )?;
        tracing::warn!(failures, "a sign-in failed");
        if let Some(wait) = self.wait {
            let seconds = wait.num_seconds();
            audit::record_security(
                conn,
                "login.backoff",
                subject,
                &format!("{failures} failed sign-ins in a row{whom}; the next is refused for {seconds} s"),
                now,
            )?;
            tracing::warn!(
                failures,
                wait_seconds = seconds,
                "sign-ins to an account are backed off"
            );
        }
        let Some(address) = &throttle.address else {
            return Ok(());
        };
        // Another request may have blocked the address meanwhile; this one failed all the same.
        if let Ok((failures, Some(wait))) = count_failure(conn, address, &Backoff::ADDRESS, now) {
            let seconds = wait.num_seconds();
            audit::record_security(
                conn,
                "login.backoff",
                None,
                &format!("{failures} failed sign-ins in a row from {from}; the next from there is refused for {seconds} s"),
                now,
            )?;
            tracing::warn!(
                failures,
                wait_seconds = seconds,
                "sign-ins from a client address are backed off"
            );
        }
        Ok(())
    }
}

/// The session that this token opens, if it is live.
pub fn authenticate(
    conn: &mut DbConnection,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<SessionRecord>> {
    Ok(staff::find_session(
        conn,
        &token_hash(token),
        now.naive_utc(),
    )?)
}

pub fn logout(conn: &mut DbConnection, token: &str) -> AppResult<()> {
    Ok(staff::delete_session(conn, &token_hash(token))?)
}

/// Sets a user's password (the CLI's `set-password`).
pub fn set_password(conn: &mut DbConnection, username: &str, password: &str) -> AppResult<()> {
    if let Err(refused) = crate::domain::staff_account::new_password(password, None) {
        return Err(AppError::invalid_field(&refused.field, refused.message));
    }
    let user = staff::find_by_username(conn, username)?
        .ok_or_else(|| AppError::not_found(format!("there is no staff user '{username}'")))?;
    Ok(staff::set_password_hash(
        conn,
        user.id,
        &hash_password(password)?,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("korrekt hest batteri").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("korrekt hest batteri", &hash));
        assert!(!verify_password("korrekt hest", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
