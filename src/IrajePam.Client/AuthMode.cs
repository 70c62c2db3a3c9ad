namespace IrajePam.Client
{
    /// <summary>How the client proves who it is. Auto = token login where the profile has one and it answers, else Basic.</summary>
    public enum AuthMode
    {
        Auto,
        Token,
        Basic,
    }
}
