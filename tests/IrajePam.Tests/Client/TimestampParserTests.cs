using System;
using System.Globalization;
using System.Text.Json;
using IrajePam.Client;
using IrajePam.Client.Parsing;
using Xunit;

namespace IrajePam.Tests.Client
{
    public sealed class TimestampParserTests
    {
        private static readonly TimestampParser Ist = new TimestampParser(new TimeSpan(5, 30, 0));

        [Theory]
        [InlineData("2025-06-01 10:02:33", "2025-06-01T04:32:33Z")]            // the guide's zone-less server time (+05:30)
        [InlineData("2025-06-01T10:02:33", "2025-06-01T04:32:33Z")]
        [InlineData("2025-06-01T10:02:33.250", "2025-06-01T04:32:33.25Z")]
        [InlineData("2025-06-01T10:02:33Z", "2025-06-01T10:02:33Z")]
        [InlineData("2025-06-01T10:02:33.1234567Z", "2025-06-01T10:02:33.1234567Z")]
        [InlineData("2025-06-01T10:02:33+05:30", "2025-06-01T04:32:33Z")]
        [InlineData("2025-06-01T10:02:33+0530", "2025-06-01T04:32:33Z")]
        [InlineData("2025-06-01T10:02:33-03:00", "2025-06-01T13:02:33Z")]
        [InlineData("2025-06-01 10:02:33 +05:30", "2025-06-01T04:32:33Z")]
        [InlineData("1748772153", "2025-06-01T10:02:33Z")]                       // epoch seconds as text
        [InlineData("1748772153000", "2025-06-01T10:02:33Z")]                    // epoch ms as text
        [InlineData("/Date(1748772153000)/", "2025-06-01T10:02:33Z")]
        [InlineData("/Date(1748772153000+0530)/", "2025-06-01T10:02:33Z")]
        [InlineData("01-06-2025 10:02:33", "2025-06-01T04:32:33Z")]              // dd-MM-yyyy
        [InlineData("2025/06/01 10:02:33", "2025-06-01T04:32:33Z")]
        [InlineData("2025-06-01", "2025-05-31T18:30:00Z")]
        [InlineData("  2025-06-01 10:02:33  ", "2025-06-01T04:32:33Z")]
        public void Text_forms_parse_to_UTC(string text, string expectedUtc)
        {
            Assert.True(Ist.TryParse(text, out var parsed), text);
            Assert.Equal(DateTimeOffset.Parse(expectedUtc, CultureInfo.InvariantCulture), parsed);
            Assert.Equal(TimeSpan.Zero, parsed.Offset);
        }

        [Theory]
        [InlineData("1748772153", "2025-06-01T10:02:33Z")]
        [InlineData("1748772153000", "2025-06-01T10:02:33Z")]
        [InlineData("1748772153.5", "2025-06-01T10:02:33.5Z")]
        [InlineData("\"2025-06-01 10:02:33\"", "2025-06-01T04:32:33Z")]
        public void Json_numbers_and_strings_parse(string json, string expectedUtc)
        {
            using var doc = JsonDocument.Parse(json);
            Assert.True(Ist.TryParse(doc.RootElement, out var parsed));
            Assert.Equal(DateTimeOffset.Parse(expectedUtc, CultureInfo.InvariantCulture), parsed);
        }

        [Theory]
        [InlineData("")]
        [InlineData("yesterday")]
        [InlineData("2025-13-01 10:00:00")]
        [InlineData("2025-02-30 10:00:00")]
        [InlineData("10:02:33")]
        [InlineData("/Date(abc)/")]
        [InlineData("99999999999999999999999")]
        public void Garbage_is_refused(string text)
        {
            Assert.False(Ist.TryParse(text, out _));
        }

        [Fact]
        public void Profile_formats_are_tried_first()
        {
            var parser = new TimestampParser(TimeSpan.Zero, new[] { "MM/dd/yyyy hh:mm:ss tt" });
            Assert.True(parser.TryParse("06/01/2025 01:02:33 PM", out var parsed));
            Assert.Equal(new DateTimeOffset(2025, 6, 1, 13, 2, 33, TimeSpan.Zero), parsed);
        }

        [Fact]
        public void A_Thai_culture_changes_nothing()
        {
            var original = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("th-TH");
                Assert.True(Ist.TryParse("2025-06-01 10:02:33", out var parsed));
                Assert.Equal(new DateTimeOffset(2025, 6, 1, 4, 32, 33, TimeSpan.Zero), parsed);
                var instant = new DateTimeOffset(2025, 6, 1, 4, 32, 33, TimeSpan.Zero);
                Assert.Equal("2025-06-01", TimestampParser.FormatForQuery(instant, TimeFilterFormat.Date, new TimeSpan(5, 30, 0)));
                Assert.Equal("2025-06-01T10:02:33+05:30", TimestampParser.FormatForQuery(instant, TimeFilterFormat.DateTime, new TimeSpan(5, 30, 0)));
                Assert.Equal("1748752353000", TimestampParser.FormatForQuery(instant, TimeFilterFormat.EpochMs, TimeSpan.Zero));
            }
            finally
            {
                CultureInfo.CurrentCulture = original;
            }
        }

        [Fact]
        public void Query_dates_use_the_servers_day()
        {
            // 20:00 UTC on 31 May is already 1 June in India.
            var instant = new DateTimeOffset(2025, 5, 31, 20, 0, 0, TimeSpan.Zero);
            Assert.Equal("2025-06-01", TimestampParser.FormatForQuery(instant, TimeFilterFormat.Date, new TimeSpan(5, 30, 0)));
            Assert.Equal("1748721600", TimestampParser.FormatForQuery(instant, TimeFilterFormat.EpochSeconds, TimeSpan.Zero));
        }
    }
}
