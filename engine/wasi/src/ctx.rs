//! The WASI host's state: what the embedder granted (arguments, environment variables,
//! standard streams, preopened directories) and the host objects the guest holds handles
//! to (streams, pollables, descriptors, errors), by representation number.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Where an output stream's bytes go.
#[derive(Clone, Debug)]
pub enum Output {
    /// The host process's own stdout.
    InheritStdout,
    /// The host process's own stderr.
    InheritStderr,
    /// A shared buffer (for tests and embedders that show the output themselves).
    Capture(Arc<Mutex<Vec<u8>>>),
    /// Nowhere.
    Null,
}

/// Where the guest's stdin comes from.
#[derive(Clone, Debug)]
pub enum Input {
    /// The host process's stdin.
    Inherit,
    /// These bytes, then end of stream.
    Bytes(Arc<Vec<u8>>),
    /// End of stream at once.
    Empty,
}

/// A host object behind a guest handle.
pub(crate) enum Obj {
    /// `wasi:io/error.error`, with its debug string.
    Error(String),
    /// A pollable: ready now, or at a monotonic deadline.
    Pollable(Option<Instant>),
    /// The guest's stdin.
    Stdin { pos: usize },
    /// An output stream.
    Out(Output),
    /// A file read from `offset` on.
    FileIn { file: File, offset: u64 },
    /// A file written at `offset` (`None`: appended).
    FileOut { file: File, offset: Option<u64> },
    /// An open file or directory, with the host path it stands for.
    Descriptor(crate::filesystem::Desc),
    /// The entries of a directory not yet read.
    DirEntries(std::collections::VecDeque<(String, &'static str)>),
    /// `wasi:sockets/network.network`: the network a component may not use.
    Network,
}

/// The WASI host's state, kept in the component store's data slot.
pub struct WasiCtx {
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) stdin: Input,
    pub(crate) stdout: Output,
    pub(crate) stderr: Output,
    pub(crate) preopens: Vec<(PathBuf, String)>,
    pub(crate) objects: HashMap<u32, Obj>,
    next: u32,
    pub(crate) exit: Option<u32>,
    pub(crate) start: Instant,
}

impl WasiCtx {
    /// A builder that grants nothing yet.
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }

    /// The status the guest asked to exit with (`wasi:cli/exit.exit`), if it did.
    pub fn exit_status(&self) -> Option<u32> {
        self.exit
    }

    pub(crate) fn insert(&mut self, obj: Obj) -> u32 {
        self.next += 1;
        self.objects.insert(self.next, obj);
        self.next
    }

    pub(crate) fn get(&mut self, rep: u32) -> Result<&mut Obj, String> {
        self.objects.get_mut(&rep).ok_or_else(|| format!("no host object behind handle representation {rep}"))
    }

    pub(crate) fn remove(&mut self, rep: u32) {
        self.objects.remove(&rep);
    }

    /// Reads up to `len` bytes from the guest's stdin at `pos`.
    pub(crate) fn read_stdin(&self, pos: usize, len: usize) -> std::io::Result<Vec<u8>> {
        match &self.stdin {
            Input::Empty => Ok(Vec::new()),
            Input::Bytes(data) => Ok(data.get(pos..).map_or(&[][..], |rest| &rest[..len.min(rest.len())]).to_vec()),
            Input::Inherit => {
                let mut buf = vec![0; len.min(64 * 1024)];
                let n = std::io::stdin().read(&mut buf)?;
                buf.truncate(n);
                Ok(buf)
            }
        }
    }
}

/// Builds a [`WasiCtx`]: nothing is granted unless asked for.
#[derive(Default)]
pub struct WasiCtxBuilder {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<Input>,
    stdout: Option<Output>,
    stderr: Option<Output>,
    preopens: Vec<(PathBuf, String)>,
}

impl WasiCtxBuilder {
    /// Appends a program argument (the first is conventionally the program's name).
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Grants one environment variable.
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Sets where stdin comes from (default: empty).
    pub fn stdin(mut self, input: Input) -> Self {
        self.stdin = Some(input);
        self
    }

    /// Sets where stdout goes (default: nowhere).
    pub fn stdout(mut self, output: Output) -> Self {
        self.stdout = Some(output);
        self
    }

    /// Sets where stderr goes (default: nowhere).
    pub fn stderr(mut self, output: Output) -> Self {
        self.stderr = Some(output);
        self
    }

    /// Inherits the host's stdin, stdout and stderr.
    pub fn inherit_stdio(self) -> Self {
        self.stdin(Input::Inherit).stdout(Output::InheritStdout).stderr(Output::InheritStderr)
    }

    /// Preopens the host directory `host` for the guest under the name `guest`; the guest
    /// can reach nothing outside it.
    pub fn preopened_dir(mut self, host: impl Into<PathBuf>, guest: impl Into<String>) -> Self {
        self.preopens.push((host.into(), guest.into()));
        self
    }

    /// The context.
    pub fn build(self) -> WasiCtx {
        WasiCtx {
            args: self.args,
            env: self.env,
            stdin: self.stdin.unwrap_or(Input::Empty),
            stdout: self.stdout.unwrap_or(Output::Null),
            stderr: self.stderr.unwrap_or(Output::Null),
            preopens: self.preopens,
            objects: HashMap::new(),
            next: 0,
            exit: None,
            start: Instant::now(),
        }
    }
}
