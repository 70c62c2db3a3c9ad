using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client.Delivery;
using IrajePam.Client.Paging;

namespace IrajePam.Client.Sync
{
    /// <summary>
    /// One scheduled sync: lock the state folder → re-send what the spool still holds → read the host inventory
    /// and the login events since the checkpoint from PAM → batch → spool (durable) → advance the checkpoint →
    /// send → delete what was accepted → summary. A crash at any point followed by a re-run delivers every event;
    /// the checkpoint never moves past an event that is not durable in the spool.
    /// </summary>
    public sealed class SyncRunner
    {
        public const string CheckpointFileName = "checkpoint.json";

        /// <summary>Key in <see cref="Exception.Data"/> of a failed run's exception: its <see cref="SyncSummary"/>.</summary>
        public const string SummaryKey = "IrajePam.SyncSummary";

        /// <summary>Host id → event id of the inventory last delivered (only new or changed hosts are sent).</summary>
        public const string HostMapFileName = "hosts.map";
        public const string SpoolFolderName = "spool";
        public const string DeadLetterFolderName = "deadletter";

        private readonly SyncSourceFactory sourceFactory;

        public SyncRunner()
            : this(PamSyncSource.ConnectAsync)
        {
        }

        internal SyncRunner(SyncSourceFactory sourceFactory)
        {
            this.sourceFactory = sourceFactory;
        }

