//! The order of resolution: interfaces after the interfaces they `use`, worlds after the worlds
//! they `include`, on an explicit stack.
//!
//! Written recursively ("resolve what this `use`s, then bind it"), a chain of `use`s or
//! `include`s nests as deep on the Rust stack as the input is long, and a few thousand links
//! overflow it. Here the same depth-first walk runs on a heap-allocated stack: an interface or
//! world is marked in progress when the walk first reaches it, and its body is resolved once
//! everything it reaches is done, or still in progress because it lies on a cycle (the body then
//! reports the cycle, as it finds the `use` or `include` in progress). The walk takes the edges
//! in the order the bodies ask for them, so the cycle found, the `use` or `include` that closes
//! it and the place it is reported at are the ones a recursive resolution gives; only the order
//! in which bodies fill the arenas differs (a dependency is resolved before, not during, the body
//! that needs it), which no result depends on.

use super::*;
use crate::hir::{InterfaceItem, WorldItem as HirWorldItem};

/// Something resolved lazily: the walk's nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Interface(InterfaceId),
    World(WorldId),
}

impl<'a> Resolver<'a> {
    /// Resolves an interface (once), after the interfaces it `use`s from. Asked for while it is
    /// in progress, reports the cycle that leads back to it.
    pub(super) fn ensure_interface(&mut self, id: InterfaceId) {
        self.ensure(Node::Interface(id));
    }

    /// Resolves a world (once), after the worlds it includes. Asked for while it is in
    /// progress, reports the cycle that leads back to it.
    pub(super) fn ensure_world(&mut self, id: WorldId) {
        self.ensure(Node::World(id));
    }

    fn ensure(&mut self, root: Node) {
        if let Begin::Skip = self.begin(self.state(root)) {
            return;
        }
        // Each frame: a node in progress, what it depends on, and how many of those were taken.
        let mut stack: Vec<(Node, Vec<Node>, usize)> = Vec::new();
        let targets = self.enter(root);
        stack.push((root, targets, 0));
        while let Some((node, targets, taken)) = stack.last_mut() {
            match targets.get(*taken) {
                Some(&next) => {
                    *taken += 1;
                    if self.state(next) == State::Pending {
                        let targets = self.enter(next);
                        stack.push((next, targets, 0));
                    }
                }
                None => {
                    let node = *node;
                    stack.pop();
                    match node {
                        Node::Interface(id) => self.resolve_interface(id),
                        Node::World(id) => self.resolve_world(id),
                    }
                }
            }
        }
    }

    fn state(&self, node: Node) -> State {
        match node {
            Node::Interface(id) => self.interface_state[id.index()],
            Node::World(id) => self.world_state[id.index()],
        }
    }

    /// Marks `node` in progress (named on the stack of items being resolved, for cycle
    /// reports) and returns what it depends on, in the order its body asks for them.
    fn enter(&mut self, node: Node) -> Vec<Node> {
        match node {
            Node::Interface(id) => {
                self.interface_state[id.index()] = State::InProgress;
                let interface = self.out.interface(id);
                if let Some(location) = interface.location {
                    self.resolving.push((interface.name.clone().unwrap_or_default(), location));
                }
                let Some(source) = self.interface_sources[id.index()] else { return Vec::new() };
                let mut targets = Vec::new();
                for item in source.items {
                    if let InterfaceItem::Use(use_) = item
                        && self.is_active(&use_.meta.gates)
                        && let Some(PathTarget::Interface(target)) =
                            self.peek_path(source.file, source.body, &use_.path)
                    {
                        targets.push(Node::Interface(target));
                    }
                }
                targets
            }
            Node::World(id) => {
                self.world_state[id.index()] = State::InProgress;
                let world = self.out.world(id);
                if let Some(location) = world.location {
                    self.resolving.push((world.name.clone(), location));
                }
                let source = self.world_sources[id.index()];
                let mut targets = Vec::new();
                for item in &source.def.items {
                    if let HirWorldItem::Include(include) = item
                        && self.is_active(&include.meta.gates)
                        && let Some(PathTarget::World(target)) = self.peek_path(source.file, source.body, &include.path)
                    {
                        targets.push(Node::World(target));
                    }
                }
                targets
            }
        }
    }
}
