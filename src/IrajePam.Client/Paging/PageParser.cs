using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using IrajePam.Client.Http;
using IrajePam.Client.Parsing;

namespace IrajePam.Client.Paging
{
    /// <summary>Reads one page's envelope (items, total, next link or cursor) and maps each item, isolating bad records.</summary>
    internal sealed class PageParser<T>
        where T : class
    {
        private readonly PagingProfile _paging;
        private readonly IRecordMapper<T> _mapper;
        private readonly JsonFieldPath _items;
        private readonly JsonFieldPath? _total;
        private readonly JsonFieldPath? _next;
        private readonly string _instance;
        private readonly bool _includeRaw;

        public PageParser(PagingProfile paging, IRecordMapper<T> mapper, string instance, bool includeRaw)
        {
            _paging = paging;
            _mapper = mapper;
            _instance = instance;
            _includeRaw = includeRaw;
            _items = new JsonFieldPath(paging.ItemsPath);
            _total = string.IsNullOrEmpty(paging.TotalPath) ? null : new JsonFieldPath(paging.TotalPath!);
            var nextPath = paging.Style == PagingStyle.NextLink ? paging.NextLinkPath : paging.Style == PagingStyle.Cursor ? paging.CursorPath : null;
            _next = string.IsNullOrEmpty(nextPath) ? null : new JsonFieldPath(nextPath!);
        }

        public Page<T> Parse(PamResponse response)
        {
            using var doc = JsonDocument.Parse(response.BodyMemory);
            var root = doc.RootElement;
            var pageUrl = UrlRedactor.Redact(response.Uri);

            if (!_items.TryResolve(root, out var array) || array.ValueKind != JsonValueKind.Array)
            {
                throw new IrajePamException("ItemsNotFound", PamErrorKind.InvalidData,
                    $"The page {pageUrl} has no array at '{(_items.IsRoot ? "(body)" : _items.Text)}'. Fix paging.*.itemsPath in the API profile.") { Target = pageUrl };
            }

            var items = new List<FetchItem<T>>(array.GetArrayLength());
            var index = 0;
            string? firstId = null;
            foreach (var element in array.EnumerateArray())
            {
                if (index == 0)
                {
                    firstId = _mapper.TryGetId(element);
                }
                try
                {
                    items.Add(new FetchItem<T>(_mapper.Map(element, _instance, _includeRaw)));
                }
                catch (Exception ex) when (ex is RecordFormatException || ex is InvalidOperationException || ex is FormatException || ex is ArgumentException)
                {
                    var id = _mapper.TryGetId(element);
                    var reason = ex is RecordFormatException ? ex.Message : "it could not be read (" + ex.Message.TrimEnd('.') + ")";
                    items.Add(new FetchItem<T>(new RecordError("RecordInvalid",
                        $"Record {index}{(id != null ? " (id " + id + ")" : "")} on page {pageUrl} was skipped: {reason}.", pageUrl, index, id)
                    {
                        Raw = RawText(element),
                    }));
                }
                index++;
            }

            return new Page<T>(response.Uri, items, index, ReadTotal(root), ReadNext(root, response), firstId);
        }

        /// <summary>The record as sent (at most 64 KB), or null when it is not even valid UTF-8.</summary>
        private static string? RawText(JsonElement element)
        {
            try
            {
                var raw = element.GetRawText();
                return raw.Length <= 65536 ? raw : raw.Substring(0, 65536);
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        private long? ReadTotal(JsonElement root)
        {
            if (_total == null || !_total.TryResolve(root, out var value))
            {
                return null;
            }
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var total))
            {
                return total;
            }
            if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out total))
            {
                return total;
            }
            return null;
        }

        private string? ReadNext(JsonElement root, PamResponse response)
        {
            if (_paging.Style == PagingStyle.NextLink && _next == null)
            {
                return LinkHeader.FindNext(response.Headers);
            }
            if (_next == null || !_next.TryResolve(root, out var value))
            {
                return null;
            }
            var text = FieldCandidates.ToText(value);
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }
    }
}
