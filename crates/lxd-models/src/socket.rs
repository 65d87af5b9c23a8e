//! Where the local LXD unix socket lives.

use std::path::{Path, PathBuf};

/// The snap package's socket.
const SNAP_SOCKET: &str = "/var/snap/lxd/common/lxd/unix.socket";
/// The deb package's (and LXD's built-in) socket.
const DEB_SOCKET: &str = "/var/lib/lxd/unix.socket";

/// Finds the local socket: `LXD_SOCKET`, then `$LXD_DIR/unix.socket`, then the snap path if it
/// exists, then `/var/lib/lxd/unix.socket` (the union of the Go client's and pylxd's rules).
pub fn discover_socket() -> PathBuf {
    discover_from(
        |key| std::env::var_os(key).map(PathBuf::from),
        |path| path.exists(),
    )
}

fn discover_from(var: impl Fn(&str) -> Option<PathBuf>, exists: impl Fn(&Path) -> bool) -> PathBuf {
    if let Some(socket) = var("LXD_SOCKET").filter(|p| !p.as_os_str().is_empty()) {
        return socket;
    }
    if let Some(dir) = var("LXD_DIR").filter(|p| !p.as_os_str().is_empty()) {
        return dir.join("unix.socket");
    }
    if exists(Path::new(SNAP_SOCKET)) {
        return PathBuf::from(SNAP_SOCKET);
    }
    PathBuf::from(DEB_SOCKET)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_of_precedence() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| PathBuf::from(v))
            }
        };
        let both = env(&[("LXD_SOCKET", "/s"), ("LXD_DIR", "/d")]);
        assert_eq!(discover_from(both, |_| true), PathBuf::from("/s"));
        assert_eq!(
            discover_from(env(&[("LXD_DIR", "/d")]), |_| true),
            PathBuf::from("/d/unix.socket")
        );
        assert_eq!(
            discover_from(env(&[("LXD_SOCKET", "")]), |_| true),
            PathBuf::from(SNAP_SOCKET)
        );
        assert_eq!(
            discover_from(env(&[]), |_| false),
            PathBuf::from(DEB_SOCKET)
        );
    }
}
