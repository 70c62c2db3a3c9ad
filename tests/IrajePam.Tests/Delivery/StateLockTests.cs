using System;
using System.Diagnostics;
using System.IO;
using IrajePam.Client;
using IrajePam.Client.Delivery;
using Xunit;
using static IrajePam.Tests.Delivery.DeliveryTestData;

namespace IrajePam.Tests.Delivery
{
    public sealed class StateLockTests : IDisposable
    {
        private readonly string dir = TempDir();

        public void Dispose() => Directory.Delete(dir, true);

        [Fact]
        public void Second_acquirer_fails_fast_until_the_first_releases()
        {
            using (var first = StateLock.Acquire(dir, TimeSpan.Zero))
            {
                var sw = Stopwatch.StartNew();
                var ex = Assert.Throws<IrajePamException>(() => StateLock.Acquire(dir, TimeSpan.Zero));
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2));
                Assert.Equal("SyncAlreadyRunning", ex.ErrorId);
                Assert.Equal(PamErrorKind.State, ex.Kind);
                Assert.Contains("pid=", ex.Message);
            }

            using var again = StateLock.Acquire(dir, TimeSpan.Zero);
            Assert.True(File.Exists(again.Path));
        }

        [Fact]
        public void Second_acquirer_waits_up_to_its_timeout()
        {
            using var first = StateLock.Acquire(dir, TimeSpan.Zero);
            var sw = Stopwatch.StartNew();
            Assert.Throws<IrajePamException>(() => StateLock.Acquire(dir, TimeSpan.FromMilliseconds(600)));
            Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(600));
        }
    }
}
