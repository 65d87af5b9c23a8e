//! `dyn-sim`: serve the DynECT simulator on a port, for the Python SDK and benchmarks.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use dyn_sim::{Options, Seed, Simulator};

const USAGE: &str = "usage: dyn-sim [--host ADDR] [--port PORT] [--seed seed.json] [--print-port] \
[--deterministic] [--tls-cert cert.pem --tls-key key.pem]\n\nServes DynECT TM under /REST/, MM under /rest/json/ and the control API \
under /__sim/.\nDefault account: customer acme, user alice, password s3cret; MM apikey mm-test-apikey.";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            #[expect(
                clippy::print_stderr,
                reason = "a command-line tool reports errors on stderr"
            )]
            {
                eprintln!("dyn-sim: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port = 8080_u16;
    let mut seed = Seed::standard();
    let mut print_port = false;
    let mut options = Options::default();
    let (mut cert, mut key) = (None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--host" => {
                host = value("--host")?
                    .parse()
                    .map_err(|e| format!("bad --host: {e}"))?
            }
            "--port" => {
                port = value("--port")?
                    .parse()
                    .map_err(|e| format!("bad --port: {e}"))?
            }
            "--seed" => {
                let path = value("--seed")?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {path}: {e}"))?;
                seed = serde_json::from_str(&text).map_err(|e| format!("bad seed {path}: {e}"))?;
            }
            "--print-port" => print_port = true,
            "--tls-cert" => cert = Some(read(&value("--tls-cert")?)?),
            "--tls-key" => key = Some(read(&value("--tls-key")?)?),
            "--deterministic" => options.deterministic_tokens = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let mut builder = Simulator::builder()
        .bind(SocketAddr::new(host, port))
        .seed(seed)
        .options(options);
    match (cert, key) {
        (Some(cert), Some(key)) => builder = builder.tls(cert, key),
        (None, None) => {}
        _ => return Err(format!("--tls-cert and --tls-key go together\n{USAGE}")),
    }
    let sim = builder.start().await.map_err(|e| {
        format!(
            "{e}: {}",
            std::error::Error::source(&e)
                .map(ToString::to_string)
                .unwrap_or_default()
        )
    })?;
    #[expect(
        clippy::print_stdout,
        reason = "the port is the tool's output, read by scripts"
    )]
    {
        if print_port {
            println!("{}", sim.port());
        } else {
            println!("dyn-sim listening on {}", sim.base_url());
        }
    }
    tokio::select! {
        result = sim.wait() => result.map_err(|e| e.to_string()),
        _ = tokio::signal::ctrl_c() => sim.shutdown().await.map_err(|e| e.to_string()),
    }
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}
