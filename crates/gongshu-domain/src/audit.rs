//! The audit log's hash chain (SEC-1).
//!
//! Each entry's hash covers its own fields and the previous entry's hash, so changing
//! or removing any entry breaks every hash after it. Checkpoints seal the chain head at
//! a moment in time, so removing entries from the end is detected too.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The previous hash of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The outcome of an audited action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    Denied,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failure => "failure",
        }
    }
}

/// What is recorded about an action before it enters the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Who: `user:NAME`, `token:ID`, `cli`, or `platform` for the platform's own acts.
    pub actor: String,
    /// What was done, as `area.verb`, e.g. `org.create`.
    pub action: String,
    /// The object acted on, e.g. `org:12`.
    pub object: String,
    pub purpose: Option<String>,
    pub outcome: Outcome,
    pub request_id: Option<String>,
    /// Extra facts as a JSON object (changed fields, counts).
    pub detail: serde_json::Value,
}

impl AuditEvent {
    pub fn new(actor: impl Into<String>, action: impl Into<String>, object: impl Into<String>) -> Self {
        AuditEvent {
            actor: actor.into(),
            action: action.into(),
            object: object.into(),
            purpose: None,
            outcome: Outcome::Success,
            request_id: None,
            detail: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }

    pub fn request_id(mut self, id: Option<String>) -> Self {
        self.request_id = id;
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// An entry as stored: its place in the chain, its time and its hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// Microseconds since the Unix epoch.
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub purpose: Option<String>,
    pub outcome: String,
    pub request_id: Option<String>,
    /// The detail JSON exactly as stored (hashed as text, so it never re-serializes differently).
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: SHA-256 over the previous hash and each field, every field
/// length-prefixed so that no two different entries encode the same.
pub fn entry_hash(prev_hash: &str, e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(prev_hash.as_bytes());
    field(&e.seq.to_be_bytes());
    field(&e.at.to_be_bytes());
    field(e.actor.as_bytes());
    field(e.action.as_bytes());
    field(e.object.as_bytes());
    field(e.purpose.as_deref().unwrap_or("\u{0}").as_bytes());
    field(e.outcome.as_bytes());
    field(e.request_id.as_deref().unwrap_or("\u{0}").as_bytes());
    field(e.detail.as_bytes());
    hex::encode(h.finalize())
}

/// Builds the next entry of a chain whose head is `(head_seq, head_hash)`.
pub fn next_entry(head_seq: i64, head_hash: &str, at: i64, ev: &AuditEvent) -> AuditEntry {
    let mut entry = AuditEntry {
        seq: head_seq + 1,
        at,
        actor: ev.actor.clone(),
        action: ev.action.clone(),
        object: ev.object.clone(),
        purpose: ev.purpose.clone(),
        outcome: ev.outcome.as_str().to_string(),
        request_id: ev.request_id.clone(),
        detail: ev.detail.to_string(),
        prev_hash: head_hash.to_string(),
        hash: String::new(),
    };
    entry.hash = entry_hash(head_hash, &entry);
    entry
}

/// A sealed chain head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub sealed_at: i64,
}

/// Where and how the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("audit entry {seq} was altered: its hash does not match its contents")]
    Altered { seq: i64 },
    #[error("audit entry {expected} is missing (the next entry found is {found})")]
    Missing { expected: i64, found: i64 },
    #[error("audit entry {seq} does not follow the entry before it (previous hash differs)")]
    Unlinked { seq: i64 },
    #[error("checkpoint at entry {seq} does not match the log: entries up to it were altered or removed")]
    Checkpoint { seq: i64 },
}

impl ChainBreak {
    /// The first entry found bad.
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::Altered { seq } | ChainBreak::Unlinked { seq } | ChainBreak::Checkpoint { seq } => *seq,
            ChainBreak::Missing { expected, .. } => *expected,
        }
    }
}

/// Checks a chain entry by entry, in `seq` order, so a log of any size is checked in
/// constant memory.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
    checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier { expected_seq: 1, prev_hash: GENESIS_HASH.to_string(), checked: 0 }
    }
}

