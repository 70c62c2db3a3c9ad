using System;

namespace IrajePam.Simulator.Data
{
    /// <summary>One managed device, shape-neutral. API shapes decide names and formats on the wire.</summary>
    internal sealed class SimHost
    {
        public SimHost(int index, string id, string name, string address, string deviceType, string domain, string protocol,
            int port, string[] tags, bool isDomainController, DateTimeOffset addedOn)
        {
            Index = index;
            Id = id;
            Name = name;
            Address = address;
            DeviceType = deviceType;
            Domain = domain;
            Protocol = protocol;
            Port = port;
            Tags = tags;
            IsDomainController = isDomainController;
            AddedOn = addedOn;
        }

        public int Index { get; }
        public string Id { get; }
        public string Name { get; }
        /// <summary>IPv4 address, or a DNS name for hosts onboarded by name.</summary>
        public string Address { get; }
        public string DeviceType { get; }
        public string Domain { get; }
        public string Protocol { get; }
        public int Port { get; }
        public string[] Tags { get; }
        public bool IsDomainController { get; }
        public DateTimeOffset AddedOn { get; }
    }
}
