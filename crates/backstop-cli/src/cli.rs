//! The command-line surface (`docs/cli.md`): clap types only, no behaviour.

use std::path::PathBuf;

use backstop_core::units::Stiffness;
use backstop_core::{LegReach, Minutes, Pain, Rpe};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// backstop plans back training your back tolerates, and learns from your own pain reports.
///
/// It coaches training; it does not diagnose. Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad
/// input, 3 blocked for safety (a red flag is open).
#[derive(Debug, Parser)]
#[command(name = "backstop", version, propagate_version = true, max_term_width = 110)]
pub struct Cli {
    /// The SQLite database file [default: backstop.db in the user's data directory, or in $BACKSTOP_DATA_DIR]
    #[arg(long, global = true, env = "BACKSTOP_DB", value_name = "PATH")]
    pub db: Option<String>,

    /// A PostgreSQL database instead of the SQLite file, for a clinic's server:
    /// postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (add ?options=-c%20search_path%3DSCHEMA for a schema of its
    /// own); its tables are created or brought up to date on first use
    #[arg(
        long,
        global = true,
        env = "BACKSTOP_DATABASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub database_url: Option<String>,

    /// Print one JSON document on stdout instead of text (diagnostics go to stderr)
    #[arg(long, global = true)]
    pub json: bool,

    /// The command to run
    #[command(subcommand)]
    pub command: Command,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or update your profile, and answer the red-flag questions
    Init(InitArgs),
    /// Look up exercises, or add your own
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Record a session: sets in the compact notation, or a session JSON document
    Log(LogArgs),
    /// Record how your back feels now (the morning after a session, two days after, or any day)
    Checkin(CheckinArgs),
    /// Answer the red-flag questions again (after leg symptoms, or whenever you want)
    Screen(ScreenArgs),
    /// Declare the start or end of a flare-up
    Flare(FlareArgs),
    /// Record that a clinician has cleared you to train after a red flag
    Clearance(ClearanceArgs),
    /// Sessions with their sets and check-ins, newest first
    History(HistoryArgs),
    /// Where you stand: each exercise's tolerance and next dose, suspects, flare state, check-ins due
    Status(StatusArgs),
    /// The evidence behind one exercise's status and next dose
    Why(WhyArgs),
    /// Show or change the engine's thresholds (ceiling, check-in windows, parking time, …)
    Settings(SettingsArgs),
    /// Today's back session (or the week's with --week), built from what your back tolerates
    Plan(PlanArgs),
    /// Soreness or pain? Sort out what you feel after training, and whether to see someone
    Triage(Box<TriageArgs>),
    /// Training load and pain over the weeks: daily and weekly load, monotony, strain, sets per pattern
    Report(ReportArgs),
    /// Everything you have recorded, as JSON (default) or CSV tables
    Export(ExportArgs),
    /// The planned sessions and the morning check-ins after them as a calendar file (.ics) for a calendar app
    Calendar(CalendarArgs),
    /// Import a Strong, Hevy or FitNotes export, or restore a backstop export (--backup)
    Import(ImportArgs),
    /// Start the web app on this machine: pages for the phone (plan, set-by-set logging, check-ins, triage,
    /// history, charts) and the JSON API; prints the address to open, with its access key
    Serve(ServeArgs),
    /// Accounts for a clinic's server (`serve --accounts`): make the first admin, or any account by hand
    #[command(subcommand)]
    Account(AccountCommand),
    /// Copy the SQLite database to a new file while it stays in use (one consistent snapshot, checked before it is
    /// reported); for PostgreSQL use pg_dump
    Backup(BackupArgs),
    /// Check the database: SQLite's integrity and references, the migrations applied, and the revision counters a
    /// server watches; exit code 1 when a check fails
    Doctor,
}

/// `backstop account`.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Make an account: the clinic's first admin (who then invites coaches and clinicians from the web app), or
    /// any other by hand. The password is asked for twice on a terminal, or read from the first line of standard
    /// input with --password-stdin
    Add(AccountAddArgs),
}

