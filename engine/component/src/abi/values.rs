//! The entry points: lifting and lowering the parameters and results of a call, and single
//! values to and from memory or core values.
//!
//! A call crosses two contexts. `canon lift` (the callee is core code implementing an
//! export): the caller's arguments are lowered into the callee ([`LiftLower::lower_params`]),
//! and the callee's core results are lifted ([`LiftLower::lift_results`]). `canon lower` (the
//! caller is core code calling an import): the core arguments are lifted
//! ([`LiftLower::lift_params`]), and the results are lowered back into the caller
//! ([`LiftLower::lower_results`]). All four follow the Canonical ABI's `lift_flat_values` and
//! `lower_flat_values` ([`LiftLower::lift_flat_values`], [`LiftLower::lower_flat_values`],
//! which take the flat limit for the async cases): values that flatten to more than the
//! limit travel as one tuple in memory, reached by a pointer that `realloc` allocates
//! (lowering parameters), that the core code passes (lifting), or that the caller passes as
//! an out-pointer after its arguments (lowering results).

use canopy_canonical_abi::{
    MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flatten_types_bounded, record_field_offsets, record_layout,
};

use super::core_val::{CoreVal, CoreValues};
use super::cx::{LiftLower, offset};
use super::guest::Guest;
use super::plan::{Plan, plan_all};
use super::trap::{PtrSource, Region, Trap, TrapKind};
use crate::path::PathStep;
use crate::types::Type;
use crate::val::Val;

/// Whether a value list is the parameters or the results of a call (it names them in traps
/// and in the spilled tuple's region).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Function parameters.
    Params,
    /// Function results.
    Results,
}

impl Role {
    fn step(self, index: usize) -> PathStep {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        match self {
            Role::Params => PathStep::Param(index),
            Role::Results => PathStep::Result(index),
        }
    }

    fn region(self, bytes: u32) -> Region {
        match self {
            Role::Params => Region::Params { bytes },
            Role::Results => Region::Results { bytes },
        }
    }
}

