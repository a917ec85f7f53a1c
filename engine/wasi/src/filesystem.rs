//! `wasi:filesystem`: preopened directories (only those the context grants) and the
//! descriptor operations language runtimes use (open-at, stat, read and write, directory
//! listing, create and remove), each confined to its preopen: absolute paths and `..`
//! above the preopen are refused, and a path whose symlinks lead outside is refused too.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use canopy_component::Val;
use canopy_component::runtime::Linker;

use crate::ctx::{Obj, WasiCtx};
use crate::vals::{bytes, bytes_arg, case, err, flags_arg, ok, option, own, record, rep, str_arg, u64_arg};
use crate::{def, resource};

/// An open file or directory.
pub(crate) struct Desc {
    /// The host path (canonical).
    path: PathBuf,
    /// The canonical root of the preopen it was reached from.
    root: PathBuf,
    dir: bool,
    /// The descriptor flags it was opened with.
    flags: Vec<String>,
}

fn code(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "no-entry",
        K::PermissionDenied => "access",
        K::AlreadyExists => "exist",
        K::IsADirectory => "is-directory",
        K::NotADirectory => "not-directory",
        K::DirectoryNotEmpty => "not-empty",
        K::InvalidInput => "invalid",
        _ => "io",
    }
}

fn fail(c: &str) -> Vec<Val> {
    vec![err(case(c))]
}

fn desc<'a>(w: &'a mut WasiCtx, args: &[Val]) -> Result<&'a mut Desc, String> {
    match w.get(rep(args, 0)?)? {
        Obj::Descriptor(d) => Ok(d),
        _ => Err("the handle is not a descriptor".into()),
    }
}

/// The host path `path` names relative to directory `base`, confined to `root`.
/// `follow`: whether a final symlink is followed.
fn resolve(base: &Path, root: &Path, path: &str, follow: bool) -> Result<PathBuf, &'static str> {
    if path.starts_with('/') {
        return Err("not-permitted");
    }
    let mut joined = base.to_path_buf();
    for part in Path::new(path).components() {
        match part {
            Component::Normal(p) => joined.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if joined == root || !joined.pop() {
                    return Err("not-permitted");
                }
            }
            Component::RootDir | Component::Prefix(_) => return Err("not-permitted"),
        }
    }
    let is_link = fs::symlink_metadata(&joined).map(|m| m.file_type().is_symlink()).ok();
    let checked = match is_link {
        Some(link) if follow || !link => fs::canonicalize(&joined).map_err(|e| code(&e))?,
        _ => {
            let parent = joined.parent().ok_or("not-permitted")?;
            let name = joined.file_name().ok_or("invalid")?;
            fs::canonicalize(parent).map_err(|e| code(&e))?.join(name)
        }
    };
    if !checked.starts_with(root) {
        return Err("not-permitted");
    }
    Ok(checked)
}

fn at(
    w: &mut WasiCtx,
    args: &[Val],
    path_index: usize,
    follow: bool,
) -> Result<Result<(PathBuf, PathBuf), &'static str>, String> {
    let path = str_arg(args, path_index)?.to_string();
    let d = desc(w, args)?;
    if !d.dir {
        return Ok(Err("not-directory"));
    }
    let root = d.root.clone();
    Ok(resolve(&d.path, &root, &path, follow).map(|p| (p, root)))
}

fn follows(args: &[Val], i: usize) -> bool {
    flags_arg(args, i).is_ok_and(|f| f.iter().any(|n| n == "symlink-follow"))
}

fn type_of(meta: &fs::Metadata) -> Val {
    let t = meta.file_type();
    case(if t.is_dir() {
        "directory"
    } else if t.is_file() {
        "regular-file"
    } else if t.is_symlink() {
        "symbolic-link"
    } else {
        "unknown"
    })
}

fn datetime(t: std::io::Result<std::time::SystemTime>) -> Val {
    option(
        t.ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| record(vec![("seconds", Val::U64(d.as_secs())), ("nanoseconds", Val::U32(d.subsec_nanos()))])),
    )
}