/// `backstop account add`.
#[derive(Debug, Args)]
pub struct AccountAddArgs {
    /// The address the account signs in with
    #[arg(long, value_name = "EMAIL")]
    pub email: String,
    /// The name shown to the people it is linked with [default: the part of the address before the @]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// What the account may do: admin (invites coaches and clinicians), coach or clinician (read the athletes
    /// who accept their invitation), athlete (their own training)
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Read the password from the first line of standard input instead of asking for it
    #[arg(long)]
    pub password_stdin: bool,
}

/// An account's role.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// Runs the server: invites coaches and clinicians
    Admin,
    /// A strength coach
    Coach,
    /// A physiotherapist or other clinician
    Clinician,
    /// A lifter with their own training
    Athlete,
}

/// `backstop backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file to write; it must not exist yet
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// `backstop serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on; the default answers only this machine. Use 0.0.0.0:8080 to reach it
    /// from a phone on the same network: any address other than this machine's own needs an access key from
    /// BACKSTOP_WEB_KEY or --key-file, and every request still needs it
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: String,
    /// The access key (at least 32 letters, digits, '-' or '_'); a new random one at each start when none is
    /// given. Prefer BACKSTOP_WEB_KEY or --key-file: a key on the command line shows in the process list
    #[arg(
        long,
        env = "BACKSTOP_WEB_KEY",
        hide_env_values = true,
        value_name = "KEY",
        conflicts_with = "key_file"
    )]
    pub key: Option<String>,
    /// Read the access key from this file (its first line); a key given so is never printed
    #[arg(long, value_name = "PATH")]
    pub key_file: Option<std::path::PathBuf>,
    /// Mark the login cookie Secure (when a TLS proxy serves the app over HTTPS)
    #[arg(long)]
    pub secure_cookies: bool,
    /// Accounts instead of the one access key: people sign in with an email address and a password, athletes
    /// see their own training, coaches and clinicians the athletes who accepted their invitation (make the first
    /// admin with `backstop account add --role admin`; docs/clinic.md)
    #[arg(long, conflicts_with_all = ["key_file", "qr_with_key"])]
    pub accounts: bool,
    /// Put the access key in the QR code printed for other machines, so that scanning it signs the phone in
    /// (anyone who can see the screen can then sign in too)
    #[arg(long)]
    pub qr_with_key: bool,
}

/// `backstop init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Never ask; take everything from flags (the default when stdin is not a terminal)
    #[arg(long)]
    pub no_input: bool,
    /// Units for loads
    #[arg(long, value_enum)]
    pub units: Option<UnitsArg>,
    /// Your IANA time zone, e.g. Europe/London [default: the system's]
    #[arg(long, value_name = "IANA")]
    pub tz: Option<String>,
    /// Equipment you can use, comma-separated: barbell, dumbbell, kettlebell, cable, machine, bench, pull-up-bar,
    /// band, trap-bar, landmine (bodyweight is always available)
    #[arg(long, value_name = "LIST")]
    pub equipment: Option<String>,
    /// Days you can train, comma-separated: mon..sun [default: mon,wed,fri]
    #[arg(long, value_name = "LIST")]
    pub days: Option<String>,
    /// Minutes per session [default: 45]
    #[arg(long, value_name = "N")]
    pub minutes: Option<Minutes>,
    /// Your usual pain on an ordinary day, 0–10
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub baseline_pain: Option<Pain>,
    /// What makes your back worse, comma-separated: sitting, bending, sit-to-stand, mornings, standing, walking,
    /// arching, overhead, lying-prone, lifting, carrying, jumping, twisting, one-sided-carrying, coughing
    #[arg(long, value_name = "LIST")]
    pub aggravators: Option<String>,
    /// Years of resistance training
    #[arg(long, value_name = "N")]
    pub training_years: Option<u8>,
    /// Lifts you want to work back to, comma-separated catalog ids or names (e.g.
    /// conventional-deadlift,back-squat,barbell-bent-over-row), or `none`; each gets a ladder of easier exercises
    #[arg(long, value_name = "none|LIST")]
    pub goal_lifts: Option<String>,
    /// Leg symptoms you usually have and that are stable, by how far down they reach: none, buttock, thigh or
    /// below-knee. Leg pain within that reach is not treated as a new symptom
    #[arg(long, value_name = "none|REACH")]
    pub usual_leg_symptoms: Option<String>,
    /// Red-flag answers: `none`, or the comma-separated names you answer yes to (see `backstop screen --help`)
    #[arg(long, value_name = "none|LIST")]
    pub red_flags: Option<String>,
}

