//! `wasi:random`: secure bytes from the host's `/dev/urandom` (or, failing that, the
//! standard library's randomly keyed hasher), and the insecure variants from the same source.

use std::hash::{BuildHasher, Hasher};
use std::io::Read;

use canopy_component::Val;
use canopy_component::runtime::Linker;

use crate::def;
use crate::vals::{bytes, u64_arg};

/// `len` random bytes.
fn random_bytes(len: usize) -> Vec<u8> {
    let mut buf = vec![0; len];
    if std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf)).is_ok() {
        return buf;
    }
    for chunk in buf.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_usize(chunk.len());
        let word = h.finish().to_le_bytes();
        chunk.copy_from_slice(&word[..chunk.len()]);
    }
    buf
}

fn random_u64() -> u64 {
    let b = random_bytes(8);
    u64::from_le_bytes(b.try_into().unwrap_or([0; 8]))
}

/// The most bytes one call hands out (the guest chooses `len`).
const MAX_BYTES: u64 = 1 << 20;

/// Defines `wasi:random/IFACE` under `name`; false for an interface this subset lacks.
pub(crate) fn add(linker: &mut Linker, name: &str, iface: &str) -> bool {
    match iface {
        "random" => {
            def(linker, name, "get-random-bytes", |_, args| {
                Ok(vec![bytes(&random_bytes(u64_arg(args, 0)?.min(MAX_BYTES) as usize))])
            });
            def(linker, name, "get-random-u64", |_, _| Ok(vec![Val::U64(random_u64())]));
        }
        "insecure" => {
            def(linker, name, "get-insecure-random-bytes", |_, args| {
                Ok(vec![bytes(&random_bytes(u64_arg(args, 0)?.min(MAX_BYTES) as usize))])
            });
            def(linker, name, "get-insecure-random-u64", |_, _| Ok(vec![Val::U64(random_u64())]));
        }
        "insecure-seed" => def(linker, name, "insecure-seed", |_, _| {
            Ok(vec![Val::Tuple(vec![Val::U64(random_u64()), Val::U64(random_u64())])])
        }),
        _ => return false,
    }
    true
}
