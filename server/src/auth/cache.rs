//! The access cache: each user's role, grants and team reach, kept per server process under the
//! access epoch they were loaded at.
//!
//! Triggers in the database advance `access_epoch.epoch` on every change to roles, grants, field
//! grants, teams and team members (migration 10). A request reads its session, its user and the
//! current epoch in one statement ([`super::sessions::resolve`]); a cached entry is used only when
//! its epoch and the user's role are still current, so a logout, a deactivated user or a changed
//! grant takes effect on the very next request of every server process, and a warm request costs
//! that one statement.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use super::grants::Grants;

/// What a user may do, as loaded from the role and team tables.
#[derive(Debug)]
pub struct Access {
    pub role_key: String,
    pub role_name: String,
    pub grants: Arc<Grants>,
    pub team_user_ids: Arc<Vec<Uuid>>,
}

#[derive(Debug)]
struct Entry {
    epoch: i64,
    role_id: Uuid,
    access: Arc<Access>,
}

/// Entries beyond this many users clear the cache (it refills on demand).
const MAX_ENTRIES: usize = 10_000;

/// Users' access per epoch, shared by every request of one process.
#[derive(Debug, Default)]
pub struct AccessCache {
    entries: Mutex<HashMap<Uuid, Entry>>,
}

impl AccessCache {
    /// The cached access of `user_id`, if it was loaded at `epoch` for `role_id`.
    pub fn get(&self, user_id: Uuid, role_id: Uuid, epoch: i64) -> Option<Arc<Access>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&user_id)
            .filter(|e| e.epoch == epoch && e.role_id == role_id)
            .map(|e| e.access.clone())
    }

    /// Keeps `access` for `user_id` as loaded at `epoch` (loaded after reading that epoch, so it is
    /// at least that fresh).
    pub fn put(&self, user_id: Uuid, role_id: Uuid, epoch: i64, access: Arc<Access>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&user_id) {
            entries.clear();
        }
        entries.insert(
            user_id,
            Entry {
                epoch,
                role_id,
                access,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access() -> Arc<Access> {
        Arc::new(Access {
            role_key: "sales_rep".into(),
            role_name: "Sales representative".into(),
            grants: Arc::default(),
            team_user_ids: Arc::default(),
        })
    }

    #[test]
    fn an_entry_serves_only_its_epoch_and_role() {
        let cache = AccessCache::default();
        let (user, role, other_role) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        assert!(cache.get(user, role, 7).is_none());
        cache.put(user, role, 7, access());
        assert!(cache.get(user, role, 7).is_some());
        assert!(cache.get(user, role, 8).is_none(), "a newer epoch misses");
        assert!(
            cache.get(user, other_role, 7).is_none(),
            "a changed role misses"
        );
        assert!(cache.get(Uuid::new_v4(), role, 7).is_none());
    }
}
