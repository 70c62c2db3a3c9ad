using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrajePam.Client.Http;

namespace IrajePam.Client.Paging
{
    /// <summary>
    /// Streams a paged list. Page N+1 is requested before page N's records are handed out, so the network works
    /// while the caller (a PowerShell pipeline) consumes. Stops on an empty or short page, on the reported total, or
    /// when there is no next link / cursor; refuses to loop on a server that repeats a page; reports (as a
    /// <see cref="RecordError"/>) a total the paging could not reach. Disposing the enumerator cancels the prefetch.
    /// </summary>
    internal sealed class PagedReader<T>
        where T : class
    {
        private readonly PamHttpPipeline _pipeline;
        private readonly Uri _endpoint;
        private readonly List<KeyValuePair<string, string>> _query;
        private readonly PagingProfile _paging;
        private readonly PageParser<T> _parser;
        private readonly Func<T, string> _idOf;
        private readonly FetchProgress _progress;
        private readonly Action<string>? _log;
        private readonly string _profileName;
        private readonly Func<T, DateTimeOffset>? _timeOf;
        private readonly DateTimeOffset? _seekFrom;
        private readonly LogPositions? _positions;
        private string? _queryKey;
        private bool _linkRebased;
        private bool _filterRestored;

        /// <param name="timeOf">With <paramref name="seekFrom"/> and a profile that declares <c>sortedAscending</c>: a record's time.</param>
        /// <param name="seekFrom">The caller drops every record before this time; pages that hold only such records may be skipped.</param>
        public PagedReader(PamHttpPipeline pipeline, Uri endpoint, List<KeyValuePair<string, string>> query, PagingProfile paging,
            PageParser<T> parser, Func<T, string> idOf, FetchProgress progress, Action<string>? log, string? profileName = null,
            Func<T, DateTimeOffset>? timeOf = null, DateTimeOffset? seekFrom = null, LogPositions? positions = null)
        {
            _timeOf = timeOf;
            _seekFrom = seekFrom;
            _positions = positions;
            _pipeline = pipeline;
            _endpoint = endpoint;
            _query = query;
            _paging = paging;
            _parser = parser;
            _idOf = idOf;
            _progress = progress;
            _log = log;
            _profileName = profileName ?? "";
        }

        /// <summary>Page size asked for (null when the style sends none).</summary>
        public int? RequestedSize => _paging.Style == PagingStyle.Offset ? _paging.MaxPageSize
            : _paging.SizeParam != null && _paging.Style != PagingStyle.None ? _paging.MaxPageSize : (int?)null;

        public async IAsyncEnumerable<FetchItem<T>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var prefetch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pageNumber = _paging.FirstPage;
            long offset = 0;
            long received = 0;
            var pages = 0;
            int? effectiveSize = RequestedSize;
            string? previousFirstId = null;
            // Ids of the last two pages: drops the duplicate a server produces when a record is inserted while paging.
            var previousIds = new HashSet<string>(StringComparer.Ordinal);
            var currentIds = new HashSet<string>(StringComparer.Ordinal);

            Task<Page<T>>? pending = FetchAsync(FirstUri(), prefetch.Token);
            try
            {
                while (pending != null)
                {
                    var page = await pending.ConfigureAwait(false);
                    pending = null;
                    pages++;
                    var pageIndex = _paging.Style == PagingStyle.Offset && effectiveSize.HasValue && effectiveSize.Value > 0
                        ? (int)Math.Min(int.MaxValue, offset / effectiveSize.Value)
                        : pageNumber - _paging.FirstPage;
                    _progress.AddPage();
                    if (page.Total.HasValue)
                    {
                        _progress.SetTotal(page.Total);
                    }

                    if (pages > 1 && page.RawCount > 0 && page.FirstId != null && page.FirstId == previousFirstId)
                    {
                        yield return Error("PageRepeated",
                            $"The server sent the same page twice ({UrlRedactor.Redact(page.Uri)} starts with id {page.FirstId} again); stopped reading to avoid a loop. The paging settings in the API profile probably do not match the server.",
                            page.Uri);
                        yield break;
                    }
                    previousFirstId = page.FirstId;
                    received += page.RawCount;

                    Uri? nextUri = null;
                    string? incomplete = null;
                    if (page.RawCount == 0)
                    {
                        if (page.Total.HasValue && received < page.Total.Value)
                        {
                            incomplete = $"The server reports {page.Total.Value} records but paging stopped after {received} ({UrlRedactor.Redact(page.Uri)} came back empty). The server may cap how deep paging goes; narrow the query (e.g. a shorter time window).";
                        }
                    }
                    else
                    {
                        switch (_paging.Style)
                        {
                            case PagingStyle.Page:
                            case PagingStyle.Offset:
                                if (pages == 1 && effectiveSize.HasValue && page.RawCount < effectiveSize.Value && (!page.Total.HasValue || page.Total.Value > page.RawCount))
                                {
                                    // The server served fewer than asked without saying it is done: it caps page size.
                                    if (page.Total.HasValue)
                                    {
                                        // Confirmed by the total: worth a warning, since every read costs more requests than the profile expects.
                                        _progress.SetServerPageSize(page.RawCount);
                                        _log?.Invoke($"WARNING: The server caps pages at {page.RawCount} records: it served {page.RawCount} of the {effectiveSize.Value} asked for and reports {page.Total.Value} in all. Reading on in pages of {page.RawCount}; set paging.*.maxPageSize to {page.RawCount} in the API profile '{_profileName}' to match the server.");
                                    }
                                    else
                                    {
                                        _log?.Invoke($"The server returned {page.RawCount} records for a page size of {effectiveSize.Value}; continuing with its size.");
                                    }
                                    effectiveSize = page.RawCount;
                                }
                                var more = page.Total.HasValue
                                    ? received < page.Total.Value
                                    : !effectiveSize.HasValue || page.RawCount >= effectiveSize.Value;
                                if (more)
                                {
                                    pageNumber++;
                                    offset += page.RawCount;
                                    nextUri = PagedUri(pageNumber, offset);
                                }
                                break;
                            case PagingStyle.NextLink:
                                if (page.Next != null)
                                {
                                    nextUri = FollowLink(page.Uri, page.Next);
                                }
                                break;
                            case PagingStyle.Cursor:
                                if (page.Next != null)
                                {
                                    var query = new List<KeyValuePair<string, string>>(_query);
                                    AddSize(query);
                                    query.Add(new KeyValuePair<string, string>(_paging.CursorParam, page.Next));
                                    nextUri = QueryString.Build(_endpoint, query);
                                }
                                break;
                        }
                    }

                    var skipPage = false;
                    if (pages == 1 && nextUri != null && effectiveSize.HasValue && CanSeek(page, effectiveSize.Value))
                    {
                        // Page 1 ends before the caller's start: find the first page that can hold it instead of scanning.
                        var found = await SeekAsync(page, effectiveSize.Value, prefetch.Token).ConfigureAwait(false);
                        if (found.Index > 1)
                        {
                            pageNumber = _paging.FirstPage + found.Index;
                            offset = (long)found.Index * effectiveSize.Value;
                            received = offset;
                            pending = found.Page != null ? Task.FromResult(found.Page) : FetchAsync(PagedUri(pageNumber, offset), prefetch.Token);
                            nextUri = null;
                            skipPage = true;
                        }
                    }

                    string? capped = null;
                    if (nextUri != null && pages >= _paging.MaxPages)
                    {
                        capped = $"Stopped after {pages} pages (paging.*.maxPages in the API profile); more records may exist.";
                        nextUri = null;
                    }

                    if (nextUri != null)
                    {
                        // Prefetch: the next page is on its way while this one is consumed.
                        pending = FetchAsync(nextUri, prefetch.Token);
                    }

                    if (!skipPage)
                    {
                        ReportPage(page, pageIndex);
                    }

                    var swap = previousIds;
                    previousIds = currentIds;
                    currentIds = swap;
                    currentIds.Clear();
                    foreach (var item in page.Items)
                    {
                        if (skipPage && item.Value != null)
                        {
                            // Page 1 ends before the start: its records would all be dropped (its errors are still reported).
                            continue;
                        }
                        if (item.Value != null)
                        {
                            var id = _idOf(item.Value);
                            if (previousIds.Contains(id) || !currentIds.Add(id))
                            {
                                continue;
                            }
                        }
                        yield return item;
                    }

                    if (incomplete != null)
                    {
                        yield return Error("PagingIncomplete", incomplete, page.Uri);
                    }
                    if (capped != null)
                    {
                        yield return Error("PageLimitReached", capped, page.Uri);
                    }
                }
            }
            finally
            {
                if (pending != null)
                {
                    // The caller stopped early (Select-Object -First): cancel the page in flight and observe its end.
                    prefetch.Cancel();
                    try
                    {
                        await pending.ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        // Cancelled or failed: nobody wants this page any more.
                    }
                }
            }
        }

