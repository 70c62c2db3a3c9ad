namespace IrajePam.Simulator.Data
{
    /// <summary>A person or service account that appears in the login log.</summary>
    internal sealed class SimUser
    {
        public SimUser(string name, string homeIp, bool burstProne)
        {
            Name = name;
            HomeIp = homeIp;
            BurstProne = burstProne;
        }

        /// <summary>As the log shows it: <c>CORP\rkumar</c> for directory users, a bare name for local PAM accounts.</summary>
        public string Name { get; }

        /// <summary>The workstation the user usually comes from.</summary>
        public string HomeIp { get; }

        /// <summary>Users that fat-finger passwords (or are being sprayed) and so get failed-login bursts.</summary>
        public bool BurstProne { get; }
    }
}
