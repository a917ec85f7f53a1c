//! Nested components in component text: `instantiate` of a nested component with `with`
//! arguments, exports of the nested instance and aliases of them, outer aliases of a core
//! module, a component and a function type; outer aliases to a later definition or of a
//! type that refers to a resource, which are invalid.

use canopy_component::Val;
use canopy_component::runtime::{Component, Linker, LoadError, Store};

const NESTED: &str = r#"(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1))))
  (type $binary (func (param "a" u32) (param "b" u32) (result u32)))
  (component $inner
    (alias outer 1 $binary (type $op))
    (import "op" (func $op (type $op)))
    ;; Its own instance of the outer module: `mul` lifted here.
    (alias outer 1 $m (core module $om))
    (core instance $i (instantiate $om))
    (func $mul (type $op) (canon lift (core func $i "mul")))
    (export "imported" (func $op))
    (export "mul" (func $mul)))
  (core instance $i (instantiate $m))
  (func $add (type $binary) (canon lift (core func $i "add")))
  (instance $x (instantiate $inner (with "op" (func $add))))
  (alias export $x "mul" (func $x-mul))
  (export "via-alias" (func $x-mul))
  (export "inner" (instance $x))
  ;; Twice nested: an outer alias of the component $inner, instantiated inside.
  (component $twice
    (alias outer 1 $binary (type $op))
    (alias outer 1 $inner (component $again))
    (import "op" (func $op (type $op)))
    (instance $y (instantiate $again (with "op" (func $op))))
    (export "deep" (instance $y)))
  (instance $z (instantiate $twice (with "op" (func $x-mul))))
  (alias export $z "deep" (instance $deep))
  (alias export $deep "imported" (func $deep-imported))
  (export "deep-imported" (func $deep-imported))
  (export "deep" (instance $deep)))"#;

#[test]
fn nested_instances_take_arguments_and_export_through_aliases() {
    let component = Component::from_text(NESTED).expect("the component loads");
    let mut store = Store::new();
    let inst = store.instantiate(&Linker::new(), &component, "outer").expect("it instantiates");
    let args = [Val::U32(6), Val::U32(7)];
    // `imported` is the outer `add` given to the nested instance and exported again.
    assert_eq!(store.call(inst, "inner#imported", &args).unwrap(), vec![Val::U32(13)]);
    assert_eq!(store.call(inst, "inner#mul", &args).unwrap(), vec![Val::U32(42)]);
    assert_eq!(store.call(inst, "via-alias", &args).unwrap(), vec![Val::U32(42)]);
    // The twice-nested instance was given the first nested instance's `mul`.
    assert_eq!(store.call(inst, "deep-imported", &args).unwrap(), vec![Val::U32(42)]);
    assert_eq!(store.call(inst, "deep#mul", &[Val::U32(3), Val::U32(5)]).unwrap(), vec![Val::U32(15)]);
    let sig = store.func_type(inst, "inner#mul").unwrap();
    assert_eq!(sig.params.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["a", "b"]);
}

#[test]
fn an_outer_alias_of_a_later_definition_is_invalid() {
    // Module 0 of the outer component is defined after the nested component that names it.
    let text = r#"(component
      (component (alias outer 1 0 (core module)))
      (core module))"#;
    let error = Component::from_text(text).unwrap_err();
    assert!(matches!(error, LoadError::Invalid { .. }), "{error:?}");
    // No outer alias of a type that refers to a resource of the enclosing component.
    let text = r#"(component
      (type $r (resource (rep i32)))
      (component (alias outer 1 $r (type))))"#;
    let error = Component::from_text(text).unwrap_err();
    assert!(matches!(&error, LoadError::Invalid { message, .. } if message.contains("resources")), "{error:?}");
    // And an outer alias past the outermost component.
    let text = r#"(component (component (alias outer 2 0 (core module))))"#;
    assert!(Component::from_text(text).is_err());
}
