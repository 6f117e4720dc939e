//! What the server benches share: the HTTP client, a timed request, and the line each run prints.

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::Request;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;

/// The benches' HTTP client.
pub type Http = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

/// Sends a request and reads the whole answer; its status and the time it took.
pub async fn timed(client: &Http, req: Request<Full<Bytes>>) -> (u16, Duration) {
    let t = Instant::now();
    let res = client.request(req).await.unwrap();
    let status = res.status().as_u16();
    res.into_body().collect().await.unwrap();
    (status, t.elapsed())
}

/// The median and p99 of a run's latencies, in milliseconds (sorts them).
pub fn median_p99(times: &mut [Duration]) -> (f64, f64) {
    times.sort();
    let pick = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    (
        pick(0.5).as_secs_f64() * 1000.0,
        pick(0.99).as_secs_f64() * 1000.0,
    )
}

/// Prints a run's median and p99 latency and its requests per second over `wall`.
pub fn report(name: &str, mut times: Vec<Duration>, wall: Duration) {
    let (median, p99) = median_p99(&mut times);
    println!(
        "{name:<52} {:>6} requests  median {median:>8.2} ms  p99 {p99:>8.2} ms  {:>7.0} requests/s",
        times.len(),
        times.len() as f64 / wall.as_secs_f64()
    );
}
