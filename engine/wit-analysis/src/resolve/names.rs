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
//!
//! Names are compared through [`Label`] and [`StrongName`], which canonicalize on the fly
//! instead of building new strings.

use std::collections::hash_map::Entry;
use std::hash::{Hash, Hasher};

use super::*;

/// A label's bytes in canonical form: ASCII lowercase, hyphens dropped. (Bytes of non-ASCII
/// characters pass unchanged, so this is the character-wise rule on UTF-8.)
pub(super) fn canonical(label: &str) -> impl Iterator<Item = u8> + '_ {
    label.bytes().filter(|&b| b != b'-').map(|b| b.to_ascii_lowercase())
}

/// A plain label, compared and hashed in canonical form (without allocating).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Label<'a>(pub(crate) &'a str);

impl PartialEq for Label<'_> {
    fn eq(&self, other: &Self) -> bool {
        canonical(self.0).eq(canonical(other.0))
    }
}

impl Eq for Label<'_> {}

impl Hash for Label<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for b in canonical(self.0) {
            state.write_u8(b);
        }
    }
}

/// A function or type name as the component model spells it (`f`, `[constructor]r`,
/// `[method]r.m`, `[static]r.m`), compared and hashed in its strongly-unique canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct StrongName<'a> {
    constructor: bool,
    first: Label<'a>,
    /// The member of `r.m`, unless it is `r` again (then the name reduces to `r`).
    member: Option<Label<'a>>,
}

impl<'a> StrongName<'a> {
    /// The canonical form of `name`.
    pub(crate) fn new(name: &'a str) -> Self {
        if let Some(resource) = name.strip_prefix("[constructor]") {
            return StrongName { constructor: true, first: Label(resource), member: None };
        }
        let unannotated = name.strip_prefix("[method]").or_else(|| name.strip_prefix("[static]")).unwrap_or(name);
        match unannotated.split_once('.') {
            Some((resource, member)) if Label(resource) == Label(member) => {
                StrongName { constructor: false, first: Label(resource), member: None }
            }
            Some((resource, member)) => {
                StrongName { constructor: false, first: Label(resource), member: Some(Label(member)) }
            }
            None => StrongName { constructor: false, first: Label(unannotated), member: None },
        }
    }
}

impl Resolver<'_> {
    /// Reports the names of an interface (its types, then its functions, in order) that clash
    /// with an earlier one once canonicalized. Names written identically are left alone: the
    /// duplicate is reported where it is declared.
    pub(super) fn check_strongly_unique(&mut self, id: InterfaceId) {
        // Found with borrowed names; only clashes (rare) are copied out, to be reported.
        let clashes: Vec<(String, Option<Location>, String, Option<Location>)> = {
            let interface = self.out.interface(id);
            let types = interface.types.iter().map(|(name, tid)| (name.as_str(), self.out.type_def(*tid).location));
            let functions = interface.functions.iter().map(|f| (f.name.as_str(), f.location));
            let names: Vec<(&str, Option<Location>)> = types.chain(functions).collect();
            let mut seen: FxHashMap<StrongName<'_>, usize> = FxHashMap::default();
            let mut clashes = Vec::new();
            seen.reserve(names.len());
            for (index, &(name, location)) in names.iter().enumerate() {
                match seen.entry(StrongName::new(name)) {
                    Entry::Occupied(entry) => {
                        let (earlier, earlier_location) = names[*entry.get()];
                        if earlier != name {
                            clashes.push((name.to_string(), location, earlier.to_string(), earlier_location));
                        }
                    }
                    Entry::Vacant(entry) => {
                        entry.insert(index);
                    }
                }
            }
            clashes
        };
        for (name, location, previous, related) in clashes {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_follow_the_component_model() {
        // Strongly unique among themselves (the Explainer's example).
        let unique = ["foo", "foo-bar", "[constructor]foo", "[method]foo.bar", "[static]foo.baz"];
        let keys: Vec<StrongName<'_>> = unique.iter().map(|n| StrongName::new(n)).collect();
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // Each of these clashes with one of the names above.
        for clash in ["FOO", "foo-BAR", "[constructor]FOO", "[method]foo.BAR", "[static]foo.bar", "[method]foo.baz"] {
            assert!(keys.contains(&StrongName::new(clash)), "{clash} should clash");
        }
        assert_eq!(StrongName::new("[method]foo.foo"), StrongName::new("foo"));
        assert_eq!(StrongName::new("[static]foo-BAR.FOO-bar"), StrongName::new("foobar"));
        assert_eq!(Label("foo-bar"), Label("foobar"));
        // Equal names hash equally.
        let hash = |name: StrongName<'_>| {
            let mut hasher = rustc_hash::FxHasher::default();
            name.hash(&mut hasher);
            hasher.finish()
        };
        assert_eq!(hash(StrongName::new("[method]a-b.A-B")), hash(StrongName::new("AB")));
    }
}
