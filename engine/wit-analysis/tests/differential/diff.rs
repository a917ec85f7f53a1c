//! A compact, item-level difference between two [`Model`]s.

use std::collections::BTreeMap;
use std::fmt::Write;

use canopy_wit_analysis::model::{Interface, Model, Package, World};
use serde::Serialize;

/// Longest JSON rendering of one side printed per line.
const MAX_JSON: usize = 400;

/// One line per differing item: `path: wit-parser = … | canopy = …`, at the finest level. A
/// package, interface or world present on one side only gets a line of its own, and its items
/// are then listed against an empty one.
pub fn differences(expected: &Model, actual: &Model) -> Vec<String> {
    let mut out = Vec::new();
    containers(&mut out, "package ", &expected.packages, &actual.packages, package);
    out
}

fn package(out: &mut Vec<String>, path: &str, expected: &Package, actual: &Package) {
    containers(out, &format!("{path} interface "), &expected.interfaces, &actual.interfaces, interface);
    containers(out, &format!("{path} world "), &expected.worlds, &actual.worlds, world);
}

fn interface(out: &mut Vec<String>, path: &str, expected: &Interface, actual: &Interface) {
    leaves(out, &format!("{path} type "), &expected.types, &actual.types);
    leaves(out, &format!("{path} func "), &expected.functions, &actual.functions);
}

fn world(out: &mut Vec<String>, path: &str, expected: &World, actual: &World) {
    leaves(out, &format!("{path} import "), &expected.imports, &actual.imports);
    leaves(out, &format!("{path} export "), &expected.exports, &actual.exports);
    leaves(out, &format!("{path} type "), &expected.types, &actual.types);
}

/// Sorted union of both maps' keys.
fn keys<'m, T>(expected: &'m BTreeMap<String, T>, actual: &'m BTreeMap<String, T>) -> Vec<&'m String> {
    let mut keys: Vec<&String> = expected.keys().chain(actual.keys()).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Recurses into entries that differ; one missing on a side is compared with an empty one.
fn containers<T: PartialEq + Default>(
    out: &mut Vec<String>,
    prefix: &str,
    expected: &BTreeMap<String, T>,
    actual: &BTreeMap<String, T>,
    inner: fn(&mut Vec<String>, &str, &T, &T),
) {
    let empty = T::default();
    for key in keys(expected, actual) {
        let path = format!("{prefix}{key}");
        let (e, a) = (expected.get(key), actual.get(key));
        match (e, a) {
            (Some(_), None) => out.push(format!("{path}: only in wit-parser")),
            (None, Some(_)) => out.push(format!("{path}: only in canopy")),
            _ => {}
        }
        let (e, a) = (e.unwrap_or(&empty), a.unwrap_or(&empty));
        if e != a {
            inner(out, &path, e, a);
        }
    }
}

/// One line per entry that differs, with both sides.
fn leaves<T: Serialize + PartialEq>(
    out: &mut Vec<String>,
    prefix: &str,
    expected: &BTreeMap<String, T>,
    actual: &BTreeMap<String, T>,
) {
    let side = |v: Option<&T>| v.map_or_else(|| "(absent)".to_string(), json);
    for key in keys(expected, actual) {
        let (e, a) = (expected.get(key), actual.get(key));
        if e != a {
            out.push(format!("{prefix}{key}: wit-parser = {} | canopy = {}", side(e), side(a)));
        }
    }
}

/// Compact JSON, cut at [`MAX_JSON`] characters.
pub fn json<T: Serialize>(value: &T) -> String {
    let full = serde_json::to_string(value).unwrap_or_else(|e| format!("<unserializable: {e}>"));
    if full.len() <= MAX_JSON {
        return full;
    }
    let mut cut = MAX_JSON;
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut short = full[..cut].to_string();
    let _ = write!(short, "… ({} chars)", full.len());
    short
}
