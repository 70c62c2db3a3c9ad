using System.Text.Json;

namespace IrajePam.Client.Parsing
{
    internal sealed class HostMapper : IRecordMapper<Host>
    {
        // Positions in the resolver, in the order its fields are given in the constructor.
        private const int IdField = 0;
        private const int NameField = 1;
        private const int AddressField = 2;
        private const int DeviceTypeField = 3;
        private const int DomainField = 4;
        private const int ProtocolField = 5;
        private const int PortField = 6;
        private const int TagsField = 7;

        private readonly FieldCandidates _id, _name, _address, _deviceType, _domain, _protocol, _port, _tags;
        private readonly RecordFieldResolver _fields;

        public HostMapper(ApiProfile profile)
        {
            var aliases = profile.Fields.Host;
            _id = FieldCandidates.For(nameof(Host.Id), aliases, BuiltInAliases.Host);
            _name = FieldCandidates.For(nameof(Host.Name), aliases, BuiltInAliases.Host);
            _address = FieldCandidates.For(nameof(Host.Address), aliases, BuiltInAliases.Host);
            _deviceType = FieldCandidates.For(nameof(Host.DeviceType), aliases, BuiltInAliases.Host);
            _domain = FieldCandidates.For(nameof(Host.Domain), aliases, BuiltInAliases.Host);
            _protocol = FieldCandidates.For(nameof(Host.Protocol), aliases, BuiltInAliases.Host);
            _port = FieldCandidates.For(nameof(Host.Port), aliases, BuiltInAliases.Host);
            _tags = FieldCandidates.For(nameof(Host.Tags), aliases, BuiltInAliases.Host);
            _fields = new RecordFieldResolver(_id, _name, _address, _deviceType, _domain, _protocol, _port, _tags);
        }

        public Host Map(JsonElement item, string instance, bool includeRaw)
        {
            var v = _fields.Resolve(item);
            var id = _id.RequireIdValue(v[IdField]);
            var address = FieldCandidates.TextOf(v[AddressField]);
            return new Host
            {
                Id = id,
                Name = FieldCandidates.TextOf(v[NameField]) ?? address ?? id,
                Address = address,
                DeviceType = FieldCandidates.TextOf(v[DeviceTypeField]),
                Domain = FieldCandidates.TextOf(v[DomainField]),
                Protocol = FieldCandidates.TextOf(v[ProtocolField]),
                Port = _port.IntOf(v[PortField]),
                Tags = FieldCandidates.TextOf(v[TagsField]),
                Instance = instance,
                Raw = includeRaw ? item.GetRawText() : null,
            };
        }

        public string? TryGetId(JsonElement item) => SafeId(_id, item);

        public string IdOf(Host record) => record.Id;

        internal static string? SafeId(FieldCandidates id, JsonElement item)
        {
            try
            {
                return item.ValueKind == JsonValueKind.Object ? id.GetScalarText(item) : null;
            }
            catch (System.Exception ex) when (ex is System.InvalidOperationException || ex is RecordFormatException)
            {
                return null;
            }
        }
    }
}
