//! Host items: a host resource type whose handles a host function creates (an `own` into the
//! guest's table), receives back as a `borrow` and an `own`, and whose drop by the guest calls
//! the host's drop; host functions that keep their state in the store's data slot; a missing
//! member of an imported instance named in the instantiation error; and stubs that trap
//! naming the import.

use canopy_component::Val;
use canopy_component::runtime::{Component, HostContext, InstantiateError, Linker, Store};

const GUEST: &str = r#"(component
  (import "host:test/things" (instance $things
    (export "thing" (type $t (sub resource)))
    (export "make" (func (param "v" u32) (result (own $t))))
    (export "[method]thing.value" (func (param "self" (borrow $t)) (result u32)))
    (export "consume" (func (param "t" (own $t)) (result u32)))))
  (alias export $things "thing" (type $thing))
  (core func $make (canon lower (func $things "make")))
  (core func $value (canon lower (func $things "[method]thing.value")))
  (core func $consume (canon lower (func $things "consume")))
  (core func $drop (canon resource.drop $thing))
  (core module $m
    (import "h" "make" (func $make (param i32) (result i32)))
    (import "h" "value" (func $value (param i32) (result i32)))
    (import "h" "consume" (func $consume (param i32) (result i32)))
    (import "h" "drop" (func $drop (param i32)))
    ;; make(v), read it through a borrow, then drop it: returns the value read.
    (func (export "roundtrip") (param i32) (result i32)
      (local $h i32) (local $v i32)
      (local.set $h (call $make (local.get 0)))
      (local.set $v (call $value (local.get $h)))
      (call $drop (local.get $h))
      (local.get $v))
    ;; make(v) and hand the own back to the host.
    (func (export "give") (param i32) (result i32)
      (call $consume (call $make (local.get 0)))))
  (core instance $i (instantiate $m (with "h" (instance
    (export "make" (func $make)) (export "value" (func $value))
    (export "consume" (func $consume)) (export "drop" (func $drop))))))
  (func (export "roundtrip") (param "v" u32) (result u32) (canon lift (core func $i "roundtrip")))
  (func (export "give") (param "v" u32) (result u32) (canon lift (core func $i "give"))))"#;

/// The host's state: live things by representation, and the drops it saw.
#[derive(Default)]
struct Things {
    live: std::collections::HashMap<u32, u32>,
    next: u32,
    dropped: Vec<u32>,
}

fn rep(args: &[Val]) -> u32 {
    match args.first() {
        Some(Val::Own(h)) | Some(Val::Borrow(h)) => h.raw() as u32,
        other => panic!("not a handle: {other:?}"),
    }
}

fn linker() -> Linker {
    let mut linker = Linker::new();
    linker.resource(
        "host:test/things#thing",
        Some(Box::new(|cx: &mut HostContext<'_>, rep: u32| {
            let things = cx.data::<Things>().unwrap();
            things.live.remove(&rep);
            things.dropped.push(rep);
        })),
    );
    linker.func_ctx("host:test/things#make", |cx, args| {
        let Some(Val::U32(v)) = args.first() else { return Err("make: no u32".into()) };
        let things = cx.data::<Things>().ok_or("no state")?;
        things.next += 1;
        things.live.insert(things.next, *v);
        Ok(vec![Val::Own(canopy_component::ResourceHandle::new(u64::from(things.next)))])
    });
    linker.func_ctx("host:test/things#[method]thing.value", |cx, args| {
        let things = cx.data::<Things>().ok_or("no state")?;
        Ok(vec![Val::U32(*things.live.get(&rep(args)).ok_or("no such thing")?)])
    });
    linker.func_ctx("host:test/things#consume", |cx, args| {
        let things = cx.data::<Things>().ok_or("no state")?;
        Ok(vec![Val::U32(things.live.remove(&rep(args)).ok_or("no such thing")?)])
    });
    linker
}

#[test]
fn host_resources_go_through_the_guest_table_and_come_back() {
    let component = Component::from_text(GUEST).unwrap();
    let mut store = Store::new();
    store.set_data(Things::default());
    let instance = store.instantiate(&linker(), &component, "guest").unwrap();
    assert_eq!(store.call(instance, "roundtrip", &[Val::U32(7)]).unwrap(), vec![Val::U32(7)]);
    assert_eq!(store.data::<Things>().unwrap().dropped, vec![1], "the guest's drop reached the host");
    assert_eq!(store.live_handles(instance), 0);
    assert_eq!(store.call(instance, "give", &[Val::U32(9)]).unwrap(), vec![Val::U32(9)]);
    assert_eq!(store.live_handles(instance), 0, "the own left the guest's table");
    assert!(store.data::<Things>().unwrap().live.is_empty());
}

#[test]
fn the_host_drops_a_host_resource_it_holds() {
    let component = Component::from_text(GUEST).unwrap();
    let linker = linker();
    let thing = linker.resource_type("host:test/things#thing").unwrap();
    let mut store = Store::new();
    store.set_data(Things::default());
    store.instantiate(&linker, &component, "guest").unwrap();
    store.drop_resource(&thing, canopy_component::ResourceHandle::new(5)).unwrap();
    assert_eq!(store.data::<Things>().unwrap().dropped, vec![5]);
}

#[test]
fn a_missing_member_of_an_imported_instance_is_named() {
    let component = Component::from_text(GUEST).unwrap();
    let mut partial = Linker::new();
    partial.func("host:test/things#make", |_| Ok(Vec::new()));
    let err = Store::new().instantiate(&partial, &component, "guest").unwrap_err();
    let InstantiateError::MissingImports(names) = err else { panic!("{err}") };
    assert!(names.contains(&"host:test/things#thing".to_string()), "{names:?}");
    assert!(names.contains(&"host:test/things#consume".to_string()), "{names:?}");
    assert!(!names.contains(&"host:test/things#make".to_string()), "{names:?}");
}

#[test]
fn stubs_trap_naming_the_import() {
    let component = Component::from_text(GUEST).unwrap();
    let mut linker = Linker::new();
    let stubbed = linker.define_unknown_imports_as_traps(&component);
    assert!(stubbed.contains(&"host:test/things#make".to_string()), "{stubbed:?}");
    let mut store = Store::new();
    let instance = store.instantiate(&linker, &component, "guest").unwrap();
    let trap = store.call(instance, "roundtrip", &[Val::U32(1)]).unwrap_err();
    assert!(trap.message.contains("`host:test/things#make`"), "{trap}");
}
