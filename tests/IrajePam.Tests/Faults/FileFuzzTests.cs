using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Delivery;
using IrajePam.Client.Sync;
using IrajePam.Tests.Delivery;
using Xunit;

namespace IrajePam.Tests.Faults
{
    /// <summary>
    /// Fuzz tests of every file an admin or a crash can damage: API profiles, the sync config, the guide's connection
    /// JSON, checkpoint and spool files. A damaged file is an <see cref="IrajePamException"/> naming the file and the
    /// key; it never escapes as another exception type, and a damaged checkpoint is never read as "start over".
    /// </summary>
    public sealed class FileFuzzTests : IDisposable
    {
        private readonly string _dir = DeliveryTestData.TempDir();

        public void Dispose() => Directory.Delete(_dir, true);

        private static string EmbeddedProfile(string name)
        {
            using var stream = typeof(ApiProfile).Assembly.GetManifestResourceStream("IrajePam.Client.Profiles." + name + ".json")!;
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        /// <summary>Every object member and array element of the tree, with the container that holds it.</summary>
        private static List<(JsonNode Parent, string? Key, int Index)> Slots(JsonNode root)
        {
            var slots = new List<(JsonNode, string?, int)>();
            void Walk(JsonNode node)
            {
                if (node is JsonObject o)
                {
                    foreach (var pair in o.ToList())
                    {
                        slots.Add((o, pair.Key, -1));
                        if (pair.Value != null)
                        {
                            Walk(pair.Value);
                        }
                    }
                }
                else if (node is JsonArray a)
                {
                    for (var i = 0; i < a.Count; i++)
                    {
                        slots.Add((a, null, i));
                        if (a[i] != null)
                        {
                            Walk(a[i]!);
                        }
                    }
                }
            }
            Walk(root);
            return slots;
        }

        /// <summary>A node for <paramref name="json"/>; a value JsonNode cannot hold (a key twice, a lone surrogate) becomes a plain string.</summary>
        private static JsonNode? Node(string json)
        {
            try
            {
                var node = JsonNode.Parse("[" + json + "]")![0]?.DeepClone();
                if (node != null)
                {
                    Slots(node);
                    _ = node.ToJsonString();
                }
                return node;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException)
            {
                return JsonValue.Create("duplicate-key");
            }
        }

        /// <summary>Removes, retypes, renames or adds one member somewhere in the tree.</summary>
        private static string MutateStructure(JsonFuzz f, string json, int edits)
        {
            var root = JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
            for (var e = 0; e < edits; e++)
            {
                var slots = Slots(root);
                if (slots.Count == 0)
                {
                    break;
                }
                var (parent, key, index) = f.Pick(slots);
                var replacement = Node(f.Value(2));
                switch (f.Next(4))
                {
                    case 0:
                        if (parent is JsonObject po)
                        {
                            po.Remove(key!);
                        }
                        else
                        {
                            ((JsonArray)parent).RemoveAt(index);
                        }
                        break;
                    case 1:
                        if (parent is JsonObject ro)
                        {
                            var value = ro[key!];
                            ro.Remove(key!);
                            ro[f.Chance(50) ? key!.ToUpperInvariant() : "x" + key] = value;
                        }
                        break;
                    case 2:
                        if (parent is JsonObject ao)
                        {
                            ao["fuzz" + f.Next(100).ToString(CultureInfo.InvariantCulture)] = replacement;
                        }
                        break;
                    default:
                        if (parent is JsonObject so)
                        {
                            so[key!] = replacement;
                        }
                        else
                        {
                            ((JsonArray)parent)[index] = replacement;
                        }
                        break;
                }
            }
            return root.ToJsonString();
        }

        [Fact]
        public async Task Damaged_api_profiles_are_refused_naming_the_key_or_work()
        {
            var f = new JsonFuzz(6001);
            var failures = new FuzzFailures();
            var sources = new[] { EmbeddedProfile("Default"), EmbeddedProfile("RestV2") };
            var cases = new List<string>
            {
                "", "null", "[]", "{}", "{\"name\":\"x\"}", new string('{', 10_000),
                sources[0].Replace("\"/api\"", "\"//evil.example\""), sources[0].Replace("\"style\": \"page\"", "\"style\": \"Sideways\""),
                sources[0].Replace("\"firstPage\": 1", "\"firstPage\": 1e400"), sources[0].Replace("\"maxPageSize\": 1000", "\"maxPageSize\": \"1000\""),
            };
            for (var i = 0; i < 500; i++)
            {
                var source = sources[i % 2];
                cases.Add(i % 5 == 4 ? Encoding.UTF8.GetString(f.Mutate(Encoding.UTF8.GetBytes(source))) : MutateStructure(f, source, 1 + f.Next(3)));
            }
            foreach (var text in cases)
            {
                await failures.RunAsync(text, async () =>
                {
                    ApiProfile profile;
                    try
                    {
                        profile = ApiProfile.Parse(text, "fuzz.json");
                    }
                    catch (IrajePamException ex)
                    {
                        if (ex.ErrorId != "ApiProfileInvalid" || !ex.Message.Contains("fuzz.json", StringComparison.Ordinal) || !ex.Message.Contains("key", StringComparison.Ordinal))
                        {
                            failures.Violation("a profile error that names neither file nor key: " + ex.ErrorId + " " + ex.Message, text);
                        }
                        return;
                    }
                    // A profile that loads must also connect and read (or fail with a clear error), never crash.
                    var pam = new FuzzPam { Page = _ => FuzzPam.Json("{\"data\":[{\"hostId\":\"H-1\",\"logId\":\"L-1\",\"eventTime\":\"2025-06-01 10:00:00\"}],\"total\":1,\"items\":[]}") };
                    using var client = await pam.ConnectAsync(AuthMode.Auto, profile);
                    await foreach (var _ in client.GetHostsAsync(new HostQuery(), CancellationToken.None))
                    {
                    }
                    await foreach (var _ in client.GetLoginEventsAsync(new LoginEventQuery { Since = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), Until = new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.Zero) }, CancellationToken.None))
                    {
                    }
                    if (pam.Requests.Any(r => r.Uri.Host != "pam.fuzz.test" && r.Authorization != null))
                    {
                        failures.Violation("credentials sent to another host than the PAM's", text);
                    }
                });
            }
            failures.AssertNone();
        }

