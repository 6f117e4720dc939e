//! The web app's undo of a correction or deletion, kept in the store (not in a server's memory), so that any
//! server on the same database can undo what another did, and a restart forgets nothing.

use super::*;
use crate::backup::BackupSession;
use crate::store::StoredSession;

/// How many undos are kept per person (the oldest go first).
pub const UNDO_KEEP: usize = 50;

/// A change that can be undone: the session's id, the session before it, and as the change left it (`None` when
/// the change deleted it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undo {
    /// The session's id.
    pub session_id: i64,
    /// Before the change.
    pub before: Session,
    /// As the change left it.
    pub after: Option<Session>,
}

/// A session as the undo keeps it: the export's session format, as JSON text.
fn encode(id: i64, s: &Session, at: Timestamp) -> Result<String, AppError> {
    let stored = StoredSession {
        id,
        recorded_at: at,
        session: s.clone(),
    };
    serde_json::to_string(&BackupSession::from(&stored))
        .map_err(|e| AppError::Store(StoreError::Backend(e.to_string())))
}

fn decode(text: &str) -> Result<Session, AppError> {
    let corrupt = |e: String| AppError::Store(StoreError::Corrupt(format!("an undo: {e}")));
    serde_json::from_str::<BackupSession>(text)
        .map_err(|e| corrupt(e.to_string()))?
        .to_session()
        .map_err(|e| corrupt(e.to_string()))
}

impl App {
    /// Keeps an undo of a change to one of the person's sessions; returns its token (random, for a link). Only
    /// the person's newest `UNDO_KEEP` stay.
    pub async fn keep_undo(
        &self,
        who: AthleteId,
        session_id: i64,
        before: &Session,
        after: Option<&Session>,
    ) -> Result<String, AppError> {
        let token = new_token()?;
        let now = self.now();
        let before = encode(session_id, before, now)?;
        let after = after.map(|a| encode(session_id, a, now)).transpose()?;
        self.store
            .add_undo(
                who,
                &sha256_hex(&token),
                session_id,
                &before,
                after.as_deref(),
                now,
                UNDO_KEEP,
            )
            .await?;
        Ok(token)
    }

    /// Whether the person still has this undo.
    pub async fn has_undo(&self, who: AthleteId, token: &str) -> Result<bool, AppError> {
        let Some(hash) = token_hash(token) else {
            return Ok(false);
        };
        Ok(self.store.has_undo(who, &hash).await?)
    }

    /// Takes the person's undo (once): `None` when it is not theirs, was used, or was pushed out by newer ones.
    pub async fn take_undo(&self, who: AthleteId, token: &str) -> Result<Option<Undo>, AppError> {
        let Some(hash) = token_hash(token) else {
            return Ok(None);
        };
        let Some((session_id, before, after)) = self.store.take_undo(who, &hash).await? else {
            return Ok(None);
        };
        Ok(Some(Undo {
            session_id,
            before: decode(&before)?,
            after: after.as_deref().map(decode).transpose()?,
        }))
    }
}
