using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using IrajePam.Client;
using IrajePam.Client.Http;
using IrajePam.Client.Paging;
using IrajePam.Client.Parsing;
using Xunit;

namespace IrajePam.Tests.Client
{
    public sealed class ParsingTests
    {
        private static readonly Uri PageUri = new Uri("https://pam.example/api/v1/logs?page=3&pageSize=1000");

        private static Page<T> ParsePage<T>(PageParser<T> parser, string json)
            where T : class
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            using var message = new System.Net.Http.HttpResponseMessage(HttpStatusCode.OK);
            return parser.Parse(new PamResponse(PageUri, HttpStatusCode.OK, message.Headers, new ArraySegment<byte>(bytes)));
        }

        [Fact]
        public void A_bad_record_becomes_a_record_error_and_the_rest_of_the_page_flows()
        {
            var profile = ApiProfile.Default;
            var parser = new PageParser<LoginEvent>(profile.Paging.Logs, new LoginEventMapper(profile), "pam.example", includeRaw: false);
            var page = ParsePage(parser, @"{""data"":[
                {""logId"":""L-1"",""eventTime"":""2025-06-01 10:02:33"",""userName"":""CORP\\rkumar"",""action"":""User Login Success"",""status"":""Success""},
                {""logId"":""L-2"",""eventTime"":""not a time"",""userName"":""x""},
                {""eventTime"":""2025-06-01 10:02:35""},
                ""just a string"",
                {""logId"":""L-5"",""eventTime"":1748772160,""action"":""User Login Failed""}
              ],""page"":3,""pageSize"":1000,""total"":5}");

            Assert.Equal(5, page.RawCount);
            Assert.Equal(5, page.Total);
            Assert.Equal("L-1", page.Items[0].Value!.Id);
            Assert.Equal(@"CORP\rkumar", page.Items[0].Value!.UserName);
            Assert.Equal(new DateTimeOffset(2025, 6, 1, 4, 32, 33, TimeSpan.Zero), page.Items[0].Value!.Timestamp);

            var bad = page.Items[1].Error!;
            Assert.Equal("RecordInvalid", bad.ErrorId);
            Assert.Equal(1, bad.RecordIndex);
            Assert.Equal("L-2", bad.RecordId);
            Assert.Equal(PageUri.ToString(), bad.PageUrl);
            Assert.Contains("timestamp", bad.Message);
            Assert.Contains("not a time", bad.Message);

            Assert.Null(page.Items[2].Error!.RecordId);
            Assert.Contains("no id", page.Items[2].Error!.Message);
            Assert.Contains("not an object", page.Items[3].Error!.Message);

