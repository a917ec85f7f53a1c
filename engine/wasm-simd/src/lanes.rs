//! Lane access on `u128` vectors: the [`Lane`] trait for every lane type and generic helpers that
//! build lane-wise operations (map, zip, compare) out of scalar functions.

/// A scalar type that can occupy one lane of a `v128`.
pub(crate) trait Lane: Copy {
    /// Width of the lane in bits.
    const BITS: u32;
    /// Number of lanes of this type in a `v128`.
    const COUNT: usize = (128 / Self::BITS) as usize;
    /// Reads the lane from the low `BITS` bits of `bits` (higher bits are ignored).
    fn from_bits(bits: u128) -> Self;
    /// The lane's `BITS` bits, zero-extended.
    fn to_bits(self) -> u128;
}

macro_rules! integer_lane {
    ($($int:ty => $unsigned:ty),* $(,)?) => {$(
        impl Lane for $int {
            const BITS: u32 = <$int>::BITS;
            fn from_bits(bits: u128) -> Self {
                bits as $unsigned as $int
            }
            fn to_bits(self) -> u128 {
                self as $unsigned as u128
            }
        }
    )*};
}

integer_lane!(u8 => u8, u16 => u16, u32 => u32, u64 => u64, i8 => u8, i16 => u16, i32 => u32, i64 => u64);

impl Lane for f32 {
    const BITS: u32 = 32;
    fn from_bits(bits: u128) -> Self {
        f32::from_bits(bits as u32)
    }
    fn to_bits(self) -> u128 {
        u128::from(f32::to_bits(self))
    }
}

impl Lane for f64 {
    const BITS: u32 = 64;
    fn from_bits(bits: u128) -> Self {
        f64::from_bits(bits as u64)
    }
    fn to_bits(self) -> u128 {
        u128::from(f64::to_bits(self))
    }
}

/// All ones in the low `L::BITS` bits.
fn lane_mask<L: Lane>() -> u128 {
    u128::MAX >> (128 - L::BITS)
}

/// Lane `index` of `v`; the index is taken modulo the lane count.
pub(crate) fn get<L: Lane>(v: u128, index: usize) -> L {
    L::from_bits(v >> ((index % L::COUNT) as u32 * L::BITS))
}

/// `v` with lane `index` (modulo the lane count) replaced by `value`.
pub(crate) fn set<L: Lane>(v: u128, index: usize, value: L) -> u128 {
    let shift = (index % L::COUNT) as u32 * L::BITS;
    (v & !(lane_mask::<L>() << shift)) | (value.to_bits() << shift)
}

/// The vector whose lane `i` is `lane(i)`.
pub(crate) fn from_fn<L: Lane>(mut lane: impl FnMut(usize) -> L) -> u128 {
    (0..L::COUNT).fold(0, |acc, i| acc | (lane(i).to_bits() << (i as u32 * L::BITS)))
}

/// Applies `f` to every lane of `v`.
pub(crate) fn map<L: Lane>(v: u128, f: impl Fn(L) -> L) -> u128 {
    from_fn(|i| f(get::<L>(v, i)))
}

/// Applies `f` to every pair of corresponding lanes of `a` and `b`.
pub(crate) fn zip<L: Lane>(a: u128, b: u128, f: impl Fn(L, L) -> L) -> u128 {
    from_fn(|i| f(get::<L>(a, i), get::<L>(b, i)))
}

/// Lane-wise comparison: a lane of the result is all ones where `predicate` holds, else zero.
pub(crate) fn compare<L: Lane>(a: u128, b: u128, predicate: impl Fn(L, L) -> bool) -> u128 {
    (0..L::COUNT).fold(0, |acc, i| {
        if predicate(get::<L>(a, i), get::<L>(b, i)) { acc | (lane_mask::<L>() << (i as u32 * L::BITS)) } else { acc }
    })
}

/// Copies `value` to every lane.
pub(crate) fn splat<L: Lane>(value: L) -> u128 {
    from_fn(|_| value)
}

/// 1 if every lane of `v` is non-zero, else 0.
pub(crate) fn all_true<L: Lane>(v: u128) -> i32 {
    i32::from((0..L::COUNT).all(|i| get::<L>(v, i).to_bits() != 0))
}

/// Bit `i` of the result is the most significant bit of lane `i`.
pub(crate) fn bitmask<L: Lane>(v: u128) -> i32 {
    (0..L::COUNT).fold(0, |acc, i| acc | (((get::<L>(v, i).to_bits() >> (L::BITS - 1)) as i32 & 1) << i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_zero_is_least_significant() {
        let v = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128;
        assert_eq!(get::<u8>(v, 0), 0x00);
        assert_eq!(get::<u8>(v, 15), 0x0f);
        assert_eq!(get::<u16>(v, 1), 0x0302);
        assert_eq!(get::<i32>(v, 3), 0x0f0e_0d0c);
        assert_eq!(get::<u64>(v, 1), 0x0f0e_0d0c_0b0a_0908);
    }

    #[test]
    fn set_replaces_only_one_lane() {
        assert_eq!(set::<u16>(0, 7, 0xabcd), 0xabcd << 112);
        assert_eq!(set::<i8>(u128::MAX, 1, 0), !0xff00);
        assert_eq!(set::<f32>(0, 2, -0.0), 0x8000_0000 << 64);
    }

    #[test]
    fn compare_sets_whole_lanes() {
        let a = from_fn::<i16>(|i| i as i16);
        assert_eq!(compare::<i16>(a, splat::<i16>(3), |x, y| x < y), u128::MAX >> 80);
    }

    #[test]
    fn bitmask_and_all_true() {
        assert_eq!(bitmask::<i32>(from_fn::<i32>(|i| if i % 2 == 0 { -1 } else { 1 })), 0b0101);
        assert_eq!(all_true::<u8>(splat::<u8>(1)), 1);
        assert_eq!(all_true::<u8>(set::<u8>(splat::<u8>(1), 9, 0)), 0);
    }
}
