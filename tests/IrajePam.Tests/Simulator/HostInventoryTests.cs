using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace IrajePam.Tests.Simulator
{
    public sealed class HostInventoryTests : IClassFixture<SharedSimulator>
    {
        private readonly SharedSimulator _sim;

        public HostInventoryTests(SharedSimulator sim) => _sim = sim;

        [Fact]
        public async Task PagingCoversEveryHostExactlyOnce()
        {
            using var client = SimulatorHarness.BasicClient(_sim.Server);
            var ids = new List<string>();
            long total = -1;
            for (int page = 1; page < 100; page++)
            {
                using var doc = await SimulatorHarness.GetJsonAsync(client, $"api/v1/hosts?page={page}&pageSize=70");
                total = doc.RootElement.GetProperty("total").GetInt64();
                var data = doc.RootElement.GetProperty("data");
                if (data.GetArrayLength() == 0) break;
                Assert.Equal(page, doc.RootElement.GetProperty("page").GetInt32());
                ids.AddRange(data.EnumerateArray().Select(h => h.GetProperty("hostId").GetString()!));
            }
            Assert.Equal(300, total);
            Assert.Equal(total, ids.Count);
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(_sim.Server.State.HostIds(), ids);
        }

        [Fact]
        public async Task PageSizeIsCappedAtTheServerMaximum()
        {
            using var client = SimulatorHarness.BasicClient(_sim.Server);
            using var doc = await SimulatorHarness.GetJsonAsync(client, "api/v1/hosts?pageSize=5000");
            Assert.Equal(1000, doc.RootElement.GetProperty("pageSize").GetInt32());
            Assert.Equal(300, doc.RootElement.GetProperty("data").GetArrayLength());
        }

        [Fact]
        public async Task InvalidPageIs400()
        {
            using var client = SimulatorHarness.BasicClient(_sim.Server);
            using var doc = await SimulatorHarness.GetJsonAsync(client, "api/v1/hosts?page=0", 400);
            Assert.Equal("invalid_parameter", doc.RootElement.GetProperty("error").GetString());
        }

        [Fact]
        public async Task InventoryIsARealisticMix()
        {
            using var client = SimulatorHarness.BasicClient(_sim.Server);
            using var doc = await SimulatorHarness.GetJsonAsync(client, "api/v1/hosts?pageSize=1000");
            var hosts = doc.RootElement.GetProperty("data").EnumerateArray().ToList();
            var types = hosts.Select(h => h.GetProperty("deviceType").GetString()).Distinct().ToList();
            foreach (string t in new[] { "Windows Server", "Linux Server", "Database", "Network Device", "Firewall", "Storage", "Hypervisor" })
            {
                Assert.Contains(t, types);
            }
            Assert.All(hosts.Where(h => h.GetProperty("deviceType").GetString() == "Windows Server"),
                h => Assert.Equal("RDP", h.GetProperty("protocol").GetString()));
            Assert.All(hosts.Where(h => h.GetProperty("deviceType").GetString() == "Network Device"),
                h => Assert.Contains(h.GetProperty("port").GetInt32(), new[] { 22, 23 }));
            Assert.Contains(hosts, h => h.GetProperty("isDomainController").GetBoolean());
            Assert.Contains(hosts, h => !char.IsDigit(h.GetProperty("ipAddress").GetString()![0]));
            Assert.True(hosts.Select(h => h.GetProperty("domain").GetString()).Distinct().Count() >= 4);
            Assert.True(hosts.Select(h => h.GetProperty("hostName").GetString()!.Substring(0, 3)).Distinct().Count() == 5);
        }

        [Fact]
        public async Task NameAndDeviceTypeFiltersNarrowTheList()
        {
            using var client = SimulatorHarness.BasicClient(_sim.Server);
            using var doc = await SimulatorHarness.GetJsonAsync(client, "api/v1/hosts?deviceType=Database&name=mum&pageSize=1000");
            var hosts = doc.RootElement.GetProperty("data").EnumerateArray().ToList();
            Assert.NotEmpty(hosts);
            Assert.Equal(hosts.Count, doc.RootElement.GetProperty("total").GetInt32());
            Assert.All(hosts, h =>
            {
                Assert.Equal("Database", h.GetProperty("deviceType").GetString());
                Assert.Contains("mum", h.GetProperty("hostName").GetString());
            });
        }

        [Fact]
        public async Task ExpectedHostsControlEndpointListsEveryId()
        {
            using var client = SimulatorHarness.Client(_sim.Server);
            using var doc = await SimulatorHarness.GetJsonAsync(client, "_sim/expected/hosts");
            var ids = doc.RootElement.EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.Equal(300, ids.Count);
            Assert.Equal("H-000001", ids[0]);
            Assert.Equal("H-000300", ids[299]);
        }
    }
}
