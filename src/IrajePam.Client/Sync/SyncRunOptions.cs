using System;
using IrajePam.Client.Delivery;

namespace IrajePam.Client.Sync
{
    /// <summary>How one run behaves (the config says what to sync; this says how the caller wants to watch it).</summary>
    public sealed class SyncRunOptions
    {
        /// <summary>Read from PAM and count, but write no state and send nothing.</summary>
        public bool WhatIf { get; set; }

        /// <summary>One line per step and per request, no secrets (the cmdlet writes these as verbose).</summary>
        public Action<string>? Log { get; set; }

        public Action<SyncProgress>? Progress { get; set; }

        /// <summary>Asked once, with a description of the delivery; false turns the run into a WhatIf run.</summary>
        public Func<string, bool>? ShouldProcess { get; set; }

        /// <summary>Called after each batch was sent (one result per batch).</summary>
        public Action<BatchResult>? BatchCompleted { get; set; }

        /// <summary>How long to wait for another run's lock; zero fails at once with SyncAlreadyRunning.</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.Zero;

        /// <summary>
        /// How often, at most, the checkpoint file is rewritten while events are read (and once more at the end of the
        /// read, or when it stops early). Batches spooled after the last write are covered by the spool itself: the next
        /// run sends them first and skips their events when it reads them again. Tests set zero (a write per batch).
        /// </summary>
        internal TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Tests: tune the Zeron sender (retry delays and limits) after the config was applied.</summary>
        internal Action<ZeronOptions>? ConfigureZeron { get; set; }

        /// <summary>Tests: tune the PAM connection options after the config was applied.</summary>
        internal Action<PamConnectionOptions>? ConfigurePam { get; set; }
    }

    /// <summary>Live progress of a run, flat (for Write-Progress).</summary>
    public sealed class SyncProgress
    {
        /// <summary>Resend, Connect, Hosts, Events, Send, Done.</summary>
        public string Stage { get; set; } = "";
        public string Message { get; set; } = "";
        public long HostsFetched { get; set; }
        public long EventsFetched { get; set; }
        public int BatchesSent { get; set; }
        public int BatchesPending { get; set; }

        /// <summary>-1 when unknown.</summary>
        public int PercentComplete { get; set; } = -1;
    }

    /// <summary>What one run did. Flat, one per run.</summary>
    public sealed class SyncSummary
    {
        public const string StatusSucceeded = "Succeeded";
        public const string StatusFailed = "Failed";
        public const string StatusWhatIf = "WhatIf";

        public string RunId { get; set; } = "";
        public DateTimeOffset StartedAt { get; set; }
        public TimeSpan Duration { get; set; }
        public string Instance { get; set; } = "";
        public long HostsFetched { get; set; }

        /// <summary>Host records the receiver took (accepted or already had).</summary>
        public long HostsSent { get; set; }
        public long EventsFetched { get; set; }

        /// <summary>Login events the receiver took (accepted or already had), pending batches from earlier runs included.</summary>
        public long EventsSent { get; set; }

        /// <summary>Events fetched again in the overlap window (or already spooled) and so not sent twice.</summary>
        public long EventsSkippedDuplicate { get; set; }

        /// <summary>Records PAM returned that could not be read (each is in the log with its reason).</summary>
        public long RecordErrors { get; set; }

        /// <summary>Batches sent in this run (pending ones from earlier runs included).</summary>
        public int Batches { get; set; }

        /// <summary>Batches that could not be delivered now and stay in the spool for the next run.</summary>
        public int BatchesFailed { get; set; }

        /// <summary>Records the receiver refused, moved to the dead-letter folder with the reason.</summary>
        public long DeadLettered { get; set; }

        /// <summary>Batches still in the spool after the run.</summary>
        public int SpoolPending { get; set; }
        public string CheckpointBefore { get; set; } = "";
        public string CheckpointAfter { get; set; } = "";

        /// <summary>Succeeded, Failed or WhatIf.</summary>
        public string Status { get; set; } = StatusFailed;

        /// <summary>Why the run failed, if it did.</summary>
        public string? Error { get; set; }
        public string? LogPath { get; set; }
        public string StateDirectory { get; set; } = "";

        public override string ToString() => $"{RunId} {Status} hosts={HostsSent} events={EventsSent} pending={SpoolPending}";
    }
}
