//! Resources through component text: an implementing component (`impl`, a resource `r`
//! whose destructor counts drops in memory) and a user component that imports `r` and holds
//! handles in its own table, both nested in one outer component. Constructor, methods,
//! borrows, drops from the host and from guests, `resource.new/rep/drop`, and the traps of
//! the own/borrow rules.

use canopy_component::runtime::{Component, InstanceId, Linker, Store};
use canopy_component::{Type, Val};

const RESOURCES: &str = r#"(component
  (component $impl
    (core module $a
      (memory (export "mem") 1)
      ;; The destructor: the number of drops at 0, the last rep dropped at 4.
      (func (export "dtor") (param $rep i32)
        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
        (i32.store (i32.const 4) (local.get $rep))))
    (core instance $a (instantiate $a))
    (type $r (resource (rep i32) (dtor (core func $a "dtor"))))
    (core func $new (canon resource.new $r))
    (core func $drop (canon resource.drop $r))
    (core func $rep (canon resource.rep $r))
    (core module $b
      (import "a" "mem" (memory 1))
      (import "r" "new" (func $new (param i32) (result i32)))
      (import "r" "drop" (func $drop (param i32)))
      (import "r" "rep" (func $rep (param i32) (result i32)))
      ;; A counter's rep is the address of a cell holding its value: 64, 68, ...
      (global $next (mut i32) (i32.const 64))
      (func (export "ctor") (param $v i32) (result i32)
        (local $cell i32)
        (local.set $cell (global.get $next))
        (global.set $next (i32.add (local.get $cell) (i32.const 4)))
        (i32.store (local.get $cell) (local.get $v))
        (call $new (local.get $cell)))
      ;; A borrow given to the implementing instance is the rep itself.
      (func (export "get") (param $self i32) (result i32) (i32.load (local.get $self)))
      (func (export "merge") (param $self i32) (param $other i32) (result i32)
        (i32.store (local.get $self) (i32.add (i32.load (local.get $self)) (i32.load (local.get $other))))
        (i32.load (local.get $self)))
      ;; An own given to it is an index in its table.
      (func (export "consume") (param $h i32) (result i32)
        (local $v i32)
        (local.set $v (i32.load (call $rep (local.get $h))))
        (call $drop (local.get $h))
        (local.get $v))
      (func (export "take") (param i32 i32))
      (func (export "drops") (result i32) (i32.load (i32.const 0)))
      (func (export "last-dropped") (result i32) (i32.load (i32.const 4)))
      ;; new, rep and drop inside the instance; returns the index the handle had.
      (func (export "cycle") (param $v i32) (result i32)
        (local $h i32)
        (local.set $h (call $new (local.get $v)))
        (if (i32.ne (call $rep (local.get $h)) (local.get $v)) (then unreachable))
        (call $drop (local.get $h))
        (local.get $h))
      (func (export "rep-after-drop") (param $v i32) (result i32)
        (local $h i32)
        (local.set $h (call $new (local.get $v)))
        (call $drop (local.get $h))
        (call $rep (local.get $h))))
    (core instance $b (instantiate $b
      (with "a" (instance $a))
      (with "r" (instance (export "new" (func $new)) (export "drop" (func $drop)) (export "rep" (func $rep))))))
    (export $r-t "r" (type $r))
    (func (export "[constructor]r") (param "v" s32) (result (own $r-t)) (canon lift (core func $b "ctor")))
    (func (export "[method]r.get") (param "self" (borrow $r-t)) (result s32) (canon lift (core func $b "get")))
    (func (export "[method]r.merge") (param "self" (borrow $r-t)) (param "other" (borrow $r-t)) (result s32)
      (canon lift (core func $b "merge")))
    (func (export "consume") (param "x" (own $r-t)) (result s32) (canon lift (core func $b "consume")))
    (func (export "take") (param "b" (borrow $r-t)) (param "o" (own $r-t)) (canon lift (core func $b "take")))
    (func (export "drops") (result u32) (canon lift (core func $b "drops")))
    (func (export "last-dropped") (result u32) (canon lift (core func $b "last-dropped")))
    (func (export "cycle") (param "v" u32) (result u32) (canon lift (core func $b "cycle")))
    (func (export "rep-after-drop") (param "v" u32) (result u32) (canon lift (core func $b "rep-after-drop"))))

  (component $user
    (import "r" (type $r (sub resource)))
    (import "[constructor]r" (func $ctor (param "v" s32) (result (own $r))))
    (import "[method]r.get" (func $get (param "self" (borrow $r)) (result s32)))
    (import "take" (func $take (param "b" (borrow $r)) (param "o" (own $r))))
    (core func $ctor-l (canon lower (func $ctor)))
    (core func $get-l (canon lower (func $get)))
    (core func $take-l (canon lower (func $take)))
    (core func $drop-l (canon resource.drop $r))
    (core module $u
      (import "i" "ctor" (func $ctor (param i32) (result i32)))
      (import "i" "get" (func $get (param i32) (result i32)))
      (import "i" "take" (func $take (param i32 i32)))
      (import "i" "drop" (func $drop (param i32)))
      ;; Owns a counter, then passes it as a borrow and as an own in one call.
      (func (export "lend-and-give") (param $v i32)
        (local $h i32)
        (local.set $h (call $ctor (local.get $v)))
        (call $take (local.get $h) (local.get $h)))
      ;; Drops a counter, then uses its index again.
      (func (export "stale") (param $v i32) (result i32)
        (local $h i32)
        (local.set $h (call $ctor (local.get $v)))
        (call $drop (local.get $h))
        (call $get (local.get $h)))
      (func (export "make-get-drop") (param $v i32) (result i32)
        (local $h i32) (local $x i32)
        (local.set $h (call $ctor (local.get $v)))
        (local.set $x (call $get (local.get $h)))
        (call $drop (local.get $h))
        (local.get $x)))
    (core instance $u (instantiate $u (with "i" (instance
      (export "ctor" (func $ctor-l)) (export "get" (func $get-l))
      (export "take" (func $take-l)) (export "drop" (func $drop-l))))))
    (func (export "lend-and-give") (param "v" s32) (canon lift (core func $u "lend-and-give")))
    (func (export "stale") (param "v" s32) (result s32) (canon lift (core func $u "stale")))
    (func (export "make-get-drop") (param "v" s32) (result s32) (canon lift (core func $u "make-get-drop"))))

  (instance $i (instantiate $impl))
  (alias export $i "r" (type $r))
  (instance $u (instantiate $user
    (with "r" (type $r))
    (with "[constructor]r" (func $i "[constructor]r"))
    (with "[method]r.get" (func $i "[method]r.get"))
    (with "take" (func $i "take"))))
  (export "impl" (instance $i))
  (export "user" (instance $u)))"#;