        [Fact]
        public void Damaged_sync_configs_are_refused_naming_the_file_or_load()
        {
            var f = new JsonFuzz(6002);
            var failures = new FuzzFailures();
            var cases = new List<string>
            {
                "", "null", "[]", "{}", SyncConfigTests.Example.Replace("\"state\"", "\"st\\u0000ate\""), SyncConfigTests.Example.Replace("\"logs/sync.log\"", "\"" + new string('a', 5000) + "\""),
                SyncConfigTests.Example.Replace("\"8443\"", "\"99999\""), SyncConfigTests.Example.Replace("\"8443\"", "8443.5"), SyncConfigTests.Example.Replace("\"certs/pam-ca.pem\"", "\"%TEMP%\\u0000x\""),
                SyncConfigTests.Example.Replace("pam.company.com", "pam.company.com:70000"), SyncConfigTests.Example.Replace("pam.company.com", "https://[::1"),
            };
            for (var i = 0; i < 600; i++)
            {
                cases.Add(i % 4 == 3 ? Encoding.UTF8.GetString(f.Mutate(Encoding.UTF8.GetBytes(SyncConfigTests.Example))) : MutateStructure(f, SyncConfigTests.Example, 1 + f.Next(3)));
            }
            foreach (var text in cases)
            {
                failures.Run(text, () =>
                {
                    try
                    {
                        SyncConfig.Parse(text, "fuzz-sync.json", _dir);
                    }
                    catch (IrajePamException ex) when (!ex.Message.Contains("fuzz-sync.json", StringComparison.Ordinal))
                    {
                        failures.Violation("a sync config error that does not name the file: " + ex.Message, text);
                    }
                });
            }
            failures.AssertNone();
        }

        [Fact]
        public void Damaged_connection_json_and_addresses_are_configuration_errors()
        {
            var f = new JsonFuzz(6003);
            var failures = new FuzzFailures();
            for (var i = 0; i < 1500; i++)
            {
                var json = f.Chance(50)
                    ? "{\"host\":" + f.Value(1) + ",\"custom_port\":" + f.Value(1) + "}"
                    : Encoding.UTF8.GetString(f.Mutate(Encoding.UTF8.GetBytes("{\"host\": \"pam.company.com\", \"custom_port\": \"8443\"}")));
                failures.Run(json, () => PamUri.FromConfigJson(json));
                var text = f.Chance(50) ? JsonUnquote(f.StringLiteral()) : f.Pick(new[] { "pam:0", "pam:-1", "pam:65536", "[::1]:443", "https://u:p@pam/", "ftp://pam", "https://", "pam/../../etc", "pam\u0000x", "http://pam:99999999999" });
                failures.Run(text, () => PamUri.Parse(text, f.Chance(20) ? f.Next(70000) - 100 : (int?)null));
            }
            failures.AssertNone();
        }

