using System;
using System.IO;
using IrajePam.Client;
using IrajePam.Client.Sync;
using Xunit;
using static IrajePam.Tests.Delivery.DeliveryTestData;

namespace IrajePam.Tests.Delivery
{
    public sealed class SyncConfigTests : IDisposable
    {
        private readonly string dir = TempDir();

        public void Dispose() => Directory.Delete(dir, true);

        private string Write(string json)
        {
            string p = Path.Combine(dir, "sync.json");
            File.WriteAllText(p, json);
            return p;
        }

        public const string Example = @"{
  // Comments are allowed.
  ""pam"": {
    ""host"": ""pam.company.com"", ""custom_port"": ""8443"",
    ""apiProfile"": ""Default"",
    ""authMode"": ""Token"",
    ""tls"": { ""caCertificatePath"": ""certs/pam-ca.pem"" },
    ""timeoutSec"": 60,
    ""credential"": { ""source"": ""env"", ""userVar"": ""IRAJE_USER"", ""passwordVar"": ""IRAJE_PASSWORD"" }
  },
  ""zeron"": {
    ""endpoint"": ""https://zeron.example.com/zeron/v1/"",
    ""apiKeyHeader"": ""X-Api-Key"",
    ""credential"": { ""source"": ""secretManagement"", ""vault"": ""ops"", ""name"": ""zeron-api-key"" },
    ""datasets"": { ""hosts"": ""pam_hosts"", ""logins"": ""pam_logins"" },
    ""maxEventsPerBatch"": 500
  },
  ""stateDirectory"": ""state"",
  ""initialLookbackDays"": 7,
  ""overlapMinutes"": 15,
  ""logPath"": ""logs/sync.log""
}";

        [Fact]
        public void Example_loads_with_paths_resolved_against_the_config_folder()
        {
            var c = SyncConfig.Load(Write(Example));
            Assert.Equal(new Uri("https://pam.company.com:8443/"), c.Pam.Uri);
            Assert.Equal(AuthMode.Token, c.Pam.AuthMode);
            Assert.Equal("Default", c.Pam.ApiProfile);
            Assert.Equal(Path.Combine(dir, "certs", "pam-ca.pem"), c.Pam.Tls.CaCertificatePath);
            Assert.Equal(60, c.Pam.TimeoutSec);
            Assert.Equal("env", c.Pam.Credential.Source);
            Assert.Equal("IRAJE_PASSWORD", c.Pam.Credential.PasswordVariable);
            Assert.Equal(new Uri("https://zeron.example.com/zeron/v1/"), c.Zeron.Endpoint);
            Assert.Equal("secretManagement", c.Zeron.Credential.Source);
            Assert.Equal("zeron-api-key", c.Zeron.Credential.Name);
            Assert.Equal("pam_hosts", c.Zeron.HostsDataset);
            Assert.Equal("pam_logins", c.Zeron.LogsDataset);
            Assert.Equal(500, c.Zeron.MaxEventsPerBatch);
            Assert.Equal(Path.Combine(dir, "state"), c.StateDirectory);
            Assert.Equal(Path.Combine(dir, "logs", "sync.log"), c.LogPath);
            Assert.Equal(7, c.InitialLookbackDays);
            Assert.Equal(15, c.OverlapMinutes);
        }