fn stat_val(meta: &fs::Metadata) -> Val {
    record(vec![
        ("type", type_of(meta)),
        ("link-count", Val::U64(1)),
        ("size", Val::U64(meta.len())),
        ("data-access-timestamp", datetime(meta.accessed())),
        ("data-modification-timestamp", datetime(meta.modified())),
        ("status-change-timestamp", datetime(meta.modified())),
    ])
}

fn open_file(path: &Path, write: bool) -> std::io::Result<File> {
    OpenOptions::new().read(true).write(write).open(path)
}

fn get_directories(w: &mut WasiCtx, _args: &[Val]) -> Result<Vec<Val>, String> {
    let mut list = Vec::new();
    for (host, guest) in w.preopens.clone() {
        let Ok(root) = fs::canonicalize(&host) else { continue };
        let d = Desc { path: root.clone(), root, dir: true, flags: vec!["read".into(), "mutate-directory".into()] };
        list.push(Val::Tuple(vec![own(w.insert(Obj::Descriptor(d))), Val::String(guest)]));
    }
    Ok(vec![Val::List(list)])
}

fn open_at(w: &mut WasiCtx, args: &[Val]) -> Result<Vec<Val>, String> {
    let open = flags_arg(args, 3)?;
    let flags = flags_arg(args, 4)?;
    let has = |set: &[String], n: &str| set.iter().any(|f| f == n);
    let (path, root) = match at(w, args, 2, follows(args, 1))? {
        Ok(p) => p,
        Err(c) => return Ok(fail(c)),
    };
    if let Some(parent) = desc(w, args).ok().map(|d| d.flags.clone())
        && (has(&flags, "write") || has(&flags, "mutate-directory"))
        && !has(&parent, "mutate-directory")
    {
        return Ok(fail("read-only"));
    }
    let exists = path.exists();
    if has(&open, "exclusive") && has(&open, "create") && exists {
        return Ok(fail("exist"));
    }
    if has(&open, "create")
        && !exists
        && let Err(e) = OpenOptions::new().write(true).create_new(true).open(&path)
    {
        return Ok(fail(code(&e)));
    }
    let meta = match fs::metadata(&path) {
        Ok(m) => m,
        Err(e) => return Ok(fail(code(&e))),
    };
    if has(&open, "directory") && !meta.is_dir() {
        return Ok(fail("not-directory"));
    }
    if has(&open, "truncate")
        && meta.is_file()
        && let Err(e) = OpenOptions::new().write(true).truncate(true).open(&path)
    {
        return Ok(fail(code(&e)));
    }
    let path = fs::canonicalize(&path).unwrap_or(path);
    let d = Desc { path, root, dir: meta.is_dir(), flags };
    Ok(vec![ok(Some(own(w.insert(Obj::Descriptor(d)))))])
}

fn stream(w: &mut WasiCtx, args: &[Val], write: bool, offset: Option<u64>) -> Result<Vec<Val>, String> {
    let d = desc(w, args)?;
    if d.dir {
        return Ok(fail("is-directory"));
    }
    let file = match open_file(&d.path, write) {
        Ok(f) => f,
        Err(e) => return Ok(fail(code(&e))),
    };
    let obj = match (write, offset) {
        (false, offset) => Obj::FileIn { file, offset: offset.unwrap_or(0) },
        (true, offset) => Obj::FileOut { file, offset },
    };
    Ok(vec![ok(Some(own(w.insert(obj))))])
}

fn read_at(w: &mut WasiCtx, args: &[Val]) -> Result<Vec<Val>, String> {
    let len = u64_arg(args, 1)?.min(1 << 20) as usize;
    let offset = u64_arg(args, 2)?;
    let d = desc(w, args)?;
    let result = open_file(&d.path, false).and_then(|mut f| {
        f.seek(SeekFrom::Start(offset))?;
        let mut buf = vec![0; len];
        let n = f.read(&mut buf)?;
        buf.truncate(n);
        Ok(buf)
    });
    Ok(vec![match result {
        Ok(data) => {
            let end = data.len() < len;
            ok(Some(Val::Tuple(vec![bytes(&data), Val::Bool(end)])))
        }
        Err(e) => err(case(code(&e))),
    }])
}

