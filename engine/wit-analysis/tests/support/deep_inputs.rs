//! Generated WIT inputs whose structure is as deep as they are long: chains and cycles of type
//! aliases, records, variants, resources, `use`s (in one file, across files, across nested
//! packages and across `deps/` packages), `include`s (with `with`), and the syntactic nesting the
//! parser bounds (types, package blocks).
//!
//! Shared by the tests of every crate the analysis runs in (the analysis, the IDE features, the
//! formatter, the language server and `canopy check`), each of which includes this file with
//! `#[path]`. Each input says what a correct analysis reports: nothing, or one error of a given
//! code at a given place, so a test can check the answer as well as the survival.

#![allow(dead_code)] // Each including test uses a different part.

/// One package's files (`(path, text)`), as the root package or a `deps/` entry.
#[derive(Debug, Clone)]
pub struct Group {
    /// A dependency (an entry of `deps/`, named after its first file's stem) or the root.
    pub dependency: bool,
    /// The files.
    pub files: Vec<(String, String)>,
}

/// The first error (in path and position order) of an input.
#[derive(Debug, Clone)]
pub struct Expected {
    /// Its code.
    pub code: &'static str,
    /// The file it is in.
    pub path: String,
    /// Where it starts: that many bytes into the first occurrence of this text in the file
    /// (`None`: anywhere).
    pub at: Option<(String, usize)>,
    /// A part of its message.
    pub message: &'static str,
}

/// A generated workspace and what its analysis must report.
#[derive(Debug, Clone)]
pub struct DeepInput {
    /// What it is, for failure messages.
    pub name: String,
    /// Dependencies first, the root last (the order of a loaded layout).
    pub groups: Vec<Group>,
    /// `None`: no error. `Some(expected)`: the error every analysis must report.
    pub expected: Option<Expected>,
    /// A name to hover, go to and find references of, as `(path, text)`: the first occurrence
    /// of `text` in `path`, at the head of the chain (answers about it need the whole chain).
    pub probe: (String, String),
}

impl DeepInput {
    fn one_file(name: &str, text: String, probe: &str) -> DeepInput {
        let path = format!("{name}.wit");
        DeepInput {
            name: name.to_string(),
            groups: vec![Group { dependency: false, files: vec![(path.clone(), text)] }],
            expected: None,
            probe: (path, probe.to_string()),
        }
    }

    /// The same input, expected to report an error of `code` whose message contains
    /// `message`, starting `at.1` bytes into the first occurrence of `at.0` (if given) in the
    /// root's first file.
    fn failing(mut self, code: &'static str, at: Option<(&str, usize)>, message: &'static str) -> DeepInput {
        let path = self.groups.last().unwrap().files[0].0.clone();
        self.expected = Some(Expected { code, path, at: at.map(|(text, skip)| (text.to_string(), skip)), message });
        self
    }

    /// The byte offset where the expected error starts, if the input pins it.
    pub fn expected_offset(&self) -> Option<u32> {
        let expected = self.expected.as_ref()?;
        let (at, skip) = expected.at.as_ref()?;
        let text = self.text(&expected.path);
        let found = text.find(at.as_str()).unwrap_or_else(|| panic!("{}: no {at:?} in {}", self.name, expected.path));
        Some((found + skip) as u32)
    }

    /// The layout of the input, for an `AnalysisHost`.
    pub fn layout(&self) -> canopy_wit_analysis::Layout {
        use canopy_wit_analysis::loader::{LayoutGroup, LayoutGroupKind};
        let groups = self
            .groups
            .iter()
            .map(|g| LayoutGroup {
                kind: if g.dependency { LayoutGroupKind::Dependency } else { LayoutGroupKind::Root },
                files: g.files.clone(),
            })
            .collect();
        canopy_wit_analysis::Layout { groups, notes: Vec::new() }
    }

