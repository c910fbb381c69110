//! Sign-in throttling that protects users instead of locking them out.
//!
//! Failed sign-ins are counted per source address and e-mail (the pair), per source address, per
//! e-mail across addresses, and for the whole process; each count has its own answer:
//!
//! - **pair**: a few free attempts, then a back-off that doubles (30 s up to 15 min), so guessing
//!   one account's password from one place is slow, while the account's owner signing in from
//!   elsewhere is untouched;
//! - **address**: many more free attempts (password spraying tries one password on many e-mails),
//!   then the same back-off for everything from that address;
//! - **e-mail from many addresses** (credential stuffing from a botnet): the account is locked for
//!   a while, its lock stored on the user so every server honours it, and the audit log says so;
//! - **process**: above a ceiling of failures per minute, only addresses with no recent failure may
//!   try, which caps an attack's rate without turning real users away.
//!
//! Known and unknown e-mails are counted and answered alike, so no answer, message or timing says
//! which e-mails have accounts. The counts live in process memory (each server counts on its own;
//! the account lock is the one shared state).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures of one (address, e-mail) pair before its back-off starts.
pub const FREE_PER_PAIR: u32 = 5;
/// Failures from one address (any e-mails) before its back-off starts.
pub const FREE_PER_ADDRESS: u32 = 50;
/// Distinct addresses failing for one e-mail within [`MEMORY`] that lock the account.
pub const STUFFING_ADDRESSES: usize = 10;
/// Failed sign-ins per minute in the process above which only clean addresses may try.
pub const CEILING_PER_MINUTE: usize = 600;
/// The first back-off; each further failure doubles it, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(30);
/// The longest back-off, and the account lock for credential stuffing.
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// How long failures are remembered after the last one.
const MEMORY: Duration = Duration::from_secs(60 * 60);
/// Above this many remembered keys, forgotten ones are pruned.
const PRUNE_ABOVE: usize = 50_000;

/// Consecutive failures and the time of the last one.
#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    /// How long to wait from `now` before another attempt, past `free` failures.
    fn wait(&self, free: u32, now: Instant) -> Option<Duration> {
        if self.count < free {
            return None;
        }
        let doublings = (self.count - free).min(10);
        let backoff = FIRST_BACKOFF
            .saturating_mul(1 << doublings)
            .min(MAX_BACKOFF);
        backoff.checked_sub(now.duration_since(self.last))
    }
}

#[derive(Default)]
struct Counts {
    pairs: HashMap<(IpAddr, String), Failures>,
    addresses: HashMap<IpAddr, Failures>,
    /// Per e-mail: the addresses that failed for it, and when last.
    spread: HashMap<String, HashMap<IpAddr, Instant>>,
    /// The process's failures of the last minute.
    recent: VecDeque<Instant>,
    /// E-mails locked against credential stuffing, until when (known and unknown alike).
    locks: HashMap<String, Instant>,
}

/// What a failed attempt means for the account behind the e-mail.
#[derive(Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// Nothing beyond the counts.
    Counted,
    /// Failures from many addresses: lock the account (if there is one) and tell its owner.
    LockAccount,
}

/// The process's sign-in counts.
#[derive(Default)]
pub struct SignInThrottle {
    counts: Mutex<Counts>,
}

impl SignInThrottle {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        match self.counts.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Whether `address` may try to sign in as `email` now: `Err` with the seconds to wait.
    pub fn check(&self, address: IpAddr, email: &str) -> Result<(), u64> {
        self.check_at(address, email, Instant::now())
    }

