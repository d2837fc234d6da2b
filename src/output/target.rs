//! Where a command's output goes ([`Target`]: a folder, one file, or standard output), and
//! how it gets there: every file written atomically, what was written announced on stderr
//! (hyperfine's `ExportTarget`).

use super::{Body, Exporter, OutFile};
use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where a command writes: `-o DIR`, `-o FILE`, or `-o -`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A folder of files (created when missing).
    Dir(PathBuf),
    /// One file.
    File(PathBuf),
    /// Standard output: one table.
    Stdout,
}

impl Target {
    /// `-o DIR`, or `-o -` for standard output.
    pub fn dir(arg: &Path) -> Target {
        if arg == Path::new("-") { Target::Stdout } else { Target::Dir(arg.to_path_buf()) }
    }

    /// `-o FILE`, or `-o -` for standard output.
    pub fn file(arg: &Path) -> Target {
        if arg == Path::new("-") { Target::Stdout } else { Target::File(arg.to_path_buf()) }
    }

    /// `-o DIR` of a command whose output is a folder only: `-o -` is refused before any
    /// work starts. `what` names the output ("gti report writes a folder of pages").
    ///
    /// # Errors
    /// A usage error for `-o -`.
    pub fn folder(arg: &Path, what: &str) -> Result<Target> {
        match Target::dir(arg) {
            Target::Stdout => Err(Error::Usage(format!("{what}: give -o DIR, not -o -"))),
            t => Ok(t),
        }
    }

    /// Writes one file of the folder ahead of the others ([`Staged`]).
    ///
    /// # Errors
    /// As [`Staged::write`]; a usage error when the target is not a folder.
    pub fn stage(&self, name: &str, blocks: &[Vec<u8>]) -> Result<Staged> {
        match self {
            Target::Dir(dir) => Staged::write(dir, name, blocks),
            _ => Err(Error::Usage("this output is a folder of files: give -o DIR".into())),
        }
    }

    pub fn is_stdout(&self) -> bool {
        *self == Target::Stdout
    }

    /// Exports `data`: every file of the exporter into the folder, or its one table to
    /// standard output (or to the file). Only what the target needs is formatted.
    ///
    /// # Errors
    /// An output that cannot be formatted ([`Error::Format`]) or written ([`Error::Io`]).
    pub fn write<T: ?Sized>(&self, exporter: &dyn Exporter<T>, data: &T) -> Result<Written> {
        match self {
            Target::Dir(_) => self.write_files(&exporter.files(data)?),
            Target::File(_) | Target::Stdout => self.write_one(&exporter.stdout(data)?),
        }
    }

    /// Writes files into the folder, the manifest (or results.json) last, so that a folder
    /// whose manifest is current is complete. Names may hold a subfolder (`units/XAA.html`).
    ///
    /// # Errors
    /// As [`Target::write`]; a usage error when the target is not a folder.
    pub fn write_files(&self, files: &[OutFile]) -> Result<Written> {
        match self {
            Target::Dir(dir) => write_all(dir, files).map(Written),
            _ => Err(Error::Usage("this output is a folder of files: give -o DIR".into())),
        }
    }

    /// Writes one table: to the file (atomically), or to standard output.
    ///
    /// # Errors
    /// As [`Target::write`]; a usage error when the target is a folder.
    pub fn write_one(&self, bytes: &[u8]) -> Result<Written> {
        match self {
            Target::File(path) => write_atomic(path, bytes).map(|()| Written(vec![path.clone()])),
            Target::Stdout => stdout(bytes).map(|()| Written(Vec::new())),
            Target::Dir(_) => Err(Error::Usage("this output is one table: give -o FILE or -o -".into())),
        }
    }
}

/// The files a [`Target`] wrote (none for standard output).
#[derive(Debug, Clone, Default)]
pub struct Written(pub Vec<PathBuf>);

impl Written {
    /// Prints `wrote PATH` on stderr for every file, unless `quiet`.
    pub fn announce(&self, quiet: bool) {
        if !quiet {
            self.0.iter().for_each(|w| eprintln!("wrote {}", w.display()));
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Writes bytes to standard output and flushes. Errors (a closed pipe: `gti validate |
/// head`) are returned, not panicked on; `main` treats a broken pipe as success.
///
/// # Errors
/// An I/O error on `<stdout>`.
pub fn stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).and_then(|_| out.flush()).map_err(|e| Error::io(Path::new("<stdout>"), e))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, synced, then
/// renamed over the target. A failed or killed run leaves the previous file intact.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_by(path, |w| w.write_all(bytes))
}

/// [`write_atomic`] of a [`Body`]; a stream goes through a 1 MiB buffer into the temporary
/// file. A failed stream leaves no file behind either.
pub fn write_atomic_with(path: &Path, body: &Body) -> Result<()> {
    match body {
        Body::Bytes(b) => write_atomic(path, b),
        Body::Stream(f) => write_atomic_by(path, |w| f(w)),
        Body::Staged(s) => s.place(path).map_err(|e| Error::io(path, e)),
    }
}

fn write_atomic_by(path: &Path, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

/// A file of a folder written (and synced) under its temporary name ahead of the others,
/// and renamed into place in its turn by [`write_all`]: `gti sensitivity` writes the 40 MB
/// of `runs.csv` (which needs no result) on a thread of its own while it computes, so the
/// disk's time is not added to the command's. Dropped before it is placed (the command
/// failed), its temporary file is removed.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    path: PathBuf,
    placed: std::sync::atomic::AtomicBool,
}

impl Staged {
    /// Writes `blocks`, one after the other, to `dir/.NAME.tmp-PID`, created and synced as
    /// by [`write_atomic`]; the folder is created if needed.
    ///
    /// # Errors
    /// An I/O error naming the file; no temporary file is left behind.
    pub fn write(dir: &Path, name: &str, blocks: &[Vec<u8>]) -> Result<Staged> {
        prepare_dir(dir)?;
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let staged = Staged { tmp, path, placed: false.into() };
        let result = (|| {
            let mut file = std::fs::File::create(&staged.tmp)?;
            blocks.iter().try_for_each(|b| file.write_all(b))?;
            file.sync_all()
        })();
        // On an error `staged` is dropped here, which removes the temporary file.
        result.map(|()| staged).map_err(|e| Error::io(&dir.join(name), e))
    }

