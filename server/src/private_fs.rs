//! Files and directories only the server's own user may read.
//!
//! The server's data holds member records and, in its key files, private keys: everything it
//! creates is made with mode 0600 (files) or 0700 (directories) from the start, never
//! created open and narrowed afterwards. The modes are given to `open(2)` and `mkdir(2)`,
//! which a umask can only narrow further.

use std::io;
use std::path::Path;

/// Creates `path` and any missing parents with mode 0700. A directory that exists already is
/// left as it is (it may be one the operator chose, such as a home directory).
pub(crate) fn create_dir(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Makes sure the file `path` exists with mode 0600: created empty with that mode if missing;
/// an existing file that others may read (made by an older version) is narrowed to 0600.
pub(crate) fn ensure_private_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // No symbolic link is followed: the file is the server's own.
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path)?;
    narrow(&file)
}

/// Narrows the existing file `path` to mode 0600 if others may read it; a missing file is
/// fine.
pub(crate) fn narrow_if_present(path: &Path) -> io::Result<()> {
    match std::fs::OpenOptions::new().read(true).open(path) {
        Ok(file) => narrow(&file),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn narrow(file: &std::fs::File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = file.metadata()?.permissions().mode();
    if mode & 0o077 != 0 {
        file.set_permissions(std::fs::Permissions::from_mode(mode & 0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn narrow(_file: &std::fs::File) -> io::Result<()> {
    Ok(())
}
