//! Strong uniqueness: when two different names still clash.
//!
//! The component model asks more of the names in one scope (an interface, a world's imports,
//! its exports, the fields of a record, the cases of a variant, …) than that they differ: they
//! must stay different once bindings generators map them to identifiers. wit-parser 0.263
//! checks this with wasmparser's canonical form, whose rules are:
//! - letters compare without case and hyphens are ignored (`foo-bar`, `FooBar` and `foobar`
//!   are one name);
//! - `[method]r.m` and `[static]r.m` become `r.m`, or just `r` when `m` is `r` (so a method
//!   named after its resource clashes with the resource's name);
//! - `[constructor]r` keeps its annotation (a constructor never clashes with its resource).

use super::*;

/// The canonical form of a plain (unannotated) label: lowercase, without hyphens.
pub(crate) fn label_key(label: &str) -> String {
    label.chars().filter(|&c| c != '-').map(|c| c.to_ascii_lowercase()).collect()
}

/// The canonical form of a function or type name as the component model spells it
/// (`f`, `[constructor]r`, `[method]r.m`, `[static]r.m`).
pub(crate) fn strong_key(name: &str) -> String {
    if let Some(resource) = name.strip_prefix("[constructor]") {
        return format!("[constructor]{}", label_key(resource));
    }
    let unannotated = name.strip_prefix("[method]").or_else(|| name.strip_prefix("[static]")).unwrap_or(name);
    let key = label_key(unannotated);
    match key.split_once('.') {
        Some((resource, member)) if resource == member => resource.to_string(),
        _ => key,
    }
}

impl Resolver<'_> {
    /// Reports the names of an interface (its types, then its functions, in order) that clash
    /// with an earlier one once canonicalized. Names written identically are left alone: the
    /// duplicate is reported where it is declared.
    pub(super) fn check_strongly_unique(&mut self, id: InterfaceId) {
        let interface = self.out.interface(id);
        let mut names: Vec<(String, Option<Location>)> =
            interface.types.iter().map(|(name, tid)| (name.clone(), self.out.type_def(*tid).location)).collect();
        names.extend(interface.functions.iter().map(|f| (f.name.clone(), f.location)));
        let mut seen: FxHashMap<String, (String, Option<Location>)> = FxHashMap::default();
        for (name, location) in names {
            let key = strong_key(&name);
            match seen.get(&key) {
                Some((previous, _)) if *previous == name => {}
                Some((previous, previous_location)) => {
                    let (previous, related) = (previous.clone(), *previous_location);
                    if let Some(at) = location {
                        self.error_related(
                            at.file,
                            at.range,
                            "name-conflict",
                            format!(
                                "name `{name}` conflicts with previous name `{previous}` (names in an interface must differ by more than case and hyphens)"
                            ),
                            related,
                            "the earlier name is here",
                        );
                    }
                }
                None => {
                    seen.insert(key, (name, location));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_follow_the_component_model() {
        // Strongly unique among themselves (the Explainer's example).
        let unique = ["foo", "foo-bar", "[constructor]foo", "[method]foo.bar", "[static]foo.baz"];
        let keys: Vec<String> = unique.iter().map(|n| strong_key(n)).collect();
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // Each of these clashes with one of the names above.
        for clash in ["FOO", "foo-BAR", "[constructor]FOO", "[method]foo.BAR", "[static]foo.bar", "[method]foo.baz"] {
            assert!(keys.contains(&strong_key(clash)), "{clash} should clash");
        }
        assert_eq!(strong_key("[method]foo.foo"), strong_key("foo"));
        assert_eq!(strong_key("[static]foo-BAR.FOO-bar"), strong_key("foobar"));
        assert_eq!(label_key("foo-bar"), label_key("foobar"));
    }
}