        private bool CanSeek(Page<T> first, int size) =>
            _paging.SortedAscending && _timeOf != null && _seekFrom.HasValue
            && (_paging.Style == PagingStyle.Page || _paging.Style == PagingStyle.Offset)
            && first.Total.HasValue && first.RawCount == size && (first.Total.Value + size - 1) / size >= 3
            && TryBounds(first, size, out _, out var last) && last < _seekFrom.Value;

        /// <summary>
        /// First and last record time of a full, ascending page (an unreadable record is passed over: its place in the
        /// order still bounds its time); false when the page is not full, holds no readable record, or its times go
        /// backwards (then nothing about the order can be trusted).
        /// </summary>
        private bool TryBounds(Page<T> page, int size, out DateTimeOffset first, out DateTimeOffset last)
        {
            first = last = default;
            if (page.RawCount != size || page.Items.Count != size)
            {
                return false;
            }
            var any = false;
            for (var i = 0; i < page.Items.Count; i++)
            {
                var value = page.Items[i].Value;
                if (value == null)
                {
                    continue;
                }
                var t = _timeOf!(value);
                if (!any)
                {
                    first = t;
                    any = true;
                }
                else if (t < last)
                {
                    return false;
                }
                last = t;
            }
            return any;
        }

        /// <summary>
        /// Binary search over the pages (0-based index; page 0 is <paramref name="first"/>, which ends before the start)
        /// for the first page whose last record is at or after the start: every page before it holds only earlier
        /// records. A probe whose records straddle the start ends the search at once (the page before it must end
        /// earlier). Each probed page must be full, ascending and in order with the probes around it, and the total must
        /// not shrink; otherwise index 1 is returned (read on from page 2, the plain scan).
        /// </summary>
        /// <remarks>
        /// A first guess from page 0's pace (interpolation) was tried and dropped: login logs are busy by day and quiet
        /// by night, and a burst of new events skews any pace, so the guess cost more probes than halving.
        /// </remarks>
        private async Task<(int Index, Page<T>? Page)> SeekAsync(Page<T> first, int size, CancellationToken cancellationToken)
        {
            var seek = _seekFrom!.Value;
            var total = first.Total!.Value;
            TryBounds(first, size, out _, out var loLast);
            var lo = 0;
            var hi = (int)((total + size - 1) / size) - 1;
            Page<T>? hiPage = null;
            DateTimeOffset? hiFirst = null;
            var probes = 0;
            // With a hint (the page where an earlier run of the same query found its start), probe it first, then
            // gallop (1, 2, 4 … pages) the way it points until the start is bracketed; without one, halve.
            var hint = _positions?.Hint;
            var hinted = hint != null && hint.Query == QueryKey() && hint.Page > lo && hint.Page < hi;
            var next = hinted ? hint!.Page : -1;
            var step = 1;
            var lastMove = 0;
            var bisect = !hinted;
            while (hi - lo > 1)
            {
                var mid = bisect || next <= lo || next >= hi ? lo + (hi - lo) / 2 : next;
                var probe = await FetchAsync(PagedUri(_paging.FirstPage + mid, (long)mid * size), cancellationToken).ConfigureAwait(false);
                probes++;
                if (!probe.Total.HasValue || probe.Total.Value < total || probe.FirstId == first.FirstId
                    || !TryBounds(probe, size, out var pFirst, out var pLast) || pFirst < loLast || (hiFirst.HasValue && pLast > hiFirst.Value))
                {
                    _log?.Invoke($"The records on {UrlRedactor.Redact(probe.Uri)} are not in ascending time order (or not readable); reading every page from the first.");
                    return (1, null);
                }
                var move = pLast < seek ? 1 : -1;
                if (move > 0)
                {
                    lo = mid;
                    loLast = pLast;
                }
                else
                {
                    hi = mid;
                    hiPage = probe;
                    hiFirst = pFirst;
                    if (pFirst < seek)
                    {
                        break;
                    }
                }
                if (!bisect)
                {
                    bisect = lastMove != 0 && move != lastMove;
                    lastMove = move;
                    next = mid + move * step;
                    step *= 2;
                }
            }
            _log?.Invoke($"Skipped pages {_paging.FirstPage} to {_paging.FirstPage + hi - 1} (records before {seek.UtcDateTime:u}) after {probes} probe(s){(hinted ? " starting at the page an earlier read ended on" : "")}; reading from page {_paging.FirstPage + hi}.");
            return (hi, hiPage);
        }