    /// The text of a file of the input.
    pub fn text(&self, path: &str) -> &str {
        self.groups.iter().flat_map(|g| &g.files).find(|(p, _)| p == path).map(|(_, t)| t.as_str()).unwrap()
    }

    /// The byte offset of the probe's name (its first letter).
    pub fn probe_offset(&self) -> u32 {
        let (path, text) = &self.probe;
        self.text(path).find(text.as_str()).unwrap_or_else(|| panic!("{}: no {text:?} in {path}", self.name)) as u32
    }

    /// Writes the input as a project folder: the root's files in `dir/wit/`, each dependency in
    /// `dir/wit/deps/<name>/` ([`DeepInput::disk_path`] says where each file went).
    pub fn write_project(&self, dir: &std::path::Path) {
        for group in &self.groups {
            for (path, text) in &group.files {
                let target = self.disk_path(dir, path);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(target, text).unwrap();
            }
        }
    }

    /// Where [`DeepInput::write_project`] puts a generated file.
    pub fn disk_path(&self, dir: &std::path::Path, path: &str) -> std::path::PathBuf {
        let group = self.groups.iter().find(|g| g.files.iter().any(|(p, _)| p == path)).unwrap();
        if group.dependency {
            let stem = group.files[0].0.trim_end_matches(".wit").replace('/', "-");
            dir.join("wit").join("deps").join(stem).join(path.rsplit('/').next().unwrap())
        } else {
            dir.join("wit").join(path)
        }
    }
}

/// `type a0 = a1; … type a{n} = u32;`: valid, clean.
pub fn alias_chain(n: usize) -> DeepInput {
    let mut text = String::from("package deep:aliases;\n\ninterface i {\n");
    for k in 0..n {
        text.push_str(&format!("    type a{k} = a{};\n", k + 1));
    }
    text.push_str(&format!("    type a{n} = u32;\n    f: func(x: a0) -> a0;\n}}\n"));
    DeepInput::one_file("alias-chain", text, "a0")
}

/// `type a0 = list<a1>; type a1 = option<a2>; type a2 = result<a3, string>; …`: valid, clean.
pub fn wrapped_alias_chain(n: usize) -> DeepInput {
    let mut text = String::from("package deep:wrapped;\n\ninterface i {\n");
    for k in 0..n {
        let next = format!("a{}", k + 1);
        let wrapped = match k % 4 {
            0 => format!("list<{next}>"),
            1 => format!("option<{next}>"),
            2 => format!("result<{next}, string>"),
            _ => format!("tuple<u8, {next}>"),
        };
        text.push_str(&format!("    type a{k} = {wrapped};\n"));
    }
    text.push_str(&format!("    type a{n} = u32;\n    f: func(x: a0) -> a0;\n}}\n"));
    DeepInput::one_file("wrapped-alias-chain", text, "a0")
}

/// `type a0 = a1; … type a{n-1} = a0;`: one type cycle.
pub fn alias_cycle(n: usize) -> DeepInput {
    let mut text = String::from("package deep:cycle;\n\ninterface i {\n");
    for k in 0..n {
        text.push_str(&format!("    type a{k} = a{};\n", (k + 1) % n));
    }
    text.push_str("}\n");
    DeepInput::one_file("alias-cycle", text, "a0").failing(
        "type-cycle",
        Some(("a1;", 0)),
        "type `a1` depends on itself",
    )
}

/// `record r0 { next: r1 }` … `record r{n} { last: u32 }`, and a function taking `r0`: clean.
pub fn record_chain(n: usize) -> DeepInput {
    let mut text = String::from("package deep:records;\n\ninterface i {\n");
    for k in 0..n {
        text.push_str(&format!("    record r{k} {{ next: r{}, n: u8 }}\n", k + 1));
    }
    text.push_str(&format!("    record r{n} {{ last: u32 }}\n    f: func(x: r0) -> r0;\n}}\n"));
    DeepInput::one_file("record-chain", text, "r0")
}