            var failed = page.Items[4].Value!;
            Assert.Equal(LoginEventType.LoginFailed, failed.EventType);
            Assert.Equal(EventStatus.Failed, failed.Status);
        }

        [Fact]
        public void Hosts_map_aliases_tags_ports_and_raw()
        {
            var profile = ApiProfile.Default;
            var parser = new PageParser<Host>(profile.Paging.Hosts, new HostMapper(profile), "pam.example:8443", includeRaw: true);
            var page = ParsePage(parser, @"{""data"":[
                {""hostId"":""H-1"",""hostName"":""mum-win-app-0001"",""ipAddress"":""10.12.3.4"",""deviceType"":""Windows Server"",""domain"":""CORP"",""protocol"":""RDP"",""port"":3389,""tags"":[""prod"",""pci""],""extra"":{""a"":1}},
                {""hostId"":17,""hostName"":""db"",""port"":""1521"",""tags"":[]},
                {""hostId"":""H-3"",""port"":""high""}
              ],""total"":3}");

            var first = page.Items[0].Value!;
            Assert.Equal("H-1", first.Id);
            Assert.Equal("mum-win-app-0001", first.Name);
            Assert.Equal("10.12.3.4", first.Address);
            Assert.Equal("Windows Server", first.DeviceType);
            Assert.Equal("CORP", first.Domain);
            Assert.Equal("RDP", first.Protocol);
            Assert.Equal(3389, first.Port);
            Assert.Equal("prod; pci", first.Tags);
            Assert.Equal("pam.example:8443", first.Instance);
            Assert.Contains("\"extra\"", first.Raw);

            Assert.Equal("17", page.Items[1].Value!.Id);
            Assert.Equal(1521, page.Items[1].Value!.Port);
            Assert.Equal("", page.Items[1].Value!.Tags);

            Assert.Contains("'Port' is not a whole number", page.Items[2].Error!.Message);
            Assert.Equal("H-3", page.Items[2].Error!.RecordId);
        }

        [Fact]
        public void A_missing_items_array_names_the_profile_key()
        {
            var profile = ApiProfile.Default;
            var parser = new PageParser<Host>(profile.Paging.Hosts, new HostMapper(profile), "x", false);
            var ex = Assert.Throws<IrajePamException>(() => ParsePage(parser, @"{""items"":[]}"));
            Assert.Equal("ItemsNotFound", ex.ErrorId);
            Assert.Contains("itemsPath", ex.Message);
        }

        [Theory]
        [InlineData("User Login Success", null, LoginEventType.Login, EventStatus.Success)]
        [InlineData("User Login Failed", null, LoginEventType.LoginFailed, EventStatus.Failed)]
        [InlineData("Session Start", null, LoginEventType.SessionStart, EventStatus.Success)]
        [InlineData("Session End", null, LoginEventType.SessionEnd, EventStatus.Success)]
        [InlineData("User Logout", null, LoginEventType.Logout, EventStatus.Success)]
        [InlineData("User Login Success", "Failed", LoginEventType.Login, EventStatus.Failed)]
        [InlineData("Session Launched", null, LoginEventType.SessionStart, EventStatus.Success)]
        [InlineData("LOGON DENIED", null, LoginEventType.LoginFailed, EventStatus.Failed)]
        [InlineData("Password rotated", null, LoginEventType.Unknown, EventStatus.Unknown)]
        public void Actions_map_to_types_and_statuses(string action, string? status, LoginEventType type, EventStatus expectedStatus)
        {
            var classifier = new ActionClassifier(null);
            var actual = classifier.ClassifyType(action, null);
            Assert.Equal(type, actual);
            Assert.Equal(expectedStatus, ActionClassifier.ClassifyStatus(status, actual, action));
        }

        [Theory]
        [InlineData("db*", "DB-ORA-01", true)]
        [InlineData("*app-00?1", "mum-win-app-0011", true)]
        [InlineData("*app-00?1", "mum-win-app-011", false)]
        [InlineData("mum", "mum-win", false)]
        [InlineData("*", "", true)]
        [InlineData("a*b*c", "aXXbYYc", true)]
        [InlineData("a*b*c", "aXXbYY", false)]
        public void Wildcards_match_like_PowerShell(string pattern, string text, bool expected)
        {
            Assert.Equal(expected, new WildcardPattern(pattern).IsMatch(text));
        }

        [Fact]
        public void Url_redaction_masks_secret_parameters()
        {
            var redacted = UrlRedactor.Redact(new Uri("https://user:pw@pam.example:8443/api/v1/logs?page=2&access_token=abc&apiKey=zzz&startDate=2025-06-01"));
            Assert.Equal("https://pam.example:8443/api/v1/logs?page=2&access_token=***&apiKey=***&startDate=2025-06-01", redacted);
        }

        [Fact]
        public void Link_headers_yield_the_next_link()
        {
            using var message = new System.Net.Http.HttpResponseMessage(HttpStatusCode.OK);
            message.Headers.TryAddWithoutValidation("Link", "<https://pam/rest/v2/hosts?offset=0>; rel=\"prev\", <https://pam/rest/v2/hosts?offset=500&limit=500>; rel=\"next\"");
            Assert.Equal("https://pam/rest/v2/hosts?offset=500&limit=500", LinkHeader.FindNext(message.Headers));
        }
    }
}