impl<G: Guest + ?Sized> LiftLower<'_, G> {
    /// `canon lift`, on entry: lowers the caller's arguments into the callee, returning the
    /// callee's core arguments (one pointer to a `realloc`-allocated tuple past
    /// `MAX_FLAT_PARAMS` flat values).
    pub fn lower_params(&mut self, types: &[Type], vals: &[Val]) -> Result<Vec<CoreVal>, Trap> {
        self.lower_flat_values(Role::Params, MAX_FLAT_PARAMS, vals, types, None)
    }

    /// `canon lift`, on return: lifts the callee's core results (a pointer to the result
    /// tuple past `MAX_FLAT_RESULTS` flat values). Every core value must be used.
    pub fn lift_results(&mut self, types: &[Type], results: &[CoreVal]) -> Result<Vec<Val>, Trap> {
        let mut src = CoreValues::new(results);
        let vals = self.lift_flat_values(Role::Results, MAX_FLAT_RESULTS, &mut src, types)?;
        src.finish()?;
        Ok(vals)
    }

    /// `canon lower`, on entry: lifts the arguments from the core code's arguments `args`
    /// (a pointer to the parameter tuple past `MAX_FLAT_PARAMS` flat values). When the
    /// result spills, the out-pointer is left in `args` for [`LiftLower::lower_results`].
    pub fn lift_params(&mut self, types: &[Type], args: &mut CoreValues<'_>) -> Result<Vec<Val>, Trap> {
        self.lift_flat_values(Role::Params, MAX_FLAT_PARAMS, args, types)
    }

    /// `canon lower`, on return: lowers the results into the caller, returning its core
    /// results; past `MAX_FLAT_RESULTS` flat values they are stored through the out-pointer
    /// taken from `args` (the same cursor [`LiftLower::lift_params`] read), and no core
    /// result is returned. Every core argument must have been used.
    pub fn lower_results(
        &mut self,
        types: &[Type],
        vals: &[Val],
        args: &mut CoreValues<'_>,
    ) -> Result<Vec<CoreVal>, Trap> {
        let flat = self.lower_flat_values(Role::Results, MAX_FLAT_RESULTS, vals, types, Some(&mut *args))?;
        args.finish()?;
        Ok(flat)
    }

    /// The Canonical ABI's `lift_flat_values`: lifts values of `types` from `src`, flat if
    /// they flatten to at most `max_flat` core values, else from the tuple a pointer in
    /// `src` points to. `max_flat` above `MAX_FLAT_PARAMS` counts as `MAX_FLAT_PARAMS`.
    pub fn lift_flat_values(
        &mut self,
        role: Role,
        max_flat: usize,
        src: &mut CoreValues<'_>,
        types: &[Type],
    ) -> Result<Vec<Val>, Trap> {
        let (plans, abis) = plan_all(types)?;
        if flatten_types_bounded(&abis, max_flat.min(MAX_FLAT_PARAMS)).is_some() {
            return plans
                .iter()
                .enumerate()
                .map(|(index, plan)| self.lift_flat_planned(src, plan).map_err(|trap| trap.at(role.step(index))))
                .collect();
        }
        let ptr = src.next_u32()?;
        let tuple = record_layout(&abis);
        self.check_range(|| role.region(tuple.size), ptr, tuple.align, tuple.size.into(), PtrSource::Guest)?;
        let offsets = record_field_offsets(&abis);
        (plans.iter().zip(offsets).enumerate())
            .map(|(index, (plan, field))| {
                self.load_planned(offset(ptr, field)?, plan).map_err(|trap| trap.at(role.step(index)))
            })
            .collect()
    }

    /// The Canonical ABI's `lower_flat_values`: lowers `vals` of `types` to core values, flat
    /// if they flatten to at most `max_flat` core values, else into a tuple in memory, at a
    /// pointer taken from `out_param` when given (and then no core value is returned), or
    /// else allocated with `realloc` (and then returned as the one core value). Values are
    /// type-checked before anything is written. `max_flat` above `MAX_FLAT_PARAMS` counts as
    /// `MAX_FLAT_PARAMS`.
    pub fn lower_flat_values(
        &mut self,
        role: Role,
        max_flat: usize,
        vals: &[Val],
        types: &[Type],
        out_param: Option<&mut CoreValues<'_>>,
    ) -> Result<Vec<CoreVal>, Trap> {
        if vals.len() != types.len() {
            return Err(Trap::new(TrapKind::ValueCount { expected: types.len(), found: vals.len() }));
        }
        for (index, (val, ty)) in vals.iter().zip(types).enumerate() {
            val.type_check(ty).map_err(|error| Trap::type_mismatch(error).at(role.step(index)))?;
        }
        let (plans, abis) = plan_all(types)?;
        let mut flat = Vec::new();
        if flatten_types_bounded(&abis, max_flat.min(MAX_FLAT_PARAMS)).is_some() {
            for (index, (val, plan)) in vals.iter().zip(&plans).enumerate() {
                self.lower_flat_planned(val, plan, &mut flat).map_err(|trap| trap.at(role.step(index)))?;
            }
            return Ok(flat);
        }
        let tuple = record_layout(&abis);
        let ptr = match out_param {
            Some(out) => {
                let ptr = out.next_u32()?;
                self.check_range(|| role.region(tuple.size), ptr, tuple.align, tuple.size.into(), PtrSource::Guest)?;
                ptr
            }
            None => {
                let ptr = self.allocate(tuple.align, tuple.size, || role.region(tuple.size))?;
                flat.push(CoreVal::I32(ptr as i32));
                ptr
            }
        };
        let offsets = record_field_offsets(&abis);
        for (index, ((val, plan), field)) in vals.iter().zip(&plans).zip(offsets).enumerate() {
            self.store_planned(val, plan, offset(ptr, field)?).map_err(|trap| trap.at(role.step(index)))?;
        }
        Ok(flat)
    }

    /// Loads one value of type `ty` from `ptr`, checking alignment and bounds first.
    pub fn load(&mut self, ptr: u32, ty: &Type) -> Result<Val, Trap> {
        let plan = Plan::new(ty)?;
        self.check_value_range(ptr, &plan)?;
        self.load_planned(ptr, &plan)
    }

    /// Stores `val` of type `ty` at `ptr` (allocating for the strings and lists inside it),
    /// checking its type, then alignment and bounds, first.
    pub fn store(&mut self, val: &Val, ty: &Type, ptr: u32) -> Result<(), Trap> {
        val.type_check(ty).map_err(Trap::type_mismatch)?;
        let plan = Plan::new(ty)?;
        self.check_value_range(ptr, &plan)?;
        self.store_planned(val, &plan, ptr)
    }

    /// Lifts one value of type `ty` from the next core values of `src`.
    pub fn lift_flat(&mut self, src: &mut CoreValues<'_>, ty: &Type) -> Result<Val, Trap> {
        let plan = Plan::new(ty)?;
        self.lift_flat_planned(src, &plan)
    }

    /// Lowers one value of type `ty` to core values, checking its type first.
    pub fn lower_flat(&mut self, val: &Val, ty: &Type) -> Result<Vec<CoreVal>, Trap> {
        val.type_check(ty).map_err(Trap::type_mismatch)?;
        let plan = Plan::new(ty)?;
        let mut flat = Vec::new();
        self.lower_flat_planned(val, &plan, &mut flat)?;
        Ok(flat)
    }

    fn check_value_range(&self, ptr: u32, plan: &Plan<'_>) -> Result<(), Trap> {
        let layout = plan.layout;
        let region = || Region::Value { ty: plan.ty.to_string(), bytes: layout.size };
        self.check_range(region, ptr, layout.align, layout.size.into(), PtrSource::Guest)
    }
}
