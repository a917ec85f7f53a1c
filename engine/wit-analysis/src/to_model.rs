//! Conversion of the resolved workspace into the normalized [`Model`] (see `model` for the
//! normalization rules).

use crate::db::Workspace;
use crate::model::{self, Model};
use crate::resolve::{
    Function, InterfaceId, InterfaceOwner, NameUse, Resolved, Type, TypeDefKind, TypeId, TypeOwner, WorldItem,
    WorldKey, analyze, write_type,
};

/// The normalized model of a workspace.
pub fn model(db: &dyn salsa::Database, ws: Workspace) -> Model {
    let resolved = &analyze(db, ws).resolved;
    let mut out = Model::default();
    for package in &resolved.packages {
        let mut pkg = model::Package::default();
        for (name, iid) in &package.interfaces {
            pkg.interfaces.insert(name.clone(), interface(resolved, *iid));
        }
        for (name, wid) in &package.worlds {
            let world = resolved.world(*wid);
            let mut m = model::World::default();
            for (is_import, items) in [(true, &world.imports), (false, &world.exports)] {
                for (key, item) in items {
                    let key = match key {
                        WorldKey::Name(n) => n.clone(),
                        WorldKey::Interface(iid) => interface_ref(resolved, *iid),
                    };
                    let value = match item {
                        WorldItem::Interface(iid) => {
                            if resolved.interface(*iid).name.is_some() {
                                model::WorldItem::Interface(interface_ref(resolved, *iid))
                            } else {
                                model::WorldItem::InlineInterface(interface(resolved, *iid))
                            }
                        }
                        WorldItem::Function(f) => model::WorldItem::Function(function(resolved, f)),
                        WorldItem::Type(tid) => {
                            m.types.insert(resolved.type_def(*tid).name.clone(), type_def(resolved, *tid));
                            model::WorldItem::Type(type_ref(resolved, *tid))
                        }
                    };
                    if is_import {
                        m.imports.insert(key, value);
                    } else {
                        m.exports.insert(key, value);
                    }
                }
            }
            pkg.worlds.insert(name.clone(), m);
        }
        out.packages.insert(package.name.to_string(), pkg);
    }
    out
}

fn interface(resolved: &Resolved, iid: InterfaceId) -> model::Interface {
    let i = resolved.interface(iid);
    let mut m = model::Interface::default();
    for (name, tid) in &i.types {
        m.types.insert(name.clone(), type_def(resolved, *tid));
    }
    for f in &i.functions {
        m.functions.insert(f.name.clone(), function(resolved, f));
    }
    m
}

fn function(resolved: &Resolved, f: &Function) -> model::Function {
    model::Function {
        params: f.params.iter().map(|(n, t)| (n.clone(), render(resolved, t))).collect(),
        result: f.result.as_ref().map(|t| render(resolved, t)),
    }
}

fn type_def(resolved: &Resolved, tid: TypeId) -> model::TypeDef {
    match &resolved.type_def(tid).kind {
        TypeDefKind::Record(fields) => {
            model::TypeDef::Record(fields.iter().map(|(n, t)| (n.clone(), render(resolved, t))).collect())
        }
        TypeDefKind::Variant(cases) => model::TypeDef::Variant(
            cases.iter().map(|(n, t)| (n.clone(), t.as_ref().map(|t| render(resolved, t)))).collect(),
        ),
        TypeDefKind::Enum(cases) => model::TypeDef::Enum(cases.clone()),
        TypeDefKind::Flags(flags) => model::TypeDef::Flags(flags.clone()),
        TypeDefKind::Resource => model::TypeDef::Resource,
        // `type a = r;` and `use i.{r}` keep naming `r`; anywhere else a resource means `own<r>`.
        TypeDefKind::Alias(Type::Named(id)) => model::TypeDef::Alias(type_ref(resolved, *id)),
        TypeDefKind::Alias(t) => model::TypeDef::Alias(render(resolved, t)),
        TypeDefKind::Unresolved => model::TypeDef::Alias("<unresolved>".to_string()),
    }
}

/// `ns:pkg/iface@version`, or for an inline interface `ns:pkg@version world w import key`.
fn interface_ref(resolved: &Resolved, iid: InterfaceId) -> String {
    let i = resolved.interface(iid);
    let package = &resolved.package(i.package).name;
    match (&i.owner, &i.name) {
        (InterfaceOwner::World(wid, is_import, key), _) => {
            let direction = if *is_import { "import" } else { "export" };
            format!("{package} world {} {direction} {key}", resolved.world(*wid).name)
        }
        (_, Some(name)) => match &package.version {
            Some(v) => format!("{}/{name}@{v}", package.unversioned()),
            None => format!("{}/{name}", package.unversioned()),
        },
        (_, None) => format!("{package}/<anonymous>"),
    }
}

fn type_ref(resolved: &Resolved, tid: TypeId) -> String {
    let def = resolved.type_def(tid);
    let owner = match def.owner {
        TypeOwner::Interface(iid) => interface_ref(resolved, iid),
        TypeOwner::World(wid) => {
            let world = resolved.world(wid);
            format!("{} world {}", resolved.package(world.package).name, world.name)
        }
    };
    format!("{owner}#{}", def.name)
}

/// A type written as the model wants it: a bare resource name in a type position is an owned
/// handle, as the component model defines it.
pub(crate) fn render(resolved: &Resolved, ty: &Type) -> String {
    write_type(ty, "<error>", &mut |id, used| match used {
        NameUse::Plain if resolved.is_resource(id) => format!("own<{}>", type_ref(resolved, id)),
        _ => type_ref(resolved, id),
    })
}
