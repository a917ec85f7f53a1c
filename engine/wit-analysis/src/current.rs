//! The analysis as consumers see it: in the positions and with the docs of the current texts.
//!
//! [`resolve::analyze`] works on the files' item trees, which may be lowered from basis parses
//! older than the texts (see [`crate::positions`]). The queries here put back what it leaves
//! out: the current syntax errors, positions moved through each file's [`Shifts`], and the doc
//! comments as they are now. They are cheap next to resolution, and they are the only queries
//! that re-run after an edit inside a comment.

use canopy_wit_syntax::TextSize;
use rustc_hash::FxHashMap;

use crate::db::{SourceFile, Workspace, parse};
use crate::diagnostics::Diagnostic;
use crate::hir::{self, FileItems, InterfaceItem, ItemMeta, WorldItem};
use crate::lower::lower_parse;
use crate::positions::Shifts;
use crate::resolve::{self, Analysis, Location};

/// Every diagnostic of the workspace, in current positions, sorted by path and position:
/// syntax errors of the current texts, then what lowering and resolution reported.
#[salsa::tracked(returns(ref))]
pub fn diagnostics(db: &dyn salsa::Database, ws: Workspace) -> Vec<Diagnostic> {
    let core = resolve::analyze(db, ws);
    let mut all = Vec::with_capacity(core.diagnostics.len());
    let mut moved: FxHashMap<&str, &Shifts> = FxHashMap::default();
    for group in ws.groups(db) {
        for &file in group.files(db) {
            let path = file.path(db);
            for error in parse(db, file).errors() {
                all.push(Diagnostic::error(path.clone(), error.range, "syntax", error.message.clone()));
            }
            let shifts = file.shifts(db);
            if !shifts.is_empty() {
                moved.insert(path, shifts);
            }
        }
    }
    for diagnostic in &core.diagnostics {
        let mut diagnostic = diagnostic.clone();
        if let Some(shifts) = moved.get(&*diagnostic.path) {
            diagnostic.range = shifts.map_range(diagnostic.range);
        }
        for related in &mut diagnostic.related {
            if let Some(shifts) = moved.get(&*related.path) {
                related.range = shifts.map_range(related.range);
            }
        }
        all.push(diagnostic);
    }
    all.sort_by(|a, b| (&a.path, a.range.start(), a.range.end()).cmp(&(&b.path, b.range.start(), b.range.end())));
    all.dedup();
    all
}

/// The resolved workspace and its diagnostics, in current positions and with current docs.
#[salsa::tracked(returns(ref))]
pub fn analysis(db: &dyn salsa::Database, ws: Workspace) -> Analysis {
    let core = resolve::analyze(db, ws);
    let diagnostics = diagnostics(db, ws).clone();
    let mut resolved = core.resolved.clone();
    let stale: Vec<SourceFile> =
        ws.groups(db).iter().flat_map(|g| g.files(db)).copied().filter(|&f| file_is_stale(db, f)).collect();
    if !stale.is_empty() {
        let current = |location: &mut Location| {
            if stale.contains(&location.file) {
                location.range = location.file.shifts(db).map_range(location.range);
            }
        };
        let docs_at = |location: &Location| -> Option<String> {
            docs_table(db, location.file).get(&location.range.start()).cloned()
        };
        resolved.for_each_documented_mut(|location, docs| {
            if let Some(location) = location
                && stale.contains(&location.file)
            {
                current(location);
                *docs = docs_at(location);
            }
        });
        for package in &mut resolved.packages {
            if let Some(location) = &mut package.location {
                current(location);
            }
            if let Some(at) = &mut package.docs_location
                && stale.contains(&at.file)
            {
                current(at);
                package.docs = docs_at(at);
            }
        }
        for reference in &mut resolved.references {
            current(&mut reference.at);
            current(&mut reference.target);
        }
    }
    Analysis { diagnostics, resolved }
}

/// Whether a file's item tree comes from a parse older than its text.
fn file_is_stale(db: &dyn salsa::Database, file: SourceFile) -> bool {
    file.basis(db).is_some()
}

/// The doc comments of a file's current text, by the start of the name they document (the
/// package name, for a package header). Only the items whose resolved form carries docs are
/// listed: interfaces, worlds, named types, functions, and the functions and inline interfaces
/// a world imports or exports.
#[salsa::tracked(returns(ref))]
pub fn docs_table(db: &dyn salsa::Database, file: SourceFile) -> FxHashMap<TextSize, String> {
    let items = lower_parse(parse(db, file));
    let mut table = FxHashMap::default();
    collect_file_docs(&items, &mut table);
    table
}

fn collect_file_docs(items: &FileItems, table: &mut FxHashMap<TextSize, String>) {
    let mut add = |name: &hir::Name, docs: &Option<String>| {
        if let Some(docs) = docs {
            table.insert(name.range.start(), docs.clone());
        }
    };
    let mut decls: Vec<&hir::PackageDecl> = items.package_decl.iter().collect();
    decls.extend(items.bodies.iter().filter_map(|b| b.nested.as_ref()));
    let mut package_docs = Vec::new();
    for decl in decls {
        if let Some(docs) = &decl.docs {
            package_docs.push((decl.range.start(), docs.clone()));
        }
    }
    for body in &items.bodies {
        for interface in &body.interfaces {
            add(&interface.name, &interface.meta.docs);
            interface_docs(&interface.items, &mut add);
        }
        for world in &body.worlds {
            add(&world.name, &world.meta.docs);
            for item in &world.items {
                match item {
                    WorldItem::Import(def) | WorldItem::Export(def) => match &def.kind {
                        hir::ExternKind::Func(name, _) => add(name, &def.meta.docs),
                        hir::ExternKind::Interface(name, items) => {
                            add(name, &def.meta.docs);
                            interface_docs(items, &mut add);
                        }
                        hir::ExternKind::Path(_) | hir::ExternKind::NamedPath(..) => {}
                    },
                    WorldItem::Type(def) => type_docs(def, &mut add),
                    WorldItem::Use(_) | WorldItem::Include(_) => {}
                }
            }
        }
    }
    table.extend(package_docs);
}

fn interface_docs(items: &[InterfaceItem], add: &mut impl FnMut(&hir::Name, &Option<String>)) {
    for item in items {
        match item {
            InterfaceItem::Type(def) => type_docs(def, add),
            InterfaceItem::Func(func) => add(&func.name, &func.meta.docs),
            InterfaceItem::Use(_) => {}
        }
    }
}

fn type_docs(def: &hir::TypeDef, add: &mut impl FnMut(&hir::Name, &Option<String>)) {
    add(&def.name, &def.meta.docs);
    if let hir::TypeDefKind::Resource(funcs) = &def.kind {
        for func in funcs {
            let ItemMeta { docs, .. } = &func.meta;
            add(&func.name, docs);
        }
    }
}
