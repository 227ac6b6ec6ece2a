//! Hot-plug requests from the guest, carried out through QEMU's QMP socket.
//!
//! A guest test asks for a monitor command by printing a line containing
//! `drvlife-qmp: COMMAND key=value ...` on the KTAP port (as a KTAP
//! diagnostic). The harness follows the KTAP log while the guest runs and
//! sends each request, once, as `{"execute": COMMAND, "arguments": {...}}`.
//! Only `device_add` and `device_del` are accepted: a test may steer the
//! hardware, not the emulator. The guest cannot read the answer; it checks
//! the effect in sysfs. Requests and answers are logged in `qmp.log`.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

const MARKER: &str = "drvlife-qmp: ";
const ALLOWED: [&str; 2] = ["device_add", "device_del"];

/// A monitor request parsed from a KTAP line.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub command: String,
    pub arguments: Vec<(String, String)>,
}

/// Parses the request on a KTAP line, if there is one. Errors name what is
/// wrong with a line that has the marker.
pub fn parse_line(line: &str) -> Option<Result<Request, String>> {
    let rest = &line[line.find(MARKER)? + MARKER.len()..];
    let mut words = rest.split_whitespace();
    let command = match words.next() {
        Some(c) => c.to_string(),
        None => return Some(Err("empty QMP request".into())),
    };
    if !ALLOWED.contains(&command.as_str()) {
        return Some(Err(format!("QMP command {command:?} not allowed")));
    }
    let mut arguments = Vec::new();
    for word in words {
        match word.split_once('=') {
            Some((k, v)) if !k.is_empty() => arguments.push((k.to_string(), v.to_string())),
            _ => return Some(Err(format!("bad QMP argument {word:?} (want key=value)"))),
        }
    }
    Some(Ok(Request { command, arguments }))
}

impl Request {
    /// The QMP message for this request.
    pub fn to_json(&self) -> String {
        let arguments: serde_json::Map<String, serde_json::Value> = self
            .arguments
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        serde_json::json!({ "execute": self.command, "arguments": arguments }).to_string()
    }
}

/// Follows the KTAP log and forwards requests to QEMU.
pub struct Forwarder {
    socket: PathBuf,
    log: PathBuf,
    /// Bytes of the KTAP log already scanned (only whole lines).
    scanned: usize,
    conn: Option<(UnixStream, BufReader<UnixStream>)>,
}

impl Forwarder {
    pub fn new(socket: PathBuf, log: PathBuf) -> Self {
        let _ = fs::remove_file(&log);
        Self {
            socket,
            log,
            scanned: 0,
            conn: None,
        }
    }

    fn note(&self, text: &str) {
        if let Ok(mut f) = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
        {
            let _ = writeln!(f, "{text}");
        }
    }

    fn connect(&mut self) -> Result<(), String> {
        if self.conn.is_some() {
            return Ok(());
        }
        let stream = UnixStream::connect(&self.socket)
            .map_err(|e| format!("{}: {e}", self.socket.display()))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
        let mut greeting = String::new();
        reader.read_line(&mut greeting).map_err(|e| e.to_string())?;
        self.note(&format!("<- {}", greeting.trim_end()));
        let mut conn = (stream, reader);
        let answer = exchange(&mut conn, "{\"execute\": \"qmp_capabilities\"}")?;
        self.note(&format!("<- {answer}"));
        self.conn = Some(conn);
        Ok(())
    }

    fn send(&mut self, request: &Request) -> Result<String, String> {
        self.execute(&request.to_json())
    }

    /// Sends one message of the host's own (not a guest request) and
    /// returns QEMU's answer; both are logged.
    pub fn execute(&mut self, json: &str) -> Result<String, String> {
        self.connect()?;
        self.note(&format!("-> {json}"));
        let conn = self.conn.as_mut().ok_or("no QMP connection")?;
        let answer = exchange(conn, json);
        match &answer {
            Ok(a) => self.note(&format!("<- {a}")),
            Err(e) => self.note(&format!("error: {e}")),
        }
        answer
    }

