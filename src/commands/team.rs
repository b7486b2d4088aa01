//! The team store seen from the commands that drive a run: the store's target read before
//! anything is written (a wrong URL is a usage error, found without the network), the
//! shipper started beside the journal, and what it got to the store said at the end.

use super::{EXIT_USAGE, report_error};
use crate::exec::journal::{Journal, Mode};
use crate::exec::screen::{Screen, Status};
use crate::store::conninfo::Target;
use crate::store::ship::{Notices, Shipper};
use std::time::Duration;

/// How long the end of a run waits for the shipper's last pass: the engineer is told what
/// is left, never kept waiting on the network.
const END_WAIT: Duration = Duration::from_secs(3);

/// The store in effect: `Ok(None)` without one; `Err(exit status)` when its URL cannot be
/// used (reported).
pub fn target() -> Result<Option<Target>, i32> {
    crate::store::target().map_err(|e| {
        report_error(&e.message, &e.help);
        EXIT_USAGE
    })
}

/// A run's shipping to the team store. Dropped, it finishes (see [`Team::finish`]): a
/// command with many ways out says what the store got on every one of them.
pub struct Team {
    shipper: Option<Shipper>,
    notices: Notices,
    mode: Mode,
    shown: String,
}

impl Team {
    /// Starts shipping `journal`'s run to `target`; messages appear on `screen`.
    pub fn start(target: Target, journal: &mut Journal, screen: &mut Screen) -> Team {
        let notices: Notices = Notices::default();
        let shown = target.shown.clone();
        let shipper = Shipper::start(target, journal.dir().to_path_buf(), notices.clone());
        journal.on_append(Box::new(shipper.waker()));
        screen.attach_notices(notices.clone());
        Team {
            shipper: Some(shipper),
            notices,
            mode: screen.mode(),
            shown,
        }
    }

    /// After the run's last event: one last pass, waited for a moment, and a line saying
    /// whether the team store has the whole run.
    pub fn finish(&mut self) {
        let Some(shipper) = self.shipper.take() else {
            return;
        };
        let outcome = shipper.finish(END_WAIT);
        let mut screen = Screen::new(self.mode);
        screen.attach_notices(self.notices.clone());
        screen.show_notices();
        if outcome.complete {
            screen.line(&format!("store     {} · every event sent", self.shown));
        } else {
            let why = outcome.error.map(|e| format!(" ({e})")).unwrap_or_default();
            screen.status(
                Status::Warning,
                &format!(
                    "the team store {} does not have the whole run yet{why}: the journal keeps it; `runbook sync` sends it",
                    self.shown
                ),
            );
        }
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        self.finish();
    }
}
