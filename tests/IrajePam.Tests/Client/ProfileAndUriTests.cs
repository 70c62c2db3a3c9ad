using System;
using System.IO;
using IrajePam.Client;
using Xunit;

namespace IrajePam.Tests.Client
{
    public sealed class ProfileAndUriTests
    {
        [Fact]
        public void The_default_profile_matches_the_guide()
        {
            var p = ApiProfile.Default;
            Assert.Equal("Default", p.Name);
            Assert.Equal("/api", p.BasePath);
            Assert.Equal("/auth/login", p.Endpoints.Login);
            Assert.Equal("/v1/hosts", p.Endpoints.Hosts);
            Assert.Equal(PagingStyle.Page, p.Paging.Hosts.Style);
            Assert.Equal(1, p.Paging.Hosts.FirstPage);
            Assert.Equal(1000, p.Paging.Logs.MaxPageSize);
            Assert.Equal(TimeFilterFormat.Date, p.LogFilters.Format);
            Assert.Equal(new TimeSpan(5, 30, 0), p.ServerOffset);
            Assert.Equal("login", p.LogFilters.ExtraQuery!["type"]);
        }

        [Fact]
        public void Every_shipped_profile_loads_by_name_and_from_the_module_folder()
        {
            var folder = FindModuleProfiles();
            foreach (var file in Directory.GetFiles(folder, "*.json"))
            {
                var byPath = ApiProfile.Load(file);
                var byName = ApiProfile.Load(Path.GetFileNameWithoutExtension(file));
                Assert.Equal(byPath.Name, byName.Name);
            }
            Assert.Contains("Default", ApiProfile.BuiltInNames);
        }

