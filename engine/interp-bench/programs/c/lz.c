/*
 * An LZ77 round trip: a realistic compiled-C benchmark with mixed shapes (hashing, hash-chain
 * walks with data-dependent branches, byte-compare loops, overlapping byte copies and a
 * table-driven CRC-32). Built freestanding for wasm32 by clang at -O2; see build.sh.
 *
 * run(n) generates n bytes of word-salad text, compresses them, decompresses the result and
 * returns the CRC-32 of what came out (so a lossy round trip shows as a wrong CRC).
 *
 * Text: words from a 32-word list chosen by an LCG (s = s * 1103515245 + 12345 mod 2^32,
 * s0 = 2024, choice (s >> 16) & 31), each followed by a separator chosen by the next LCG step
 * ((s >> 16) & 15: 0 ",", 1 ".\n", 2 a two-digit number then a space, anything else a space); the
 * text is cut at n bytes.
 *
 * Compressed format: groups of up to eight items, each group led by a flag byte whose bit i
 * (least significant first) says whether item i is a literal (0: one byte) or a match (1: three
 * bytes: length - 3, then distance - 1 as a little-endian 16-bit number). Matches are 3..258
 * bytes long, at most 32768 bytes back.
 *
 * Compressor: greedy; a hash of the next three bytes indexes the most recent position with that
 * hash, and earlier positions with it are chained through a window-sized array; at most 32
 * candidates are tried, the first longest match wins, and every position, inside matches too,
 * is entered into the chains.
 */

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;

#define MAX_INPUT (1 << 20)
#define WINDOW (1 << 15)
#define HASH_BITS 15
#define MIN_MATCH 3
#define MAX_MATCH 258
#define MAX_CHAIN 32
#define NO_POSITION (-1)

static u8 input[MAX_INPUT];
/* The worst case is all literals: one flag byte per eight of them. */
static u8 packed[MAX_INPUT + MAX_INPUT / 8 + 8];
static u8 output[MAX_INPUT];
static int head[1 << HASH_BITS];
static int chain[WINDOW];
static u32 crc_table[256];
static u32 packed_length;
static u32 packed_crc;

static const char *const words[32] = {
    "the",      "quick",   "brown",  "fox",     "jumps",  "over",    "lazy",   "dog",
    "module",   "import",  "export", "memory",  "table",  "global",  "func",   "type",
    "component", "world",  "interface", "resource", "record", "variant", "enum", "flags",
    "stream",   "future",  "borrow", "own",     "result", "option",  "list",   "tuple",
};

static u32 lcg(u32 *state) {
    *state = *state * 1103515245u + 12345u;
    return *state >> 16;
}

/* Appends `c` at `*pos` unless the text is already n bytes long. */
static void put(u32 n, u32 *pos, u8 c) {
    if (*pos < n) {
        input[*pos] = c;
    }
    *pos += 1;
}

__attribute__((noinline)) static void generate(u32 n) {
    u32 state = 2024;
    u32 pos = 0;
    while (pos < n) {
        const char *word = words[lcg(&state) & 31];
        for (const char *c = word; *c; c++) {
            put(n, &pos, (u8)*c);
        }
        u32 separator = lcg(&state) & 15;
        if (separator == 0) {
            put(n, &pos, ',');
        } else if (separator == 1) {
            put(n, &pos, '.');
            put(n, &pos, '\n');
        } else if (separator == 2) {
            u32 number = lcg(&state) % 100;
            put(n, &pos, (u8)('0' + number / 10));
            put(n, &pos, (u8)('0' + number % 10));
            put(n, &pos, ' ');
        } else {
            put(n, &pos, ' ');
        }
    }
}

static u32 hash3(const u8 *p) {
    u32 key = (u32)p[0] << 16 | (u32)p[1] << 8 | p[2];
    return (key * 2654435761u) >> (32 - HASH_BITS);
}

/* Enters position `pos` (which has at least three bytes after it) into the hash chains. */
static void insert(const u8 *data, u32 pos) {
    u32 h = hash3(data + pos);
    chain[pos & (WINDOW - 1)] = head[h];
    head[h] = (int)pos;
}

