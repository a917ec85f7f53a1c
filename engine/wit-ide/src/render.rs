//! Renders resolved definitions back as WIT text, for hovers and symbol details.

use canopy_wit_analysis::resolve::{
    Function, FunctionKind, InterfaceOwner, Resolved, Type, TypeDefKind, TypeId, TypeOwner, write_type,
};

/// A type expression as WIT, named types by their bare names.
pub(crate) fn type_text(resolved: &Resolved, ty: &Type) -> String {
    write_type(ty, "{unknown}", &mut |id, _| resolved.type_def(id).name.clone())
}

/// A named type's definition as WIT (one line for aliases and empty bodies, one line per
/// member otherwise).
pub(crate) fn type_def_text(resolved: &Resolved, id: TypeId) -> String {
    let def = resolved.type_def(id);
    let name = &def.name;
    let body = |keyword: &str, members: Vec<String>| {
        if members.is_empty() {
            format!("{keyword} {name} {{}}")
        } else {
            let lines: String = members.iter().map(|m| format!("    {m},\n")).collect();
            format!("{keyword} {name} {{\n{lines}}}")
        }
    };
    match &def.kind {
        TypeDefKind::Record(fields) => {
            body("record", fields.iter().map(|(n, t)| format!("{n}: {}", type_text(resolved, t))).collect())
        }
        TypeDefKind::Variant(cases) => body(
            "variant",
            cases
                .iter()
                .map(|(n, t)| match t {
                    Some(t) => format!("{n}({})", type_text(resolved, t)),
                    None => n.clone(),
                })
                .collect(),
        ),
        TypeDefKind::Enum(cases) => body("enum", cases.clone()),
        TypeDefKind::Flags(flags) => body("flags", flags.clone()),
        TypeDefKind::Resource => {
            let functions: Vec<String> = resource_functions(resolved, id)
                .into_iter()
                .map(|f| format!("    {};\n", function_text(resolved, f)))
                .collect();
            if functions.is_empty() {
                format!("resource {name}")
            } else {
                format!("resource {name} {{\n{}}}", functions.concat())
            }
        }
        TypeDefKind::Alias(t) => format!("type {name} = {}", type_text(resolved, t)),
        TypeDefKind::Unresolved => format!("type {name}"),
    }
}

/// The constructor, methods and static functions of a resource, in declaration order.
pub(crate) fn resource_functions(resolved: &Resolved, resource: TypeId) -> Vec<&Function> {
    let belongs = |f: &&Function| matches!(f.kind, FunctionKind::Method(r) | FunctionKind::Static(r) | FunctionKind::Constructor(r) if r == resource);
    match resolved.type_def(resource).owner {
        TypeOwner::Interface(iface) => resolved.interface(iface).functions.iter().filter(belongs).collect(),
        TypeOwner::World(world) => {
            let world = resolved.world(world);
            world
                .imports
                .iter()
                .filter_map(|(_, item)| match item {
                    canopy_wit_analysis::resolve::WorldItem::Function(f) => Some(f),
                    _ => None,
                })
                .filter(belongs)
                .collect()
        }
    }
}

/// A function as WIT: `name: async func(a: t) -> r`, `constructor(a: t)`, `m: static func()`.
pub(crate) fn function_text(resolved: &Resolved, f: &Function) -> String {
    let skip = usize::from(matches!(f.kind, FunctionKind::Method(_)));
    let params: Vec<String> =
        f.params.iter().skip(skip).map(|(n, t)| format!("{n}: {}", type_text(resolved, t))).collect();
    let params = params.join(", ");
    let result = match (&f.kind, &f.result) {
        // A constructor's implicit `-> own<r>` is not written.
        (FunctionKind::Constructor(r), Some(Type::Own(own))) if own == r => String::new(),
        (_, result) => result.as_ref().map(|t| format!(" -> {}", type_text(resolved, t))).unwrap_or_default(),
    };
    let asyncness = if f.is_async { "async " } else { "" };
    match f.kind {
        FunctionKind::Constructor(_) => format!("constructor({params}){result}"),
        FunctionKind::Static(_) => format!("{}: static {asyncness}func({params}){result}", f.short_name),
        _ => format!("{}: {asyncness}func({params}){result}", f.short_name),
    }
}

/// Where a type lives, as a path: `ns:pkg/iface`, or `ns:pkg/world` for world-owned types.
pub(crate) fn owner_path(resolved: &Resolved, owner: TypeOwner) -> String {
    match owner {
        TypeOwner::Interface(id) => interface_path(resolved, id),
        TypeOwner::World(id) => {
            let world = resolved.world(id);
            format!("{}/{}", resolved.package(world.package).name, world.name)
        }
    }
}

/// An interface's path: `ns:pkg/iface@1.0.0`, or `ns:pkg/world.import-name` for inline ones.
pub(crate) fn interface_path(resolved: &Resolved, id: canopy_wit_analysis::resolve::InterfaceId) -> String {
    let interface = resolved.interface(id);
    let package = &resolved.package(interface.package).name;
    match (&interface.name, &interface.owner) {
        (Some(name), _) => {
            let version = package.version.as_ref().map(|v| format!("@{v}")).unwrap_or_default();
            format!("{}/{name}{version}", package.unversioned())
        }
        (None, InterfaceOwner::World(world, _, key)) => format!("{package}/{}.{key}", resolved.world(*world).name),
        (None, InterfaceOwner::Package(_)) => package.to_string(),
    }
}
