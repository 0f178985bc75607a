//! Account rules: usernames, passwords, API token format, login throttling.

use sha2::{Digest, Sha256};

use crate::DomainError;

/// Minimum password length.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Failed logins within [`THROTTLE_WINDOW_SECS`] that lock an account name.
pub const MAX_FAILURES: usize = 5;
/// The window in which failures count, and how long the lock lasts.
pub const THROTTLE_WINDOW_SECS: i64 = 15 * 60;
/// Every API token starts with this, so leaked tokens are easy to find in code and logs.
pub const TOKEN_PREFIX: &str = "gst_";

/// A username: 3–32 ASCII letters, digits, `.`, `_` or `-`, kept in lower case.
pub fn parse_username(input: &str) -> Result<String, DomainError> {
    let name = input.trim().to_ascii_lowercase();
    let ok_len = (3..=32).contains(&name.len());
    let ok_chars = name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok_len && ok_chars {
        Ok(name)
    } else {
        Err(DomainError::InvalidField { field: "username", reason: "must be 3 to 32 letters, digits, '.', '_' or '-'" })
    }
}

/// A password must be at least [`MIN_PASSWORD_CHARS`] characters.
pub fn check_password(password: &str) -> Result<(), DomainError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(DomainError::InvalidField { field: "password", reason: "must be at least 10 characters" });
    }
    Ok(())
}

/// A loose e-mail check: something@something.something, no spaces.
pub fn check_email(email: &str) -> Result<(), DomainError> {
    let ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !email.contains(char::is_whitespace)
                && !domain.starts_with('.')
        }
        None => false,
    };
    if ok { Ok(()) } else { Err(DomainError::InvalidField { field: "email", reason: "is not a valid e-mail address" }) }
}

/// The digest under which a token (or session id) is stored: hex SHA-256. A stolen
/// database therefore holds no usable secret (SEC-7).
pub fn secret_digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Given the times (seconds) of recent failed logins for a name, when the lock ends,
/// or `None` if logins are allowed at `now`.
pub fn locked_until(failures: &[i64], now: i64) -> Option<i64> {
    let mut recent: Vec<i64> = failures.iter().copied().filter(|t| now - t < THROTTLE_WINDOW_SECS).collect();
    if recent.len() < MAX_FAILURES {
        return None;
    }
    recent.sort_unstable();
    // Locked until the window has moved past the MAX_FAILURES-th most recent failure.
    let pivot = recent[recent.len() - MAX_FAILURES];
    Some(pivot + THROTTLE_WINDOW_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(parse_username(" Zhang.San "), Ok("zhang.san".into()));
        for bad in ["ab", "张三", "a b", "x".repeat(33).as_str(), "a/b"] {
            assert!(parse_username(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_and_emails() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough!").is_ok());
        assert!(check_password("十个汉字的密码十个汉字").is_ok());
        assert!(check_email("a@b.cn").is_ok());
        for bad in ["a", "@b.cn", "a@b", "a b@c.cn", "a@.cn"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    /// ORG-3: login throttling after repeated failures.
    #[test]
    fn org_3_throttle_after_five_failures_in_fifteen_minutes() {
        let now = 10_000;
        assert_eq!(locked_until(&[now - 10, now - 9, now - 8, now - 7], now), None);
        assert_eq!(locked_until(&[now - 10, now - 9, now - 8, now - 7, now - 6], now), Some(now - 10 + 900));
        // Old failures fall out of the window.
        assert_eq!(locked_until(&[now - 2000, now - 9, now - 8, now - 7, now - 6], now), None);
        // The lock ends 15 minutes after the fifth most recent failure.
        assert_eq!(locked_until(&[now - 899, now - 9, now - 8, now - 7, now - 6], now), Some(now + 1));
    }

    #[test]
    fn digest_is_hex_sha256() {
        assert_eq!(secret_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