/// Units for loads (clap lists them in `--help`; the core type is `WeightUnit`).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum UnitsArg {
    /// Kilograms
    Kg,
    /// Pounds
    Lb,
}

impl From<UnitsArg> for backstop_core::WeightUnit {
    fn from(u: UnitsArg) -> Self {
        match u {
            UnitsArg::Kg => backstop_core::WeightUnit::Kg,
            UnitsArg::Lb => backstop_core::WeightUnit::Lb,
        }
    }
}

/// `backstop catalog …`.
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Every exercise (built-in and your own)
    List(CatalogListArgs),
    /// One exercise in full: spinal demand, dose range, regressions, cues
    Show {
        /// Exercise id, name or alias
        id: String,
    },
    /// Exercises whose name, alias, pattern, muscles or equipment match every word
    Search {
        /// Words to look for
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Add your own exercise, by flags or from a TOML file in the catalog's format
    Add(Box<CatalogAddArgs>),
}

/// `backstop catalog list`.
#[derive(Debug, Args)]
pub struct CatalogListArgs {
    /// Only this movement pattern (e.g. horizontal-pull)
    #[arg(long)]
    pub pattern: Option<String>,
    /// Only exercises usable during a flare-up
    #[arg(long)]
    pub flare_safe: bool,
    /// Only your own exercises
    #[arg(long)]
    pub custom: bool,
}

/// `backstop catalog add`.
#[derive(Debug, Args)]
pub struct CatalogAddArgs {
    /// A TOML file with one or more [[exercise]] tables (format: docs/catalog-format.md)
    #[arg(long, value_name = "PATH", conflicts_with_all = ["id", "name"])]
    pub file: Option<PathBuf>,
    /// Kebab-case id, e.g. my-cable-row
    #[arg(long, required_unless_present = "file")]
    pub id: Option<String>,
    /// Name shown to people
    #[arg(long, required_unless_present = "file")]
    pub name: Option<String>,
    /// Movement pattern (e.g. horizontal-pull)
    #[arg(long, required_unless_present = "file")]
    pub pattern: Option<String>,
    /// Equipment needed, comma-separated [default: bodyweight]
    #[arg(long, value_name = "LIST")]
    pub equipment: Option<String>,
    /// external, bodyweight, timed or distance [default: external with equipment, else bodyweight]
    #[arg(long)]
    pub load_type: Option<String>,
    /// Rep range LO-HI (external and bodyweight) [default: 8-12]
    #[arg(long, value_name = "LO-HI")]
    pub reps: Option<String>,
    /// Hold range in seconds LO-HI (timed)
    #[arg(long, value_name = "LO-HI")]
    pub seconds: Option<String>,
    /// Distance range in metres LO-HI (distance)
    #[arg(long, value_name = "LO-HI")]
    pub metres: Option<String>,
    /// Whose load step applies (external load) [default: the first loaded equipment]
    #[arg(long)]
    pub increment: Option<String>,
    /// Spinal compression 0–3
    #[arg(long, default_value_t = 1)]
    pub compression: u8,
    /// Spinal shear 0–3
    #[arg(long, default_value_t = 1)]
    pub shear: u8,
    /// Spinal flexion 0–3
    #[arg(long, default_value_t = 0)]
    pub flexion: u8,
    /// Spinal extension 0–3
    #[arg(long, default_value_t = 0)]
    pub extension: u8,
    /// Rotation 0–3
    #[arg(long, default_value_t = 0)]
    pub rotation: u8,
    /// Technical skill 0–3
    #[arg(long, default_value_t = 1)]
    pub skill: u8,
    /// Muscles trained, comma-separated
    #[arg(long, value_name = "LIST")]
    pub muscles: Option<String>,
    /// Usable during a flare-up
    #[arg(long)]
    pub flare_safe: bool,
    /// Another name for it (repeatable)
    #[arg(long = "alias")]
    pub aliases: Vec<String>,
    /// An easier exercise, by id (repeatable)
    #[arg(long = "regression")]
    pub regressions: Vec<String>,
    /// A harder exercise, by id (repeatable)
    #[arg(long = "progression")]
    pub progressions: Vec<String>,
    /// A coaching cue (repeatable)
    #[arg(long = "cue")]
    pub cues: Vec<String>,
    /// A common fault (repeatable)
    #[arg(long = "fault")]
    pub faults: Vec<String>,
}