/// Records each holding the next, the last holding the first: one type cycle.
pub fn record_cycle(n: usize) -> DeepInput {
    let mut text = String::from("package deep:recordcycle;\n\ninterface i {\n");
    for k in 0..n {
        text.push_str(&format!("    record r{k} {{ next: r{} }}\n", (k + 1) % n));
    }
    text.push_str("}\n");
    DeepInput::one_file("record-cycle", text, "r0").failing(
        "type-cycle",
        Some(("r1 }", 0)),
        "type `r1` depends on itself",
    )
}

/// `variant v0 { more(v1), done }` … : clean.
pub fn variant_chain(n: usize) -> DeepInput {
    let mut text = String::from("package deep:variants;\n\ninterface i {\n");
    for k in 0..n {
        text.push_str(&format!("    variant v{k} {{ more(v{}), done }}\n", k + 1));
    }
    text.push_str(&format!("    variant v{n} {{ done }}\n    f: func() -> v0;\n}}\n"));
    DeepInput::one_file("variant-chain", text, "v0")
}

/// Resources whose methods take and return the next resource: clean.
pub fn resource_chain(n: usize) -> DeepInput {
    let mut text = String::from("package deep:resources;\n\ninterface i {\n");
    for k in 0..n {
        let next = k + 1;
        text.push_str(&format!(
            "    resource r{k} {{\n        constructor(x: borrow<r{next}>);\n        m: func(x: borrow<r{next}>) -> r{next};\n    }}\n"
        ));
    }
    text.push_str(&format!("    resource r{n};\n}}\n"));
    DeepInput::one_file("resource-chain", text, "r0")
}

/// A function returning `a0`, where `a0 = a1 = … = borrow<r>`: the `borrow` is found at the end.
pub fn borrow_at_the_end(n: usize) -> DeepInput {
    let mut text = String::from("package deep:handles;\n\ninterface i {\n    resource r;\n");
    for k in 0..n {
        text.push_str(&format!("    type a{k} = a{};\n", k + 1));
    }
    text.push_str(&format!("    type a{n} = option<borrow<r>>;\n    f: func() -> a0;\n}}\n"));
    DeepInput::one_file("borrow-at-the-end", text, "a0").failing("borrow-in-result", Some(("f:", 0)), "borrow")
}

/// `interface i0 { use i1.{t}; }` … `interface i{n} { type t = u32; }` in one file, and a
/// world importing and exporting the head of the chain: clean.
pub fn use_chain(n: usize) -> DeepInput {
    let mut text = String::from("package deep:uses;\n\n");
    for k in 0..n {
        text.push_str(&format!("interface i{k} {{ use i{}.{{t}}; f: func(x: t); }}\n", k + 1));
    }
    text.push_str(&format!("interface i{n} {{ type t = u32; }}\n"));
    text.push_str("world imports { import i0; }\nworld exports { export i0; }\n");
    DeepInput::one_file("use-chain", text, "t}")
}

/// Interfaces each `use`-ing the next, the last the first: one `use` cycle.
pub fn use_cycle(n: usize) -> DeepInput {
    let mut text = String::from("package deep:usecycle;\n\n");
    for k in 0..n {
        text.push_str(&format!("interface i{k} {{ use i{}.{{t}}; type u = t; }}\n", (k + 1) % n));
    }
    // Reported where the `use` that closes the cycle is resolved (wit-parser, whose walk runs
    // in another order, names another interface of the cycle).
    let last = format!("interface i{} {{", n - 1);
    let at = Some((last.as_str(), "interface ".len()));
    DeepInput::one_file("use-cycle", text, "t}").failing("cycle", at, "depends on itself")
}

/// The `use` chain with each interface in a file of its own.
pub fn use_chain_across_files(n: usize) -> DeepInput {
    let mut files = Vec::new();
    for k in 0..n {
        let header = if k == 0 { "package deep:files;\n\n" } else { "" };
        files.push((format!("f{k:06}.wit"), format!("{header}interface i{k} {{ use i{}.{{t}}; }}\n", k + 1)));
    }
    files.push((format!("f{n:06}.wit"), format!("interface i{n} {{ type t = u32; }}\n")));
    DeepInput {
        name: "use-chain-across-files".to_string(),
        groups: vec![Group { dependency: false, files }],
        expected: None,
        probe: ("f000000.wit".to_string(), "t}".to_string()),
    }
}