        private static string JsonUnquote(string literal)
        {
            try
            {
                return System.Text.Json.JsonSerializer.Deserialize<string>(literal) ?? "";
            }
            catch (System.Text.Json.JsonException)
            {
                return literal;
            }
        }

        private static Checkpoint SampleCheckpoint()
        {
            var cp = new Checkpoint { Instance = "pam.company.com", RunId = "run-1", UpdatedAt = DateTimeOffset.UtcNow, EventsTotal = 1234 };
            cp.AdvanceTo(new DateTimeOffset(2025, 6, 30, 12, 0, 0, TimeSpan.Zero));
            for (var i = 0; i < 5; i++)
            {
                cp.MarkSeen("L-" + i.ToString("D8", CultureInfo.InvariantCulture), new DateTimeOffset(2025, 6, 30, 12, 0, 0, TimeSpan.Zero));
            }
            return cp;
        }

        [Fact]
        public void A_damaged_checkpoint_is_reported_corrupt_and_never_read_as_a_fresh_start()
        {
            var f = new JsonFuzz(6004);
            var failures = new FuzzFailures();
            var good = CheckpointStore.Encode(SampleCheckpoint());
            var path = Path.Combine(_dir, "checkpoint.json");
            var store = new CheckpointStore(path);

            for (var i = 0; i < 800; i++)
            {
                byte[] bytes;
                if (i % 2 == 0)
                {
                    bytes = f.Mutate(good);
                }
                else
                {
                    // A payload edited with its checksum recomputed: it passes the checksum, so the reader must validate every field.
                    var payload = JsonNode.Parse(good)!["payload"]!.ToJsonString();
                    var damaged = MutateStructure(f, payload, 1 + f.Next(2));
                    var sha = Hex.Sha256(Encoding.UTF8.GetBytes(damaged));
                    bytes = Encoding.UTF8.GetBytes("{\"format\":\"irajepam-checkpoint\",\"version\":" + CheckpointStore.Version + ",\"sha256\":\"" + sha + "\",\"payload\":" + damaged + "}\n");
                }
                File.WriteAllBytes(path, bytes);
                var input = JsonFuzz.Preview(bytes);
                failures.Run(input, () =>
                {
                    try
                    {
                        var loaded = store.Load();
                        if (loaded == null)
                        {
                            failures.Violation("a damaged checkpoint read as 'no checkpoint' (send everything again)", input);
                        }
                    }
                    catch (IrajePamException ex) when (ex.ErrorId != "CheckpointCorrupt" || ex.Kind != PamErrorKind.State || !ex.Message.Contains(path, StringComparison.Ordinal))
                    {
                        failures.Violation("a checkpoint error that is not CheckpointCorrupt naming the file: " + ex.ErrorId, input);
                    }
                });
            }
            failures.AssertNone();
        }

        [Fact]
        public void A_damaged_spool_file_is_listed_as_corrupt_or_refused_never_sent_wrong()
        {
            var f = new JsonFuzz(6005);
            var failures = new FuzzFailures();
            var options = new ZeronOptions();
            var batch = DeliveryTestData.BuildAll(options, Enumerable.Range(1, 20).Select(n => (object)DeliveryTestData.Login(n))).Single();
            var spoolDir = Path.Combine(_dir, "spool");
            var spool = new Spool(spoolDir);
            var entry = spool.Write(batch);
            var good = File.ReadAllBytes(entry.Path);

            for (var i = 0; i < 500; i++)
            {
                var bytes = f.Mutate(good);
                File.WriteAllBytes(entry.Path, bytes);
                var input = JsonFuzz.Preview(bytes);
                failures.Run(input, () =>
                {
                    foreach (var listed in spool.List())
                    {
                        if (listed.IsCorrupt)
                        {
                            continue;
                        }
                        var read = spool.Read(listed);
                        if (read.Count != batch.Count || !read.EventIds.SequenceEqual(batch.EventIds))
                        {
                            failures.Violation("a damaged spool file read as a different batch", input);
                        }
                    }
                });
            }
            failures.AssertNone();
        }
    }
}