/// Session-level flags shared by `log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Groups of sets, one per argument: "EXERCISE SETSxREPS[@LOAD[kg|lb]] [rpe N] [p N[,N…]] [back|leg] [form]"
    #[arg(value_name = "GROUP", conflicts_with = "file")]
    pub groups: Vec<String>,
    /// A session JSON document (`-` reads stdin)
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// When the session started: YYYY-MM-DD, "YYYY-MM-DD HH:MM" (your time zone) or RFC 3339 [default: now]
    #[arg(long)]
    pub at: Option<String>,
    /// Pain before the session, 0–10
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub pain_before: Option<Pain>,
    /// Length of the session in minutes
    #[arg(long, value_name = "N")]
    pub minutes: Option<Minutes>,
    /// How hard the whole session felt, 1–10 (asked at the end)
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub session_rpe: Option<Rpe>,
    /// Never ask the red-flag questions interactively (asked when a set was felt in the leg)
    #[arg(long)]
    pub no_input: bool,
}

/// `backstop checkin`.
#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// Pain now, 0–10
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub pain: Pain,
    /// Morning stiffness, 0–10
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub stiffness: Option<Stiffness>,
    /// The ache is in the muscles you trained and eases as you move
    #[arg(long)]
    pub muscle_soreness: bool,
    /// Pain spreading into the buttock or leg
    #[arg(long)]
    pub leg_pain: bool,
    /// How far down the leg it reaches: buttock, thigh or below-knee (implies --leg-pain; within your usual leg
    /// symptoms it is not a new symptom)
    #[arg(long, value_name = "REACH")]
    pub leg_reach: Option<LegReach>,
    /// Numbness or pins and needles
    #[arg(long)]
    pub numbness: bool,
    /// New weakness in a leg or foot
    #[arg(long)]
    pub weakness: bool,
    /// When: YYYY-MM-DD (08:00 that morning), "YYYY-MM-DD HH:MM" or RFC 3339 [default: now]
    #[arg(long)]
    pub at: Option<String>,
    /// Never ask the red-flag questions interactively
    #[arg(long)]
    pub no_input: bool,
}

/// `backstop screen`.
#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// `none`, or the comma-separated names answered yes: saddle-numbness, bladder-change, bowel-change,
    /// sexual-dysfunction, both-legs, progressive-weakness, numbness, weakness, cancer-history, fever, trauma,
    /// steroid-use, osteoporosis, night-pain, weight-loss, thoracic-pain, age-over-50-first-episode,
    /// not-improving-4-weeks, infection-risk, minor-trauma, age-over-70, inflammatory-back-pain, dark-urine
    #[arg(long, value_name = "none|LIST")]
    pub red_flags: Option<String>,
    /// Never ask; `--red-flags` is then required
    #[arg(long)]
    pub no_input: bool,
}

/// `backstop flare`.
#[derive(Debug, Args)]
pub struct FlareArgs {
    /// start or end
    #[arg(value_enum)]
    pub mark: FlareMarkArg,
    /// When [default: now]
    #[arg(long)]
    pub at: Option<String>,
    /// With `start`: the red-flag answers, asked again at every flare (`none` or a list; see `backstop screen`)
    #[arg(long, value_name = "none|LIST")]
    pub red_flags: Option<String>,
    /// Never ask the red-flag questions interactively
    #[arg(long)]
    pub no_input: bool,
}