/// Nested `package deep:p{k} { … }` blocks in one file, each interface `use`-ing the next
/// package's: the package dependency chain and the `use` chain are as long.
pub fn nested_package_chain(n: usize) -> DeepInput {
    let mut text = String::from("package deep:top;\n\n");
    for k in 0..n {
        text.push_str(&format!("package deep:p{k} {{ interface i {{ use deep:p{}/i.{{t}}; }} }}\n", k + 1));
    }
    text.push_str(&format!("package deep:p{n} {{ interface i {{ type t = u32; }} }}\n"));
    DeepInput::one_file("nested-package-chain", text, "t}")
}

/// Nested package blocks each `use`-ing the next, the last the first: a package cycle.
pub fn nested_package_cycle(n: usize) -> DeepInput {
    let mut text = String::from("package deep:top;\n\n");
    for k in 0..n {
        text.push_str(&format!("package deep:q{k} {{ interface i {{ use deep:q{}/i.{{t}}; }} }}\n", (k + 1) % n));
    }
    DeepInput::one_file("nested-package-cycle", text, "t}").failing(
        "package-cycle",
        Some(("deep:q1/i", 0)),
        "dependency cycle",
    )
}

/// `deps/` packages each `use`-ing the next, the root `use`-ing the first: clean.
pub fn deps_chain(n: usize) -> DeepInput {
    let mut groups = Vec::new();
    for k in 0..n {
        let text = format!("package dep:p{k};\n\ninterface i {{ use dep:p{}/i.{{t}}; }}\n", k + 1);
        groups.push(Group { dependency: true, files: vec![(format!("p{k:06}.wit"), text)] });
    }
    groups.push(Group {
        dependency: true,
        files: vec![(format!("p{n:06}.wit"), format!("package dep:p{n};\n\ninterface i {{ type t = u32; }}\n"))],
    });
    let root = "package deep:root;\n\ninterface i { use dep:p0/i.{t}; f: func(x: t); }\nworld w { import i; }\n";
    groups.push(Group { dependency: false, files: vec![("root.wit".to_string(), root.to_string())] });
    DeepInput {
        name: "deps-chain".to_string(),
        groups,
        expected: None,
        probe: ("root.wit".to_string(), "t}".to_string()),
    }
}

/// `world w0 { include w1; }` … `world w{n} { import f: func(); }`: clean.
pub fn include_chain(n: usize) -> DeepInput {
    let mut text = String::from("package deep:includes;\n\n");
    for k in 0..n {
        text.push_str(&format!("world w{k} {{ include w{}; }}\n", k + 1));
    }
    text.push_str(&format!("interface i {{ type t = u32; }}\nworld w{n} {{ use i.{{t}}; import f: func(x: t); }}\n"));
    DeepInput::one_file("include-chain", text, "w1")
}

/// Worlds each including the next `with` a rename of the function it brings: clean.
pub fn include_with_chain(n: usize) -> DeepInput {
    let mut text = String::from("package deep:includewith;\n\n");
    for k in 0..n {
        text.push_str(&format!("world w{k} {{ include w{} with {{ run{} as run{k} }} }}\n", k + 1, k + 1));
    }
    text.push_str(&format!("world w{n} {{ import run{n}: func(); }}\n"));
    DeepInput::one_file("include-with-chain", text, "w1")
}

