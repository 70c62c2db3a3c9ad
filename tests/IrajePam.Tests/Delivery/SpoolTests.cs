using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using IrajePam.Client;
using IrajePam.Client.Delivery;
using Xunit;
using static IrajePam.Tests.Delivery.DeliveryTestData;

namespace IrajePam.Tests.Delivery
{
    public sealed class SpoolTests : IDisposable
    {
        private readonly string dir = TempDir();

        public void Dispose() => Directory.Delete(dir, true);

        private static ZeronBatch[] Batches(int count, int size = 10) =>
            BuildAll(new ZeronOptions { MaxEventsPerBatch = size }, Enumerable.Range(1, count * size).Select(i => (object)Login(i))).ToArray();

        [Fact]
        public void Write_list_read_delete_round_trip_in_order()
        {
            var spool = new Spool(Path.Combine(dir, "spool"));
            var batches = Batches(3);
            foreach (var b in batches)
            {
                var e = spool.Write(b);
                Assert.True(File.Exists(e.Path));
                Assert.Equal(b.SpoolPath, e.Path);
            }

            var list = spool.List();
            Assert.Equal(batches.Select(b => b.BatchId), list.Select(e => e.BatchId));
            Assert.All(list, e => Assert.Equal("iraje_logins", e.Dataset));
            Assert.All(list, e => Assert.Equal(10, e.Events));

            var back = spool.Read(list[1]);
            Assert.Equal(batches[1].BatchId, back.BatchId);
            Assert.Equal(batches[1].EventIds, back.EventIds);
            Assert.Equal(batches[1].ToNdjson(), back.ToNdjson());

            spool.Delete(list[0]);
            Assert.Equal(new[] { batches[1].BatchId, batches[2].BatchId }, spool.List().Select(e => e.BatchId));
            Assert.Empty(Directory.GetFiles(spool.Directory, "*.tmp"));
        }

        [Fact]
        public void The_same_batch_is_not_spooled_twice()
        {
            var spool = new Spool(dir);
            var b = Batches(1)[0];
            var first = spool.Write(b);
            var second = spool.Write(Batches(1)[0]);
            Assert.Equal(first.Path, second.Path);
            Assert.Single(spool.List());
        }

        [Fact]
        public void Temp_files_left_by_a_crash_are_cleaned_and_never_listed()
        {
            var spool = new Spool(dir);
            spool.Write(Batches(1)[0]);
            File.WriteAllBytes(Path.Combine(dir, "0000000000000000001-000001-b-abc.zbatch.1234abcd.tmp"), new byte[] { 1, 2, 3 });
            Assert.Single(spool.List());
            Assert.Equal(1, spool.CleanupTempFiles());
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
            Assert.Single(spool.List());
        }

        [Fact]
        public void A_damaged_spool_file_is_detected_by_its_checksum()
        {
            var spool = new Spool(dir);
            var e = spool.Write(Batches(1)[0]);
            byte[] bytes = File.ReadAllBytes(e.Path);
            bytes[bytes.Length - 10] ^= 0xFF;
            File.WriteAllBytes(e.Path, bytes);
            var ex = Assert.Throws<IrajePamException>(() => spool.Read(spool.List()[0]));
            Assert.Equal("SpoolFileCorrupt", ex.ErrorId);
            Assert.Equal(PamErrorKind.State, ex.Kind);
            Assert.Contains(e.Path, ex.Message);
        }

        [Fact]
        public void A_failed_write_is_a_state_error_and_leaves_nothing_half_written()
        {
            var spool = new Spool(Path.Combine(dir, "spool"));
            Directory.Delete(spool.Directory, true);   // stands in for a full or vanished disk: the write throws IOException
            var ex = Assert.Throws<IrajePamException>(() => spool.Write(Batches(1)[0]));
            Assert.Equal("SpoolWriteFailed", ex.ErrorId);
            Assert.Equal(PamErrorKind.State, ex.Kind);
            Assert.Contains("Nothing was lost", ex.Message);
            Assert.False(Directory.Exists(spool.Directory) && Directory.GetFiles(spool.Directory).Length > 0);
        }

        [Fact]
        public void Dead_letter_moves_the_batch_beside_a_reason_file()
        {
            var spool = new Spool(Path.Combine(dir, "spool"), Path.Combine(dir, "deadletter"));
            var e = spool.Write(Batches(1)[0]);
            string moved = spool.DeadLetter(e, "HTTP 400 Bad Request: invalid dataset");
            Assert.False(File.Exists(e.Path));
            Assert.True(File.Exists(moved));
            Assert.Empty(spool.List());
            string reasonFile = Path.Combine(Path.GetDirectoryName(moved)!, Path.GetFileNameWithoutExtension(moved) + ".reason.json");
            using var doc = JsonDocument.Parse(File.ReadAllText(reasonFile));
            Assert.Equal("HTTP 400 Bad Request: invalid dataset", doc.RootElement.GetProperty("reason").GetString());
            Assert.Equal(e.BatchId, doc.RootElement.GetProperty("batch_id").GetString());
        }

        [Fact]
        public void Partial_acceptance_keeps_only_the_rejected_lines()
        {
            var spool = new Spool(Path.Combine(dir, "spool"), Path.Combine(dir, "deadletter"));
            var b = Batches(1)[0];
            var e = spool.Write(b);
            var result = new BatchResult
            {
                BatchId = b.BatchId,
                Dataset = b.Dataset,
                Events = 10,
                Accepted = 9,
                Rejected = 1,
                Status = BatchResult.StatusPartial,
                Error = "invalid record",
                RejectedEvents = new[] { new RejectedEvent { EventId = b.EventIds[3], Line = 4, Reason = "invalid record", Record = b.ToNdjson().Split('\n')[3] } },
            };
            string? dl = spool.DeadLetterRejected(e, result);
            Assert.Empty(spool.List());
            Assert.NotNull(dl);
            var dead = new Spool(Path.Combine(dir, "deadletter"), Path.Combine(dir, "unused"));
            var only = dead.Read(dead.List().Single());
            Assert.Equal(new[] { b.EventIds[3] }, only.EventIds);
        }
    }
}
