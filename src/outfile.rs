//! Files baton writes for people (`-o`, `--rejects`, letters, `config init`, backups): each
//! is written to a temporary file next to its target, created new with mode 0600, and
//! renamed over the target only when complete, so a failure leaves the target as it was and
//! no temporary file behind. Only a missing path or a regular file is ever a target: a link
//! (even a dangling one), a folder, a FIFO or a device is refused before anything is written.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, Result};

use crate::{refused, text};

/// A file being written to a temporary name; [`OutFile::commit`] puts it in place, dropping
/// it uncommitted removes it.
pub struct OutFile {
    file: Option<BufWriter<File>>,
    temp: PathBuf,
    target: PathBuf,
}

/// Tells apart the temporary files of one process.
static NEXT: AtomicUsize = AtomicUsize::new(0);

impl OutFile {
    /// Starts writing `target`: refuses a target that is not a regular file
    /// ([`refuse_special`]), then creates `.NAME.PID-N.tmp` in the target's folder.
    pub fn create(target: &Path) -> Result<OutFile> {
        refuse_special(target)?;
        let shown = target.display();
        let name = target
            .file_name()
            .with_context(|| format!("cannot write {shown}: it names no file"))?;
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temp = target.with_file_name(format!(
            ".{}.{}-{n}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(&temp)
            .with_context(|| format!("cannot write {shown}"))?;
        Ok(OutFile {
            file: Some(BufWriter::new(file)),
            temp,
            target: target.to_path_buf(),
        })
    }

    /// The temporary file, for writers that open it by name (SQLite's backup).
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Flushes and syncs the file, renames it over the target and syncs the folder.
    pub fn commit(mut self) -> Result<()> {
        let shown = self.target.display().to_string();
        let file = self.file.take().expect("an OutFile is committed once");
        let file = file
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .with_context(|| format!("cannot write {shown}"))?;
        file.sync_all()
            .with_context(|| format!("cannot write {shown}"))?;
        drop(file);
        std::fs::rename(&self.temp, &self.target)
            .with_context(|| format!("cannot write {shown}"))?;
        self.temp = PathBuf::new();
        let dir = match self.target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        File::open(dir)
            .and_then(|d| d.sync_all())
            .with_context(|| format!("cannot write {shown}"))
    }
}

impl Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

impl OutFile {
    fn writer(&mut self) -> &mut BufWriter<File> {
        self.file
            .as_mut()
            .expect("an OutFile is written before its commit")
    }
}

impl Drop for OutFile {
    fn drop(&mut self) {
        if !self.temp.as_os_str().is_empty() {
            drop(self.file.take());
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Writes `bytes` to `path` whole or not at all, 0600.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = OutFile::create(path)?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.commit()
}

/// Accepts a missing path or a regular file; refuses anything else (a folder, a FIFO, a
/// device, a socket, a symbolic link of any kind, dangling or not) with exit 3.
pub fn refuse_special(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.is_file() => {
            let shown = path.display();
            Err(refused!(
                "{shown} is not a regular file: baton never writes over a folder, link, FIFO or device",
                "{shown} 不是普通文件：baton 不会写入文件夹、链接、管道或设备"
            )
            .hint(text!(
                "name a new file, or a regular file",
                "请指定新文件或普通文件"
            ))
            .into())
        }
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot write {}", path.display()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_committed_file_replaces_the_target_and_a_dropped_one_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        std::fs::write(&target, b"old").unwrap();
        let mut file = OutFile::create(&target).unwrap();
        file.write_all(b"new").unwrap();
        assert_eq!(names(dir.path()).len(), 2);
        drop(file);
        assert_eq!(names(dir.path()), ["out.csv"]);
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        write(&target, b"new").unwrap();
        assert_eq!(names(dir.path()), ["out.csv"]);
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn only_missing_paths_and_regular_files_are_targets() {
        let dir = tempfile::tempdir().unwrap();
        assert!(refuse_special(&dir.path().join("new")).is_ok());
        std::fs::write(dir.path().join("file"), b"").unwrap();
        assert!(refuse_special(&dir.path().join("file")).is_ok());
        #[cfg(unix)]
        std::os::unix::fs::symlink("file", dir.path().join("link")).unwrap();
        for bad in ["", "link"] {
            let err = refuse_special(&dir.path().join(bad)).unwrap_err();
            let failure = err.downcast_ref::<crate::error::Failure>().unwrap();
            assert_eq!(failure.exit_code(), 3);
        }
    }
}
