using System.Threading;

namespace IrajePam.Client.Http
{
    /// <summary>Holds the facts of the last certificate a handler saw, for diagnostics and TLS error messages.</summary>
    public sealed class ServerCertificateCapture
    {
        private ServerCertificateFacts? _last;

        public ServerCertificateFacts? Last => Volatile.Read(ref _last);

        internal void Record(ServerCertificateFacts facts) => Volatile.Write(ref _last, facts);
    }
}