        public async Task<SyncSummary> RunAsync(SyncConfig config, NetworkCredential pamCredential, NetworkCredential zeronApiKey,
            SyncRunOptions options, CancellationToken ct)
        {
            if (config == null)
            {
                throw new ArgumentNullException(nameof(config));
            }

            if (pamCredential == null)
            {
                throw new ArgumentNullException(nameof(pamCredential));
            }

            if (zeronApiKey == null)
            {
                throw new ArgumentNullException(nameof(zeronApiKey));
            }

            options ??= new SyncRunOptions();
            var clock = Stopwatch.StartNew();
            var s = new SyncSummary
            {
                RunId = Guid.NewGuid().ToString("N").Substring(0, 12),
                StartedAt = DateTimeOffset.UtcNow,
                LogPath = config.LogPath,
                StateDirectory = config.StateDirectory,
            };
            JitWarmup.Start();
            using var log = new RunLog(config.LogPath, s.RunId, options.Log, pamCredential.Password, zeronApiKey.Password);
            bool whatIf = options.WhatIf;
            string target = "PAM " + config.Pam.Uri.GetLeftPart(UriPartial.Authority) + " -> Zeron " + ZeronSender.SafeUri(config.Zeron.Endpoint);
            if (!whatIf && options.ShouldProcess != null && !options.ShouldProcess(target))
            {
                whatIf = true;
            }

            log.Write("start " + (whatIf ? "(what-if) " : "") + target + " state=" + config.StateDirectory + " config=" + config.Source);
            try
            {
                // A profile or endpoint this run cannot use stops it before it takes the lock or sends a spooled batch.
                Validate(config, zeronApiKey);
                var run = new Run(this, config, pamCredential, zeronApiKey, options, log, s, whatIf);
                await run.ExecuteAsync(ct).ConfigureAwait(false);
                s.Status = whatIf ? SyncSummary.StatusWhatIf : s.BatchesFailed > 0 ? SyncSummary.StatusFailed : SyncSummary.StatusSucceeded;
                if (s.Status == SyncSummary.StatusFailed && s.Error == null)
                {
                    s.Error = s.BatchesFailed.ToString(CultureInfo.InvariantCulture) + " batch(es) could not be delivered and stay in the spool for the next run";
                }
            }
            catch (Exception ex)
            {
                s.Status = SyncSummary.StatusFailed;
                s.Error = ex.Message;
                s.Duration = clock.Elapsed;
                // The caller still gets the run's counts (what was delivered before the failure).
                ex.Data[SummaryKey] = s;
                log.Write("failed: " + (ex is IrajePamException pe ? pe.ErrorId + ": " : ex.GetType().Name + ": ") + ex.Message);
                throw;
            }

            s.Duration = clock.Elapsed;
            log.Write("done status=" + s.Status + " hosts=" + s.HostsFetched.ToString(CultureInfo.InvariantCulture) + "/" +
                s.HostsSent.ToString(CultureInfo.InvariantCulture) + " events=" + s.EventsFetched.ToString(CultureInfo.InvariantCulture) + "/" +
                s.EventsSent.ToString(CultureInfo.InvariantCulture) + " skipped=" + s.EventsSkippedDuplicate.ToString(CultureInfo.InvariantCulture) +
                " batches=" + s.Batches.ToString(CultureInfo.InvariantCulture) + " failed=" + s.BatchesFailed.ToString(CultureInfo.InvariantCulture) +
                " deadlettered=" + s.DeadLettered.ToString(CultureInfo.InvariantCulture) + " unreadable=" + s.RecordErrors.ToString(CultureInfo.InvariantCulture) + " pending=" + s.SpoolPending.ToString(CultureInfo.InvariantCulture) +
                " checkpoint=" + s.CheckpointBefore + " -> " + s.CheckpointAfter + " in " + s.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s");
            options.Progress?.Invoke(new SyncProgress { Stage = "Done", Message = s.Status, HostsFetched = s.HostsFetched, EventsFetched = s.EventsFetched, BatchesSent = s.Batches, PercentComplete = 100 });
            return s;
        }

        /// <summary>
        /// Everything a run would refuse before contacting anyone: the API profile (found and valid) and the Zeron
        /// endpoint. -WhatIf calls it, so "the configuration is in order" means what a real run means by it.
        /// </summary>
        public static void Validate(SyncConfig config, NetworkCredential zeronApiKey)
        {
            config.Pam.Profile ??= ApiProfile.Load(config.Pam.ApiProfile);
            ZeronSender.Validate(ZeronOptionsFor(config, zeronApiKey, _ => { }));
        }

        internal static ZeronOptions ZeronOptionsFor(SyncConfig c, NetworkCredential key, Action<string> log) => new ZeronOptions
        {
            Endpoint = c.Zeron.Endpoint,
            ApiKey = key,
            ApiKeyHeader = c.Zeron.ApiKeyHeader,
            HostsDataset = c.Zeron.HostsDataset,
            LogsDataset = c.Zeron.LogsDataset,
            MaxEventsPerBatch = c.Zeron.MaxEventsPerBatch,
            Tls = c.Zeron.Tls,
            Proxy = c.Zeron.Proxy,
            Timeout = TimeSpan.FromSeconds(c.Zeron.TimeoutSec),
            AllowUnencryptedAuthentication = c.Zeron.AllowUnencryptedAuthentication,
            Log = log,
        };

        /// <summary>The state of one run; kept apart so RunAsync reads as the list of steps.</summary>
        private sealed class Run
        {
            private readonly SyncRunner owner;
            private readonly SyncConfig config;
            private readonly NetworkCredential pamCredential;
            private readonly NetworkCredential zeronKey;
            private readonly SyncRunOptions options;
            private readonly RunLog log;
            private readonly SyncSummary s;
            private readonly bool whatIf;
            private readonly TimeSpan overlap;

            // Events handed to the builder and not yet in a spooled batch, in order (their ids and times).
            private readonly Queue<(string Id, DateTimeOffset Ts)> inflight = new Queue<(string, DateTimeOffset)>();
            private readonly HashSet<string> inflightIds = new HashSet<string>(StringComparer.Ordinal);

            // Event ids already durable in the spool from an earlier run: fetched again, not spooled twice.
            private readonly HashSet<string> spooledIds = new HashSet<string>(StringComparer.Ordinal);
            private Spool spool = null!;
            private CheckpointStore store = null!;
            private Checkpoint checkpoint = null!;

            // The checkpoint in memory always covers exactly the spooled events; the file is rewritten at most once per
            // CheckpointInterval while reading (its cost grows with the ids in the overlap window).
            private readonly Stopwatch sinceCheckpointSaved = new Stopwatch();
            private bool checkpointUnsaved;

            // The write at the end of the read runs while the run logs out and starts sending; nothing leaves the spool
            // (sent or dead-lettered) before it is on disk, and the run does not end (or drop its lock) before it is.
            private Task? checkpointSaving;

            // Pages of the event read (query, index, times), for the next run's seek hint.
            private readonly List<PageSpan> pagesRead = new List<PageSpan>();
            private int whatIfBatches;

            // Hosts: the map of the last delivered inventory, the inventory read now, and this run's host batches not yet accepted.
            private HostMapStore hostMap = null!;
            private string hostMapKey = "";
            private Dictionary<string, string>? hostsRead;
            private readonly HashSet<string> hostBatchIds = new HashSet<string>(StringComparer.Ordinal);
            private int sendFailed;
            private int quarantined;
            private int refusedWhole;
            private FileStream? unreadable;
            private string? unreadablePath;
            private string? firstRefusal;

            public Run(SyncRunner owner, SyncConfig config, NetworkCredential pam, NetworkCredential zeron, SyncRunOptions options, RunLog log, SyncSummary s, bool whatIf)
            {
                this.owner = owner;
                this.config = config;
                pamCredential = pam;
                zeronKey = zeron;
                this.options = options;
                this.log = log;
                this.s = s;
                this.whatIf = whatIf;
                overlap = TimeSpan.FromMinutes(config.OverlapMinutes);
            }

            public async Task ExecuteAsync(CancellationToken ct)
            {
                string state = config.StateDirectory;
                try
                {
                    Directory.CreateDirectory(state);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new IrajePamException("StateDirectoryUnavailable", PamErrorKind.State,
                        "Cannot create the state folder '" + state + "': " + ex.Message, ex)
                    { Target = state };
                }

                using var stateLock = whatIf ? null : StateLock.Acquire(state, options.LockTimeout);
                log.Write("lock taken " + (stateLock?.Path ?? "(what-if: none)"));
                try
                {
                    await ExecuteLockedAsync(ct).ConfigureAwait(false);
                }
                finally
                {
                    WaitForCheckpointWrite();
                    CountPendingAfterFailure();
                    CloseUnreadable();
                }
            }

            /// <summary>A run that stops halfway still says how many batches wait in the spool.</summary>
            private void CountPendingAfterFailure()
            {
                if (ReferenceEquals(spool, null) || whatIf)
                {
                    return;
                }
                try
                {
                    s.SpoolPending = spool.List().Count;
                }
                catch (IrajePamException)
                {
                    // The spool folder itself is unreadable: that is the error being reported.
                }
            }

            private async Task ExecuteLockedAsync(CancellationToken ct)
            {
                string state = config.StateDirectory;

                store = new CheckpointStore(Path.Combine(state, CheckpointFileName));
                checkpoint = store.Load() ?? new Checkpoint();
                s.CheckpointBefore = checkpoint.ToString();
                s.CheckpointAfter = s.CheckpointBefore;
                log.Write("checkpoint " + s.CheckpointBefore + " (" + checkpoint.SeenIds.Count.ToString(CultureInfo.InvariantCulture) + " ids in the overlap window)");

                spool = new Spool(Path.Combine(state, SpoolFolderName), Path.Combine(state, DeadLetterFolderName));
                if (!whatIf)
                {
                    int temps = spool.CleanupTempFiles() + store.CleanupTempFiles() + new HostMapStore(Path.Combine(state, HostMapFileName)).CleanupTempFiles();
                    if (temps > 0)
                    {
                        log.Write("removed " + temps.ToString(CultureInfo.InvariantCulture) + " unfinished temp file(s) left by an interrupted run (their events are fetched again)");
                    }
                }

                var zopts = ZeronOptionsFor(config, zeronKey, m => log.Write(m));
                options.ConfigureZeron?.Invoke(zopts);
                using var sender = new ZeronSender(zopts);

                // 1. What an earlier run spooled goes first; its events are remembered so they are not spooled twice.
                var pending = spool.List();
                foreach (var e in pending)
                {
                    if (!e.IsCorrupt && e.Dataset == zopts.LogsDataset)
                    {
                        try
                        {
                            foreach (string id in spool.Read(e).EventIds)
                            {
                                spooledIds.Add(id);
                            }
                        }
                        catch (IrajePamException)
                        {
                            // Reported when it is sent.
                        }
                    }
                }

                if (pending.Count > 0)
                {
                    log.Write("spool holds " + pending.Count.ToString(CultureInfo.InvariantCulture) + " batch(es) from an earlier run" + (whatIf ? "" : "; sending them first"));
                    if (!whatIf)
                    {
                        Progress("Resend", "Sending batches left by an earlier run");
                        await SendSpoolAsync(sender, ct).ConfigureAwait(false);
                        if (sendFailed > 0)
                        {
                            log.Write("the receiver is not taking batches; new data is still fetched and spooled");
                        }
                    }
                }

                // 2-4. Read from PAM into the spool. If reading fails, what is already durable is still sent.
                ExceptionDispatchInfo? readFailure = null;
                try
                {
                    await FetchAndSpoolAsync(zopts, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (!whatIf && (ex is IrajePamException || ex is System.Net.Http.HttpRequestException || ex is IOException))
                {
                    readFailure = ExceptionDispatchInfo.Capture(ex);
                    log.Write("reading from PAM stopped (" + ex.Message + "); sending what is already spooled before reporting it");
                }

                // 5. Send everything the spool holds, oldest first.
                if (!whatIf)
                {
                    Progress("Send", "Delivering to Zeron");
                    await SendSpoolAsync(sender, ct).ConfigureAwait(false);
                    s.SpoolPending = spool.List().Count;
                    s.BatchesFailed = sendFailed + quarantined + refusedWhole;
                    s.Error = DeliveryProblems();
                }
                else
                {
                    s.Batches = whatIfBatches;
                    s.SpoolPending = pending.Count;
                }

                await CheckpointDurableAsync().ConfigureAwait(false);
                s.CheckpointAfter = checkpoint.ToString();
                SaveHostMap();
                readFailure?.Throw();
            }

            /// <summary>What went wrong with delivery, in words, or null.</summary>
            private string? DeliveryProblems()
            {
                var problems = new List<string>();
                if (sendFailed > 0)
                {
                    problems.Add(sendFailed.ToString(CultureInfo.InvariantCulture) + " batch(es) could not be delivered and stay in the spool for the next run");
                }
                if (refusedWhole > 0)
                {
                    problems.Add("Zeron refused " + refusedWhole.ToString(CultureInfo.InvariantCulture) + " whole batch(es) (" + firstRefusal +
                        "); they were moved to the dead-letter folder '" + spool.DeadLetterDirectory + "' with the reason and are not sent again");
                }
                if (quarantined > 0)
                {
                    problems.Add(quarantined.ToString(CultureInfo.InvariantCulture) + " spool file(s) were damaged and moved to the dead-letter folder '" +
                        spool.DeadLetterDirectory + "'; their events were not delivered");
                }
                return problems.Count == 0 ? null : string.Join("; ", problems);
            }

            /// <summary>Waits for the end-of-read checkpoint write (and rethrows its failure).</summary>
            private async Task CheckpointDurableAsync()
            {
                var saving = checkpointSaving;
                if (saving != null)
                {
                    checkpointSaving = null;
                    await saving.ConfigureAwait(false);
                }
            }

            /// <summary>On the way out after a failure: the write must not outlive the run (it holds the lock).</summary>
            internal void WaitForCheckpointWrite()
            {
                var saving = checkpointSaving;
                if (saving == null)
                {
                    return;
                }
                checkpointSaving = null;
                try
                {
                    saving.GetAwaiter().GetResult();
                }
                catch (IrajePamException ex)
                {
                    log.Write("checkpoint not written (" + ex.Message + ")");
                }
            }

            private async Task FetchAndSpoolAsync(ZeronOptions zopts, CancellationToken ct)
            {
                try
                {
                    await FetchAndSpoolCoreAsync(zopts, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is SimulatedCrashException) && checkpointUnsaved && !whatIf)
                {
                    // Reading stopped (PAM failed, a disk error, Ctrl+C): the batches spooled so far are sent, so the
                    // checkpoint must say so, or the next run would offer their events again.
                    TrySaveCheckpointAfterStop();
                    throw;
                }
            }

            private void TrySaveCheckpointAfterStop()
            {
                if (checkpointSaving != null)
                {
                    // The read had ended and its write is under way: that one covers every spooled batch.
                    WaitForCheckpointWrite();
                    return;
                }
                try
                {
                    SaveCheckpoint();
                }
                catch (IrajePamException ex)
                {
                    log.Write("checkpoint not written after the read stopped (" + ex.Message + "); the next run may offer some events again (the receiver drops duplicates)");
                }
            }

            private async Task FetchAndSpoolCoreAsync(ZeronOptions zopts, CancellationToken ct)
            {
                // 2. Connect.
                Progress("Connect", "Connecting to " + config.Pam.Uri.GetLeftPart(UriPartial.Authority));
                using var source = await owner.sourceFactory(config, pamCredential, options, m => log.Write(m), ct).ConfigureAwait(false);
                s.Instance = source.Instance;
                if (!string.IsNullOrEmpty(checkpoint.Instance) && !string.Equals(checkpoint.Instance, source.Instance, StringComparison.OrdinalIgnoreCase))
                {
                    throw new IrajePamException("CheckpointInstanceMismatch", PamErrorKind.State,
                        "The state folder '" + config.StateDirectory + "' holds the checkpoint of PAM instance '" + checkpoint.Instance +
                        "', but this config reads '" + source.Instance + "'. If it is the same PAM reached by another address, set pam.instance to '" +
                        checkpoint.Instance + "' in the config (a new name would deliver everything again under new ids); if it is another PAM, give it its own stateDirectory.")
                    { Target = store.Path };
                }

                checkpoint.Instance = source.Instance;
                log.Write("connected to " + source.Instance);

                // 3 and 4 side by side (the client opens a second connection): the host inventory is small next to a
                // log, but reading it first put its pages in front of every event read.
                using (var hostsStop = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    var hosts = Task.Run(() => ReadHostsAsync(source, zopts, hostsStop.Token), hostsStop.Token);
                    try
                    {
                        await ReadEventsAsync(source, zopts, ct).ConfigureAwait(false);
                    }
                    catch (Exception) when (!hosts.IsCompleted)
                    {
                        // The events failed: stop the inventory too, and report the events' failure.
                        hostsStop.Cancel();
                        try
                        {
                            await hosts.ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is OperationCanceledException || ex is IrajePamException || ex is System.Net.Http.HttpRequestException || ex is IOException)
                        {
                            // Only the first failure is reported.
                        }
                        throw;
                    }

                    await hosts.ConfigureAwait(false);
                }

                await source.CloseAsync(ct).ConfigureAwait(false);
                log.Write("events fetched=" + s.EventsFetched.ToString(CultureInfo.InvariantCulture) + " skipped as already taken=" + s.EventsSkippedDuplicate.ToString(CultureInfo.InvariantCulture));
            }

            /// <summary>
            /// 3. Hosts: the full inventory is read every run; only hosts new or changed since the last delivered
            /// inventory are sent (a host's event id ends in a hash of its content).
            /// </summary>
            private async Task ReadHostsAsync(ISyncSource source, ZeronOptions zopts, CancellationToken ct)
            {
                Progress("Hosts", "Reading the host inventory");
                hostMap = new HostMapStore(Path.Combine(config.StateDirectory, HostMapFileName));
                hostMapKey = HostMapStore.KeyFor(source.Instance, config.Zeron.Endpoint, zopts.HostsDataset);
                var delivered = hostMap.Load(hostMapKey, out var mapProblem) ?? new Dictionary<string, string>(StringComparer.Ordinal);
                if (mapProblem != null)
                {
                    log.Write("host map " + mapProblem + "; sending the whole inventory");
                }
                var read = new Dictionary<string, string>(StringComparer.Ordinal);
                long unchanged = 0;
                using (var hostBatches = new BatchBuilder(zopts))
                {
                    await foreach (var item in source.GetHostsAsync(ct).ConfigureAwait(false))
                    {
                        if (item.Error != null)
                        {
                            RecordError("host", item.Error);
                            continue;
                        }

                        s.HostsFetched++;
                        var host = item.Value!;
                        var (hostEventId, hostLine, _) = hostBatches.Serialize(host);
                        read[host.Id] = hostEventId;
                        if (delivered.TryGetValue(host.Id, out var known) && string.Equals(known, hostEventId, StringComparison.Ordinal))
                        {
                            unchanged++;
                            continue;
                        }

                        for (var b = hostBatches.AddSerialized(zopts.HostsDataset, hostEventId, hostLine); b != null; b = hostBatches.TakeReady())
                        {
                            SpoolHostBatch(b);
                        }

                        if (s.HostsFetched % 1000 == 0)
                        {
                            Progress("Hosts", "Reading the host inventory");
                        }
                    }

                    foreach (var b in hostBatches.FlushAll())
                    {
                        SpoolHostBatch(b);
                    }
                }

                hostsRead = read;
                log.Write("hosts fetched=" + s.HostsFetched.ToString(CultureInfo.InvariantCulture) + " unchanged since the last delivered inventory=" + unchanged.ToString(CultureInfo.InvariantCulture));
            }

            /// <summary>4. Events since the checkpoint, less the overlap window already taken.</summary>
            private async Task ReadEventsAsync(ISyncSource source, ZeronOptions zopts, CancellationToken ct)
            {
                DateTimeOffset since = checkpoint.Cursor.HasValue
                    ? checkpoint.Cursor.Value - overlap
                    : DateTimeOffset.UtcNow.AddDays(-config.InitialLookbackDays);
                log.Write("events since " + RecordSerializer.FormatTime(since) + (checkpoint.Cursor.HasValue ? " (checkpoint minus " + config.OverlapMinutes.ToString(CultureInfo.InvariantCulture) + " min overlap)" : " (first run: " + config.InitialLookbackDays.ToString(CultureInfo.InvariantCulture) + " days back)"));
                Progress("Events", "Reading login events since " + RecordSerializer.FormatTime(since));
                sinceCheckpointSaved.Restart();
                using (var eventBatches = new BatchBuilder(zopts))
                {
                    // The page this run starts on was noted by the last run, so the search for it is one probe when the
                    // server query is the same (same day on a date-filtered log); every page read is noted for the next.
                    var positions = new LogPositions
                    {
                        Hint = checkpoint.SeekQuery != null ? new SeekHint(checkpoint.SeekQuery, checkpoint.SeekPage) : null,
                        PageRead = pagesRead.Add,
                    };
                    await foreach (var item in source.GetLoginEventsAsync(since, positions, ct).ConfigureAwait(false))
                    {
                        if (item.Error != null)
                        {
                            RecordError("event", item.Error);
                            continue;
                        }

                        var ev = item.Value!;
                        s.EventsFetched++;
                        var (id, line, _) = eventBatches.Serialize(ev);
                        DateTimeOffset ts = ev.Timestamp.ToUniversalTime();
                        if (checkpoint.Cursor.HasValue && ts < since)
                        {
                            // Before the window: an earlier run took it (a date-only filter re-reads whole days).
                            s.EventsSkippedDuplicate++;
                            continue;
                        }

                        if (checkpoint.HasSeen(id) || inflightIds.Contains(id) || spooledIds.Contains(id))
                        {
                            s.EventsSkippedDuplicate++;
                            checkpoint.MarkSeen(id, ts);
                            if (inflight.Count == 0)
                            {
                                checkpoint.AdvanceTo(ts < s.StartedAt ? ts : s.StartedAt);
                            }

                            continue;
                        }

                        inflight.Enqueue((id, ts));
                        inflightIds.Add(id);
                        for (var b = eventBatches.AddSerialized(zopts.LogsDataset, id, line); b != null; b = eventBatches.TakeReady())
                        {
                            SpoolEventBatch(b);
                        }

                        if (s.EventsFetched % 5000 == 0)
                        {
                            Progress("Events", "Reading login events");
                        }
                    }

                    TestHooks.CrashPoint("after-fetch");
                    foreach (var b in eventBatches.FlushAll())
                    {
                        SpoolEventBatch(b);
                    }
                }

                if (!whatIf && inflight.Count == 0)
                {
                    checkpointSaving = Task.Run(SaveCheckpoint);
                }
            }

            private void SpoolHostBatch(ZeronBatch b)
            {
                SpoolBatch(b);
                hostBatchIds.Add(b.BatchId);
            }

            /// <summary>
            /// Once every host batch of this run was accepted, the inventory read becomes the delivered one. Otherwise the
            /// old map stays, so the hosts not taken differ from it and are sent again next run.
            /// </summary>
            private void SaveHostMap()
            {
                if (whatIf || hostsRead == null || hostBatchIds.Count > 0)
                {
                    return;
                }
                try
                {
                    hostMap.Save(hostMapKey, hostsRead);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Only costs a full inventory next run.
                    hostMap.Delete();
                    log.Write("host map not written (" + ex.Message + "); the next run sends the whole inventory");
                }
            }

            private void SpoolBatch(ZeronBatch b)
            {
                if (whatIf)
                {
                    whatIfBatches++;
                    return;
                }

                spool.Write(b);
            }

            /// <summary>Spools a batch of events, then moves the checkpoint to cover exactly the events now durable.</summary>
            private void SpoolEventBatch(ZeronBatch b)
            {
                SpoolBatch(b);
                DateTimeOffset newest = DateTimeOffset.MinValue;
                for (int i = 0; i < b.Count; i++)
                {
                    var (id, ts) = inflight.Dequeue();
                    inflightIds.Remove(id);
                    checkpoint.MarkSeen(id, ts);
                    if (ts > newest)
                    {
                        newest = ts;
                    }
                }

                // Never past an event that is still only in memory (out-of-order streams).
                foreach (var (_, ts) in inflight)
                {
                    if (ts < newest)
                    {
                        newest = ts;
                    }
                }

                // Never past this run's start either: an absurd future timestamp must not make later runs skip real events.
                checkpoint.AdvanceTo(newest < s.StartedAt ? newest : s.StartedAt);
                checkpoint.EventsTotal += b.Count;
                if (whatIf)
                {
                    return;
                }

                checkpointUnsaved = true;
                // Forget ids that left the overlap window now, not at the next write: between writes (a second) a
                // full sync otherwise holds ~70,000 ids it no longer needs (peak working set 242 MB -> 183 MB).
                checkpoint.Prune(overlap);
                TestHooks.CrashPoint("after-spool-before-checkpoint");
                if (sinceCheckpointSaved.Elapsed >= options.CheckpointInterval)
                {
                    SaveCheckpoint();
                }
            }

            private void SaveCheckpoint()
            {
                NoteSeekHint();
                checkpoint.Prune(overlap);
                checkpoint.UpdatedAt = DateTimeOffset.UtcNow;
                checkpoint.RunId = s.RunId;
                store.Save(checkpoint);
                checkpointUnsaved = false;
                sinceCheckpointSaved.Restart();
                s.CheckpointAfter = checkpoint.ToString();
            }

            /// <summary>
            /// The next run reads from <c>cursor - overlap</c>: note the page of this run's query that holds that time
            /// (the last one starting before it), so the next run of the same query probes it first.
            /// </summary>
            private void NoteSeekHint()
            {
                if (!checkpoint.Cursor.HasValue || pagesRead.Count == 0)
                {
                    return;
                }
                var from = checkpoint.Cursor.Value - overlap;
                var query = pagesRead[pagesRead.Count - 1].Query;
                int? best = null;
                foreach (var p in pagesRead)
                {
                    if (p.Query == query && p.First < from && (!best.HasValue || p.Index > best.Value))
                    {
                        best = p.Index;
                    }
                }
                if (best.HasValue)
                {
                    checkpoint.SeekQuery = query;
                    checkpoint.SeekPage = best.Value;
                }
            }

            private async Task SendSpoolAsync(ZeronSender sender, CancellationToken ct)
            {
                // The inventory goes before the events that name its hosts (both are spooled at once, so the files
                // interleave); each dataset oldest first.
                var listed = spool.List();
                var entries = new List<SpoolEntry>(listed.Count);
                foreach (var e in listed)
                {
                    if (string.Equals(e.Dataset, config.Zeron.HostsDataset, StringComparison.Ordinal))
                    {
                        entries.Add(e);
                    }
                }
                foreach (var e in listed)
                {
                    if (!string.Equals(e.Dataset, config.Zeron.HostsDataset, StringComparison.Ordinal))
                    {
                        entries.Add(e);
                    }
                }
                int done = 0;
                sendFailed = 0;
                foreach (var e in entries)
                {
                    ct.ThrowIfCancellationRequested();
                    if (e.IsCorrupt)
                    {
                        Quarantine(e, "the spool file's header is unreadable (" + e.Problem + ")");
                        continue;
                    }

                    ZeronBatch batch;
                    try
                    {
                        batch = spool.Read(e);
                    }
                    catch (IrajePamException ex) when (ex.ErrorId == "SpoolFileCorrupt")
                    {
                        Quarantine(e, ex.Message);
                        continue;
                    }

                    var r = await sender.SendAsync(batch, ct).ConfigureAwait(false);
                    s.Batches++;
                    done++;
                    long taken = r.Accepted + r.Duplicates;
                    if (r.Dataset == config.Zeron.HostsDataset)
                    {
                        s.HostsSent += taken;
                    }
                    else
                    {
                        s.EventsSent += taken;
                    }

                    switch (r.Status)
                    {
                        case BatchResult.StatusAccepted:
                            TestHooks.CrashPoint("after-send-before-delete");
                            await CheckpointDurableAsync().ConfigureAwait(false);
                            spool.Delete(e);
                            hostBatchIds.Remove(batch.BatchId);
                            break;
                        case BatchResult.StatusPartial:
                            r.Path = spool.DeadLetterRejected(e, r);
                            s.DeadLettered += r.Rejected;
                            log.Write("batch " + r.BatchId + ": " + r.Rejected.ToString(CultureInfo.InvariantCulture) + " record(s) refused, moved to " + r.Path + " (" + r.Error + ")");
                            break;
                        case BatchResult.StatusDeadLettered:
                            await CheckpointDurableAsync().ConfigureAwait(false);
                            r.Path = spool.DeadLetter(e, r.Error ?? "refused by the receiver", r);
                            s.DeadLettered += r.Events;
                            refusedWhole++;
                            firstRefusal ??= r.Error ?? "refused by the receiver";
                            log.Write("batch " + r.BatchId + " refused by the receiver, moved to " + r.Path + " (" + r.Error + ")");
                            break;
                        default:
                            sendFailed++;
                            log.Write("batch " + r.BatchId + " not delivered (" + r.Error + "); it stays in the spool, and the rest wait for the next run");
                            options.BatchCompleted?.Invoke(r);
                            return;
                    }

                    options.BatchCompleted?.Invoke(r);
                    var p = new SyncProgress
                    {
                        Stage = "Send",
                        Message = "Delivering to Zeron",
                        HostsFetched = s.HostsFetched,
                        EventsFetched = s.EventsFetched,
                        BatchesSent = s.Batches,
                        BatchesPending = entries.Count - done,
                        PercentComplete = entries.Count == 0 ? 100 : (int)(100L * done / entries.Count),
                    };
                    options.Progress?.Invoke(p);
                }
            }

            private void Quarantine(SpoolEntry e, string why)
            {
                string moved = spool.DeadLetter(e, "corrupt spool file: " + why);
                quarantined++;
                s.DeadLettered += e.Events;
                log.Write("spool file " + e.Path + " is corrupt and cannot be sent; moved to " + moved + " (" + why + ")");
            }

            private void RecordError(string what, RecordError err)
            {
                if (err.EndsRead)
                {
                    // Not a record but the end of the read: what came before is delivered, the rest is read next run.
                    throw new IrajePamException(err.ErrorId, PamErrorKind.InvalidData,
                        "Reading " + what + "s stopped early: " + err.Message.TrimEnd('.') + ". What was read is delivered; the next run reads on from there.")
                    { Target = err.PageUrl };
                }

                string? kept = null;
                lock (s)
                {
                    s.RecordErrors++;
                    if (!whatIf)
                    {
                        kept = KeepUnreadable(what, err);
                    }
                }
                log.Write("unreadable " + what + " record skipped: " + err.ErrorId + ": " + err.Message +
                    (err.PageUrl != null ? " page=" + err.PageUrl : "") + (err.RecordIndex.HasValue ? " index=" + err.RecordIndex.Value.ToString(CultureInfo.InvariantCulture) : "") +
                    (err.RecordId != null ? " id=" + err.RecordId : "") + (kept != null ? "; kept in " + kept : ""));
            }

            /// <summary>
            /// Appends the record PAM served, as it came, with the reason, to deadletter/unreadable-&lt;day&gt;.ndjson: one
            /// file opened once per run (a profile that misreads every record must not cost an open and a disk flush
            /// each), each line handed to the system at once so a killed process loses none, flushed to disk at the end.
            /// </summary>
            private string? KeepUnreadable(string what, RecordError err)
            {
                try
                {
                    if (unreadable == null)
                    {
                        string folder = Path.Combine(config.StateDirectory, DeadLetterFolderName);
                        Directory.CreateDirectory(folder);
                        unreadablePath = Path.Combine(folder, "unreadable-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ".ndjson");
                        unreadable = new FileStream(unreadablePath, FileMode.Append, FileAccess.Write, FileShare.Read);
                    }
                    using (var w = new System.Text.Json.Utf8JsonWriter(unreadable))
                    {
                        w.WriteStartObject();
                        w.WriteString("time", DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                        w.WriteString("run_id", s.RunId);
                        w.WriteString("kind", what);
                        w.WriteString("error_id", err.ErrorId);
                        w.WriteString("reason", err.Message);
                        w.WriteString("page", err.PageUrl);
                        if (err.RecordIndex.HasValue)
                        {
                            w.WriteNumber("index", err.RecordIndex.Value);
                        }
                        w.WriteString("id", err.RecordId);
                        w.WriteString("record", err.Raw);
                        w.WriteEndObject();
                    }
                    unreadable.WriteByte((byte)'\n');
                    unreadable.Flush();
                    return unreadablePath;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    log.Write("could not keep the unreadable record in " + (unreadablePath ?? DeadLetterFolderName) + " (" + ex.Message + ")");
                    return null;
                }
            }

            /// <summary>Puts the kept unreadable records on disk and closes their file.</summary>
            private void CloseUnreadable()
            {
                var stream = unreadable;
                if (stream == null)
                {
                    return;
                }
                unreadable = null;
                try
                {
                    stream.Flush(true);
                }
                catch (IOException ex)
                {
                    log.Write("could not flush " + unreadablePath + " (" + ex.Message + ")");
                }
                finally
                {
                    stream.Dispose();
                }
            }

            private void Progress(string stage, string message) =>
                options.Progress?.Invoke(new SyncProgress
                {
                    Stage = stage,
                    Message = message,
                    HostsFetched = s.HostsFetched,
                    EventsFetched = s.EventsFetched,
                    BatchesSent = s.Batches,
                });
        }
    }
}
