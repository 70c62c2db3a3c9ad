namespace IrajePam.Client
{
    /// <summary>
    /// How the client proves who it is. Auto = what the API profile prefers (token login where the profile has one and
    /// it answers, else Basic). StaticHeader = only the profile's <c>auth.staticHeaders</c> (e.g. an API key kept as
    /// the credential's password), no Authorization header and no login.
    /// </summary>
    public enum AuthMode
    {
        Auto,
        Token,
        Basic,
        StaticHeader,
    }
}
