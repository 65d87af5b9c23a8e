//! `ssh` (also `cli`, `unicon.Unicon`): an interactive CLI over one SSH shell channel, driven by the
//! prompt engine on the session's own thread. A path with a `command:` and no address runs that
//! command locally and drives it over pipes instead (unicon does the same for mock devices).

use std::sync::Arc;

use crate::cli::{ByteStream, Engine, ProcessStream, Profile};
use crate::connection::{ConnectContext, Connection, ConnectionFactory, ExecOptions};
use crate::ssh::{ActorSlot, Job, ShellStream, SshSettings, Worker, open_session};
use crate::{Error, Result, Secret, Value};

/// The `ssh` class.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SshCliClass;

impl ConnectionFactory for SshCliClass {
    fn default_alias(&self) -> Option<&str> {
        // pyATS stores unicon connections under `cli`.
        Some("cli")
    }

    fn create(&self, context: ConnectContext) -> Result<Arc<dyn Connection>> {
        let settings = SshSettings::from_context(&context)?;
        let mut profile = Profile::for_os(settings.os.as_deref());
        if let Some(p) = &settings.prompt_pattern {
            profile = profile.with_prompt(p)?;
        }
        if let Some(init) = &settings.init_commands {
            profile.init_commands.clone_from(init);
        }
        Ok(Arc::new(SshCli {
            settings: Arc::new(settings),
            profile,
            actor: ActorSlot::default(),
        }))
    }
}

#[derive(Debug)]
struct SshCli {
    settings: Arc<SshSettings>,
    profile: Profile,
    actor: ActorSlot,
}

struct CliWorker<S> {
    engine: Engine<S>,
    enable: Option<Secret>,
}

impl<S: ByteStream + 'static> Worker for CliWorker<S> {
    fn handle(&mut self, job: Job) -> Result<String> {
        match job {
            Job::Execute { command, options } => self.engine.execute(&command, &options),
            Job::Configure { lines, options } => {
                self.engine
                    .configure(&lines, &options, self.enable.as_ref())
            }
            Job::Enable => self
                .engine
                .enable(self.enable.as_ref())
                .map(|()| self.engine.mode_name().to_owned()),
        }
    }

    fn keepalive(&mut self) -> bool {
        self.engine.stream_mut().keepalive()
    }

    fn close(&mut self) {
        self.engine.stream_mut().close();
    }
}

#[async_trait::async_trait]
impl Connection for SshCli {
    fn class_name(&self) -> &str {
        "ssh"
    }

    fn is_connected(&self) -> bool {
        self.actor.is_connected()
    }

    async fn connect(&self) -> Result<()> {
        let settings = Arc::clone(&self.settings);
        let profile = self.profile.clone();
        self.actor
            .connect(&self.settings, move || {
                let stream: Box<dyn ByteStream> = match &settings.command {
                    Some(command) => Box::new(ProcessStream::spawn(command)?),
                    None => {
                        let session = open_session(&settings)?;
                        Box::new(ShellStream::open(
                            session,
                            settings.pty,
                            settings.connect_timeout,
                        )?)
                    }
                };
                start_cli(stream, profile, &settings)
            })
            .await
    }

    async fn disconnect(&self) -> Result<()> {
        self.actor.disconnect().await;
        Ok(())
    }

    async fn execute(&self, command: &str, options: &ExecOptions) -> Result<String> {
        let actor = self.actor.live(&self.settings)?;
        let (command, options) = (command.to_owned(), options.clone());
        actor.request(Job::Execute { command, options }).await
    }

    async fn configure(&self, lines: &[String], options: &ExecOptions) -> Result<String> {
        let actor = self.actor.live(&self.settings)?;
        let (lines, options) = (lines.to_vec(), options.clone());
        actor.request(Job::Configure { lines, options }).await
    }

    async fn call(&self, service: &str, _args: &[Value]) -> Result<Value> {
        match service {
            "enable" => {
                let actor = self.actor.live(&self.settings)?;
                actor.request(Job::Enable).await.map(Value::String)
            }
            _ => Err(Error::UnknownService {
                service: service.into(),
                class: "ssh".into(),
            }),
        }
    }
}

/// Runs on the session thread: log, first prompt, init commands, enable, init configuration.
fn start_cli(
    stream: Box<dyn ByteStream>,
    profile: Profile,
    settings: &SshSettings,
) -> Result<CliWorker<Box<dyn ByteStream>>> {
    let log = match &settings.log_file {
        Some(path) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| {
                    Error::Config(format!("cannot open log_file {}: {e}", path.display()))
                })?,
        ),
        None => None,
    };
    let mut engine = Engine::new(stream, profile, settings.exec_timeout).with_log(log);
    let enable = settings.enable_password.clone();
    engine.start(
        settings.connect_timeout,
        enable.as_ref(),
        settings.goto_enable,
    )?;
    if !settings.init_config_commands.is_empty() {
        engine.configure(
            &settings.init_config_commands,
            &ExecOptions::default(),
            enable.as_ref(),
        )?;
    }
    Ok(CliWorker { engine, enable })
}
