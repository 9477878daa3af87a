//! The library's own worker threads, and their lifetime.
//!
//! The engine evaluates batches on a thread pool, and each thread that runs
//! rules keeps compiled copies of them in a thread-local cache. On a pool
//! that lives as long as the process (rayon's global pool), those caches
//! are never freed: a leak checker reports them at exit. So the engine's
//! parallel work runs on a pool this library owns, and the pool lives only
//! while it has users: each loaded policy and each call in progress. When the last policy is freed and no call is running,
//! the pool is shut down and its threads joined, which drops their caches.
//! The next load starts a new pool.
//!
//! A program that frees its policies therefore leaves no thread and no
//! cache of this library behind, and needs no shutdown call.
//!
//! Only the calls with parallel work (a batch, a report) run on the pool.
//! Loading, checking and one ticket run on the calling thread: no hop to
//! another thread, and the rules' copies that thread keeps are freed when
//! it exits, or at the next evaluation once their policy is freed.

use rayon::{ThreadPool, ThreadPoolBuilder};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

/// Times the epoch collector is advanced when a pool stops: its garbage is
/// freed two epochs after it was retired, a few bags at a time.
const EPOCH_STEPS: usize = 16;

/// A pool and the handles of its threads, joined when it is dropped.
struct Pool {
    /// The rayon pool; `None` once dropped.
    pool: Option<ThreadPool>,
    /// The pool's threads, filled in by the spawn handler.
    threads: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Dropping the rayon pool tells its threads to stop once idle;
        // joining them waits until each has run its thread-local
        // destructors (the rules' caches).
        drop(self.pool.take());
        let threads = std::mem::take(&mut *lock(&self.threads));
        for thread in threads {
            let _ = thread.join();
        }
        // rayon's work queues free memory through an epoch collector
        // (crossbeam-epoch) shared by every thread: a thread's record in it
        // is unlinked, and then freed, only as the collector's epoch
        // advances, which takes a pinned thread. Advance it here, past the
        // stopped threads, so that their records are freed now rather than
        // at some later pool's work (or never, at exit).
        for _ in 0..EPOCH_STEPS {
            crossbeam_epoch::pin().flush();
        }
    }
}

/// The pool in service, and how many users it has (live policies and calls
/// in progress).
struct Shared {
    pool: Option<Arc<Pool>>,
    users: usize,
}

static SHARED: Mutex<Shared> = Mutex::new(Shared {
    pool: None,
    users: 0,
});

/// Locks a mutex, whether or not a thread panicked while holding it (the
/// data stays consistent: every update is a single assignment).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A new pool, as many threads as rayon's default (the available cores, or
/// `RAYON_NUM_THREADS`), or `None` when no thread can be started.
fn start() -> Option<Arc<Pool>> {
    let threads = Arc::new(Mutex::new(Vec::new()));
    let handles = Arc::clone(&threads);
    let pool = ThreadPoolBuilder::new()
        .thread_name(|i| format!("aftersales-{i}"))
        .spawn_handler(move |thread| {
            let mut builder = std::thread::Builder::new();
            if let Some(name) = thread.name() {
                builder = builder.name(name.to_string());
            }
            if let Some(size) = thread.stack_size() {
                builder = builder.stack_size(size);
            }
            let handle = builder.spawn(|| thread.run())?;
            lock(&handles).push(handle);
            Ok(())
        })
        .build()
        .ok()?;
    Some(Arc::new(Pool {
        pool: Some(pool),
        threads,
    }))
}

/// Takes a use of the pool, starting it when it has none, and returns it.
fn acquire() -> Option<Arc<Pool>> {
    let mut shared = lock(&SHARED);
    if shared.pool.is_none() {
        shared.pool = start();
    }
    shared.users += 1;
    shared.pool.clone()
}

/// Gives back a use of the pool; the last one shuts it down. The threads
/// are joined here, outside the lock, once no other caller holds the pool.
fn release() {
    let retired = {
        let mut shared = lock(&SHARED);
        shared.users = shared.users.saturating_sub(1);
        if shared.users == 0 {
            shared.pool.take()
        } else {
            None
        }
    };
    drop(retired);
}

/// Runs `body` on the library's pool: the engine's parallel work goes to
/// the pool's threads, and the pool stays up until `body` returns. Should
/// the pool not start (no thread could be created), `body` runs on the
/// calling thread and the engine's parallel work on rayon's global pool.
pub(crate) fn run<T: Send, F: FnOnce() -> T + Send>(body: F) -> T {
    /// Gives the use back however `body` ends, a panic included.
    struct Use;
    impl Drop for Use {
        fn drop(&mut self) {
            release();
        }
    }
    let pool = acquire();
    let _use = Use;
    match pool.as_ref().and_then(|pool| pool.pool.as_ref()) {
        Some(pool) => pool.install(body),
        None => body(),
    }
}

/// A loaded policy's use of the pool: taken when the policy is loaded,
/// given back when it is freed.
#[derive(Debug)]
pub(crate) struct PolicyUse(());

impl PolicyUse {
    /// Takes a use of the pool for a policy.
    pub(crate) fn take() -> PolicyUse {
        drop(acquire());
        PolicyUse(())
    }
}

impl Drop for PolicyUse {
    fn drop(&mut self) {
        release();
    }
}

/// Whether the library has a pool running (tests).
#[cfg(test)]
pub(crate) fn running() -> bool {
    lock(&SHARED).pool.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pool starts with its first user and stops with its last; the
    /// work of `run` happens on the pool's threads.
    #[test]
    fn the_pool_lives_while_it_has_users() {
        let first = PolicyUse::take();
        assert!(running());
        let name = run(|| std::thread::current().name().map(str::to_string));
        assert!(name.is_some_and(|name| name.starts_with("aftersales-")));
        let second = PolicyUse::take();
        drop(first);
        assert!(running());
        drop(second);
        // Other tests of this crate may hold the pool at the same time.
    }
}
