//! When RustPython itself fails (a Rust panic inside the interpreter), the
//! wasm instance traps and the host drops it; before that, this hook prints
//! the panic and the Python stack that reached it. The host shows the end of
//! what a crashed plugin printed, so the user and the model see which line
//! of their code set it off.

use rustpython_vm::VirtualMachine;
use std::cell::Cell;

thread_local! {
    /// The interpreter running now (set for the length of a call).
    static CURRENT: Cell<*const VirtualMachine> = const { Cell::new(std::ptr::null()) };
}

/// Run `f` with `vm` known to the panic hook.
pub fn with_vm<R>(vm: &VirtualMachine, f: impl FnOnce() -> R) -> R {
    let before = CURRENT.with(|c| c.replace(vm as *const VirtualMachine));
    let result = f();
    CURRENT.with(|c| c.set(before));
    result
}

/// The Python frames of the running interpreter, innermost last.
fn python_stack() -> String {
    let ptr = CURRENT.with(Cell::get);
    if ptr.is_null() {
        return String::new();
    }
    // SAFETY: CURRENT is set only inside `with_vm`, while the borrow of the
    // VirtualMachine it points to is alive (the panic hook runs on this
    // thread, within that call).
    let vm = unsafe { &*ptr };
    let Ok(frames) = vm.frames.try_borrow() else {
        return String::new();
    };
    let mut text = String::from("Traceback (most recent call last):\n");
    for fp in frames.iter() {
        // SAFETY: a FramePtr is in the Vec only while its frame is alive.
        let frame = unsafe { fp.as_ref() };
        let file = frame.code.source_path().to_string_lossy();
        if file.starts_with("<aicoder ") {
            continue;
        }
        text.push_str(&format!(
            "  File \"{file}\", line {}, in {}\n",
            frame.f_lineno(),
            frame.code.code.obj_name.to_string_lossy()
        ));
    }
    text
}

/// Install the hook (once, at interpreter start).
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let stack = python_stack();
        eprintln!(
            "{stack}SystemError: RustPython 0.5 failed inside the interpreter ({info}); \
             python_runtime was restarted (see docs/python_runtime.md, Known crashes)"
        );
    }));
}