__attribute__((noinline)) static u32 compress(const u8 *data, u32 n, u8 *out) {
    for (u32 i = 0; i < (1u << HASH_BITS); i++) {
        head[i] = NO_POSITION;
    }
    u32 pos = 0;
    u32 length = 0;
    u32 flag_at = 0;
    u32 items = 8; /* items in the current group; 8 means a new group is needed */
    while (pos < n) {
        if (items == 8) {
            flag_at = length++;
            out[flag_at] = 0;
            items = 0;
        }
        u32 best_length = 0;
        u32 best_distance = 0;
        if (pos + MIN_MATCH <= n) {
            u32 limit = n - pos < MAX_MATCH ? n - pos : MAX_MATCH;
            int candidate = head[hash3(data + pos)];
            for (int tries = 0; tries < MAX_CHAIN && candidate != NO_POSITION; tries++) {
                u32 distance = pos - (u32)candidate;
                if (distance > WINDOW) {
                    break;
                }
                u32 k = 0;
                while (k < limit && data[(u32)candidate + k] == data[pos + k]) {
                    k++;
                }
                if (k > best_length) {
                    best_length = k;
                    best_distance = distance;
                    if (k == limit) {
                        break;
                    }
                }
                int next = chain[(u32)candidate & (WINDOW - 1)];
                /* A chain entry older than the window may have been overwritten: stop there. */
                if (next >= candidate) {
                    break;
                }
                candidate = next;
            }
        }
        if (best_length >= MIN_MATCH) {
            out[flag_at] |= (u8)(1u << items);
            out[length++] = (u8)(best_length - MIN_MATCH);
            out[length++] = (u8)((best_distance - 1) & 0xff);
            out[length++] = (u8)((best_distance - 1) >> 8);
            for (u32 end = pos + best_length; pos < end; pos++) {
                if (pos + MIN_MATCH <= n) {
                    insert(data, pos);
                }
            }
        } else {
            out[length++] = data[pos];
            if (pos + MIN_MATCH <= n) {
                insert(data, pos);
            }
            pos++;
        }
        items++;
    }
    return length;
}

/* Returns the number of bytes written, or stops early at a malformed item. */
__attribute__((noinline)) static u32 decompress(const u8 *in, u32 length, u8 *out, u32 capacity) {
    u32 at = 0;
    u32 written = 0;
    while (at < length) {
        u32 flags = in[at++];
        for (u32 item = 0; item < 8 && at < length; item++) {
            if (flags & (1u << item)) {
                if (at + 3 > length) {
                    return written;
                }
                u32 match_length = in[at] + MIN_MATCH;
                u32 distance = ((u32)in[at + 1] | (u32)in[at + 2] << 8) + 1;
                at += 3;
                if (distance > written || written + match_length > capacity) {
                    return written;
                }
                for (u32 k = 0; k < match_length; k++, written++) {
                    out[written] = out[written - distance];
                }
            } else {
                if (written == capacity) {
                    return written;
                }
                out[written++] = in[at++];
            }
        }
    }
    return written;
}

static void make_crc_table(void) {
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int bit = 0; bit < 8; bit++) {
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        }
        crc_table[i] = c;
    }
}

__attribute__((noinline)) static u32 crc32(const u8 *data, u32 n) {
    u32 c = 0xffffffffu;
    for (u32 i = 0; i < n; i++) {
        c = crc_table[(c ^ data[i]) & 0xff] ^ (c >> 8);
    }
    return c ^ 0xffffffffu;
}

/* Compresses and decompresses n generated bytes; returns the CRC-32 of the decompressed bytes. */
__attribute__((export_name("run"))) u32 run(u32 n) {
    if (n > MAX_INPUT) {
        __builtin_trap();
    }
    make_crc_table();
    generate(n);
    packed_length = compress(input, n, packed);
    packed_crc = crc32(packed, packed_length);
    u32 written = decompress(packed, packed_length, output, MAX_INPUT);
    return crc32(output, written);
}

/* The compressed length of the last run. */
__attribute__((export_name("compressed_len"))) u32 compressed_len(void) {
    return packed_length;
}

/* The CRC-32 of the compressed bytes of the last run. */
__attribute__((export_name("compressed_crc"))) u32 compressed_crc(void) {
    return packed_crc;
}

/* Never reached from run; benchmarks place a breakpoint here. */
__attribute__((export_name("never_called"))) int never_called(int x) {
    return x * 5 + 1;
}
