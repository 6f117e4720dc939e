//! `backstop serve`: the web app over the same database, until Ctrl-C.

use std::io::IsTerminal as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

use anyhow::Context as _;
use backstop_app::App;
use backstop_app::store::AthleteId;
use backstop_web::{AccessToken, WebOptions};

use crate::UsageError;
use crate::cli::ServeArgs;

/// Prints a line of the server's banner. A closed standard output (`serve | head -1`, a supervisor that stopped
/// reading) must not stop a server that is answering requests, as `println!` would by panicking, so a failed write
/// is ignored.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// Binds, prints the login address and serves until Ctrl-C.
pub async fn run(app: &App, who: AthleteId, a: ServeArgs) -> anyhow::Result<()> {
    let addr: SocketAddr = a.addr.parse().map_err(|_| {
        UsageError(format!(
            "--addr {:?} is not HOST:PORT, e.g. 127.0.0.1:8080",
            a.addr
        ))
    })?;
    if a.accounts {
        // A key in the environment (BACKSTOP_WEB_KEY, kept for the one-key server) is left unused; one typed with
        // --accounts is a mistake worth saying.
        if a.key.is_some() && std::env::var("BACKSTOP_WEB_KEY").ok() != a.key {
            return Err(UsageError(
                "--key is the one-key server's; with --accounts everyone signs in with their own address and password"
                    .into(),
            )
            .into());
        }
        // The router takes a key; with accounts nothing ever matches it against a request.
        let unused = AccessToken::generate().map_err(anyhow::Error::msg)?;
        return serve_accounts(app, who, &a, addr, unused).await;
    }
    // A key the person gave (flag, environment or file) is theirs already and is never printed; a generated one
    // is printed once, in the sign-in address, since nobody else knows it.
    let (token, given) = match (&a.key_file, a.key.as_deref()) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| UsageError(format!("--key-file {}: {e}", path.display())))?;
            let key = text.lines().next().unwrap_or_default().trim();
            let t = AccessToken::from_secret(key)
                .map_err(|e| UsageError(format!("--key-file {}: {e}", path.display())))?;
            (t, true)
        }
        (None, Some(k)) => (
            AccessToken::from_secret(k).map_err(|e| UsageError(format!("--key: {e}")))?,
            true,
        ),
        (None, None) => (AccessToken::generate().map_err(anyhow::Error::msg)?, false),
    };
    // Any address but this machine's own answers other machines: it needs a key the person chose and kept out of
    // the process list, so that it survives restarts and nobody else on the machine can read it.
    if !addr.ip().is_loopback() {
        if !given {
            return Err(UsageError(format!(
                "--addr {addr} answers other machines, so it needs an access key you choose: put one (32 or more \
                 letters, digits, '-' or '_'; e.g. `openssl rand -hex 32 > ~/.backstop-web.key`) in a file and pass \
                 --key-file PATH, or set BACKSTOP_WEB_KEY. Traffic is not encrypted: beyond a trusted home network, \
                 put a TLS proxy in front (docs/web.md, \"Reaching it from a phone\")."
            ))
            .into());
        }
        let from_environment = std::env::var("BACKSTOP_WEB_KEY").ok();
        if a.key_file.is_none() && a.key.is_some() && from_environment.as_deref() != a.key.as_deref() {
            return Err(UsageError(format!(
                "--addr {addr} answers other machines: give the access key by --key-file PATH or BACKSTOP_WEB_KEY, \
                 not --key (a key on the command line shows in the process list of everyone on this machine)"
            ))
            .into());
        }
    }
    // Errors and the start line at info; health data never reaches the log (handlers log only failures).
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
        .with_writer(std::io::stderr)
        .try_init();
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let bound = listener.local_addr()?;
    let router = backstop_web::router(
        app.clone(),
        who,
        WebOptions {
            token: token.clone(),
            secure_cookies: a.secure_cookies,
            accounts: a.accounts,
        },
    );
    let host = if bound.ip().is_unspecified() {
        format!("127.0.0.1:{}", bound.port())
    } else {
        bound.to_string()
    };
    say!("backstop is serving on http://{bound}/");
    if given {
        say!("Sign in at http://{host}/login with the access key you gave.");
    } else {
        say!("Open this address to sign in (it holds your access key; keep it private):");
        say!("  http://{host}/login?key={}", token.expose());
    }
    if !bound.ip().is_loopback() {
        // The address a phone on the same network would use: the bound one, or for "any address" the one this
        // machine reaches its network by.
        let remote = if bound.ip().is_unspecified() {
            network_address(bound.ip()).map(|ip| SocketAddr::new(ip, bound.port()))
        } else {
            Some(bound)
        };
        match remote {
            Some(r) => {
                let url = format!("http://{r}/login");
                say!("From your phone on the same network: {url}");
                if std::io::stdout().is_terminal() {
                    let target = if a.qr_with_key {
                        format!("{url}?key={}", token.expose())
                    } else {
                        url
                    };
                    if let Some(code) = terminal_qr(&target) {
                        say!(
                            "Scan it{}:",
                            if a.qr_with_key {
                                " (it holds your access key)"
                            } else {
                                ", then enter your access key"
                            }
                        );
                        say!("{code}");
                    }
                }
            }
            None => say!(
                "Reachable from other machines on your network: use your computer's address instead of 127.0.0.1."
            ),
        }
        say!(
            "Traffic is not encrypted: beyond a trusted home network, put a TLS proxy in front (docs/web.md) and \
             pass --secure-cookies."
        );
    }
    say!("Press Ctrl-C to stop.");
    backstop_web::serve(listener, router, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("the server stopped")?;
    Ok(())
}

