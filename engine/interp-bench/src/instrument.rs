//! Gives a binary module that was not written for these benchmarks (CoreMark) the programs'
//! conventions: a function `never_called(x: i32) -> i32`, exported under that name, and a `name`
//! section naming the functions, so the breakpoint benchmark can find it.
//!
//! The rewrite works on the section bytes directly: it appends one type, one function, one export
//! and one body, which shifts no existing index, and copies every other section unchanged.

/// What the added `never_called(x)` returns: `x` xor this.
pub const NEVER_CALLED_XOR: i32 = 0x0f0f_0f0f;

const TYPE_SECTION: u8 = 1;
const IMPORT_SECTION: u8 = 2;
const FUNCTION_SECTION: u8 = 3;
const EXPORT_SECTION: u8 = 7;
const CODE_SECTION: u8 = 10;
const CUSTOM_SECTION: u8 = 0;

/// A module's sections in order: the id and the contents (without the size).
struct Sections<'a> {
    list: Vec<(u8, &'a [u8])>,
}

impl<'a> Sections<'a> {
    fn parse(wasm: &'a [u8]) -> Result<Sections<'a>, String> {
        if wasm.len() < 8 || wasm[..8] != *b"\0asm\x01\0\0\0" {
            return Err("not a core WebAssembly 1.0 binary".into());
        }
        let mut reader = Reader { bytes: wasm, pos: 8 };
        let mut list = Vec::new();
        while reader.pos < wasm.len() {
            let id = reader.byte()?;
            let size = reader.u32()? as usize;
            list.push((id, reader.take(size)?));
        }
        Ok(Sections { list })
    }

    fn get(&self, id: u8) -> Option<&'a [u8]> {
        self.list.iter().find(|(section, _)| *section == id).map(|&(_, contents)| contents)
    }

    /// Whether the module has a custom section called `name`.
    fn has_custom(&self, name: &str) -> bool {
        self.list.iter().filter(|(id, _)| *id == CUSTOM_SECTION).any(|(_, contents)| {
            let mut reader = Reader { bytes: contents, pos: 0 };
            reader.name().is_ok_and(|custom| custom == name)
        })
    }
}

/// A cursor over bytes in the binary format's encodings.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let byte = *self.bytes.get(self.pos).ok_or("unexpected end of the module")?;
        self.pos += 1;
        Ok(byte)
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(len).filter(|&end| end <= self.bytes.len()).ok_or("a size runs past the end")?;
        let taken = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(taken)
    }

    /// An unsigned LEB128 number of at most 64 bits.
    fn u64(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("an over-long LEB128 number".into())
    }

    fn u32(&mut self) -> Result<u32, String> {
        u32::try_from(self.u64()?).map_err(|_| "a number does not fit 32 bits".to_string())
    }

    fn name(&mut self) -> Result<&'a str, String> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).map_err(|_| "a name is not UTF-8".to_string())
    }

    /// Skips the limits of a table or memory type.
    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.u64()?;
        if flags & 1 != 0 {
            self.u64()?;
        }
        Ok(())
    }
}