        [Fact]
        public void Minimal_config_gets_the_defaults()
        {
            var c = SyncConfig.Load(Write(@"{ ""pam"": { ""uri"": ""pam.company.com"", ""credential"": { ""source"": ""file"", ""path"": ""pam.xml"" } },
                ""zeron"": { ""endpoint"": ""https://z.example/zeron/v1/"", ""credential"": { ""source"": ""env"", ""var"": ""ZERON_KEY"" } } }"));
            Assert.Equal(new Uri("https://pam.company.com/"), c.Pam.Uri);
            Assert.Equal(Path.Combine(dir, "pam.xml"), c.Pam.Credential.Path);
            Assert.Equal(30, c.InitialLookbackDays);
            Assert.Equal(10, c.OverlapMinutes);
            Assert.Equal(Path.Combine(dir, "state"), c.StateDirectory);
            Assert.Null(c.LogPath);
            Assert.Equal("iraje_logins", c.Zeron.LogsDataset);
            Assert.Equal(1000, c.Zeron.MaxEventsPerBatch);
        }

        [Theory]
        [InlineData("\"password\": \"hunter2\"", "SyncConfigContainsSecret", "pam.password")]
        [InlineData("\"apiKey\": \"abc\"", "SyncConfigContainsSecret", "pam.apiKey")]
        [InlineData("\"tsl\": {}", "SyncConfigInvalid", "pam.tsl")]
        [InlineData("\"timeoutSec\": \"soon\"", "SyncConfigInvalid", "pam.timeoutSec")]
        [InlineData("\"authMode\": \"Kerberos\"", "SyncConfigInvalid", "pam.authMode")]
        public void Bad_settings_are_refused_naming_the_key_and_the_file(string extra, string errorId, string key)
        {
            string p = Write(@"{ ""pam"": { " + extra + @", ""uri"": ""pam.company.com"", ""credential"": { ""source"": ""env"", ""userVar"": ""U"", ""passwordVar"": ""P"" } },
                ""zeron"": { ""endpoint"": ""https://z.example/zeron/v1/"", ""credential"": { ""source"": ""env"", ""var"": ""K"" } } }");
            var ex = Assert.Throws<IrajePamException>(() => SyncConfig.Load(p));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(PamErrorKind.Configuration, ex.Kind);
            Assert.Contains(key, ex.Message);
            Assert.Contains(p, ex.Message);
            Assert.DoesNotContain("hunter2", ex.Message);
        }

        [Theory]
        [InlineData("state-%IRAJEPAM_TEST_UNSET_9F2%", "IRAJEPAM_TEST_UNSET_9F2")]
        [InlineData("100% sure/%not a name%/%IRAJEPAM_TEST_UNSET_9F2%/x", "IRAJEPAM_TEST_UNSET_9F2")]
        [InlineData("50%-off/%_UNSET_IRAJEPAM_9F2%", "_UNSET_IRAJEPAM_9F2")]
        public void A_path_naming_an_unset_variable_is_refused_naming_it(string stateDirectory, string variable)
        {
            var p = Write(@"{ ""pam"": { ""uri"": ""pam.company.com"", ""credential"": { ""source"": ""file"", ""path"": ""pam.xml"" } },
  ""zeron"": { ""endpoint"": ""https://zeron.example.com/"", ""credential"": { ""source"": ""file"", ""path"": ""z.xml"" } },
  ""stateDirectory"": """ + stateDirectory + @""" }");
            var ex = Assert.Throws<IrajePamException>(() => SyncConfig.Load(p));
            Assert.Equal("SyncConfigVariableNotSet", ex.ErrorId);
            Assert.Equal(variable, ex.Target);
        }

        [Theory]
        [InlineData("null")]
        [InlineData("\"\"")]
        [InlineData("\"   \"")]
        public void A_null_or_blank_state_folder_is_refused_not_taken_for_the_default(string value)
        {
            var p = Write(@"{ ""pam"": { ""uri"": ""pam.company.com"", ""credential"": { ""source"": ""file"", ""path"": ""pam.xml"" } },
  ""zeron"": { ""endpoint"": ""https://zeron.example.com/"", ""credential"": { ""source"": ""file"", ""path"": ""z.xml"" } },
  ""stateDirectory"": " + value + " }");
            var ex = Assert.Throws<IrajePamException>(() => SyncConfig.Load(p));
            Assert.Equal("SyncConfigInvalid", ex.ErrorId);
            Assert.Contains("stateDirectory", ex.Message);
        }

        [Fact]
        public void Percent_signs_that_name_no_variable_are_kept_as_they_are()
        {
            var p = Write(@"{ ""pam"": { ""uri"": ""pam.company.com"", ""credential"": { ""source"": ""file"", ""path"": ""pam.xml"" } },
  ""zeron"": { ""endpoint"": ""https://zeron.example.com/"", ""credential"": { ""source"": ""file"", ""path"": ""z.xml"" } },
  ""stateDirectory"": ""100% done/%not a name%"" }");
            Assert.EndsWith(Path.Combine("100% done", "%not a name%"), SyncConfig.Load(p).StateDirectory);
        }

        [Fact]
        public void Missing_zeron_endpoint_is_named()
        {
            string p = Write(@"{ ""pam"": { ""uri"": ""pam"", ""credential"": { ""source"": ""env"", ""userVar"": ""U"", ""passwordVar"": ""P"" } },
                ""zeron"": { ""credential"": { ""source"": ""env"", ""var"": ""K"" } } }");
            var ex = Assert.Throws<IrajePamException>(() => SyncConfig.Load(p));
            Assert.Contains("zeron.endpoint", ex.Message);
        }

        [Fact]
        public void Env_credentials_resolve_and_name_a_missing_variable()
        {
            var r = new CredentialReference { Source = "env", UserVariable = "IRAJEPAM_T_USER_" + Guid.NewGuid().ToString("N"), PasswordVariable = "IRAJEPAM_T_PW_" + Guid.NewGuid().ToString("N") };
            var ex = Assert.Throws<IrajePamException>(() => r.ResolveFromEnvironment("PAM"));
            Assert.Equal("SyncCredentialMissing", ex.ErrorId);
            Assert.Contains(r.UserVariable!, ex.Message);
            Environment.SetEnvironmentVariable(r.UserVariable, "svc");
            Environment.SetEnvironmentVariable(r.PasswordVariable, "pw-123");
            try
            {
                var cred = r.ResolveFromEnvironment("PAM")!;
                Assert.Equal("svc", cred.UserName);
                Assert.Equal("pw-123", cred.Password);
            }
            finally
            {
                Environment.SetEnvironmentVariable(r.UserVariable, null);
                Environment.SetEnvironmentVariable(r.PasswordVariable, null);
            }
        }
    }
}