/// Start or end of a flare.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FlareMarkArg {
    /// A flare-up has started
    Start,
    /// The flare-up is over
    End,
}

/// `backstop clearance`.
#[derive(Debug, Args)]
pub struct ClearanceArgs {
    /// When you were cleared [default: now]
    #[arg(long)]
    pub at: Option<String>,
    /// Who cleared you and what they said
    #[arg(long)]
    pub note: Option<String>,
}

/// `backstop history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// First training day to show (YYYY-MM-DD)
    #[arg(long)]
    pub from: Option<String>,
    /// Last training day to show (YYYY-MM-DD)
    #[arg(long)]
    pub to: Option<String>,
}

/// `backstop status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Assess as of this day (its end) or time, to replay the past [default: now]
    #[arg(long)]
    pub date: Option<String>,
}

/// `backstop why`.
#[derive(Debug, Args)]
pub struct WhyArgs {
    /// Exercise id, name or alias
    pub id: String,
    /// Assess as of this day (its end) or time [default: now]
    #[arg(long)]
    pub date: Option<String>,
}

/// `backstop plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The day to plan: YYYY-MM-DD [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// Minutes available today [default: your profile's]
    #[arg(long, value_name = "N")]
    pub minutes: Option<Minutes>,
    /// Pain right now, 0–10: more than 1 above your usual trims the session; at the ceiling (5 by default) it becomes a recovery session
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub pain_now: Option<Pain>,
    /// Plan the whole week (Monday to Sunday) on your training days
    #[arg(long, conflicts_with_all = ["minutes", "pain_now"])]
    pub week: bool,
}