fn write_u32(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn write_i32(out: &mut Vec<u8>, mut value: i32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        let done = (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0);
        if done {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn write_section(out: &mut Vec<u8>, id: u8, contents: &[u8]) {
    out.push(id);
    write_u32(out, contents.len() as u32);
    out.extend_from_slice(contents);
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_u32(out, name.len() as u32);
    out.extend_from_slice(name.as_bytes());
}

/// A vector section's contents with `extra` appended: the count goes up by one.
fn append_entry(contents: &[u8], extra: &[u8]) -> Result<Vec<u8>, String> {
    let mut reader = Reader { bytes: contents, pos: 0 };
    let count = reader.u32()?;
    let mut out = Vec::with_capacity(contents.len() + extra.len() + 5);
    write_u32(&mut out, count.checked_add(1).ok_or("too many entries")?);
    out.extend_from_slice(&contents[reader.pos..]);
    out.extend_from_slice(extra);
    Ok(out)
}

fn entry_count(contents: Option<&[u8]>) -> Result<u32, String> {
    contents.map_or(Ok(0), |contents| Reader { bytes: contents, pos: 0 }.u32())
}

/// The field names of the imported functions, in index order.
fn imported_functions(contents: Option<&[u8]>) -> Result<Vec<String>, String> {
    let Some(contents) = contents else { return Ok(Vec::new()) };
    let mut reader = Reader { bytes: contents, pos: 0 };
    let mut names = Vec::new();
    for _ in 0..reader.u32()? {
        reader.name()?;
        let field = reader.name()?;
        match reader.byte()? {
            0x00 => {
                reader.u32()?;
                names.push(field.to_string());
            }
            0x01 => {
                reader.byte()?;
                reader.limits()?;
            }
            0x02 => reader.limits()?,
            0x03 => {
                reader.byte()?;
                reader.byte()?;
            }
            kind => return Err(format!("an import of unsupported kind {kind:#x}")),
        }
    }
    Ok(names)
}

/// The first export name of each exported function, by function index.
fn exported_functions(contents: Option<&[u8]>) -> Result<Vec<(u32, String)>, String> {
    let Some(contents) = contents else { return Ok(Vec::new()) };
    let mut reader = Reader { bytes: contents, pos: 0 };
    let mut names: Vec<(u32, String)> = Vec::new();
    for _ in 0..reader.u32()? {
        let name = reader.name()?;
        let kind = reader.byte()?;
        let index = reader.u32()?;
        if kind == 0x00 && names.iter().all(|&(named, _)| named != index) {
            names.push((index, name.to_string()));
        }
    }
    Ok(names)
}

/// Returns `wasm` with `never_called(x: i32) -> i32` (returning x xor [`NEVER_CALLED_XOR`])
/// added and exported, and a `name` section naming the imported functions by their field names,
/// the exported ones by their first export names, and `never_called`. Fails if the module already
/// has a `name` section (merging is not needed for the one module this serves), lacks a type,
/// function, export or code section, or cannot be read.
pub fn add_never_called(wasm: &[u8]) -> Result<Vec<u8>, String> {
    let sections = Sections::parse(wasm)?;
    if sections.has_custom("name") {
        return Err("the module already has a name section".into());
    }
    let types = sections.get(TYPE_SECTION).ok_or("the module has no type section")?;
    let functions = sections.get(FUNCTION_SECTION).ok_or("the module has no function section")?;
    if sections.get(CODE_SECTION).is_none() || sections.get(EXPORT_SECTION).is_none() {
        return Err("the module has no code or no export section".into());
    }
    let imports = imported_functions(sections.get(IMPORT_SECTION))?;
    let type_index = entry_count(Some(types))?;
    let func_index = imports.len() as u32 + entry_count(Some(functions))?;

    // (func (param i32) (result i32) (i32.xor (local.get 0) (i32.const NEVER_CALLED_XOR)))
    let new_type = [0x60, 0x01, 0x7f, 0x01, 0x7f];
    let mut new_function = Vec::new();
    write_u32(&mut new_function, type_index);
    let mut new_export = Vec::new();
    write_name(&mut new_export, crate::NEVER_CALLED);
    new_export.push(0x00);
    write_u32(&mut new_export, func_index);
    let mut body = vec![0x00, 0x20, 0x00, 0x41];
    write_i32(&mut body, NEVER_CALLED_XOR);
    body.extend_from_slice(&[0x73, 0x0b]);
    let mut new_body = Vec::new();
    write_u32(&mut new_body, body.len() as u32);
    new_body.extend_from_slice(&body);

    let mut names: Vec<(u32, String)> =
        imports.into_iter().enumerate().map(|(index, name)| (index as u32, name)).collect();
    names.extend(exported_functions(sections.get(EXPORT_SECTION))?);
    names.push((func_index, crate::NEVER_CALLED.to_string()));
    names.sort_by_key(|&(index, _)| index);
    names.dedup_by_key(|&mut (index, _)| index);

    let mut out = wasm[..8].to_vec();
    for &(id, contents) in &sections.list {
        let extra: &[u8] = match id {
            TYPE_SECTION => &new_type,
            FUNCTION_SECTION => &new_function,
            EXPORT_SECTION => &new_export,
            CODE_SECTION => &new_body,
            _ => {
                write_section(&mut out, id, contents);
                continue;
            }
        };
        write_section(&mut out, id, &append_entry(contents, extra)?);
    }

    // The name section: subsection 1, the function names.
    let mut function_names = Vec::new();
    write_u32(&mut function_names, names.len() as u32);
    for (index, name) in &names {
        write_u32(&mut function_names, *index);
        write_name(&mut function_names, name);
    }
    let mut name_section = Vec::new();
    write_name(&mut name_section, "name");
    name_section.push(0x01);
    write_u32(&mut name_section, function_names.len() as u32);
    name_section.extend_from_slice(&function_names);
    write_section(&mut out, CUSTOM_SECTION, &name_section);
    Ok(out)
}
