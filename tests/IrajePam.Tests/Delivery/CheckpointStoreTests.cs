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
        public void A_burst_in_one_second_is_stored_with_one_time_and_reads_back_whole()
        {
            var cp = new Checkpoint { Instance = Instance, UpdatedAt = T0.AddHours(1) };
            for (var i = 0; i < 5000; i++)
            {
                cp.MarkSeen("login:pam.company.com:L-" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture), T0);
            }
            cp.MarkSeen("login:pam.company.com:L-late", T0.AddSeconds(1));
            cp.AdvanceTo(T0.AddSeconds(1));
            var store = new CheckpointStore(PathOf);
            store.Save(cp);

            var text = File.ReadAllText(PathOf);
            Assert.Equal(1, CountOf(text, "\"2025-06-01T10:00:00Z\""));
            var back = store.Load()!;
            Assert.Equal(5001, back.SeenIds.Count);
            Assert.All(back.SeenIds, kv => Assert.Equal(kv.Key.EndsWith("late", StringComparison.Ordinal) ? T0.AddSeconds(1) : T0, kv.Value));
        }

        [Fact]
        public void A_version_1_checkpoint_from_an_earlier_release_still_loads()
        {
            const string payload = "{\"instance\":\"pam.company.com\",\"updated\":\"2025-06-01T10:00:00Z\",\"run_id\":\"r0\",\"events_total\":7," +
                "\"events\":{\"cursor\":\"2025-06-01T10:00:10Z\",\"seen\":{\"login:pam.company.com:L-1\":\"2025-06-01T10:00:09Z\",\"login:pam.company.com:L-2\":\"2025-06-01T10:00:10Z\"}}}";
            File.WriteAllText(PathOf, "{\"format\":\"irajepam-checkpoint\",\"version\":1,\"sha256\":\"" +
                Hex.Sha256(System.Text.Encoding.UTF8.GetBytes(payload)) + "\",\"payload\":" + payload + "}\n");

            var back = new CheckpointStore(PathOf).Load()!;
            Assert.Equal(T0.AddSeconds(10), back.Cursor);
            Assert.Equal(7, back.EventsTotal);
            Assert.Equal(T0.AddSeconds(9), back.SeenIds["login:pam.company.com:L-1"]);
            Assert.Equal(T0.AddSeconds(10), back.SeenIds["login:pam.company.com:L-2"]);
        }

        private static int CountOf(string text, string part)
        {
            int n = 0;
            for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            {
                n++;
            }
            return n;
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