        /// <summary>Names this read's server query for <see cref="SeekHint"/>: its first page's path and query string.</summary>
        private string QueryKey() => _queryKey ??= FirstUri().PathAndQuery;

        /// <summary>Tells the caller (when it asked) which page it read and the times it spans.</summary>
        private void ReportPage(Page<T> page, int index)
        {
            if (_positions?.PageRead == null || _timeOf == null || !_paging.SortedAscending
                || (_paging.Style != PagingStyle.Page && _paging.Style != PagingStyle.Offset))
            {
                return;
            }
            DateTimeOffset? first = null;
            var last = default(DateTimeOffset);
            foreach (var item in page.Items)
            {
                if (item.Value != null)
                {
                    var t = _timeOf(item.Value);
                    first ??= t;
                    last = t;
                }
            }
            if (first.HasValue)
            {
                _positions.PageRead(new PageSpan(QueryKey(), index, first.Value, last));
            }
        }

        /// <summary>
        /// Where a next link leads. It stays on the server the session was opened with (a link naming another origin,
        /// typically the application server's internal name behind a reverse proxy, keeps only its path and query), and
        /// it keeps the read's filter (parameters the link leaves out are sent again), so a server that drops them from
        /// its links cannot widen the read to the whole log or send credentials elsewhere.
        /// </summary>
        private Uri? FollowLink(Uri pageUri, string next)
        {
            if (!Uri.TryCreate(pageUri, next, out var link) || (link.Scheme != Uri.UriSchemeHttps && link.Scheme != Uri.UriSchemeHttp))
            {
                return null;
            }
            if (!string.Equals(link.Scheme, _endpoint.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(link.Host, _endpoint.Host, StringComparison.OrdinalIgnoreCase) || link.Port != _endpoint.Port)
            {
                var origin = _endpoint.GetLeftPart(UriPartial.Authority);
                if (!_linkRebased)
                {
                    _linkRebased = true;
                    _log?.Invoke($"The server's next link points to {UrlRedactor.Redact(link)}, not to {origin}; following its path and query on {origin}, the server this session was opened with.");
                }
                link = new Uri(new Uri(origin + "/"), link.PathAndQuery);
            }

            var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in link.Query.TrimStart('?').Split('&'))
            {
                var eq = pair.IndexOf('=');
                var name = Uri.UnescapeDataString((eq < 0 ? pair : pair.Substring(0, eq)).Replace('+', ' '));
                if (name.Length > 0)
                {
                    present.Add(name);
                }
            }
            var missing = new List<KeyValuePair<string, string>>();
            foreach (var pair in _query)
            {
                if (!present.Contains(pair.Key))
                {
                    missing.Add(pair);
                }
            }
            if (missing.Count == 0)
            {
                return link;
            }
            if (!_filterRestored)
            {
                _filterRestored = true;
                var names = new List<string>();
                foreach (var pair in missing)
                {
                    names.Add(pair.Key);
                }
                _log?.Invoke($"The server's next link leaves out {string.Join(", ", names)}; sending them again so the read keeps its filter.");
            }
            var query = new StringBuilder(link.Query.Length > 1 ? link.Query : "");
            foreach (var pair in missing)
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
            }
            return new Uri(link.GetLeftPart(UriPartial.Path) + query);
        }

        private Task<Page<T>> FetchAsync(Uri uri, CancellationToken cancellationToken) =>
            _pipeline.SendAsync(new PamRequest(System.Net.Http.HttpMethod.Get, uri), _parser.Parse, cancellationToken);

        private Uri FirstUri() =>
            _paging.Style == PagingStyle.NextLink || _paging.Style == PagingStyle.Cursor || _paging.Style == PagingStyle.None
                ? QueryString.Build(_endpoint, WithSize())
                : PagedUri(_paging.FirstPage, 0);

        private List<KeyValuePair<string, string>> WithSize()
        {
            var query = new List<KeyValuePair<string, string>>(_query);
            if (_paging.Style != PagingStyle.None)
            {
                AddSize(query);
            }
            return query;
        }

        private void AddSize(List<KeyValuePair<string, string>> query)
        {
            if (!string.IsNullOrEmpty(_paging.SizeParam))
            {
                query.Add(new KeyValuePair<string, string>(_paging.SizeParam!, _paging.MaxPageSize.ToString(CultureInfo.InvariantCulture)));
            }
        }

        private Uri PagedUri(int pageNumber, long offset)
        {
            var query = new List<KeyValuePair<string, string>>(_query);
            if (_paging.Style == PagingStyle.Offset)
            {
                query.Add(new KeyValuePair<string, string>(_paging.OffsetParam, offset.ToString(CultureInfo.InvariantCulture)));
                query.Add(new KeyValuePair<string, string>(_paging.LimitParam, _paging.MaxPageSize.ToString(CultureInfo.InvariantCulture)));
            }
            else
            {
                query.Add(new KeyValuePair<string, string>(_paging.PageParam, pageNumber.ToString(CultureInfo.InvariantCulture)));
                AddSize(query);
            }
            return QueryString.Build(_endpoint, query);
        }

        private FetchItem<T> Error(string id, string message, Uri pageUri)
        {
            // Logged plainly: the caller reports it as an error record (a "WARNING: " line would say it twice).
            _log?.Invoke(message);
            return new FetchItem<T>(new RecordError(id, message, UrlRedactor.Redact(pageUri)) { EndsRead = true });
        }
    }
}
