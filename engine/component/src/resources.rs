//! Handle tables: one per component instance, with the own/borrow rules of the Canonical ABI.
//!
//! A table maps the indices a guest sees (from 1; index 0 is never handed out, and freed
//! slots are reused last-freed first, as the spec's free list is a stack) to [`Entry`]s: the
//! resource type, the representation, whether it owns the resource, how many borrows of it are lent
//! out (`num_lends`), and for a borrow the call whose scope it belongs to. Every misuse is
//! a [`HandleError`] whose message names the instance, the handle, the resource type and
//! the rule; the runtime turns it into a trap.

use std::fmt;

use crate::types::ResourceType;

/// One handle in a table.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) resource: ResourceType,
    pub(crate) rep: u32,
    /// `own` (true) or `borrow`.
    pub(crate) own: bool,
    /// Borrows of this handle lent to calls in flight.
    pub(crate) lends: u32,
    /// For a borrow: the call (task id) whose scope it belongs to.
    pub(crate) scope: Option<u64>,
}

/// A broken handle rule, with everything a message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandleError {
    /// The component instance whose table it is.
    pub instance: String,
    /// The index the guest used.
    pub index: u32,
    /// What went wrong, naming the rule.
    pub rule: String,
}

impl fmt::Display for HandleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "handle {} in the table of instance `{}`: {}", self.index, self.instance, self.rule)
    }
}

/// One component instance's handle table.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    /// Slot `i` holds index `i + 1`.
    slots: Vec<Option<Entry>>,
    /// Freed indices, the most recently freed last (the next one `add` takes).
    free: Vec<u32>,
}

impl Table {
    fn err(instance: &str, index: u32, rule: impl Into<String>) -> HandleError {
        HandleError { instance: instance.to_string(), index, rule: rule.into() }
    }

    /// Adds an entry at the most recently freed index, else at a new one (never 0).
    pub(crate) fn add(&mut self, entry: Entry) -> u32 {
        match self.free.pop() {
            Some(index) => {
                self.slots[index as usize - 1] = Some(entry);
                index
            }
            None => {
                self.slots.push(Some(entry));
                self.slots.len() as u32
            }
        }
    }

    /// The live entry at `index`, of resource type `resource`.
    pub(crate) fn get_mut(
        &mut self,
        instance: &str,
        index: u32,
        resource: &ResourceType,
    ) -> Result<&mut Entry, HandleError> {
        let slot = index.checked_sub(1).and_then(|i| self.slots.get_mut(i as usize));
        let Some(Some(entry)) = slot else {
            return Err(Table::err(
                instance,
                index,
                format!(
                    "unknown handle index {index}: no handle to `{resource}` here (never created, or already dropped)"
                ),
            ));
        };
        if entry.resource != *resource {
            return Err(Table::err(
                instance,
                index,
                format!(
                    "handle index {index} used with the wrong type, expected {} but found {}{}: it is a handle \
                     to `{}`, used as `{resource}`",
                    resource.origin(),
                    if resource.origin() == entry.resource.origin() { "a different " } else { "a " },
                    entry.resource.origin(),
                    entry.resource
                ),
            ));
        }
        Ok(entry)
    }

    /// Removes the entry at `index` for an `own` transfer or a drop, applying the rules:
    /// the resource type must match, and an entry with borrows lent out cannot go.
    pub(crate) fn remove(
        &mut self,
        instance: &str,
        index: u32,
        resource: &ResourceType,
        want_own: bool,
        action: &str,
    ) -> Result<Entry, HandleError> {
        let entry = self.get_mut(instance, index, resource)?;
        if entry.lends != 0 {
            return Err(Table::err(
                instance,
                index,
                format!(
                    "{action}: cannot remove owned resource while borrowed: the own<{resource}> is lent out \
                     to {} call(s) in flight as a borrow (num_lends must be 0)",
                    entry.lends
                ),
            ));
        }
        if want_own && !entry.own {
            return Err(Table::err(instance, index, format!("{action}: it is a borrow<{resource}>, not an own")));
        }
        self.free.push(index);
        let slot = &mut self.slots[index as usize - 1];
        Ok(slot.take().expect("get_mut found the entry"))
    }

    /// Decrements the lend count of `index` (a call that borrowed it returned).
    pub(crate) fn end_lend(&mut self, index: u32) {
        if let Some(Some(entry)) = index.checked_sub(1).and_then(|i| self.slots.get_mut(i as usize)) {
            entry.lends = entry.lends.saturating_sub(1);
        }
    }

    /// How many live handles the table holds.
    pub(crate) fn len(&self) -> usize {
        self.slots.iter().flatten().count()
    }
}
