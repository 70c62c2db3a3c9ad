namespace IrajePam.Client
{
    /// <summary>Paging per list endpoint.</summary>
    public sealed class PagingSet
    {
        public PagingProfile Hosts { get; set; } = new PagingProfile();
        public PagingProfile Logs { get; set; } = new PagingProfile();
        public PagingProfile Alerts { get; set; } = new PagingProfile();
    }
}
