using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace IrajePam.Client.Sync
{
    /// <summary>What the runner reads from: the PAM client in production, a fake in unit tests.</summary>
    internal interface ISyncSource : IDisposable
    {
        /// <summary>The PAM instance (host[:port]) records come from; the checkpoint is tied to it.</summary>
        string Instance { get; }

        IAsyncEnumerable<FetchItem<Host>> GetHostsAsync(CancellationToken ct);

        /// <summary>Events from <paramref name="since"/> (inclusive) to now, ascending time.</summary>
        IAsyncEnumerable<FetchItem<LoginEvent>> GetLoginEventsAsync(DateTimeOffset since, Paging.LogPositions? positions, CancellationToken ct);

        /// <summary>Logs out where the server has a logout; never throws.</summary>
        Task CloseAsync(CancellationToken ct);
    }

    internal delegate Task<ISyncSource> SyncSourceFactory(SyncConfig config, NetworkCredential credential, SyncRunOptions options, Action<string> log, CancellationToken ct);
}