    /// Renames the file into place at `path` (the path it was staged for).
    fn place(&self, path: &Path) -> std::io::Result<()> {
        if path != self.path {
            return Err(std::io::Error::other(format!("staged for {}", self.path.display())));
        }
        std::fs::rename(&self.tmp, path)?;
        self.placed.store(true, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// The file's bytes (for [`super::OutFile::bytes`]).
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        std::fs::read(if self.placed.load(std::sync::atomic::Ordering::Relaxed) {
            &self.path
        } else {
            &self.tmp
        })
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.placed.load(std::sync::atomic::Ordering::Relaxed) {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Prepares an output folder: creates it if needed; refuses a path that is a file.
pub fn prepare_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!("-o {}: this path is a file, not a folder", dir.display())));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Writes all files into `dir`, in order (see [`Target::write_files`]).
pub fn write_all(dir: &Path, files: &[OutFile]) -> Result<Vec<PathBuf>> {
    prepare_dir(dir)?;
    let mut written = Vec::new();
    for f in files {
        let path = dir.join(&f.name);
        if let Some(sub) = Path::new(&f.name).parent().filter(|p| !p.as_os_str().is_empty()) {
            prepare_dir(&dir.join(sub))?;
        }
        write_atomic_with(&path, &f.body)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_stream_leaves_the_previous_file_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("scores.csv");
        write_atomic(&p, b"previous").unwrap();
        let failing = Body::Stream(Box::new(|w: &mut dyn Write| {
            w.write_all(b"half a file")?;
            Err(std::io::Error::other("disk full"))
        }));
        // An I/O error naming the file (exit 1), not a usage error.
        let e = write_atomic_with(&p, &failing).unwrap_err();
        assert!(matches!(e, Error::Io { .. }) && e.to_string().contains("scores.csv"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"previous");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let ok = Body::Stream(Box::new(|w: &mut dyn Write| w.write_all(b"new")));
        write_atomic_with(&p, &ok).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn a_staged_file_is_placed_in_its_turn_and_its_bytes_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let target = Target::Dir(out.clone());
        let staged = target.stage("runs.csv", &[b"run,x\n".to_vec(), b"1,2\n".to_vec()]).unwrap();
        // Written under its temporary name only (the folder was created for it).
        assert_eq!(names(&out), vec![format!(".runs.csv.tmp-{}", std::process::id())]);
        assert_eq!(staged.read().unwrap(), b"run,x\n1,2\n");
        let files = [
            OutFile::new("a.csv", b"a".to_vec()),
            OutFile { name: "runs.csv".into(), body: Body::Staged(&staged) },
            OutFile::new("manifest.json", b"{}".to_vec()),
        ];
        target.write_files(&files).unwrap();
        assert_eq!(names(&out), vec!["a.csv", "manifest.json", "runs.csv"]);
        assert_eq!(std::fs::read(out.join("runs.csv")).unwrap(), b"run,x\n1,2\n");
        assert_eq!(files[1].bytes().unwrap(), b"run,x\n1,2\n");
        drop(files);
        drop(staged);
        assert!(out.join("runs.csv").exists(), "a placed file stays when its handle goes");
    }

    #[test]
    fn a_staged_file_never_placed_leaves_the_previous_one_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(&dir.path().join("runs.csv"), b"previous").unwrap();
        let staged = Staged::write(dir.path(), "runs.csv", &[b"new".to_vec()]).unwrap();
        assert_eq!(names(dir.path()).len(), 2);
        // The command failed before writing its files.
        drop(staged);
        assert_eq!(names(dir.path()), vec!["runs.csv"]);
        assert_eq!(std::fs::read(dir.path().join("runs.csv")).unwrap(), b"previous");
        // Placed under another name than its own: refused, nothing renamed.
        let staged = Staged::write(dir.path(), "runs.csv", &[b"new".to_vec()]).unwrap();
        let e = write_atomic_with(&dir.path().join("other.csv"), &Body::Staged(&staged)).unwrap_err();
        assert!(e.to_string().contains("other.csv"), "{e}");
        drop(staged);
        assert_eq!(names(dir.path()), vec!["runs.csv"]);
    }

    #[test]
    fn staging_into_a_path_that_is_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("taken");
        std::fs::write(&file, b"x").unwrap();
        let e = Staged::write(&file, "runs.csv", &[b"new".to_vec()]).unwrap_err();
        assert!(e.to_string().contains("taken"), "{e}");
        assert_eq!(names(dir.path()), vec!["taken"]);
    }
}
