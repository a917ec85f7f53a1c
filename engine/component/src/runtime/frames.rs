//! The stack of a paused component call as a debugger shows it: core frames, each naming the
//! component instance whose code it runs, and between the frames of two instances a boundary
//! frame for the lower/lift pair that crossed, with the WIT function and the arguments as the
//! callee received them (already lifted, so records, lists and handles read as values).
//!
//! The frames come from the call's one interpreter thread (see `driver`): each nested call on
//! it begins at a frame floor, and each floor has the driver's record of why it was entered.

use canopy_interp::FrameView;

use super::Store;
use super::driver::{Call, Waiting};
use crate::val::Val;

/// One frame of a paused component call, innermost first in [`Call::frames`].
#[derive(Debug, Clone, PartialEq)]
pub enum CallFrame {
    /// A core wasm frame.
    Core(CoreFrame),
    /// Control crossed from one instance into another here (or from the host, for the
    /// outermost frame of the call).
    Boundary(BoundaryFrame),
}

/// A core wasm frame and the component instance it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct CoreFrame {
    /// The component instance whose core module the function is in (`None` for core code
    /// the runtime cannot attribute, which a well-formed store does not have).
    pub instance: Option<String>,
    /// The frame: function, code offset, locals and operands.
    pub frame: FrameView,
    /// The frame's depth on the thread, counted from the outermost frame as
    /// [`canopy_interp::Thread::depth`] counts: running until this depth steps out to it.
    pub depth: usize,
}

/// Why control crossed into another instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundaryKind {
    /// The host called a lifted export: the outermost frame of a call.
    HostCall,
    /// Core code called a lowered import that is another instance's lifted export.
    Call,
    /// The callee's `post-return` runs after its results were lifted.
    PostReturn,
    /// `resource.drop` of an own handle runs the resource's destructor.
    Destructor,
}

/// A boundary between two instances on a call's stack.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundaryFrame {
    /// What crossed.
    pub kind: BoundaryKind,
    /// The WIT function (the export's name as the callee's component gives it) for calls and
    /// post-returns; for a destructor, `resource.drop`.
    pub function: String,
    /// The calling instance (`None` when the host called).
    pub caller: Option<String>,
    /// The instance entered.
    pub callee: Option<String>,
    /// The arguments by parameter name, as lifted from the caller (empty for post-returns
    /// and destructors, whose arguments are core values: see the core frame above).
    pub args: Vec<(String, Val)>,
}

impl Call {
    /// The call's stack, innermost first: core frames of every instance it entered, with a
    /// boundary frame below the frames of each instance entered (the last entry is the
    /// host's call of the export). Fails only when the interpreter cannot describe a frame.
    pub fn frames(&self, store: &Store) -> Result<Vec<CallFrame>, canopy_interp::Error> {
        let views = self.thread.frames(&store.core)?;
        let depth = views.len();
        let floors = self.thread.nested_call_floors();
        let name = |inst: usize| store.rt.instances.get(inst).map(|i| i.name.clone());
        let mut out = Vec::with_capacity(depth + floors.len() + 1);
        // `views[0]` is the innermost frame, at depth `depth`; frame at depth d is views[depth - d].
        let mut top = depth;
        for (k, &floor) in floors.iter().enumerate().rev() {
            push_core(store, &views, depth, floor, top, &mut out);
            top = floor;
            let boundary = match self.stack.get(k) {
                Some(Waiting::Callee { caller, callee, values, .. }) => BoundaryFrame {
                    kind: BoundaryKind::Call,
                    function: callee.name.clone(),
                    caller: name(*caller),
                    callee: name(callee.inst),
                    args: named(&callee.sig.params, values),
                },
                Some(Waiting::PostReturn { callee, .. }) => BoundaryFrame {
                    kind: BoundaryKind::PostReturn,
                    function: callee.name.clone(),
                    caller: None,
                    callee: name(callee.inst),
                    args: Vec::new(),
                },
                Some(Waiting::Dtor { .. }) | None => {
                    let owner = views
                        .get(depth.saturating_sub(floor + 1))
                        .filter(|_| floor < depth)
                        .and_then(|v| store.func_owner(v.func))
                        .and_then(|i| name(i.0));
                    BoundaryFrame {
                        kind: BoundaryKind::Destructor,
                        function: "resource.drop".to_string(),
                        caller: None,
                        callee: owner,
                        args: Vec::new(),
                    }
                }
            };
            out.push(CallFrame::Boundary(boundary));
        }
        push_core(store, &views, depth, 0, top, &mut out);
        if let Some((callee, _)) = &self.root {
            out.push(CallFrame::Boundary(BoundaryFrame {
                kind: BoundaryKind::HostCall,
                function: callee.name.clone(),
                caller: None,
                callee: name(callee.inst),
                args: named(&callee.sig.params, &self.root_args),
            }));
        }
        Ok(out)
    }
}

/// Pushes the core frames at depths `floor + 1 ..= top`, innermost first.
fn push_core(store: &Store, views: &[FrameView], depth: usize, floor: usize, top: usize, out: &mut Vec<CallFrame>) {
    for d in (floor + 1..=top).rev() {
        let Some(view) = views.get(depth - d) else { continue };
        let instance = store.func_owner(view.func).and_then(|i| store.instance_name(i).map(str::to_string));
        out.push(CallFrame::Core(CoreFrame { instance, frame: view.clone(), depth: d }));
    }
}

fn named(params: &[(String, crate::Type)], values: &[Val]) -> Vec<(String, Val)> {
    params.iter().map(|(n, _)| n.clone()).zip(values.iter().cloned()).collect()
}
