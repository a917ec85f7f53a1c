//! A fixture component's call session over this crate's WASI host: shared by the fixture test
//! (`fixtures.rs`, against wasmtime's recorded answers) and the live differential test
//! (`differential.rs`, against wasmtime run in the same test).

use std::collections::HashMap;

use canopy_component::runtime::{Component, Linker, Store};
use canopy_wasi::{Output, WasiCtx};

use crate::session::Session;

/// A fixture component's instance over a WASI host that grants nothing but captured stdout.
pub fn new_session(component: &Component) -> Session {
    let mut linker = Linker::new();
    canopy_wasi::add_to_linker(&mut linker, component.import_names());
    // The Python component also imports wasi:sockets, which this host does not grant.
    linker.define_unknown_imports_as_traps(component);
    let mut store = Store::new();
    store.set_data(WasiCtx::builder().stdout(Output::Capture(Default::default())).build());
    let instance = store.instantiate(&linker, component, "fixture").expect("it instantiates");
    Session { store, instance, bound: HashMap::new() }
}
