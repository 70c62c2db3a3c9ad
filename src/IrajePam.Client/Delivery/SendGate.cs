using System;
using System.Threading;
using System.Threading.Tasks;

namespace IrajePam.Client.Delivery
{
    /// <summary>
    /// A pause shared by every send of one <see cref="ZeronSender"/>: when the receiver says 429/503 with
    /// Retry-After, nobody sends until that moment has passed.
    /// </summary>
    internal sealed class SendGate
    {
        private readonly object sync = new object();
        private DateTimeOffset pausedUntil = DateTimeOffset.MinValue;

        public DateTimeOffset PausedUntil
        {
            get
            {
                lock (sync)
                {
                    return pausedUntil;
                }
            }
        }

        public void PauseUntil(DateTimeOffset until)
        {
            lock (sync)
            {
                if (until > pausedUntil)
                {
                    pausedUntil = until;
                }
            }
        }

        public async Task WaitAsync(CancellationToken ct)
        {
            while (true)
            {
                TimeSpan wait = PausedUntil - DateTimeOffset.UtcNow;
                if (wait <= TimeSpan.Zero)
                {
                    return;
                }

                await Task.Delay(wait, ct).ConfigureAwait(false);
            }
        }
    }
}