fn write_at(w: &mut WasiCtx, args: &[Val]) -> Result<Vec<Val>, String> {
    let data = bytes_arg(args, 1)?;
    let offset = u64_arg(args, 2)?;
    let d = desc(w, args)?;
    let result = open_file(&d.path, true).and_then(|mut f| {
        f.seek(SeekFrom::Start(offset))?;
        f.write_all(&data)
    });
    Ok(vec![match result {
        Ok(()) => ok(Some(Val::U64(data.len() as u64))),
        Err(e) => err(case(code(&e))),
    }])
}

fn read_directory(w: &mut WasiCtx, args: &[Val]) -> Result<Vec<Val>, String> {
    let d = desc(w, args)?;
    let entries = match fs::read_dir(&d.path) {
        Ok(entries) => entries,
        Err(e) => return Ok(fail(code(&e))),
    };
    let mut list = std::collections::VecDeque::new();
    for entry in entries.flatten() {
        let kind = match entry.file_type() {
            Ok(t) if t.is_dir() => "directory",
            Ok(t) if t.is_file() => "regular-file",
            Ok(t) if t.is_symlink() => "symbolic-link",
            _ => "unknown",
        };
        list.push_back((entry.file_name().to_string_lossy().into_owned(), kind));
    }
    Ok(vec![ok(Some(own(w.insert(Obj::DirEntries(list)))))])
}

fn hash(meta: &fs::Metadata) -> Val {
    use std::os::unix::fs::MetadataExt;
    record(vec![("lower", Val::U64(meta.ino())), ("upper", Val::U64(meta.dev()))])
}

/// Answers `unsupported`, for the descriptor operations this subset leaves out.
fn unsupported(_: &mut WasiCtx, _: &[Val]) -> Result<Vec<Val>, String> {
    Ok(fail("unsupported"))
}

/// Defines `wasi:filesystem/IFACE` under `name`; false for an interface this subset lacks.
pub(crate) fn add(linker: &mut Linker, name: &str, iface: &str) -> bool {
    match iface {
        "preopens" => def(linker, name, "get-directories", get_directories),
        "types" => add_types(linker, name),
        _ => return false,
    }
    true
}

