namespace Yunlu.Server.Supervision;

/// <summary>The supervision runtime's settings (configuration section <c>Yunlu:Supervision</c>).</summary>
public sealed class SupervisionServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = YunluServerOptions.SectionName + ":Supervision";

    /// <summary>How often the picture is published (and the checks run when no position arrives; default 1 s).</summary>
    public TimeSpan CycleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Shortest time between two runs of the full checks triggered by new positions (default 250 ms; zero = after
    /// every batch taken in). The full checks run as soon as positions were taken in and this long (and at least four
    /// times the last check's duration, so the checks never take more than a fifth of the engine loop) has passed since
    /// the last run; <see cref="CycleInterval"/> still runs them (and publishes the picture) when no position arrives.
    /// With <see cref="StepChecks"/> on, alerts are raised by the per-batch step and the full checks only clear alerts
    /// and run the time-driven checks (lost link, the contingent clock of silent aircraft, stale tracks).
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Check the aircraft of each batch right after it is taken in (<c>SupervisionEngine.RunStep</c>: conformance,
    /// zones now and predicted, separation now and predicted against every other aircraft, ceiling, wind, no intent),
    /// so an alert leaves in the same engine step as the position that raised it (default true).
    /// </summary>
    public bool StepChecks { get; set; } = true;

    /// <summary>Positions taken in before a step runs its checks (default 1 000: one WebSocket message of the bench; a batch is never split).</summary>
    public int StepPositions { get; set; } = 1000;

    /// <summary>How often tracks are pushed to each SignalR subscriber (default 1 s).</summary>
    public TimeSpan TrackPushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Positions the ingestion queue holds; more are dropped and counted (default 262 144).</summary>
    public int QueueCapacity { get; set; } = 1 << 18;

    /// <summary>Most positions in one HTTP batch or WebSocket message (default 10 000).</summary>
    public int MaxBatchPositions { get; set; } = 10_000;

    /// <summary>Largest HTTP batch or WebSocket message, bytes (default 4 MiB).</summary>
    public int MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How often stored zones and terrain are compared with the engine's (default 5 s).</summary>
    public TimeSpan ZonePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A track silent this long is forgotten (its lost-link alert clears); default 300 s.</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Origin of the local metric frame, longitude (default Guiyang, 106.63°).</summary>
    public double FrameOriginLonDeg { get; set; } = 106.63;

    /// <summary>Origin of the local metric frame, latitude (default Guiyang, 26.65°).</summary>
    public double FrameOriginLatDeg { get; set; } = 26.65;

    /// <summary>Raise no_intent for drones flying without an Activated intent (default false).</summary>
    public bool RequireIntent { get; set; }

    /// <summary>No data for this long raises lost link, seconds (default 15).</summary>
    public double LostLinkS { get; set; } = 15;

    /// <summary>Conformance time tolerance, seconds (default 0): a flight early or late by less than this is not
    /// nonconforming (<see cref="Yunlu.Supervision.Checks.SupervisionOptions.ConformanceTimeToleranceS"/>).</summary>
    public double ConformanceTimeToleranceS { get; set; }

    /// <summary>Drive the operations state machine (Activated → Nonconforming/Contingent and back) from the checks (default true).</summary>
    public bool UpdateIntentStates { get; set; } = true;

    /// <summary>Record positions and alert events for replay and time travel (default true).</summary>
    public bool Record { get; set; } = true;

    /// <summary>Record one position per aircraft at most this often, seconds (default 1; 0 = every report).</summary>
    public double RecordIntervalS { get; set; } = 1;

    /// <summary>How long recorded positions gather before they are written as one batch (default 5 s; at most
    /// <c>SupervisionRecorder.BatchRows</c> rows). Longer batches put several rows of each aircraft on the same index
    /// page per commit, the recording's main cost; the recording lags by at most this (a flush writes at once).</summary>
    public TimeSpan RecordBatchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Drop recorded positions older than this (default 7 days; zero keeps everything).</summary>
    public TimeSpan RecordRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How far before <c>at</c> the picture looks for each aircraft's last position (default 60 s).</summary>
    public TimeSpan PictureWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Webhook URLs that receive every raised and cleared alert (supervisors' integrations).</summary>
    public IList<string> Webhooks { get; } = [];

    /// <summary>Webhook delivery attempts (default 4: at once, then after 0.5, 1 and 2 s).</summary>
    public int WebhookAttempts { get; set; } = 4;

    /// <summary>Delay before the first webhook retry; doubled for each further one (default 0.5 s).</summary>
    public TimeSpan WebhookFirstRetry { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Shared secret that signs every alert webhook (<c>X-Yunlu-Signature: sha256=…</c>, HMAC-SHA256 of
    /// <c>"&lt;X-Yunlu-Timestamp&gt;.&lt;body&gt;"</c>); null = unsigned (the identification headers are always sent).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The MAVLink UDP listener; off unless a port is set.</summary>
    public MavlinkUdpOptions MavlinkUdp { get; } = new();

    /// <summary>The SBS-1 (BaseStation) ADS-B feed; off unless a host/port or a listen port is set.</summary>
    public SbsOptions Sbs { get; } = new();

    /// <summary>Start a simulation of this many drones (with faults) when the server starts; 0 = none (default).</summary>
    public int SimulateDrones { get; set; }

    /// <summary>How often the server-side simulation reports every drone's position (default 1 s, the simulated drones'
    /// 1 Hz); each step uses the clock's time.</summary>
    public TimeSpan SimulationStepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Duration of the start-up simulation, seconds (default 3600).</summary>
    public int SimulateSeconds { get; set; } = 3600;
}

/// <summary>The MAVLink UDP listener (e.g. <c>Yunlu:Supervision:MavlinkUdp:Port=14550</c>).</summary>
public sealed class MavlinkUdpOptions
{
    /// <summary>The UDP port; null = off, 0 = any free port.</summary>
    public int? Port { get; set; }

    /// <summary>The address to bind (default 0.0.0.0).</summary>
    public string Address { get; set; } = "0.0.0.0";
}

/// <summary>The SBS-1 BaseStation feed (port 30003 of dump1090 and most receivers).</summary>
public sealed class SbsOptions
{
    /// <summary>Connect to this host as a client (with <see cref="Port"/>), or null.</summary>
    public string? Host { get; set; }

    /// <summary>The feed's port when connecting as a client (default 30003).</summary>
    public int Port { get; set; } = 30003;

    /// <summary>Listen on this TCP port for feeds that push to us; null = off, 0 = any free port.</summary>
    public int? ListenPort { get; set; }

    /// <summary>The address to listen on (default 0.0.0.0).</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>Pause before reconnecting a dropped client connection (default 2 s).</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);
}
