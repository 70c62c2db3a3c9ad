using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace IrajePam.Client.Sync
{
    /// <summary>The production source: the PAM reading client, configured from the sync config.</summary>
    internal sealed class PamSyncSource : ISyncSource
    {
        private readonly PamClient client;

        private PamSyncSource(PamClient client)
        {
            this.client = client;
        }

        public string Instance => client.Info.Instance;

        public static async Task<ISyncSource> ConnectAsync(SyncConfig config, NetworkCredential credential, SyncRunOptions options, Action<string> log, CancellationToken ct)
        {
            var o = new PamConnectionOptions
            {
                BaseUri = config.Pam.Uri,
                Credential = credential,
                AuthMode = config.Pam.AuthMode,
                Profile = config.Pam.Profile ?? ApiProfile.Load(config.Pam.ApiProfile),
                Tls = config.Pam.Tls,
                Proxy = config.Pam.Proxy,
                Timeout = TimeSpan.FromSeconds(config.Pam.TimeoutSec),
                AllowUnencryptedAuthentication = config.Pam.AllowUnencryptedAuthentication,
                InstanceName = config.Pam.Instance,
                Log = log,
            };
            options.ConfigurePam?.Invoke(o);
            var client = await PamClient.ConnectAsync(o, ct).ConfigureAwait(false);
            return new PamSyncSource(client);
        }

        public IAsyncEnumerable<FetchItem<Host>> GetHostsAsync(CancellationToken ct) =>
            client.GetHostsAsync(new HostQuery(), ct);

        public IAsyncEnumerable<FetchItem<LoginEvent>> GetLoginEventsAsync(DateTimeOffset since, Paging.LogPositions? positions, CancellationToken ct) =>
            client.GetLoginEventsAsync(new LoginEventQuery { Since = since, Until = null, Positions = positions }, ct);

        public async Task CloseAsync(CancellationToken ct)
        {
            try
            {
                await client.LogoutAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IrajePamException || ex is System.Net.Http.HttpRequestException || ex is OperationCanceledException || ex is System.IO.IOException)
            {
                // Logging out is a courtesy; the token expires on its own.
            }
        }

        public void Dispose() => client.Dispose();
    }
}
