using System;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Http;
using IrajePam.Simulator;
using Xunit;

namespace IrajePam.Tests.Client
{
    /// <summary>Test-IrajePamConnection's engine, against a simulator whose events end now (so "the last 24 h" has data).</summary>
    public sealed class DiagnosticsTests : IAsyncLifetime
    {
        private SimulatorServer _server = null!;

        public async Task InitializeAsync()
        {
            var options = ClientHarness.Options(hosts: 1234, events: 6000, days: 3);
            options.Anchor = null;
            _server = await ClientHarness.StartAsync(options);
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();

        [Fact]
        public async Task A_least_privilege_account_gets_a_clean_report_and_handoff_text()
        {
            var report = await PamClient.TestConnectionAsync(ClientHarness.Connection(_server, AuthMode.Auto), CancellationToken.None);

            Assert.True(report.Success, report.Warnings);
            Assert.True(report.Reachable);
            Assert.True(report.Authenticated);
            Assert.Equal("Token", report.AuthMode);
            Assert.Equal("8.2.08", report.PamVersion);
            Assert.Equal("v1", report.ApiVersion);
            Assert.Equal("/api", report.BasePath);
            Assert.Equal(1234, report.HostCount);
            Assert.InRange(report.RecentEventCount!.Value, 1000, 4000);
            Assert.True(report.RecentEventUsers > 1);
            Assert.False(report.SeesOnlyOwnLogs);
            Assert.False(report.ExcessivePrivileges);
            Assert.Equal("Auditor", report.Roles);
            Assert.Equal("hosts:read; logs:read", report.Permissions);
            Assert.True(report.TlsSelfSigned);
            Assert.True(report.TlsTrusted);
            Assert.Equal(_server.ThumbprintSha256, report.TlsThumbprintSha256);
            Assert.Equal("Pinned thumbprint", report.TlsValidation);
            Assert.True(report.WarningCount == 0, report.Warnings);

            var text = report.ToHandoffText();
            Assert.Contains(_server.ThumbprintSha256, text);
            Assert.Contains("8.2.08", text);
            Assert.Contains("127.0.0.1 / " + _server.BaseUri.Port, text);
            Assert.Contains("self-signed: yes", text);
            Assert.Contains("base path /api", text);
            Assert.DoesNotContain(ClientHarness.Password, text);
            Assert.DoesNotContain(ClientHarness.Password, report.Warnings + report.Notes);
        }

        [Fact]
        public async Task An_account_that_sees_only_its_own_logs_is_flagged_too_restricted()
        {
            var report = await PamClient.TestConnectionAsync(ClientHarness.Connection(_server, user: "own_logs_user"), CancellationToken.None);
            Assert.True(report.Success);
            Assert.True(report.SeesOnlyOwnLogs);
            Assert.Contains("too restricted", report.Warnings);
        }

        [Fact]
        public async Task An_admin_account_is_flagged_as_too_privileged()
        {
            var report = await PamClient.TestConnectionAsync(ClientHarness.Connection(_server, user: "admin_user"), CancellationToken.None);
            Assert.True(report.Success);
            Assert.True(report.ExcessivePrivileges);
            Assert.Contains("least privilege", report.Warnings);
            Assert.Contains("Administrator", report.Warnings);
        }

        [Fact]
        public async Task A_locked_account_is_reported_in_words_not_thrown()
        {
            var report = await PamClient.TestConnectionAsync(ClientHarness.Connection(_server, user: "locked_user"), CancellationToken.None);
            Assert.False(report.Success);
            Assert.True(report.Reachable);
            Assert.False(report.Authenticated);
            Assert.Equal("AccountLocked", report.FailureId);
            Assert.Contains("locked", report.AuthResult);
            Assert.Contains("FAILED", report.ToHandoffText());
        }

        [Fact]
        public async Task An_untrusted_certificate_is_reported_with_its_facts()
        {
            var report = await PamClient.TestConnectionAsync(ClientHarness.Connection(_server, tls: new TlsOptions()), CancellationToken.None);
            Assert.False(report.Success);
            Assert.Equal("TlsValidationFailed", report.FailureId);
            Assert.False(report.TlsTrusted);
            Assert.True(report.TlsSelfSigned);
            Assert.Equal(_server.ThumbprintSha256, report.TlsThumbprintSha256);
            Assert.NotNull(report.TlsNotAfter);
            Assert.Contains("-CaCertificatePath", report.Failure);
        }

        [Fact]
        public async Task Skipping_the_certificate_check_is_a_warning()
        {
            var report = await PamClient.TestConnectionAsync(ClientHarness.Connection(_server, tls: new TlsOptions { SkipCertificateCheck = true }), CancellationToken.None);
            Assert.True(report.Success);
            Assert.Contains("-SkipCertificateCheck", report.Warnings);
        }
    }
}
