using System;
using IrajePam.Client;
using IrajePam.Commands;

namespace IrajePam
{
    /// <summary>
    /// An open connection to one Iraje PAM instance, as Get-IrajePamSession shows it. It never exposes the
    /// password or the token: only facts about them (who, how, until when).
    /// </summary>
    public sealed class Session
    {
        internal Session(int id, string? name, PamClient client, LogRouter log)
        {
            Id = id;
            Name = string.IsNullOrEmpty(name) ? client.Info.Instance : name!;
            Client = client;
            Log = log;
        }

        internal PamClient Client { get; }

        /// <summary>Where the client's request lines go: the cmdlet using the session attaches to it.</summary>
        internal LogRouter Log { get; }

        public int Id { get; }
        public string Name { get; }
        public Uri Uri => Client.Info.Uri;
        public string Instance => Client.Info.Instance;
        public string UserName => Client.Info.UserName;
        public AuthMode AuthMode => Client.Info.AuthMode;
        public string? PamVersion => Client.Info.PamVersion;
        public string? ApiVersion => Client.Info.ApiVersion;
        public DateTimeOffset? TokenExpiresAt => Client.Info.TokenExpiresAt;
        public string ApiProfile => Client.Info.ProfileName;
        public string BasePath => Client.Info.BasePath;
        public DateTimeOffset ConnectedAt => Client.Info.ConnectedAt;
        public bool IsDefault => ReferenceEquals(SessionRegistry.Default, this);

        /// <summary>True once Disconnect-IrajePam (or a reconnect under the same name) closed it.</summary>
        public bool IsClosed { get; private set; }

        internal void Close()
        {
            IsClosed = true;
            Client.Dispose();
        }

        public override string ToString() => $"{Name} ({UserName})";
    }
}
