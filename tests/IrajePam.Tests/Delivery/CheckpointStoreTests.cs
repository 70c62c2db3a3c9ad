using System;
using System.IO;
using IrajePam.Client;
using IrajePam.Client.Delivery;
using Xunit;
using static IrajePam.Tests.Delivery.DeliveryTestData;

namespace IrajePam.Tests.Delivery
{
    public sealed class CheckpointStoreTests : IDisposable
    {
        private readonly string dir = TempDir();

        public void Dispose() => Directory.Delete(dir, true);

        private string PathOf => Path.Combine(dir, "checkpoint.json");

        private static Checkpoint Sample(int seconds)
        {
            var cp = new Checkpoint { Instance = Instance, RunId = "r1", UpdatedAt = T0, EventsTotal = 42 };
            cp.MarkSeen("login:pam.company.com:L-1", T0.AddSeconds(seconds - 1));
            cp.MarkSeen("login:pam.company.com:L-2", T0.AddSeconds(seconds));
            cp.AdvanceTo(T0.AddSeconds(seconds));
            return cp;
        }

        [Fact]
        public void Round_trip_keeps_cursor_ids_and_counters()
        {
            var store = new CheckpointStore(PathOf);
            Assert.Null(store.Load());
            store.Save(Sample(10));
            var back = store.Load()!;
            Assert.Equal(T0.AddSeconds(10), back.Cursor);
            Assert.Equal(Instance, back.Instance);
            Assert.Equal(42, back.EventsTotal);
            Assert.True(back.HasSeen("login:pam.company.com:L-1"));
            Assert.Equal(T0.AddSeconds(9), back.SeenIds["login:pam.company.com:L-1"]);
            Assert.Equal("2025-06-01T10:00:10Z", back.ToString());
        }

        [Fact]
        public void Saving_again_keeps_the_previous_good_copy_as_bak()
        {
            var store = new CheckpointStore(PathOf);
            store.Save(Sample(10));
            byte[] first = File.ReadAllBytes(PathOf);
            store.Save(Sample(20));
            Assert.Equal(first, File.ReadAllBytes(store.BackupPath));
            Assert.Equal(T0.AddSeconds(20), store.Load()!.Cursor);
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }

        [Fact]
        public void Prune_forgets_ids_older_than_the_overlap_window()
        {
            var cp = new Checkpoint();
            cp.MarkSeen("old", T0);
            cp.MarkSeen("new", T0.AddMinutes(15));
            cp.AdvanceTo(T0.AddMinutes(20));
            cp.Prune(TimeSpan.FromMinutes(10));
            Assert.False(cp.HasSeen("old"));
            Assert.True(cp.HasSeen("new"));
        }

        public static TheoryData<string> Damage => new TheoryData<string> { "truncated", "empty", "nul", "checksum", "garbage" };

        [Theory]
        [MemberData(nameof(Damage))]
        public void Damaged_file_is_reported_as_corrupt_and_names_the_good_backup(string damage)
        {
            var store = new CheckpointStore(PathOf);
            store.Save(Sample(10));
            store.Save(Sample(20));
            byte[] good = File.ReadAllBytes(PathOf);
            byte[] bad = damage switch
            {
                "truncated" => good[..(good.Length / 2)],
                "empty" => Array.Empty<byte>(),
                "nul" => new byte[good.Length],
                "checksum" => System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(good).Replace("L-2", "L-3")),
                _ => System.Text.Encoding.UTF8.GetBytes("{\"hello\": 1}"),
            };
            File.WriteAllBytes(PathOf, bad);
            var ex = Assert.Throws<IrajePamException>(() => store.Load());
            Assert.Equal("CheckpointCorrupt", ex.ErrorId);
            Assert.Equal(PamErrorKind.State, ex.Kind);
            Assert.Contains(PathOf, ex.Message);
            Assert.Contains(store.BackupPath, ex.Message);
            Assert.Contains("2025-06-01T10:00:10Z", ex.Message);   // the backup's cursor
            Assert.Contains("Copy-Item", ex.Message);
            Assert.Equal(bad, File.ReadAllBytes(PathOf));           // never reset behind the user's back
            Assert.True(File.Exists(store.BackupPath));
        }

        [Fact]
        public void Corrupt_without_backup_says_so()
        {
            File.WriteAllText(PathOf, "{\"format\":\"irajepam-checkpoint\"");
            var ex = Assert.Throws<IrajePamException>(() => new CheckpointStore(PathOf).Load());
            Assert.Equal("CheckpointCorrupt", ex.ErrorId);
            Assert.Contains("no previous copy", ex.Message);
        }
    }
}