fn setup() -> (Store, InstanceId) {
    let component = Component::from_text(RESOURCES).expect("the component loads");
    let mut store = Store::new();
    let instance = store.instantiate(&Linker::new(), &component, "res").expect("it instantiates");
    (store, instance)
}

fn u32_of(store: &mut Store, inst: InstanceId, path: &str) -> u32 {
    match store.call(inst, path, &[]).unwrap().as_slice() {
        [Val::U32(x)] => *x,
        other => panic!("{path} returned {other:?}"),
    }
}

#[test]
fn constructor_methods_and_a_host_drop_run_the_destructor() {
    let (mut store, inst) = setup();
    let sig = store.func_type(inst, "impl#[constructor]r").unwrap();
    let Type::Own(rt) = &sig.results[0] else { panic!("the constructor returns an own: {sig:?}") };
    assert_eq!(rt.to_string(), "r", "the resource type carries its export name");
    let a = store.call(inst, "impl#[constructor]r", &[Val::S32(5)]).unwrap().remove(0);
    let b = store.call(inst, "impl#[constructor]r", &[Val::S32(-2)]).unwrap().remove(0);
    let (Val::Own(ha), Val::Own(hb)) = (&a, &b) else { panic!("owns: {a:?} {b:?}") };
    assert_eq!(store.live_handles(inst), 0, "the outer instance's table holds nothing");
    assert_eq!(store.call(inst, "impl#[method]r.get", &[Val::Borrow(*ha)]).unwrap(), vec![Val::S32(5)]);
    // Two borrows in one call.
    let merged = store.call(inst, "impl#[method]r.merge", &[Val::Borrow(*ha), Val::Borrow(*hb)]).unwrap();
    assert_eq!(merged, vec![Val::S32(3)]);
    assert_eq!(store.call(inst, "impl#[method]r.get", &[Val::Borrow(*hb)]).unwrap(), vec![Val::S32(-2)], "b stays");
    assert_eq!(u32_of(&mut store, inst, "impl#drops"), 0);
    store.drop_resource(rt, *hb).unwrap();
    assert_eq!(u32_of(&mut store, inst, "impl#drops"), 1);
    assert_eq!(u32_of(&mut store, inst, "impl#last-dropped"), 68, "b's cell is the second");
    // An own given to the implementation: it reads the value through resource.rep and drops it.
    assert_eq!(store.call(inst, "impl#consume", &[a]).unwrap(), vec![Val::S32(3)]);
    assert_eq!(u32_of(&mut store, inst, "impl#drops"), 2);
    assert_eq!(u32_of(&mut store, inst, "impl#last-dropped"), 64);
}

