using System.Text.Json;

namespace IrajePam.Client.Parsing
{
    internal sealed class HostMapper : IRecordMapper<Host>
    {
        private readonly FieldCandidates _id, _name, _address, _deviceType, _domain, _protocol, _port, _tags;

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
        }

        public Host Map(JsonElement item, string instance, bool includeRaw)
        {
            var id = _id.RequireId(item);
            var address = _address.GetText(item);
            return new Host
            {
                Id = id,
                Name = _name.GetText(item) ?? address ?? id,
                Address = address,
                DeviceType = _deviceType.GetText(item),
                Domain = _domain.GetText(item),
                Protocol = _protocol.GetText(item),
                Port = _port.GetInt(item),
                Tags = _tags.GetText(item),
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
