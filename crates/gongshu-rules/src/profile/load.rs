//! Loading profiles from TOML text, with errors that name the file, the key path and the reason.

use std::collections::HashMap;

use super::error::ProfileError;
use super::types::Profile;

/// The built-in profiles: (name, TOML text).
const BUILTIN: [(&str, &str); 5] = [
    ("weihai", include_str!("../../profiles/weihai.toml")),
    ("lishui", include_str!("../../profiles/lishui.toml")),
    ("qiqihar", include_str!("../../profiles/qiqihar.toml")),
    ("binzhou", include_str!("../../profiles/binzhou.toml")),
    ("wuhan", include_str!("../../profiles/wuhan.toml")),
];

impl Profile {
    /// The names of the built-in profiles, one per source city.
    pub const NAMES: [&'static str; 5] = ["weihai", "lishui", "qiqihar", "binzhou", "wuhan"];

    /// Parses and validates a profile. `file_name` (e.g. `weihai.toml`) is named in errors and
    /// must match the profile's `name`.
    pub fn from_toml(file_name: &str, text: &str) -> Result<Profile, ProfileError> {
        let profile: Profile = toml::from_str(text).map_err(|e| toml_error(file_name, text, &e))?;
        profile.validate(file_name)?;
        Ok(profile)
    }

    /// One built-in profile by name (`weihai`, `lishui`, `qiqihar`, `binzhou`, `wuhan`).
    pub fn builtin(name: &str) -> Result<Profile, ProfileError> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| ProfileError::UnknownBuiltin { name: name.to_string() })?;
        Profile::from_toml(&format!("{name}.toml"), text)
    }

    /// All built-in profiles, in the order of [`Profile::NAMES`].
    pub fn all() -> Result<Vec<Profile>, ProfileError> {
        Profile::NAMES.iter().map(|name| Profile::builtin(name)).collect()
    }

    /// The TOML text of a built-in profile, e.g. for showing it to an administrator.
    pub fn builtin_text(name: &str) -> Option<&'static str> {
        BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
    }
}

fn toml_error(file: &str, text: &str, error: &toml::de::Error) -> ProfileError {
    let message = error.message().trim().replace('\n', "; ");
    let offset = error.span().map_or(0, |s| s.start);
    let place = locate(text, offset);
    let join = |field: Option<&str>| match (place.table.as_str(), field) {
        ("", Some(f)) => f.to_string(),
        (t, Some(f)) => format!("{t}.{f}"),
        (t, None) => t.to_string(),
    };
    let file = file.to_string();
    // A document that is not TOML at all fails here; then only the shape can be wrong.
    if text.parse::<toml::Table>().is_err() {
        let key = join(place.key.as_deref());
        return ProfileError::Syntax { file, key, reason: message };
    }
    if message.starts_with("unknown field") {
        // On a header line (`[quality.bogus]`) the unknown key is the header's own path.
        let key =
            if place.on_header { place.table.clone() } else { join(backticked(&message).or(place.key.as_deref())) };
        ProfileError::UnknownKey { file, key, reason: message }
    } else if message.starts_with("missing field") {
        let key = join(backticked(&message));
        ProfileError::MissingKey { file, key, reason: message }
    } else {
        let key = join(place.key.as_deref());
        ProfileError::BadValue { file, key, reason: message }
    }
}

/// The first `backticked` word of a message.
fn backticked(message: &str) -> Option<&str> {
    let rest = message.split_once('`')?.1;
    Some(rest.split_once('`')?.0)
}

/// Where an offset of the text lies.
struct Place {
    /// The key path of the table open there, with `[n]` for arrays of tables.
    table: String,
    /// The key of the `key = value` line there, if it is one.
    key: Option<String>,
    /// The offset is on a `[table]` header line.
    on_header: bool,
}

fn locate(text: &str, offset: usize) -> Place {
    let mut table = String::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let here = offset < line_end;
        let trimmed = line.trim();
        if let Some(header) = trimmed.strip_prefix("[[").and_then(|h| h.split_once("]]")) {
            let name = header.0.trim().to_string();
            let n = counts.entry(name.clone()).or_insert(0);
            table = format!("{name}[{n}]");
            *n += 1;
        } else if let Some(header) = trimmed.strip_prefix('[').and_then(|h| h.split_once(']')) {
            table = header.0.trim().to_string();
        } else if here {
            let key = trimmed
                .split_once('=')
                .map(|(k, _)| k.trim().trim_matches('"').to_string())
                .filter(|k| !k.is_empty() && !k.starts_with('#'));
            return Place { table, key, on_header: false };
        }
        if here {
            return Place { table, key: None, on_header: true };
        }
        line_start = line_end;
    }
    Place { table, key: None, on_header: false }
}