#[test]
fn resource_new_rep_and_drop_inside_the_implementation() {
    let (mut store, inst) = setup();
    // The first handle of the implementation's table is index 1; a freed index is reused.
    assert_eq!(store.call(inst, "impl#cycle", &[Val::U32(1000)]).unwrap(), vec![Val::U32(1)]);
    assert_eq!(store.call(inst, "impl#cycle", &[Val::U32(2000)]).unwrap(), vec![Val::U32(1)]);
    assert_eq!(u32_of(&mut store, inst, "impl#drops"), 2, "each drop of an own ran the destructor");
    assert_eq!(u32_of(&mut store, inst, "impl#last-dropped"), 2000);
}

#[test]
fn a_stale_index_after_drop_traps() {
    let (mut store, inst) = setup();
    let trap = store.call(inst, "impl#rep-after-drop", &[Val::U32(7)]).unwrap_err();
    assert!(trap.message.contains("resource.rep"), "{trap}");
    assert!(trap.message.contains("handle 1"), "{trap}");
    assert!(trap.message.contains("already dropped"), "{trap}");
    assert!(trap.message.contains("`r`"), "names the resource type: {trap}");
    assert!(trap.message.contains("res/instance 0"), "names the instance: {trap}");

    // The user drops its own (the implementation's destructor runs), then lends the stale
    // index as a borrow.
    let (mut store, inst) = setup();
    let trap = store.call(inst, "user#stale", &[Val::S32(4)]).unwrap_err();
    assert_eq!(u32_of(&mut store, inst, "impl#drops"), 1, "the drop itself ran the destructor");
    assert!(trap.message.contains("handle 1 in the table of instance `res/instance 1`"), "{trap}");
    assert!(trap.message.contains("already dropped"), "{trap}");
    assert!(trap.message.contains("[method]r.get"), "names the call: {trap}");
    assert_eq!(trap.instance.as_deref(), Some("res/instance 1"));
}

#[test]
fn a_user_component_holds_owns_in_its_own_table() {
    let (mut store, inst) = setup();
    assert_eq!(store.call(inst, "user#make-get-drop", &[Val::S32(41)]).unwrap(), vec![Val::S32(41)]);
    assert_eq!(u32_of(&mut store, inst, "impl#drops"), 1);
    assert_eq!(u32_of(&mut store, inst, "impl#last-dropped"), 64);
}

#[test]
fn giving_away_an_own_while_it_is_lent_traps_naming_the_rule() {
    let (mut store, inst) = setup();
    let trap = store.call(inst, "user#lend-and-give", &[Val::S32(1)]).unwrap_err();
    let message = &trap.message;
    assert!(message.contains("instance `res/instance 1`"), "the user's table: {trap}");
    assert!(message.contains("handle 1"), "{trap}");
    assert!(message.contains("own<r>"), "the resource type: {trap}");
    assert!(message.contains("lent out to 1 call(s)"), "{trap}");
    assert!(message.contains("num_lends must be 0"), "the rule: {trap}");
    assert_eq!(u32_of(&mut store, inst, "impl#drops"), 0, "nothing was dropped");
}