/// Worlds each including the next, the last the first: one `include` cycle.
pub fn include_cycle(n: usize) -> DeepInput {
    let mut text = String::from("package deep:includecycle;\n\n");
    for k in 0..n {
        text.push_str(&format!("world w{k} {{ include w{}; }}\n", (k + 1) % n));
    }
    // As for `use` cycles: reported where the `include` that closes the cycle is resolved.
    let last = format!("world w{} {{", n - 1);
    let at = Some((last.as_str(), "world ".len()));
    DeepInput::one_file("include-cycle", text, "w1").failing("cycle", at, "depends on itself")
}

/// Type constructors nested `n` deep, each kind in turn (`list<tuple<u8, option<result<…`),
/// around `u8`, in an alias and in a function.
fn nested_type_text(package: &str, n: usize) -> String {
    const WRAPPERS: [(&str, &str); 8] = [
        ("list<", ">"),
        ("tuple<u8, ", ">"),
        ("option<", ">"),
        ("result<", ", string>"),
        ("map<string, ", ">"),
        ("future<", ">"),
        ("result<_, ", ">"),
        ("stream<", ">"),
    ];
    let (mut open, mut close) = (String::new(), String::new());
    for k in 0..n {
        let (o, c) = WRAPPERS[k % WRAPPERS.len()];
        open.push_str(o);
        close.insert_str(0, c);
    }
    format!(
        "package deep:{package};\n\ninterface i {{\n    type t = {open}u8{close};\n    f: func(x: {open}u8{close}) -> t;\n}}\n"
    )
}

/// Types nested as deep as the parser allows (100 type expressions, the innermost `u8`):
/// valid, clean, and the deepest type any analysis sees.
pub fn deepest_type(_n: usize) -> DeepInput {
    DeepInput::one_file("deepest-type", nested_type_text("deepest", 99), "t =")
}

/// Types nested `n` deep: past the parser's type-nesting limit.
pub fn nested_type(n: usize) -> DeepInput {
    DeepInput::one_file("nested-type", nested_type_text("nesting", n), "t =").failing(
        "syntax",
        None,
        "type nesting too deep (limit: 100 levels)",
    )
}

/// `package a:p0 { package a:p1 { … } }` nested `n` deep: the parser's package-nesting limit.
pub fn nested_packages(n: usize) -> DeepInput {
    let mut text = String::new();
    for k in 0..n {
        text.push_str(&format!("package deep:n{k} {{\n"));
    }
    text.push_str("interface i {}\n");
    text.push_str(&"}\n".repeat(n));
    DeepInput::one_file("nested-packages", text, "i {}").failing(
        "syntax",
        None,
        "package nesting too deep (limit: 100 levels)",
    )
}

/// Makes an input of a given length.
pub type Generator = fn(usize) -> DeepInput;

/// Every kind of input, by name, with whether its length is a count of files or packages
/// (each a file of its own, which costs more than a line).
pub const KINDS: &[(&str, Generator, bool)] = &[
    ("alias-chain", alias_chain, false),
    ("wrapped-alias-chain", wrapped_alias_chain, false),
    ("alias-cycle", alias_cycle, false),
    ("record-chain", record_chain, false),
    ("record-cycle", record_cycle, false),
    ("variant-chain", variant_chain, false),
    ("resource-chain", resource_chain, false),
    ("borrow-at-the-end", borrow_at_the_end, false),
    ("use-chain", use_chain, false),
    ("use-cycle", use_cycle, false),
    ("use-chain-across-files", use_chain_across_files, true),
    ("nested-package-chain", nested_package_chain, false),
    ("nested-package-cycle", nested_package_cycle, false),
    ("deps-chain", deps_chain, true),
    ("include-chain", include_chain, false),
    ("include-with-chain", include_with_chain, false),
    ("include-cycle", include_cycle, false),
    ("deepest-type", deepest_type, false),
    ("nested-type", nested_type, false),
    ("nested-packages", nested_packages, false),
];

/// Every kind of input at length `n` (`n` at least 2), or `many` for counts of files.
pub fn all(n: usize, many: usize) -> Vec<DeepInput> {
    KINDS.iter().map(|&(_, make, files)| make(if files { many } else { n })).collect()
}
