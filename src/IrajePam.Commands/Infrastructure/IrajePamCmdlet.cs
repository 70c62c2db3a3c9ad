using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;

namespace IrajePam.Commands
{
    /// <summary>
    /// What every IrajePam cmdlet needs: a cancellation token tied to Ctrl+C (StopProcessing), a way to wait on
    /// the async client from the pipeline thread while relaying its verbose lines, and one place that turns
    /// client exceptions into ErrorRecords.
    /// </summary>
    public abstract class IrajePamCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentQueue<string> _log = new ConcurrentQueue<string>();
        // Set when the task being waited on completes: a slim event (spins briefly, then blocks), reused for every
        // wait, so waiting on each page costs no kernel handle and wakes as soon as the page is there. Never
        // disposed: a task's late continuation may still set it, and without a kernel handle it holds nothing.
        private readonly ManualResetEventSlim _ready = new ManualResetEventSlim(false);
        private readonly Action _setReady;
        private bool _disposed;

        protected IrajePamCmdlet()
        {
            _setReady = _ready.Set;
            LogSink = _log.Enqueue;
        }

        private const int ProgressIntervalMs = 250;

        protected CancellationToken StopToken => _stop.Token;

        /// <summary>Hand this to the client: it may be called from any thread; lines are written on the pipeline thread.</summary>
        protected Action<string> LogSink { get; }

        private readonly List<IDisposable> _logAttachments = new List<IDisposable>();

        /// <summary>Routes a session's request lines to this cmdlet's verbose stream until the cmdlet ends.</summary>
        internal void AttachLog(LogRouter router) => _logAttachments.Add(router.Attach(LogSink));

        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Waits for <paramref name="task"/> on the pipeline thread, relaying verbose lines as they come.</summary>
        protected T Await<T>(Task<T> task)
        {
            Wait(task);
            return task.GetAwaiter().GetResult();
        }

        protected void Await(Task task)
        {
            Wait(task);
            task.GetAwaiter().GetResult();
        }

        private void Wait(Task task)
        {
            if (!task.IsCompleted)
            {
                _ready.Reset();
                task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_setReady);
                while (!task.IsCompleted)
                {
                    if (_ready.Wait(50))
                    {
                        // A late signal from an earlier wait's task is possible: re-arm and look at this task again.
                        _ready.Reset();
                        continue;
                    }
                    FlushLog();
                    OnWaitTick();
                }
            }
            FlushLog();
        }

        /// <summary>Called on the pipeline thread while waiting: the place to relay progress from the client.</summary>
        protected virtual void OnWaitTick()
        {
        }

        protected void FlushLog()
        {
            while (_log.TryDequeue(out string? line))
            {
                // The client marks what an admin should see without -Verbose (e.g. a server that caps page size).
                if (line.StartsWith("WARNING: ", StringComparison.Ordinal))
                {
                    WriteWarning(line.Substring(9));
                }
                else
                {
                    WriteVerbose(line);
                }
            }
        }

        /// <summary>
        /// Streams records to the pipeline as the client yields them: good records are written, bad ones become
        /// a non-terminating error each, and disposal (e.g. Select-Object -First) stops further requests.
        /// </summary>
        protected void WriteStream<T>(IAsyncEnumerable<FetchItem<T>> source, FetchProgress progress, string activity, Func<T, bool>? filter = null)
            where T : class
        {
            IAsyncEnumerator<FetchItem<T>> e = source.GetAsyncEnumerator(StopToken);
            var bar = new ProgressRecord(Math.Abs(activity.GetHashCode() % 10000) + 1, activity, "Starting");
            // Environment.TickCount, not DateTime.UtcNow: this check runs once per record.
            int lastProgress = unchecked(Environment.TickCount - ProgressIntervalMs - 1);
            bool progressShown = false;
            try
            {
                while (true)
                {
                    ValueTask<bool> next = e.MoveNextAsync();
                    bool has = next.IsCompleted ? next.GetAwaiter().GetResult() : Await(next.AsTask());
                    if (!has)
                    {
                        break;
                    }
                    FetchItem<T> item = e.Current;
                    if (item.Error != null)
                    {
                        WriteError(RecordErrors.ToErrorRecord(item.Error));
                    }
                    else if (item.Value != null && (filter == null || filter(item.Value)))
                    {
                        WriteObject(item.Value);
                    }
                    if (unchecked(Environment.TickCount - lastProgress) > ProgressIntervalMs)
                    {
                        lastProgress = Environment.TickCount;
                        FlushLog();
                        progressShown = true;
                        WriteProgressFor(bar, progress);
                    }
                }
            }
            finally
            {
                // Disposing cancels any prefetch in flight; it must run even when the pipeline is stopped downstream.
                try
                {
                    e.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                }
                if (progressShown)
                {
                    bar.RecordType = ProgressRecordType.Completed;
                    WriteProgress(bar);
                }
            }
            FlushLog();
        }

        private void WriteProgressFor(ProgressRecord bar, FetchProgress progress)
        {
            long records = progress.Records;
            long? total = progress.Total;
            bar.StatusDescription = total.HasValue
                ? string.Format(System.Globalization.CultureInfo.CurrentCulture, "{0:N0} of {1:N0} records, {2} pages", records, total.Value, progress.Pages)
                : string.Format(System.Globalization.CultureInfo.CurrentCulture, "{0:N0} records, {1} pages", records, progress.Pages);
            bar.PercentComplete = total.HasValue && total.Value > 0 ? (int)Math.Min(100, records * 100 / total.Value) : -1;
            WriteProgress(bar);
        }

        /// <summary>Runs <paramref name="body"/>, turning the client's exceptions into a terminating ErrorRecord.</summary>
        protected void Run(Action body, object? target = null)
        {
            try
            {
                body();
            }
            catch (IrajePamException ex)
            {
                FlushLog();
                ThrowTerminatingError(ClientErrors.ToErrorRecord(ex, target));
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                // Ctrl+C: PowerShell is already stopping the pipeline.
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (!(ex is RuntimeException) && !(ex is OperationCanceledException))
            {
                // A failure the client did not foresee still reaches the user as a catchable error with words and a
                // category, never as a bare .NET exception. (RuntimeException is PowerShell's own flow: let it pass.)
                FlushLog();
                ThrowTerminatingError(new ErrorRecord(ex, "IrajePamUnexpectedError", UnexpectedCategory(ex), target));
            }
        }

        private static ErrorCategory UnexpectedCategory(Exception ex)
        {
            switch (ex)
            {
                case ArgumentException _: return ErrorCategory.InvalidArgument;
                case System.IO.IOException _: return ErrorCategory.ResourceUnavailable;
                case UnauthorizedAccessException _: return ErrorCategory.PermissionDenied;
                case ObjectDisposedException _: return ErrorCategory.InvalidOperation;
                case InvalidOperationException _: return ErrorCategory.InvalidOperation;
                default: return ErrorCategory.NotSpecified;
            }
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                foreach (IDisposable attachment in _logAttachments)
                {
                    attachment.Dispose();
                }
                DisposeResources();
                _stop.Dispose();
            }
            GC.SuppressFinalize(this);
        }

        /// <summary>Release what the cmdlet opened (senders, builders); PowerShell calls Dispose after the pipeline ends.</summary>
        protected virtual void DisposeResources()
        {
        }
    }
}