impl ChainVerifier {
    pub fn push(&mut self, e: &AuditEntry) -> Result<(), ChainBreak> {
        if e.seq != self.expected_seq {
            return Err(ChainBreak::Missing { expected: self.expected_seq, found: e.seq });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainBreak::Unlinked { seq: e.seq });
        }
        if entry_hash(&e.prev_hash, e) != e.hash {
            return Err(ChainBreak::Altered { seq: e.seq });
        }
        self.expected_seq += 1;
        self.prev_hash = e.hash.clone();
        self.checked += 1;
        Ok(())
    }

    /// The hash of the last entry checked, for comparing with a checkpoint.
    pub fn head(&self) -> (i64, &str) {
        (self.expected_seq - 1, &self.prev_hash)
    }

    pub fn checked(&self) -> u64 {
        self.checked
    }
}

/// Checks that every checkpoint names an entry of the log with the same hash.
/// `hash_at` looks up the stored hash of an entry.
pub fn check_checkpoints<'a>(
    checkpoints: impl IntoIterator<Item = &'a Checkpoint>,
    mut hash_at: impl FnMut(i64) -> Option<String>,
) -> Result<(), ChainBreak> {
    for cp in checkpoints {
        if hash_at(cp.seq).as_deref() != Some(cp.hash.as_str()) {
            return Err(ChainBreak::Checkpoint { seq: cp.seq });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let (seq, hash) = out.last().map(|e| (e.seq, e.hash.clone())).unwrap_or((0, GENESIS_HASH.into()));
            let ev = AuditEvent::new("user:admin", "org.create", format!("org:{i}"));
            out.push(next_entry(seq, &hash, 1_700_000_000_000_000 + i, &ev));
        }
        out
    }

    fn verify(entries: &[AuditEntry]) -> Result<(), ChainBreak> {
        let mut v = ChainVerifier::default();
        entries.iter().try_for_each(|e| v.push(e))
    }

    /// SEC-1: an intact chain verifies.
    #[test]
    fn sec_1_intact_chain_verifies() {
        assert_eq!(verify(&chain(10)), Ok(()));
    }

    /// SEC-1: altering any field of a middle entry is detected at that entry.
    #[test]
    fn sec_1_altered_entry_is_named() {
        let mut c = chain(10);
        c[4].object = "org:999".into();
        assert_eq!(verify(&c), Err(ChainBreak::Altered { seq: 5 }));
        let mut c = chain(10);
        c[6].outcome = "denied".into();
        assert_eq!(verify(&c), Err(ChainBreak::Altered { seq: 7 }));
    }

    /// SEC-1: removing a middle entry is detected, even if the rest are renumbered.
    #[test]
    fn sec_1_removed_entry_is_named() {
        let mut c = chain(10);
        c.remove(3);
        assert_eq!(verify(&c), Err(ChainBreak::Missing { expected: 4, found: 5 }));
        for (i, e) in c.iter_mut().enumerate() {
            e.seq = i as i64 + 1;
        }
        assert!(matches!(verify(&c), Err(ChainBreak::Unlinked { seq: 4 })));
    }

    /// SEC-1: rehashing an altered entry still breaks the link to the next one.
    #[test]
    fn sec_1_rehashed_entry_breaks_the_next_link() {
        let mut c = chain(10);
        c[2].actor = "user:mallory".into();
        c[2].hash = entry_hash(&c[2].prev_hash.clone(), &c[2]);
        assert_eq!(verify(&c), Err(ChainBreak::Unlinked { seq: 4 }));
    }

    /// SEC-1: cutting entries off the end is caught by a checkpoint.
    #[test]
    fn sec_1_truncation_is_caught_by_a_checkpoint() {
        let c = chain(10);
        let cp = Checkpoint { seq: 8, hash: c[7].hash.clone(), sealed_at: 0 };
        let short = &c[..6];
        assert_eq!(verify(short), Ok(()));
        let lookup = |seq: i64| short.iter().find(|e| e.seq == seq).map(|e| e.hash.clone());
        assert_eq!(check_checkpoints([&cp], lookup), Err(ChainBreak::Checkpoint { seq: 8 }));
        let lookup = |seq: i64| c.iter().find(|e| e.seq == seq).map(|e| e.hash.clone());
        assert_eq!(check_checkpoints([&cp], lookup), Ok(()));
    }
}