/// Serves with accounts: every request signs in with an account's session; the key is not used.
async fn serve_accounts(
    app: &App,
    who: AthleteId,
    a: &ServeArgs,
    addr: SocketAddr,
    token: AccessToken,
) -> anyhow::Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
        .with_writer(std::io::stderr)
        .try_init();
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let bound = listener.local_addr()?;
    let router = backstop_web::router(
        app.clone(),
        who,
        WebOptions {
            token,
            secure_cookies: a.secure_cookies,
            accounts: true,
        },
    );
    say!(
        "backstop is serving on http://{bound}/ with accounts: sign in at /login with an email address and password."
    );
    if !a.secure_cookies {
        say!(
            "Passwords and session cookies cross the network as they are: serve it behind a TLS proxy and pass \
             --secure-cookies (docs/clinic.md)."
        );
    }
    say!("No account yet? Make the first admin with `backstop account add --role admin --email ADDRESS`.");
    say!("Press Ctrl-C to stop.");
    backstop_web::serve(listener, router, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("the server stopped")?;
    Ok(())
}

/// The address this machine reaches its network by, for a server bound to every address: a UDP socket "connected"
/// to a documentation address (RFC 5737, RFC 3849) takes the source address the routing table would use; no packet
/// is sent. `None` without a route, or when that address is this machine's loopback.
fn network_address(unspecified: IpAddr) -> Option<IpAddr> {
    let (bind, probe): (SocketAddr, SocketAddr) = match unspecified {
        IpAddr::V4(_) => (
            (Ipv4Addr::UNSPECIFIED, 0).into(),
            (Ipv4Addr::new(192, 0, 2, 1), 9).into(),
        ),
        IpAddr::V6(_) => (
            (Ipv6Addr::UNSPECIFIED, 0).into(),
            (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 9).into(),
        ),
    };
    let socket = UdpSocket::bind(bind).ok()?;
    socket.connect(probe).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// A QR code of `text` in block characters, drawn for a terminal with a dark background (the light modules and
/// the quiet zone are the lit characters), as `qrencode -t UTF8` does.
fn terminal_qr(text: &str) -> Option<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a code drawn by `terminal_qr` back, as a phone's camera would: each character is two modules, top and
    /// bottom, lit (light) or not, scaled up to a greyscale picture that rqrr decodes.
    fn scan(drawn: &str) -> String {
        let rows: Vec<Vec<char>> = drawn.lines().map(|l| l.chars().collect()).collect();
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let lit = |x: usize, y: usize| -> bool {
            let c = rows.get(y / 2).and_then(|r| r.get(x)).copied().unwrap_or(' ');
            matches!((c, y % 2), ('\u{2588}', _) | ('\u{2580}', 0) | ('\u{2584}', 1))
        };
        let scale = 4;
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(width * scale, rows.len() * 2 * scale, |x, y| {
                if lit(x / scale, y / scale) { 255 } else { 0 }
            });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code in the picture");
        let (_, content) = grids[0].decode().expect("the code decodes");
        content
    }

    #[test]
    fn the_terminal_qr_code_scans_back_to_the_sign_in_address() {
        for url in [
            "http://192.168.1.20:8080/login",
            "http://[fd00::1]:8080/login?key=given-key-0123456789abcdefghijklmnopqrstuvwxyz",
        ] {
            let drawn = terminal_qr(url).expect("the address fits in a QR code");
            assert_eq!(scan(&drawn), url);
        }
    }

    #[test]
    fn the_network_address_is_never_loopback_or_unspecified() {
        for any in [
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        ] {
            if let Some(ip) = network_address(any) {
                assert!(!ip.is_loopback() && !ip.is_unspecified(), "{ip}");
                assert_eq!(ip.is_ipv4(), any.is_ipv4());
            }
        }
    }
}
