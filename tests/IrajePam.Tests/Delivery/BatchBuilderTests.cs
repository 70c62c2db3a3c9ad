using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using IrajePam.Client.Delivery;
using Xunit;
using static IrajePam.Tests.Delivery.DeliveryTestData;

namespace IrajePam.Tests.Delivery
{
    public sealed class BatchBuilderTests
    {
        [Fact]
        public void Count_limit_seals_full_batches_and_flush_returns_the_rest()
        {
            var o = new ZeronOptions { MaxEventsPerBatch = 10 };
            using var b = new BatchBuilder(o);
            var sealedAt = new List<int>();
            for (int i = 1; i <= 25; i++)
            {
                var x = b.Add(Login(i));
                if (x != null)
                {
                    sealedAt.Add(i);
                    Assert.Equal(10, x.Count);
                    Assert.Equal("iraje_logins", x.Dataset);
                }
            }

            Assert.Equal(new[] { 10, 20 }, sealedAt);
            var rest = b.Flush();
            Assert.NotNull(rest);
            Assert.Equal(5, rest!.Count);
            Assert.Equal("login:pam.company.com:L-00000021", rest.EventIds[0]);
            Assert.Null(b.Flush());
        }

        [Fact]
        public void Raw_byte_limit_is_never_exceeded_and_every_record_is_kept_in_order()
        {
            var o = new ZeronOptions { MaxRawBytes = 4096 };
            var batches = BuildAll(o, Enumerable.Range(1, 200).Select(i => (object)Login(i)));
            Assert.True(batches.Count > 5);
            Assert.All(batches, x => Assert.True(x.RawBytes <= 4096, $"{x.RawBytes} > 4096"));
            var ids = batches.SelectMany(x => x.EventIds).ToList();
            Assert.Equal(Enumerable.Range(1, 200).Select(i => "login:pam.company.com:" + Login(i).Id), ids);
            Assert.Equal(batches.Sum(x => x.RawBytes), batches.Sum(x => (long)x.ToNdjson().Length));
        }

        [Fact]
        public void Gzip_limit_splits_batches_of_incompressible_records()
        {
            var rnd = new Random(7);
            var o = new ZeronOptions { MaxCompressedBytes = 8192 };
            var records = Enumerable.Range(1, 300).Select(i =>
            {
                var bytes = new byte[300];
                rnd.NextBytes(bytes);
                return (object)new Hashtable { ["Id"] = i, ["Blob"] = Convert.ToBase64String(bytes) };
            }).ToList();
            var batches = BuildAll(o, records);
            Assert.True(batches.Count >= 10, "300 × ~400 incompressible bytes cannot fit in few 8 KB gzip bodies");
            Assert.All(batches, x => Assert.True(x.CompressedBytes <= 8192, $"{x.CompressedBytes} > 8192"));
            Assert.Equal(300, batches.Sum(x => x.Count));
            Assert.Equal(300, batches.SelectMany(x => x.EventIds).Distinct().Count());
        }

        [Fact]
        public void Batch_ids_are_stable_for_the_same_records_and_differ_otherwise()
        {
            var o = new ZeronOptions { MaxEventsPerBatch = 50 };
            var a = BuildAll(o, Enumerable.Range(1, 120).Select(i => (object)Login(i)));
            var b = BuildAll(o, Enumerable.Range(1, 120).Select(i => (object)Login(i)));
            Assert.Equal(a.Select(x => x.BatchId), b.Select(x => x.BatchId));
            Assert.Equal(3, a.Select(x => x.BatchId).Distinct().Count());
            Assert.Matches("^b-[0-9a-f]{32}$", a[0].BatchId);

            var reordered = BuildAll(o, Enumerable.Range(1, 50).Reverse().Select(i => (object)Login(i)));
            Assert.NotEqual(a[0].BatchId, reordered[0].BatchId);
            var otherDataset = BuildAll(new ZeronOptions { MaxEventsPerBatch = 50, LogsDataset = "other" }, Enumerable.Range(1, 50).Select(i => (object)Login(i)));
            Assert.NotEqual(a[0].BatchId, otherDataset[0].BatchId);
        }

