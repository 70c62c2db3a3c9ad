using System;

namespace IrajePam.Commands
{
    /// <summary>
    /// A session's client is made once, by Connect-IrajePam, but its request lines belong to whichever cmdlet is using
    /// the session now. The client logs here; the running cmdlet attaches its own verbose queue for its lifetime.
    /// With nothing attached, lines are dropped rather than piling up.
    /// </summary>
    internal sealed class LogRouter
    {
        private volatile Action<string>? _target;

        public void Write(string line) => _target?.Invoke(line);

        public IDisposable Attach(Action<string> target)
        {
            _target = target;
            return new Detacher(this, target);
        }

        private sealed class Detacher : IDisposable
        {
            private readonly LogRouter _router;
            private readonly Action<string> _target;

            public Detacher(LogRouter router, Action<string> target)
            {
                _router = router;
                _target = target;
            }

            public void Dispose()
            {
                // Only the cmdlet that attached detaches: a later one may have taken over meanwhile.
                if (ReferenceEquals(_router._target, _target))
                {
                    _router._target = null;
                }
            }
        }
    }
}