    /// Forwards the requests in the part of `ktap` not scanned yet.
    pub fn poll(&mut self, ktap: &Path) {
        let Ok(text) = fs::read(ktap) else { return };
        if text.len() <= self.scanned {
            return;
        }
        let new = &text[self.scanned..];
        let Some(end) = new.iter().rposition(|&b| b == b'\n') else {
            return;
        };
        let chunk = String::from_utf8_lossy(&new[..=end]).into_owned();
        self.scanned += end + 1;
        for line in chunk.lines() {
            match parse_line(line) {
                None => {}
                Some(Err(e)) => self.note(&format!("refused: {e}")),
                Some(Ok(request)) => {
                    // Answers and errors are logged by `execute`.
                    let _ = self.send(&request);
                }
            }
        }
    }
}

/// Sends one message and returns the answer, skipping asynchronous events.
fn exchange(conn: &mut (UnixStream, BufReader<UnixStream>), json: &str) -> Result<String, String> {
    conn.0
        .write_all(format!("{json}\n").as_bytes())
        .map_err(|e| e.to_string())?;
    loop {
        let mut line = String::new();
        let n = conn.1.read_line(&mut line).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("QMP connection closed".into());
        }
        if line.contains("\"return\"") || line.contains("\"error\"") {
            return Ok(line.trim_end().to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_request_in_a_nested_ktap_line() {
        let r = parse_line("# # drvlife-qmp: device_del id=edu0")
            .unwrap()
            .unwrap();
        assert_eq!(r.command, "device_del");
        assert_eq!(r.arguments, vec![("id".to_string(), "edu0".to_string())]);
        assert_eq!(
            r.to_json(),
            r#"{"arguments":{"id":"edu0"},"execute":"device_del"}"#
        );
    }

    #[test]
    fn ignores_lines_without_the_marker() {
        assert!(parse_line("ok 1 something").is_none());
    }

    #[test]
    fn refuses_other_commands_and_bad_arguments() {
        assert!(parse_line("# drvlife-qmp: quit").unwrap().is_err());
        assert!(parse_line("# drvlife-qmp: device_del edu0")
            .unwrap()
            .is_err());
        assert!(parse_line("# drvlife-qmp: ").unwrap().is_err());
    }

    #[test]
    fn escapes_json_strings() {
        let r = parse_line("# drvlife-qmp: device_add driver=a\"b\\c")
            .unwrap()
            .unwrap();
        assert_eq!(
            r.to_json(),
            r#"{"arguments":{"driver":"a\"b\\c"},"execute":"device_add"}"#
        );
    }

    #[test]
    fn forwards_each_request_once_to_a_qmp_server() {
        use std::os::unix::net::UnixListener;
        let dir = std::env::temp_dir().join(format!("drvlife-qmp-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let socket = dir.join("qmp.sock");
        let listener = UnixListener::bind(&socket).unwrap();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            s.write_all(b"{\"QMP\": {}}\n").unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut seen = Vec::new();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap() == 0 {
                    break;
                }
                seen.push(line.trim_end().to_string());
                s.write_all(b"{\"event\": \"X\"}\n{\"return\": {}}\n")
                    .unwrap();
            }
            seen
        });
        let ktap = dir.join("ktap.log");
        fs::write(
            &ktap,
            "# # drvlife-qmp: device_del id=edu0\n# # drvlife-qmp: dev",
        )
        .unwrap();
        let mut f = Forwarder::new(socket, dir.join("qmp.log"));
        f.poll(&ktap);
        f.poll(&ktap);
        drop(f);
        let seen = server.join().unwrap();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(seen[0].contains("qmp_capabilities"));
        assert!(seen[1].contains("device_del"));
        let _ = fs::remove_dir_all(&dir);
    }
}
