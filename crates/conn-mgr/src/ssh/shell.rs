//! An interactive shell channel as a [`ByteStream`] for the prompt engine.

use std::io::{ErrorKind, Read, Write};
use std::time::Duration;

use ssh2::{Channel, Session};

use super::session::{millis, transport};
use crate::cli::ByteStream;
use crate::{Error, Result};

pub(crate) struct ShellStream {
    session: Session,
    channel: Channel,
    write_timeout: Duration,
}

impl ShellStream {
    pub(crate) fn open(session: Session, pty: bool, write_timeout: Duration) -> Result<Self> {
        let mut channel = session.channel_session().map_err(transport)?;
        if pty {
            // Wide and tall enough that devices neither wrap nor page on their own.
            channel
                .request_pty("vt100", None, Some((511, 24, 0, 0)))
                .map_err(transport)?;
        }
        channel.shell().map_err(transport)?;
        Ok(ShellStream {
            session,
            channel,
            write_timeout,
        })
    }

    fn failure(&self, e: std::io::Error) -> Error {
        if self.channel.eof() {
            Error::Disconnected
        } else {
            transport(e)
        }
    }
}

impl ByteStream for ShellStream {
    fn write_all(&mut self, data: &[u8]) -> Result<()> {
        self.session.set_timeout(millis(self.write_timeout));
        let result = self
            .channel
            .write_all(data)
            .and_then(|()| self.channel.flush());
        result.map_err(|e| self.failure(e))
    }

    fn keepalive(&mut self) -> bool {
        self.session.keepalive_send().is_ok()
    }

    fn close(&mut self) {
        self.session.set_timeout(1000);
        let _ = self.channel.close();
        let _ = self.session.disconnect(None, "bye", None);
    }

    fn read(&mut self, buf: &mut [u8], wait: Duration) -> Result<usize> {
        self.session.set_timeout(millis(wait));
        match self.channel.read(buf) {
            Ok(0) if self.channel.eof() => Err(Error::Disconnected),
            Ok(n) => Ok(n),
            Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => Ok(0),
            Err(e) => Err(self.failure(e)),
        }
    }
}
