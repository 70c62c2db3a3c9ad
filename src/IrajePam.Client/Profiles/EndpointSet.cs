namespace IrajePam.Client
{
    /// <summary>Endpoint paths, relative to the profile's base path. A null endpoint means the server has none.</summary>
    public sealed class EndpointSet
    {
        public string? Status { get; set; }
        public string? Login { get; set; }
        public string? Logout { get; set; }
        public string? Me { get; set; }
        public string? Hosts { get; set; }
        public string? Logs { get; set; }
        public string? Alerts { get; set; }
    }
}
