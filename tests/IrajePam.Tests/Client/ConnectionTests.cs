using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Http;
using Xunit;

namespace IrajePam.Tests.Client
{
    [Collection(SharedSimulatorCollection.Name)]
    public sealed class ConnectionTests
    {
        private readonly SharedSimulator _sim;

        public ConnectionTests(SharedSimulator sim) => _sim = sim;

        [Fact]
        public async Task Basic_connects_and_reads_status()
        {
            var log = new LogSink();
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server, AuthMode.Basic, log: log.Writer), CancellationToken.None);

            Assert.Equal(AuthMode.Basic, client.Info.AuthMode);
            Assert.Equal("8.2.08", client.Info.PamVersion);
            Assert.Equal("v1", client.Info.ApiVersion);
            Assert.Equal("/api", client.Info.BasePath);
            Assert.Equal("127.0.0.1:" + _sim.Server.BaseUri.Port, client.Info.Instance);
            Assert.Null(client.Info.TokenExpiresAt);
            Assert.Contains(log.Lines, l => l.StartsWith($"GET https://127.0.0.1:{_sim.Server.BaseUri.Port}/api/status -> 200 (", StringComparison.Ordinal));
            Assert.DoesNotContain(ClientHarness.Password, log.All);
        }

        [Fact]
        public async Task Token_login_sets_expiry_and_sends_bearer()
        {
            var log = new LogSink();
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server, AuthMode.Token, log: log.Writer), CancellationToken.None);

            Assert.Equal(AuthMode.Token, client.Info.AuthMode);
            Assert.NotNull(client.Info.TokenExpiresAt);
            var left = client.Info.TokenExpiresAt!.Value - DateTimeOffset.UtcNow;
            Assert.InRange(left.TotalSeconds, 3500, 3601);
            Assert.Contains(log.Lines, l => l.Contains("POST https://127.0.0.1:" + _sim.Server.BaseUri.Port + "/api/auth/login -> 200"));
            Assert.DoesNotContain(ClientHarness.Password, log.All);
            Assert.DoesNotContain("Bearer", log.All);

            var hosts = await ClientHarness.ToListAsync(client.GetHostsAsync(new HostQuery { Name = new[] { "*" } }, CancellationToken.None));
            Assert.Equal(_sim.Server.State.HostCount, hosts.Count);
            await client.LogoutAsync(CancellationToken.None);
        }

        [Fact]
        public async Task Auto_prefers_the_token_login_when_the_profile_has_one()
        {
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server, AuthMode.Auto), CancellationToken.None);
            Assert.Equal(AuthMode.Token, client.Info.AuthMode);
        }

        [Fact]
        public async Task Default_validation_refuses_the_self_signed_certificate_and_names_three_ways_forward()
        {
            var options = ClientHarness.Connection(_sim.Server, tls: new TlsOptions());
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => PamClient.ConnectAsync(options, CancellationToken.None));

            Assert.Equal(PamErrorKind.Tls, ex.Kind);
            Assert.Equal("TlsValidationFailed", ex.ErrorId);
            Assert.Contains("-CaCertificatePath", ex.Message);
            Assert.Contains("-CertificateThumbprint", ex.Message);
            Assert.Contains("-SkipCertificateCheck", ex.Message);
            Assert.Contains("self-signed", ex.Message);
            Assert.Contains(_sim.Server.ThumbprintSha256, ex.Message);
        }

        [Theory]
        [InlineData("sha256")]
        [InlineData("sha1-colons-lower")]
        public async Task Pinning_the_right_thumbprint_connects(string form)
        {
            var print = form == "sha256"
                ? _sim.Server.ThumbprintSha256
                : string.Join(":", Enumerable.Range(0, 20).Select(i => _sim.Server.Thumbprint.Substring(i * 2, 2))).ToLowerInvariant();
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server, tls: new TlsOptions { CertificateThumbprint = print }), CancellationToken.None);
            Assert.Equal("8.2.08", client.Info.PamVersion);
            Assert.True(client.Certificate!.SelfSigned);
            Assert.Equal(_sim.Server.ThumbprintSha256, client.Certificate.ThumbprintSha256);
        }

        [Fact]
        public async Task Pinning_a_wrong_thumbprint_is_refused()
        {
            var wrong = new string('A', 64);
            var ex = await Assert.ThrowsAsync<IrajePamException>(() =>
                PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server, tls: new TlsOptions { CertificateThumbprint = wrong }), CancellationToken.None));
            Assert.Equal(PamErrorKind.Tls, ex.Kind);
            Assert.Contains("does not match the pinned thumbprint", ex.Message);
        }

        [Theory]
        [InlineData("der")]
        [InlineData("pem")]
        public async Task A_CA_file_holding_the_server_certificate_is_trusted(string format)
        {
            var path = Path.Combine(Path.GetTempPath(), "irajepam-ca-" + Guid.NewGuid().ToString("N") + "." + format);
            try
            {
                if (format == "der")
                {
                    await File.WriteAllBytesAsync(path, _sim.Server.CertificateDer);
                }
                else
                {
                    await File.WriteAllTextAsync(path, _sim.Server.CertificatePem);
                }
                using var client = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server, tls: new TlsOptions { CaCertificatePath = path }), CancellationToken.None);
                Assert.Equal("8.2.08", client.Info.PamVersion);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task A_CA_file_with_another_certificate_is_refused()
        {
            await using var other = await ClientHarness.StartAsync(ClientHarness.Options(hosts: 5, events: 10, days: 1));
            var path = Path.Combine(Path.GetTempPath(), "irajepam-ca-" + Guid.NewGuid().ToString("N") + ".cer");
            try
            {
                await File.WriteAllBytesAsync(path, other.CertificateDer);
                var ex = await Assert.ThrowsAsync<IrajePamException>(() =>
                    PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server, tls: new TlsOptions { CaCertificatePath = path }), CancellationToken.None));
                Assert.Equal("TlsValidationFailed", ex.ErrorId);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async Task Skipping_the_check_connects()
        {
            using var client = await PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server, tls: new TlsOptions { SkipCertificateCheck = true }), CancellationToken.None);
            Assert.Equal("8.2.08", client.Info.PamVersion);
        }

        [Theory]
        [InlineData(ClientHarness.User, "wrong-password", "InvalidCredentials", "user name or password is wrong")]
        [InlineData("locked_user", null, "AccountLocked", "locked")]
        [InlineData("mfa_user", null, "MfaRequired", "multi-factor")]
        [InlineData("expired_user", null, "PasswordExpired", "expired")]
        public async Task Auth_failures_are_explained_in_words(string user, string? password, string errorId, string words)
        {
            foreach (var mode in new[] { AuthMode.Basic, AuthMode.Token })
            {
                var ex = await Assert.ThrowsAsync<IrajePamException>(() =>
                    PamClient.ConnectAsync(ClientHarness.Connection(_sim.Server, mode, user: user, password: password), CancellationToken.None));
                Assert.Equal(PamErrorKind.Authentication, ex.Kind);
                Assert.Equal(errorId, ex.ErrorId);
                Assert.Contains(words, ex.Message);
                Assert.DoesNotContain(ClientHarness.Password, ex.ToString());
            }
        }

        [Fact]
        public async Task Plain_http_with_credentials_is_refused_unless_allowed()
        {
            var options = ClientHarness.Connection(_sim.Server);
            options.BaseUri = new Uri("http://127.0.0.1:" + _sim.Server.BaseUri.Port + "/");
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => PamClient.ConnectAsync(options, CancellationToken.None));
            Assert.Equal("UnencryptedAuthenticationRefused", ex.ErrorId);
            Assert.Equal(PamErrorKind.Configuration, ex.Kind);
        }

        [Fact]
        public async Task Connection_refused_is_a_connection_error()
        {
            var options = ClientHarness.Connection(_sim.Server);
            options.BaseUri = new Uri("https://127.0.0.1:1/");
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => PamClient.ConnectAsync(options, CancellationToken.None));
            Assert.Equal(PamErrorKind.Connection, ex.Kind);
            Assert.Equal("ConnectionRefused", ex.ErrorId);
        }

        [Fact]
        public async Task A_wrong_base_path_in_the_url_is_reported_as_not_found()
        {
            var options = ClientHarness.Connection(_sim.Server);
            options.BaseUri = new Uri(_sim.Server.BaseUri, "/nothing-here");
            var ex = await Assert.ThrowsAsync<IrajePamException>(() => PamClient.ConnectAsync(options, CancellationToken.None));
            Assert.Equal("ApiBasePathNotFound", ex.ErrorId);
            Assert.Contains("/nothing-here", ex.Message);
        }

        [Fact]
        public async Task Alerts_without_an_endpoint_in_the_profile_are_reported_as_not_available()
        {
            var options = ClientHarness.Connection(_sim.Server);
            var json = System.IO.File.ReadAllText(System.IO.Path.Combine(ProfileAndUriTests.FindModuleProfiles(), "Default.json"))
                .Replace("\"alerts\": \"/v1/alerts\"", "\"alerts\": null").Replace("\"name\": \"Default\"", "\"name\": \"NoAlerts\"");
            options.Profile = ApiProfile.Parse(json, "NoAlerts.json");
            using var client = await PamClient.ConnectAsync(options, CancellationToken.None);
            var ex = Assert.Throws<IrajePamException>(() => (object)
                (client.GetAlertsAsync(new AlertQuery { Since = ClientHarness.Anchor.AddDays(-1), Until = ClientHarness.Anchor }, CancellationToken.None)));
            Assert.Contains("NoAlerts", ex.Message);
            Assert.Equal("AlertsNotAvailable", ex.ErrorId);
            Assert.Equal(PamErrorKind.NotSupported, ex.Kind);
        }
    }
}
