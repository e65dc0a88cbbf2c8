//! Staff sign-in: argon2 password hashes, and sessions whose tokens are stored only as hashes.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::domain::organisation::StaffUser;
use crate::error::{AppError, AppResult};
use crate::store::staff::{self, SessionRecord};
use crate::store::DbConnection;

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

fn verify_password(password: &str, hash: &str) -> bool {
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

/// Signs a staff user in. Every refusal reads the same, so it tells nothing of which part was wrong.
pub fn login(
    conn: &mut DbConnection,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> AppResult<NewSession> {
    let refused = || AppError::Unauthorized("the username or the password is wrong".into());
    let user = staff::find_by_username(conn, username)?;
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let matches = verify_password(password, hash.as_deref().unwrap_or_else(|| decoy_hash()));
    let user = match user {
        Some(u) if matches && hash.is_some() && u.active => u,
        _ => return Err(refused()),
    };
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
    if password.chars().count() < 10 {
        return Err(AppError::invalid_field(
            "password",
            "must be at least 10 characters long",
        ));
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
