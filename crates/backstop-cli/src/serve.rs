//! `backstop serve`: the web app over the same database, until Ctrl-C.

use std::net::SocketAddr;

use anyhow::Context as _;
use backstop_app::App;
use backstop_app::store::AthleteId;
use backstop_web::{AccessToken, WebOptions};

use crate::UsageError;
use crate::cli::ServeArgs;

/// Binds, prints the login address and serves until Ctrl-C.
pub async fn run(app: &App, who: AthleteId, a: ServeArgs) -> anyhow::Result<()> {
    let addr: SocketAddr = a.addr.parse().map_err(|_| {
        UsageError(format!(
            "--addr {:?} is not HOST:PORT, e.g. 127.0.0.1:8080",
            a.addr
        ))
    })?;
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
        },
    );
    let host = if bound.ip().is_unspecified() {
        format!("127.0.0.1:{}", bound.port())
    } else {
        bound.to_string()
    };
    println!("backstop is serving on http://{bound}/");
    if given {
        println!("Sign in at http://{host}/login with the access key you gave.");
    } else {
        println!("Open this address to sign in (it holds your access key; keep it private):");
        println!("  http://{host}/login?key={}", token.expose());
    }
    if !bound.ip().is_loopback() {
        println!(
            "Reachable from other machines on your network: use your computer's address instead of 127.0.0.1. \
             Traffic is not encrypted; put a TLS proxy in front for anything but a trusted home network."
        );
    }
    println!("Press Ctrl-C to stop.");
    backstop_web::serve(listener, router, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("the server stopped")?;
    Ok(())
}
