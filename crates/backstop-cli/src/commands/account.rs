//! `backstop account add`: accounts for a clinic's server, made by hand (the first admin, above all).

use backstop_app::store::Role;

use super::*;
use crate::cli::{AccountAddArgs, AccountCommand, RoleArg};

/// What `account add --json` prints.
#[derive(Serialize)]
struct AccountMade {
    id: i64,
    email: String,
    name: String,
    role: &'static str,
}

pub(super) async fn account(app: &App, c: AccountCommand, json: bool) -> anyhow::Result<()> {
    let AccountCommand::Add(a) = c;
    add(app, a, json).await
}

async fn add(app: &App, a: AccountAddArgs, json: bool) -> anyhow::Result<()> {
    let role = match a.role {
        RoleArg::Admin => Role::Admin,
        RoleArg::Coach => Role::Coach,
        RoleArg::Clinician => Role::Clinician,
        RoleArg::Athlete => Role::Athlete,
    };
    let email =
        backstop_app::accounts::normalize_email(&a.email).map_err(|e| usage(format!("--email: {e}")))?;
    let name = a
        .name
        .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
    let password = if a.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else if prompt::interactive() {
        prompt::new_password(&format!("Password for {email}"))?
    } else {
        return Err(usage(
            "give the password on standard input with --password-stdin (no terminal to ask on)",
        ));
    };
    let made = app.create_account(&email, &name, role, &password).await?;
    if json {
        print_json(&AccountMade {
            id: made.id.0,
            email: made.email,
            name: made.name,
            role: made.role.as_str(),
        })
    } else {
        outln!(
            "Made the {} account {} ({}). It signs in on a server started with `backstop serve --accounts`.",
            made.role.as_str(),
            made.email,
            made.name
        );
        if role == Role::Admin {
            outln!("From the web app's People page, an admin invites the clinic's coaches and clinicians.");
        }
        Ok(())
    }
}
