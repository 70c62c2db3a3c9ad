using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Http;
using System.Net.Http;
using Xunit;

namespace IrajePam.Tests.Faults
{
    /// <summary>
    /// A session's credentials go to the origin (scheme, host, port) it was opened with and nowhere else, whatever a
    /// server's next-page link or an API profile's paths say.
    /// </summary>
    public sealed class OriginTests
    {
        private static JsonNode DefaultProfile()
        {
            using var stream = typeof(ApiProfile).Assembly.GetManifestResourceStream("IrajePam.Client.Profiles.Default.json")!;
            using var reader = new StreamReader(stream);
            return JsonNode.Parse(reader.ReadToEnd(), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        }

        [Theory]
        [InlineData("https://evil.example/api/v1/hosts?page=2")]
        [InlineData("//evil.example/api/v1/hosts?page=2")]
        [InlineData("http://pam.fuzz.test/api/v1/hosts?page=2")]
        [InlineData("https://pam.fuzz.test:8443/api/v1/hosts?page=2")]
        public async Task A_next_link_to_another_origin_never_receives_the_credentials(string next)
        {
            var profile = DefaultProfile();
            profile["paging"]!["hosts"] = JsonNode.Parse("{\"style\":\"nextLink\",\"nextLinkPath\":\"next\",\"itemsPath\":\"data\",\"totalPath\":null,\"maxPageSize\":100}");
            var pam = new FuzzPam { Page = _ => FuzzPam.Json("{\"data\":[{\"hostId\":\"H-1\"}],\"next\":\"" + next + "\"}") };
            using var client = await pam.ConnectAsync(AuthMode.Basic, ApiProfile.Parse(profile.ToJsonString(), "nextlink-test"));

            var ids = new System.Collections.Generic.List<string>();
            IrajePamException? error = null;
            try
            {
                await foreach (var item in client.GetHostsAsync(new HostQuery(), CancellationToken.None))
                {
                    if (item.Value != null)
                    {
                        ids.Add(item.Value.Id);
                    }
                }
            }
            catch (IrajePamException ex)
            {
                error = ex;
            }

            // Either the link is refused with a clear error, or it is followed on the session's own origin; never elsewhere.
            Assert.DoesNotContain(pam.Requests, r => r.Uri.GetLeftPart(UriPartial.Authority) != "https://pam.fuzz.test");
            Assert.DoesNotContain("EVIL", ids);
            Assert.Contains("H-1", ids);
            if (error != null)
            {
                Assert.Equal("RequestOffOrigin", error.ErrorId);
                Assert.Equal(PamErrorKind.InvalidData, error.Kind);
                Assert.Contains("https://pam.fuzz.test", error.Message);
            }
        }

        [Theory]
        [InlineData("basePath", "//evil.example")]
        [InlineData("basePath", "//evil.example/api")]
        public void A_profile_path_that_names_another_host_is_refused_when_the_profile_loads(string key, string value)
        {
            var profile = DefaultProfile();
            profile[key] = value;
            profile["fallbackBasePaths"] = new JsonArray();
            var error = Assert.Throws<IrajePamException>(() => ApiProfile.Parse(profile.ToJsonString(), "origin-test.json"));
            Assert.Equal("ApiProfileInvalid", error.ErrorId);
            Assert.Contains(key, error.Message);
        }

        [Theory]
        [InlineData("https://evil.example/api/v1/hosts")]
        [InlineData("http://pam.fuzz.test/api/v1/hosts")]
        [InlineData("https://pam.fuzz.test:444/api/v1/hosts")]
        public async Task The_pipeline_refuses_a_request_off_the_sessions_origin_before_anything_is_sent(string address)
        {
            var pam = new FuzzPam();
            using var pipeline = new PamHttpPipeline(FuzzPam.Options(), new ServerCertificateCapture(), pam);
            var error = await Assert.ThrowsAsync<IrajePamException>(() =>
                pipeline.SendAsync(new PamRequest(HttpMethod.Get, new Uri(address)), _ => true, CancellationToken.None));

            Assert.Equal("RequestOffOrigin", error.ErrorId);
            Assert.Empty(pam.Requests);
            Assert.True(await pipeline.SendAsync(new PamRequest(HttpMethod.Get, new Uri("https://PAM.fuzz.test:443/api/status")), _ => true, CancellationToken.None));
        }
    }
}
