//! A sliding-window rate limit per client address, in process memory (each server process
//! counts on its own).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `limit` events per key within `window`.
pub struct RateLimiter {
    limit: usize,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

/// Above this many tracked addresses, idle ones are forgotten.
const PRUNE_ABOVE: usize = 10_000;

impl RateLimiter {
    /// `limit` events per minute.
    pub fn per_minute(limit: u32) -> Self {
        Self::new(limit as usize, Duration::from_secs(60))
    }

    /// `limit` events per `window`.
    pub fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit: limit.max(1),
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an event for `key` at `now`: `Ok` when within the limit, else the seconds until one
    /// more would be accepted.
    pub fn check_at(&self, key: IpAddr, now: Instant) -> Result<(), u64> {
        let mut seen = match self.seen.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if seen.len() > PRUNE_ABOVE {
            let window = self.window;
            seen.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let q = seen.entry(key).or_default();
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            q.pop_front();
        }
        if q.len() >= self.limit {
            let oldest = q.front().copied().unwrap_or(now);
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().max(1));
        }
        q.push_back(now);
        Ok(())
    }

    /// Counts an event for `key` now.
    pub fn check(&self, key: IpAddr) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_each_address_within_its_window() {
        let l = RateLimiter::new(2, Duration::from_secs(60));
        let (a, b): (IpAddr, IpAddr) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        let t0 = Instant::now();
        assert!(l.check_at(a, t0).is_ok());
        assert!(l.check_at(a, t0 + Duration::from_secs(1)).is_ok());
        assert_eq!(l.check_at(a, t0 + Duration::from_secs(2)), Err(58));
        assert!(l.check_at(b, t0 + Duration::from_secs(2)).is_ok());
        assert!(l.check_at(a, t0 + Duration::from_secs(61)).is_ok());
    }
}