    pub fn check_at(&self, address: IpAddr, email: &str, now: Instant) -> Result<(), u64> {
        let mut counts = self.counts();
        while counts
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            counts.recent.pop_front();
        }
        let pair = counts
            .pairs
            .get(&(address, email.to_owned()))
            .and_then(|f| f.wait(FREE_PER_PAIR, now));
        let from_address = counts.addresses.get(&address).copied();
        let by_address = from_address.and_then(|f| f.wait(FREE_PER_ADDRESS, now));
        // Over the ceiling, an address that failed lately waits for the minute to pass.
        let ceiling = (counts.recent.len() >= CEILING_PER_MINUTE
            && from_address.is_some_and(|f| now.duration_since(f.last) < MEMORY))
        .then(|| {
            counts.recent.front().map_or(Duration::from_secs(1), |t| {
                Duration::from_secs(60).saturating_sub(now.duration_since(*t))
            })
        });
        let locked = counts
            .locks
            .get(email)
            .and_then(|until| until.checked_duration_since(now));
        let wait = [pair, by_address, ceiling, locked]
            .into_iter()
            .flatten()
            .max()
            .filter(|wait| !wait.is_zero());
        match wait {
            Some(wait) => Err(wait.as_secs().max(1)),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt (wrong password, unknown e-mail or inactive user alike).
    pub fn failed(&self, address: IpAddr, email: &str) -> AfterFailure {
        self.failed_at(address, email, Instant::now())
    }

    pub fn failed_at(&self, address: IpAddr, email: &str, now: Instant) -> AfterFailure {
        let mut counts = self.counts();
        if counts.pairs.len() + counts.spread.len() > PRUNE_ABOVE {
            counts
                .pairs
                .retain(|_, f| now.duration_since(f.last) < MEMORY);
            counts
                .addresses
                .retain(|_, f| now.duration_since(f.last) < MEMORY);
            counts.spread.retain(|_, by| {
                by.retain(|_, t| now.duration_since(*t) < MEMORY);
                !by.is_empty()
            });
        }
        let bump = |f: &mut Failures| {
            if now.duration_since(f.last) >= MEMORY {
                f.count = 0;
            }
            f.count = f.count.saturating_add(1);
            f.last = now;
        };
        let fresh = Failures {
            count: 0,
            last: now,
        };
        bump(
            counts
                .pairs
                .entry((address, email.to_owned()))
                .or_insert(fresh),
        );
        bump(counts.addresses.entry(address).or_insert(fresh));
        counts.recent.push_back(now);
        let by = counts.spread.entry(email.to_owned()).or_default();
        by.retain(|_, t| now.duration_since(*t) < MEMORY);
        by.insert(address, now);
        if by.len() >= STUFFING_ADDRESSES {
            by.clear();
            counts.locks.retain(|_, until| *until > now);
            counts.locks.insert(email.to_owned(), now + MAX_BACKOFF);
            AfterFailure::LockAccount
        } else {
            AfterFailure::Counted
        }
    }

    /// A successful sign-in clears its pair's failures (not its address's: an attacker's own
    /// account must not reset the address's count).
    pub fn succeeded(&self, address: IpAddr, email: &str) {
        self.counts().pairs.remove(&(address, email.to_owned()));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    #[test]
    fn a_pair_backs_off_but_the_owner_elsewhere_does_not() {
        let t = SignInThrottle::default();
        let now = Instant::now();
        for _ in 0..FREE_PER_PAIR {
            assert_eq!(t.check_at(ip(1), "ann@x", now), Ok(()));
            t.failed_at(ip(1), "ann@x", now);
        }
        assert_eq!(t.check_at(ip(1), "ann@x", now), Err(30));
        assert_eq!(
            t.check_at(ip(2), "ann@x", now),
            Ok(()),
            "the owner elsewhere"
        );
        assert_eq!(t.check_at(ip(1), "bob@x", now), Ok(()), "another account");
        // The back-off doubles and ends.
        t.failed_at(ip(1), "ann@x", now);
        assert_eq!(t.check_at(ip(1), "ann@x", now), Err(60));
        assert_eq!(
            t.check_at(ip(1), "ann@x", now + Duration::from_secs(61)),
            Ok(())
        );
        t.succeeded(ip(1), "ann@x");
        assert_eq!(t.check_at(ip(1), "ann@x", now), Ok(()));
    }

    #[test]
    fn spraying_from_one_address_backs_that_address_off() {
        let t = SignInThrottle::default();
        let now = Instant::now();
        for i in 0..FREE_PER_ADDRESS {
            t.failed_at(ip(1), &format!("user{i}@x"), now);
        }
        assert!(t.check_at(ip(1), "someone-new@x", now).is_err());
        assert_eq!(t.check_at(ip(2), "someone-new@x", now), Ok(()));
    }

    #[test]
    fn many_addresses_against_one_account_lock_it() {
        let t = SignInThrottle::default();
        let now = Instant::now();
        for i in 1..STUFFING_ADDRESSES as u8 {
            assert_eq!(t.failed_at(ip(i), "ann@x", now), AfterFailure::Counted);
        }
        assert_eq!(
            t.failed_at(ip(200), "ann@x", now),
            AfterFailure::LockAccount
        );
        // Locked from everywhere, for the longest back-off.
        assert_eq!(t.check_at(ip(77), "ann@x", now), Err(MAX_BACKOFF.as_secs()));
        assert_eq!(t.check_at(ip(77), "ann@x", now + MAX_BACKOFF), Ok(()));
    }

    #[test]
    fn over_the_ceiling_only_clean_addresses_may_try() {
        let t = SignInThrottle::default();
        let now = Instant::now();
        for i in 0..CEILING_PER_MINUTE {
            let address = IpAddr::from([10, 1, (i / 250) as u8, (i % 250) as u8]);
            t.failed_at(address, "x@x", now);
        }
        assert!(t.check_at(IpAddr::from([10, 1, 0, 0]), "y@x", now).is_err());
        assert_eq!(t.check_at(ip(9), "y@x", now), Ok(()));
        assert_eq!(
            t.check_at(
                IpAddr::from([10, 1, 0, 0]),
                "y@x",
                now + Duration::from_secs(61)
            ),
            Ok(())
        );
    }
}
