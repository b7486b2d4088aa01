//! The run's tie to the team store's lease, as the walk sees it. Background work (the
//! store's shipper) says when the lease is lost or taken; the walk looks before each step
//! (`Executor::check_tether`): a driver never stops silently and never drives silently on.

use std::sync::{Arc, Mutex};

/// What the walk must know before its next action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// The lease is held (or no store is used).
    Held,
    /// The lease could not be renewed long enough to expire: someone may take the run over.
    /// `since`: the last contact (local time, for the screen).
    Lost { since: String },
    /// Another driver holds the run now.
    Taken { by: String },
}

#[derive(Debug, Default)]
struct State {
    store: String,
    generation: u64,
    lost_since: Option<String>,
    taken_by: Option<String>,
    /// The operator chose to go on alone during this loss of contact.
    alone: bool,
}

/// Shared between the walk and the shipper.
#[derive(Debug, Clone, Default)]
pub struct Tether(Arc<Mutex<State>>);

impl Tether {
    pub fn new(store: &str, generation: u64) -> Tether {
        Tether(Arc::new(Mutex::new(State {
            store: store.to_string(),
            generation,
            ..State::default()
        })))
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> Option<T> {
        self.0.lock().ok().map(|mut s| f(&mut s))
    }

    /// The shipper: the lease was renewed (contact is back), or it expired at `since`.
    pub fn set_lost(&self, since: Option<String>) {
        self.with(|s| {
            if since.is_none() {
                s.alone = false;
            }
            s.lost_since = since;
        });
    }

    /// The shipper: another driver holds the run.
    pub fn set_taken(&self, by: String) {
        self.with(|s| s.taken_by = Some(by));
    }

    /// The walk: the operator chose to go on alone; not asked again until contact is back
    /// and lost again.
    pub fn go_on_alone(&self) {
        self.with(|s| s.alone = true);
    }

    /// What the walk must hear before its next action.
    pub fn standing(&self) -> Standing {
        self.with(|s| match (&s.taken_by, &s.lost_since) {
            (Some(by), _) => Standing::Taken { by: by.clone() },
            (None, Some(since)) if !s.alone => Standing::Lost {
                since: since.clone(),
            },
            _ => Standing::Held,
        })
        .unwrap_or(Standing::Held)
    }

    pub fn store(&self) -> String {
        self.with(|s| s.store.clone()).unwrap_or_default()
    }

    pub fn generation(&self) -> u64 {
        self.with(|s| s.generation).unwrap_or(0)
    }
}