/// `backstop triage`.
#[derive(Debug, Args)]
pub struct TriageArgs {
    /// When it started: during, hours (after the session), next-day, days (and still there)
    #[arg(long)]
    pub when: Option<String>,
    /// Where it is: muscle, spine, buttock, above-knee, below-knee
    #[arg(long = "where")]
    pub location: Option<String>,
    /// What it feels like: ache, tight, sharp, burning, electric
    #[arg(long)]
    pub quality: Option<String>,
    /// What moving does to it: eases, worsens, no-change
    #[arg(long)]
    pub movement: Option<String>,
    /// How it is trending: better, same, worse
    #[arg(long)]
    pub trend: Option<String>,
    /// Pain now, 0–10: also recorded as a check-in
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub pain: Option<Pain>,
    /// When [default: now]
    #[arg(long)]
    pub at: Option<String>,
    /// Never ask; every answer must come by flags
    #[arg(long)]
    pub no_input: bool,
    /// Red flag: extreme muscle pain and swelling with dark urine after training (`dark-urine`)
    #[arg(long, help_heading = "Red-flag answers (yes)")]
    pub dark_urine: bool,
    /// Red flag: new numbness or altered feeling in the saddle area (genitals, anus, inner buttocks) (`saddle-numbness`)
    #[arg(long = "saddle-numbness", help_heading = "Red-flag answers (yes)")]
    pub saddle_numbness: bool,
    /// Red flag: new trouble starting to pee, a changed flow, not feeling when you pee, or leaking (`bladder-change`)
    #[arg(long = "bladder-change", help_heading = "Red-flag answers (yes)")]
    pub bladder_change: bool,
    /// Red flag: new loss of bowel control, or not feeling when you open your bowels (`bowel-change`)
    #[arg(long = "bowel-change", help_heading = "Red-flag answers (yes)")]
    pub bowel_change: bool,
    /// Red flag: new loss of sexual function or genital sensation (`sexual-dysfunction`)
    #[arg(long = "sexual-dysfunction", help_heading = "Red-flag answers (yes)")]
    pub sexual_dysfunction: bool,
    /// Red flag: new pain, tingling or numbness down both legs (`both-legs`)
    #[arg(long = "both-legs", help_heading = "Red-flag answers (yes)")]
    pub both_legs: bool,
    /// Red flag: leg weakness that is severe or getting worse (tripping, foot slapping, legs giving way) (`progressive-weakness`)
    #[arg(long = "progressive-weakness", help_heading = "Red-flag answers (yes)")]
    pub progressive_weakness: bool,
    /// Red flag: new numbness or pins and needles in one leg below the knee (`numbness`)
    #[arg(long = "numbness", help_heading = "Red-flag answers (yes)")]
    pub numbness: bool,
    /// Red flag: new weakness in a leg or foot (`weakness`)
    #[arg(long = "weakness", help_heading = "Red-flag answers (yes)")]
    pub weakness: bool,
    /// Red flag: you have had cancer (`cancer-history`)
    #[arg(long = "cancer-history", help_heading = "Red-flag answers (yes)")]
    pub cancer_history: bool,
    /// Red flag: fever, chills or feeling generally unwell with the back pain (`fever`)
    #[arg(long = "fever", help_heading = "Red-flag answers (yes)")]
    pub fever: bool,
    /// Red flag: the pain started after a fall, accident or other significant injury in the last month (`trauma`)
    #[arg(long = "trauma", help_heading = "Red-flag answers (yes)")]
    pub trauma: bool,
    /// Red flag: you have taken steroid tablets (such as prednisolone) for several months (`steroid-use`)
    #[arg(long = "steroid-use", help_heading = "Red-flag answers (yes)")]
    pub steroid_use: bool,
    /// Red flag: you have been told you have osteoporosis (`osteoporosis`)
    #[arg(long = "osteoporosis", help_heading = "Red-flag answers (yes)")]
    pub osteoporosis: bool,
    /// Red flag: severe pain at night that no position eases (`night-pain`)
    #[arg(long = "night-pain", help_heading = "Red-flag answers (yes)")]
    pub night_pain: bool,
    /// Red flag: weight loss you cannot explain (`weight-loss`)
    #[arg(long = "weight-loss", help_heading = "Red-flag answers (yes)")]
    pub weight_loss: bool,
    /// Red flag: pain in the middle of the back, between the shoulder blades (`thoracic-pain`)
    #[arg(long = "thoracic-pain", help_heading = "Red-flag answers (yes)")]
    pub thoracic_pain: bool,
    /// Red flag: over 50, and this is your first ever episode of back pain (`age-over-50-first-episode`)
    #[arg(long = "age-over-50-first-episode", help_heading = "Red-flag answers (yes)")]
    pub age_over_fifty_first_episode: bool,
    /// Red flag: this episode has not improved at all in 4 weeks (`not-improving-4-weeks`)
    #[arg(long = "not-improving-4-weeks", help_heading = "Red-flag answers (yes)")]
    pub not_improving_four_weeks: bool,
    /// Red flag: you inject drugs, have a weakened immune system, or had a bacterial or urine infection or a spinal procedure in the last 3 months (`infection-risk`)
    #[arg(long = "infection-risk", help_heading = "Red-flag answers (yes)")]
    pub infection_risk: bool,
    /// Red flag: the pain started after a minor fall, a strain or a lift in the last month (`minor-trauma`)
    #[arg(long = "minor-trauma", help_heading = "Red-flag answers (yes)")]
    pub minor_trauma: bool,
    /// Red flag: you are over 70 (`age-over-70`)
    #[arg(long = "age-over-70", help_heading = "Red-flag answers (yes)")]
    pub age_over_seventy: bool,
    /// Red flag: back pain that began gradually before 45, with long morning stiffness that eases with exercise, not rest (`inflammatory-back-pain`)
    #[arg(long = "inflammatory-back-pain", help_heading = "Red-flag answers (yes)")]
    pub inflammatory_back_pain: bool,
}

/// `backstop report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The last day of the report [default: today]
    #[arg(long)]
    pub date: Option<String>,
    /// How many weeks back
    #[arg(long, default_value_t = 4)]
    pub weeks: u32,
    /// Write a self-contained HTML report (charts, tolerance table, suspects, flares) to this file
    #[arg(long, value_name = "FILE.html")]
    pub out: Option<PathBuf>,
}