fn add_types(linker: &mut Linker, name: &str) {
    resource(linker, name, "descriptor");
    resource(linker, name, "directory-entry-stream");
    let m = |f: &str| format!("[method]descriptor.{f}");
    def(linker, name, &m("read-via-stream"), |w, args| {
        let offset = u64_arg(args, 1)?;
        stream(w, args, false, Some(offset))
    });
    def(linker, name, &m("write-via-stream"), |w, args| {
        let offset = u64_arg(args, 1)?;
        stream(w, args, true, Some(offset))
    });
    def(linker, name, &m("append-via-stream"), |w, args| stream(w, args, true, None));
    def(linker, name, &m("get-type"), |w, args| {
        let d = desc(w, args)?;
        Ok(vec![match fs::metadata(&d.path) {
            Ok(meta) => ok(Some(type_of(&meta))),
            Err(e) => err(case(code(&e))),
        }])
    });
    def(linker, name, &m("get-flags"), |w, args| {
        let d = desc(w, args)?;
        Ok(vec![ok(Some(Val::Flags(d.flags.iter().map(|f| f.as_str().into()).collect())))])
    });
    def(linker, name, &m("stat"), |w, args| {
        let d = desc(w, args)?;
        Ok(vec![match fs::metadata(&d.path) {
            Ok(meta) => ok(Some(stat_val(&meta))),
            Err(e) => err(case(code(&e))),
        }])
    });
    def(linker, name, &m("stat-at"), |w, args| {
        let follow = follows(args, 1);
        Ok(match at(w, args, 2, follow)? {
            Ok((path, _)) => match if follow { fs::metadata(&path) } else { fs::symlink_metadata(&path) } {
                Ok(meta) => vec![ok(Some(stat_val(&meta)))],
                Err(e) => fail(code(&e)),
            },
            Err(c) => fail(c),
        })
    });
    def(linker, name, &m("open-at"), open_at);
    def(linker, name, &m("read"), read_at);
    def(linker, name, &m("write"), write_at);
    def(linker, name, &m("read-directory"), read_directory);
    def(linker, name, &m("create-directory-at"), |w, args| {
        Ok(match at(w, args, 1, false)? {
            Ok((path, _)) => fs::create_dir(&path).map_or_else(|e| fail(code(&e)), |_| vec![ok(None)]),
            Err(c) => fail(c),
        })
    });
    def(linker, name, &m("remove-directory-at"), |w, args| {
        Ok(match at(w, args, 1, false)? {
            Ok((path, _)) => fs::remove_dir(&path).map_or_else(|e| fail(code(&e)), |_| vec![ok(None)]),
            Err(c) => fail(c),
        })
    });
    def(linker, name, &m("unlink-file-at"), |w, args| {
        Ok(match at(w, args, 1, false)? {
            Ok((path, _)) => fs::remove_file(&path).map_or_else(|e| fail(code(&e)), |_| vec![ok(None)]),
            Err(c) => fail(c),
        })
    });
    def(linker, name, &m("metadata-hash"), |w, args| {
        let d = desc(w, args)?;
        Ok(vec![match fs::metadata(&d.path) {
            Ok(meta) => ok(Some(hash(&meta))),
            Err(e) => err(case(code(&e))),
        }])
    });
    def(linker, name, &m("metadata-hash-at"), |w, args| {
        let follow = follows(args, 1);
        Ok(match at(w, args, 2, follow)? {
            Ok((path, _)) => match fs::metadata(&path) {
                Ok(meta) => vec![ok(Some(hash(&meta)))],
                Err(e) => fail(code(&e)),
            },
            Err(c) => fail(c),
        })
    });
    def(linker, name, &m("is-same-object"), |w, args| {
        let a = desc(w, args)?.path.clone();
        let b = match w.get(rep(args, 1)?)? {
            Obj::Descriptor(d) => d.path.clone(),
            _ => return Err("the handle is not a descriptor".into()),
        };
        Ok(vec![Val::Bool(a == b)])
    });
    def(linker, name, &m("sync"), |_, _| Ok(vec![ok(None)]));
    def(linker, name, &m("sync-data"), |_, _| Ok(vec![ok(None)]));
    def(linker, name, &m("advise"), |_, _| Ok(vec![ok(None)]));
    for f in ["set-size", "set-times", "set-times-at", "link-at", "readlink-at", "rename-at", "symlink-at"] {
        def(linker, name, &m(f), unsupported);
    }
    def(linker, name, "[method]directory-entry-stream.read-directory-entry", |w, args| match w.get(rep(args, 0)?)? {
        Obj::DirEntries(list) => Ok(vec![ok(Some(option(
            list.pop_front().map(|(n, kind)| record(vec![("type", case(kind)), ("name", Val::String(n))])),
        )))]),
        _ => Err("the handle is not a directory-entry-stream".into()),
    });
    def(linker, name, "filesystem-error-code", |_, _| Ok(vec![option(None)]));
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn paths_stay_inside_their_preopen() {
        let base = std::env::temp_dir().join(format!("canopy-wasi-confine-{}", std::process::id()));
        let root = base.join("root");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(base.join("outside.txt"), "secret").unwrap();
        std::fs::write(root.join("inside.txt"), "ok").unwrap();
        let _ = std::os::unix::fs::symlink(base.join("outside.txt"), root.join("escape"));
        let root = std::fs::canonicalize(&root).unwrap();
        assert_eq!(resolve(&root, &root, "inside.txt", true), Ok(root.join("inside.txt")));
        assert_eq!(resolve(&root, &root, "sub/../inside.txt", true), Ok(root.join("inside.txt")));
        assert_eq!(resolve(&root, &root, "new.txt", true), Ok(root.join("new.txt")));
        assert_eq!(resolve(&root, &root, "../outside.txt", true), Err("not-permitted"));
        assert_eq!(resolve(&root, &root, "sub/../../outside.txt", true), Err("not-permitted"));
        assert_eq!(resolve(&root, &root, "/etc/passwd", true), Err("not-permitted"));
        assert_eq!(resolve(&root, &root, "escape", true), Err("not-permitted"), "a symlink out is refused");
        assert_eq!(resolve(&root.join("sub"), &root, "..", true), Ok(root.clone()));
        let _ = std::fs::remove_dir_all(&base);
    }
}
