namespace IrajePam.Client
{
    /// <summary>Which hosts to stream. Filters are applied by the client (the guide shows no server-side host filters).</summary>
    public sealed class HostQuery
    {
        /// <summary>Host names, wildcards (* and ?) allowed, case-insensitive; any match passes.</summary>
        public string[]? Name { get; set; }

        /// <summary>Device types, wildcards allowed.</summary>
        public string[]? DeviceType { get; set; }

        /// <summary>Exact native ids.</summary>
        public string[]? Id { get; set; }

        /// <summary>Keep each record's JSON in <see cref="Host.Raw"/>.</summary>
        public bool IncludeRaw { get; set; }

        public FetchProgress Progress { get; set; } = new FetchProgress();
    }
}