        [Fact]
        public void A_host_id_changes_with_its_content_so_a_changed_host_is_delivered_and_an_unchanged_one_deduped()
        {
            string IdOf(Host h) => BuildAll(new ZeronOptions(), new object[] { h }).Single().EventIds.Single();

            string before = IdOf(HostRecord(1));
            Assert.Equal(before, IdOf(HostRecord(1)));   // same content, same id: the receiver drops it as a duplicate
            var moved = HostRecord(1);
            moved.Address = "10.9.9.9";
            string after = IdOf(moved);
            Assert.NotEqual(before, after);               // a new IP is a new record
            Assert.Equal(before.Substring(0, before.LastIndexOf(':')), after.Substring(0, after.LastIndexOf(':')));
            var retagged = HostRecord(1);
            retagged.Tags = "prod; dc2";
            Assert.NotEqual(before, IdOf(retagged));

            // Logins keep their native id whatever their content.
            var login = Login(7);
            var edited = Login(7);
            edited.Status = EventStatus.Failed;
            Assert.Equal(BuildAll(new ZeronOptions(), new object[] { login }).Single().EventIds.Single(),
                BuildAll(new ZeronOptions(), new object[] { edited }).Single().EventIds.Single());
        }

        [Fact]
        public void Event_ids_use_type_instance_and_native_id_else_a_canonical_hash()
        {
            var batches = BuildAll(new ZeronOptions(), new object[]
            {
                Login(1),
                HostRecord(1),
                new Alert { Id = "A-1", Instance = Instance, Timestamp = T0 },
                new Dictionary<string, object?> { ["UserName"] = "alice", ["Count"] = 3 },
                new Hashtable { ["Count"] = 3, ["UserName"] = "alice" },
                new Hashtable { ["Count"] = 4, ["UserName"] = "alice" },
                new Hashtable { ["event_id"] = "mine-1", ["x"] = 1 },
            });
            var ids = batches.ToDictionary(x => x.Dataset, x => x.EventIds.ToList());
            Assert.Equal("login:pam.company.com:L-00000001", ids["iraje_logins"].Single());
            Assert.Matches("^host:pam\\.company\\.com:H-00001:[0-9a-f]{16}$", ids["iraje_hosts"].Single());
            Assert.Equal("alert:pam.company.com:A-1", ids["iraje_alerts"].Single());
            var records = ids["iraje_records"];
            Assert.Equal(4, records.Count);
            Assert.Matches("^record:sha256:[0-9a-f]{64}$", records[0]);
            Assert.Equal(records[0], records[1]);   // same content, other key order / dictionary type
            Assert.NotEqual(records[0], records[2]);
            Assert.Equal("mine-1", records[3]);
        }

        [Fact]
        public void Login_line_is_flat_snake_case_json_with_utc_timestamp()
        {
            var ev = Login(5, at: new DateTimeOffset(2025, 6, 1, 15, 30, 0, TimeSpan.FromHours(5.5)));
            var batch = BuildAll(new ZeronOptions(), new object[] { ev }).Single();
            string line = batch.ToNdjson();
            Assert.EndsWith("\n", line);
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            Assert.Equal("event_id", r.EnumerateObject().First().Name);
            Assert.Equal("login:pam.company.com:L-00000005", r.GetProperty("event_id").GetString());
            Assert.Equal("L-00000005", r.GetProperty("id").GetString());
            Assert.Equal("2025-06-01T10:00:00Z", r.GetProperty("timestamp").GetString());
            Assert.Equal("LoginFailed", r.GetProperty("event_type").GetString());
            Assert.Equal("Failed", r.GetProperty("status").GetString());
            Assert.Equal("10.0.0.5", r.GetProperty("source_ip").GetString());
            Assert.Equal("srv-5", r.GetProperty("target_host").GetString());
            Assert.Equal("iraje_pam", r.GetProperty("source").GetString());
            Assert.Equal("login_event", r.GetProperty("record_type").GetString());
            Assert.Equal(Instance, r.GetProperty("instance").GetString());
            Assert.Equal(batch.RawBytes, System.Text.Encoding.UTF8.GetByteCount(line));
        }

        [Fact]
        public void Dictionary_values_are_written_with_the_invariant_culture()
        {
            var prev = System.Globalization.CultureInfo.CurrentCulture;
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            try
            {
                var batch = BuildAll(new ZeronOptions(), new object[]
                {
                    new Hashtable { ["Ratio"] = 1.5, ["When"] = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc), ["SourceIP"] = "1.2.3.4", ["Kind"] = LoginEventType.Logout },
                }).Single();
                using var doc = JsonDocument.Parse(batch.ToNdjson());
                var r = doc.RootElement;
                Assert.Equal(1.5, r.GetProperty("ratio").GetDouble());
                Assert.Equal("2025-01-02T03:04:05Z", r.GetProperty("when").GetString());
                Assert.Equal("1.2.3.4", r.GetProperty("source_ip").GetString());
                Assert.Equal("Logout", r.GetProperty("kind").GetString());
                Assert.Equal("record", r.GetProperty("record_type").GetString());
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentCulture = prev;
            }
        }
    }
}