        [Theory]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"paging\":{\"hosts\":{\"pageParm\":\"p\"}}}", "paging.hosts.pageParm", "not a known key")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"paging\":{\"logs\":{\"firstPage\":2}}}", "paging.logs.firstPage", "must be 0 or 1")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"h\",\"logs\":\"/l\"}}", "endpoints.hosts", "must start with '/'")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"logs\":\"/l\"}}", "endpoints.hosts", "is required")]
        [InlineData("{\"name\":\"\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"}}", "name", "is required")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"timestamps\":{\"serverOffset\":\"IST\"}}", "timestamps.serverOffset", "+05:30")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"fields\":{\"host\":{\"hostname\":[\"n\"]}}}", "fields.host.hostname", "not a property")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"paging\":{\"hosts\":{\"style\":\"sideways\"}}}", "paging.hosts.style", "wrong type")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\",\"login\":\"/login\"},\"auth\":{\"loginBody\":null}}", "auth.loginBody", "is required")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"paging\":{\"hosts\":{\"style\":\"cursor\",\"cursorPath\":null}}}", "paging.hosts.cursorPath", "is required")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"logFilters\":{\"eventTypeValues\":{\"Sideways\":\"s\"}}}", "logFilters.eventTypeValues.Sideways", "not an event type")]
        [InlineData("{\"name\":\"x\",\"basePath\":null,\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"}}", "basePath", "must be a string")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"paging\":{\"logs\":{\"maxPageSize\":\"1000\"}}}", "paging.logs.maxPageSize", "wrong type (expected a whole number)")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"paging\":{\"logs\":{\"sortedAscending\":\"yes\"}}}", "paging.logs.sortedAscending", "wrong type (expected true or false)")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"fields\":{\"host\":{\"name\":\"n\"}}}", "fields.host.name", "wrong type (expected a list of strings)")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"actions\":{\"LOGON\":\"Sideways\"}}", "actions.LOGON", "wrong type (expected one of")]
        [InlineData("{\"nmae\":\"x\"}", "nmae", "not a known key")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"auth\":{\"prefix\":\"Bearer\\r\\nX-Evil: 1\"}}", "auth.prefix", "line break")]
        [InlineData("{\"name\":\"x\",\"basePath\":\"/api\",\"BASEPATH\":\"/other\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"}}", "BASEPATH", "is given twice")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"timestamps\":null}", "timestamps", "leave the key out for the defaults")]
        [InlineData("{\"name\":\"x\",\"endpoints\":{\"hosts\":\"/h\",\"logs\":\"/l\"},\"auth\":{\"header\":\"Bad Header:\"}}", "auth.header", "not a valid header name")]
        [InlineData("{\"name\":\"x\",", "(document)", "not valid JSON")]
        public void Validation_errors_name_the_bad_key(string json, string key, string problem)
        {
            var ex = Assert.Throws<IrajePamException>(() => ApiProfile.Parse(json, "test.json"));
            Assert.Equal("ApiProfileInvalid", ex.ErrorId);
            Assert.Equal(PamErrorKind.Configuration, ex.Kind);
            Assert.Contains("'" + key + "'", ex.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(problem, ex.Message);
            Assert.Contains("test.json", ex.Message);
        }

        [Fact]
        public void Keys_in_any_case_comments_and_trailing_commas_are_read()
        {
            const string json = @"{
  // an admin's edited copy
  ""NAME"": ""Edited"",
  ""basepath"": ""/rest"",
  ""Endpoints"": { ""HOSTS"": ""/v1/hosts"", ""logs"": ""/v1/logs"", },
  ""paging"": { ""logs"": { ""STYLE"": ""offset"", ""maxPageSize"": 250, ""sortedAscending"": true } },
  /* zone-less times */
  ""timestamps"": { ""serverOffset"": ""+05:30"", ""formats"": [ ""dd/MM/yyyy HH:mm"", ] },
}";
            var p = ApiProfile.Parse(json, "edited.json");
            Assert.Equal("Edited", p.Name);
            Assert.Equal("/rest", p.BasePath);
            Assert.Equal("/v1/hosts", p.Endpoints.Hosts);
            Assert.Equal(PagingStyle.Offset, p.Paging.Logs.Style);
            Assert.Equal(250, p.Paging.Logs.MaxPageSize);
            Assert.True(p.Paging.Logs.SortedAscending);
            Assert.Equal(PagingStyle.Page, p.Paging.Hosts.Style);   // a section left out keeps its defaults
            Assert.Equal(new TimeSpan(5, 30, 0), p.ServerOffset);
            Assert.Equal(new[] { "dd/MM/yyyy HH:mm" }, p.Timestamps.Formats);
        }

        [Fact]
        public void An_unknown_profile_name_lists_the_built_in_ones()
        {
            var ex = Assert.Throws<IrajePamException>(() => ApiProfile.Load("NoSuchProfile"));
            Assert.Equal("ApiProfileNotFound", ex.ErrorId);
            Assert.Contains("Default", ex.Message);
        }

        [Theory]
        [InlineData("pam.company.com", null, "https://pam.company.com/", "pam.company.com")]
        [InlineData("pam.company.com:8443", null, "https://pam.company.com:8443/", "pam.company.com:8443")]
        [InlineData("pam.company.com", 8443, "https://pam.company.com:8443/", "pam.company.com:8443")]
        [InlineData("https://pam.company.com/rest/", null, "https://pam.company.com/rest", "pam.company.com")]
        [InlineData("http://10.0.0.5:8080", null, "http://10.0.0.5:8080/", "10.0.0.5:8080")]
        [InlineData(" PAM.Company.com ", null, "https://pam.company.com/", "pam.company.com")]
        public void Addresses_parse_to_https_uris(string text, int? port, string expected, string instance)
        {
            var uri = PamUri.Parse(text, port);
            Assert.Equal(expected, uri.ToString());
            Assert.Equal(instance, PamSessionInfo.InstanceOf(uri));
        }

        [Theory]
        [InlineData("{\"host\": \"pam.company.com\", \"custom_port\": \"8443\"}", "https://pam.company.com:8443/")]
        [InlineData("{\"host\": \"pam.company.com\", \"custom_port\": 8443}", "https://pam.company.com:8443/")]
        [InlineData("{\"host\": \"pam.company.com\", \"custom_port\": \"\"}", "https://pam.company.com/")]
        [InlineData("{\"host\": \"pam.company.com\"}", "https://pam.company.com/")]
        public void The_guides_config_json_is_understood(string json, string expected)
        {
            Assert.Equal(expected, PamUri.FromConfigJson(json).ToString());
        }

        [Theory]
        [InlineData("")]
        [InlineData("ftp://pam")]
        [InlineData("https://user:secret@pam")]
        [InlineData("pam:99999")]
        public void Bad_addresses_are_configuration_errors(string text)
        {
            var ex = Assert.Throws<IrajePamException>(() => PamUri.Parse(text));
            Assert.Equal("PamUriInvalid", ex.ErrorId);
            Assert.DoesNotContain("secret", ex.Message);
        }

        [Fact]
        public void Bad_config_json_is_a_configuration_error()
        {
            Assert.Equal("PamUriInvalid", Assert.Throws<IrajePamException>(() => PamUri.FromConfigJson("{\"custom_port\": \"8443\"}")).ErrorId);
            Assert.Equal("PamUriInvalid", Assert.Throws<IrajePamException>(() => PamUri.FromConfigJson("{\"host\": \"pam\", \"custom_port\": \"eighty\"}")).ErrorId);
            Assert.Equal("PamUriInvalid", Assert.Throws<IrajePamException>(() => PamUri.FromConfigJson("not json")).ErrorId);
        }

        internal static string FindModuleProfiles()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "module", "profiles");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
            // Built with ArtifactsPath outside the repo: fall back to the source tree of this test file.
            return Path.GetFullPath(Path.Combine(SourceDir(), "..", "..", "..", "module", "profiles"));
        }

        private static string SourceDir([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
    }
}
