//! Fresh, empty stores of each backend for the contract tests: SQLite always (new files), PostgreSQL when
//! `BACKSTOP_TEST_DATABASE_URL` names a server (new schemas in it, dropped afterwards).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use backstop_app::store::Store;
use backstop_db::{PgStore, SqliteStore};
use tokio::sync::Mutex;

/// The variable that names the PostgreSQL server the tests may use (CI sets it).
pub const PG_URL: &str = "BACKSTOP_TEST_DATABASE_URL";

/// One backend, making empty stores for a test and cleaning up after it.
pub struct Backend {
    /// The server's address, for PostgreSQL.
    pg: Option<String>,
    made: Mutex<Vec<Made>>,
}

enum Made {
    Sqlite(SqliteStore, tempfile::TempDir),
    Postgres(PgStore, String),
}

impl Backend {
    /// SQLite, always at hand.
    pub fn sqlite() -> Backend {
        Backend {
            pg: None,
            made: Mutex::default(),
        }
    }

    /// PostgreSQL, or `None` (with a note) when no server is named.
    pub fn postgres() -> Option<Backend> {
        let Some(url) = std::env::var(PG_URL).ok().filter(|u| !u.is_empty()) else {
            eprintln!("PostgreSQL contract test skipped: {PG_URL} is not set");
            return None;
        };
        Some(Backend {
            pg: Some(url),
            made: Mutex::default(),
        })
    }

    /// A new, empty store.
    pub async fn store(&self) -> Arc<dyn Store> {
        match &self.pg {
            None => {
                let dir = tempfile::tempdir().unwrap();
                let store = SqliteStore::open(&dir.path().join("contract.db")).await.unwrap();
                self.made.lock().await.push(Made::Sqlite(store.clone(), dir));
                Arc::new(store)
            }
            Some(base) => {
                let schema = new_schema(base).await;
                let store = PgStore::connect(&in_schema(base, &schema), 4).await.unwrap();
                self.made.lock().await.push(Made::Postgres(store.clone(), schema));
                Arc::new(store)
            }
        }
    }

    /// A second connection (its own pool) to the store made last, as another process would have.
    pub async fn reopen_last(&self) -> Arc<dyn Store> {
        let made = self.made.lock().await;
        match made.last().expect("a store was made") {
            Made::Sqlite(_, dir) => {
                Arc::new(SqliteStore::open(&dir.path().join("contract.db")).await.unwrap())
            }
            Made::Postgres(_, schema) => {
                let base = self.pg.as_deref().unwrap_or_default();
                Arc::new(PgStore::connect(&in_schema(base, schema), 4).await.unwrap())
            }
        }
    }

    /// Drops what the test made (the schemas on PostgreSQL; files go with their folders).
    pub async fn finish(self) {
        for m in self.made.into_inner() {
            match m {
                Made::Sqlite(store, _dir) => store.close().await,
                Made::Postgres(store, schema) => {
                    store.close().await;
                    let base = self.pg.as_deref().unwrap_or_default();
                    drop_schema(base, &schema).await;
                }
            }
        }
    }
}

/// Drops the schemas that earlier test runs left behind when a test failed before its cleanup: those named for
/// a process that is no longer running (on Linux, where `/proc` tells; elsewhere nothing is dropped).
async fn drop_stale_schemas(pool: &sqlx::PgPool) {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let names: Vec<String> =
        sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'backstop\\_test\\_%'")
            .fetch_all(pool)
            .await
            .unwrap();
    for name in names {
        let pid = name.split('_').nth(2).unwrap_or_default();
        if !pid.is_empty() && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            // Another run may drop it at the same moment: that is fine.
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE"
            )))
            .execute(pool)
            .await;
        }
    }
}

/// Makes an empty schema with a name no other test uses.
pub async fn new_schema(base: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    static CLEANED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let schema = format!(
        "backstop_test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let pool = sqlx::PgPool::connect(base).await.unwrap();
    CLEANED.get_or_init(|| drop_stale_schemas(&pool)).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    schema
}

/// The server's address with `schema` as the search path: backstop's tables (and its migration record) go there.
pub fn in_schema(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

pub async fn drop_schema(base: &str, schema: &str) {
    let pool = sqlx::PgPool::connect(base).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

/// Runs each named `async fn(&Backend)` as two tests, one per backend, in modules `sqlite` and `postgres`.
#[macro_export]
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let backend = $crate::backends::Backend::sqlite();
                    super::$name(&backend).await;
                    backend.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(backend) = $crate::backends::Backend::postgres() else {
                        return;
                    };
                    super::$name(&backend).await;
                    backend.finish().await;
                }
            )*
        }
    };
}
