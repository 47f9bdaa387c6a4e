//! `collabsim serve`: flags into a `ServeConfig`, a warning for an address other than
//! loopback, then the address to open; serves until Ctrl-C.

use std::net::SocketAddr;

use collabsim::app::serve::{Limits, ServeConfig, Server};

use super::INTERRUPTED;
use super::args::ServeArgs;

pub fn serve(a: ServeArgs) -> anyhow::Result<()> {
    let bind = SocketAddr::new(a.bind, a.port);
    if !a.bind.is_loopback() {
        eprintln!(
            "warning: serving on {bind}, not only this machine: the page has no login, so anyone who can reach this address can run simulations here and read the scenarios' settings. Use the default (127.0.0.1) unless you mean it."
        );
    }
    let server =
        Server::start(ServeConfig { bind, files: a.scenarios, threads: a.threads, limits: Limits::default() })?;
    let n = server.catalog().scenarios.len();
    println!("open {}", server.url());
    println!("  {n} scenarios on offer; Ctrl-C stops the server.");
    server.run(&INTERRUPTED)?;
    println!("stopped");
    Ok(())
}
