//! The undo dialog of `aicoder audit undo` and `/audit undo`: show what
//! will be reverted and what cannot be, ask, apply, report each write.

use crate::app::{App, Ask};
use crate::caps::undo::Select;

/// Whether to apply the plan without asking, ask, or refuse to go on.
pub enum Confirm<'a> {
    /// Apply without asking (`--yes`, or piped input in a session).
    Apply,
    /// Ask `Apply? [y/N]:` with this.
    Ask(Ask<'a>),
    /// There is no one to ask: stop with this message if there is anything
    /// to apply.
    Cannot(&'a str),
}

/// What the dialog did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct UndoOutcome {
    /// Writes planned for reverting.
    pub planned: usize,
    /// Writes that cannot be reverted (untrusted, no undo, already undone).
    pub refused: usize,
    /// The user said no: nothing changed.
    pub declined: bool,
    /// Planned writes left as they are because their target changed since.
    pub not_undone: usize,
}

impl UndoOutcome {
    /// Whether something was applied (the conversation may have changed).
    pub fn applied(&self) -> bool {
        self.planned > 0 && !self.declined
    }
}

/// Plan the undo of `select` from the app's audit log, print the plan,
/// confirm, apply it to the app's live state and print what happened.
pub fn run(app: &App, select: Select, confirm: Confirm<'_>) -> anyhow::Result<UndoOutcome> {
    let plan = crate::caps::undo::plan(&app.host.services().audit, select)?;
    for line in plan.describe() {
        println!("{line}");
    }
    let steps = plan.steps();
    let mut outcome = UndoOutcome {
        planned: steps.len(),
        refused: plan.refused().len(),
        ..UndoOutcome::default()
    };
    if steps.is_empty() {
        return Ok(outcome);
    }
    match confirm {
        Confirm::Apply => {}
        Confirm::Cannot(why) => anyhow::bail!("{why}"),
        Confirm::Ask(ask) => {
            let answer = ask("Apply? [y/N]: ").unwrap_or_default();
            if !matches!(answer.trim(), "y" | "Y" | "yes") {
                println!("nothing changed");
                outcome.declined = true;
                return Ok(outcome);
            }
        }
    }
    let report = app.undo(&steps);
    outcome.not_undone = report
        .iter()
        .filter(|l| l.starts_with("not undone"))
        .count();
    for line in report {
        println!("{line}");
    }
    Ok(outcome)
}