/// `backstop settings`.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// What to do [default: show]
    #[command(subcommand)]
    pub action: Option<SettingsAction>,
}

/// Changing settings.
#[derive(Debug, Subcommand)]
pub enum SettingsAction {
    /// Every threshold with its value, its rule and whether it rests on evidence or is a default
    Show,
    /// Change one threshold, e.g. `settings set ceiling_max 4` or `settings set morning_from 10h`
    Set {
        /// The setting's name (see `backstop settings`)
        key: String,
        /// The new value: a number, a duration such as 10h, or a list such as [50,70,85]
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
    /// Put one threshold (or all, without a name) back to its default
    Reset {
        /// The setting's name
        key: Option<String>,
    },
}

/// `backstop calendar`.
#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// Write to this file instead of stdout (e.g. backstop.ics, then open or import it in your calendar)
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Weeks ahead, from today: 1–8
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub weeks: u32,
}

/// `backstop export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// json: every fact, restorable with `import --backup`; csv: a table for spreadsheets (see --table)
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
    /// Write to this file instead of stdout
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// With csv: which table, one row per set, per session or per check-in
    #[arg(long, value_enum, default_value = "sets")]
    pub table: CsvTable,
}

/// The CSV tables.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CsvTable {
    /// One row per set, with its session's values
    Sets,
    /// One row per session: load, sets, exercises
    Sessions,
    /// One row per check-in
    Checkins,
}

/// Export formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    /// Every fact as one JSON document
    Json,
    /// One row per set
    Csv,
}

/// `backstop import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A CSV export from Strong, Hevy or FitNotes (`-` reads stdin); importing it again adds nothing twice
    #[arg(
        value_name = "FILE",
        required_unless_present = "backup",
        conflicts_with = "backup"
    )]
    pub file: Option<PathBuf>,
    /// An export made by `backstop export` (`-` reads stdin); restored all or nothing into an empty database
    #[arg(long, value_name = "FILE")]
    pub backup: Option<PathBuf>,
    /// The layout, when detection guesses wrong: strong, strong6, strong-android, hevy, fitnotes
    #[arg(long)]
    pub format: Option<String>,
    /// The weight unit, for files that do not say (Strong's older layouts)
    #[arg(long, value_enum)]
    pub unit: Option<UnitsArg>,
    /// The time zone of the file's local times [default: your profile's]
    #[arg(long, value_name = "IANA")]
    pub tz: Option<String>,
    /// A TOML file mapping the other app's names to catalog ids: "Rows (Machine)" = "chest-supported-machine-row"
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
}

impl TriageArgs {
    /// The red-flag switches given, as their names.
    pub fn red_flag_names(&self) -> Vec<&'static str> {
        let all = [
            ("saddle-numbness", self.saddle_numbness),
            ("bladder-change", self.bladder_change),
            ("bowel-change", self.bowel_change),
            ("sexual-dysfunction", self.sexual_dysfunction),
            ("both-legs", self.both_legs),
            ("progressive-weakness", self.progressive_weakness),
            ("numbness", self.numbness),
            ("weakness", self.weakness),
            ("cancer-history", self.cancer_history),
            ("fever", self.fever),
            ("trauma", self.trauma),
            ("steroid-use", self.steroid_use),
            ("osteoporosis", self.osteoporosis),
            ("night-pain", self.night_pain),
            ("weight-loss", self.weight_loss),
            ("thoracic-pain", self.thoracic_pain),
            ("age-over-50-first-episode", self.age_over_fifty_first_episode),
            ("not-improving-4-weeks", self.not_improving_four_weeks),
            ("infection-risk", self.infection_risk),
            ("minor-trauma", self.minor_trauma),
            ("age-over-70", self.age_over_seventy),
            ("inflammatory-back-pain", self.inflammatory_back_pain),
            ("dark-urine", self.dark_urine),
        ];
        all.iter().filter(|(_, on)| *on).map(|(n, _)| *n).collect()
    }
}
