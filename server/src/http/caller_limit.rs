//! At most so many GraphQL requests of one caller run at once (a signed-in user, else a client
//! address): a caller who sends many expensive requests together queues behind their own, and
//! everybody else's requests go on. A request that cannot start within the wait is answered
//! `RATE_LIMITED`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Who a request counts against.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Caller {
    User(uuid::Uuid),
    Address(std::net::IpAddr),
}

/// Above this many callers tracked, idle ones are forgotten.
const PRUNE_ABOVE: usize = 10_000;

/// Running requests per caller.
pub struct CallerLimit {
    per_caller: usize,
    wait: Duration,
    running: Mutex<HashMap<Caller, Arc<Semaphore>>>,
}

impl CallerLimit {
    /// `per_caller` requests at once; a further one waits up to `wait` for its turn.
    pub fn new(per_caller: usize, wait: Duration) -> Self {
        Self {
            per_caller: per_caller.max(1),
            wait,
            running: Mutex::default(),
        }
    }

    /// A turn for `caller`, held while the request runs; `None` when none came within the wait.
    pub async fn turn(&self, caller: Caller) -> Option<OwnedSemaphorePermit> {
        let semaphore = {
            let mut running = match self.running.lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            if running.len() > PRUNE_ABOVE {
                // Idle: nobody holds a turn or waits for one.
                running.retain(|_, s| Arc::strong_count(s) > 1);
            }
            running
                .entry(caller)
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_caller)))
                .clone()
        };
        if let Ok(permit) = semaphore.clone().try_acquire_owned() {
            return Some(permit);
        }
        tokio::time::timeout(self.wait, semaphore.acquire_owned())
            .await
            .ok()
            .and_then(Result::ok)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_caller_has_their_own_turns() {
        let limit = CallerLimit::new(2, Duration::from_millis(50));
        let ann = Caller::User(uuid::Uuid::new_v4());
        let bob = Caller::Address(std::net::IpAddr::from([10, 0, 0, 1]));
        let first = limit.turn(ann.clone()).await;
        let second = limit.turn(ann.clone()).await;
        assert!(first.is_some() && second.is_some());
        assert!(
            limit.turn(ann.clone()).await.is_none(),
            "a third waits, then is refused"
        );
        assert!(limit.turn(bob).await.is_some(), "others are not affected");
        drop(first);
        assert!(
            limit.turn(ann).await.is_some(),
            "a finished request frees a turn"
        );
    }
}
