using System.Text.Json;

namespace IrajePam.Client.Parsing
{
    internal sealed class AlertMapper : IRecordMapper<Alert>
    {
        private readonly FieldCandidates _id, _timestamp, _severity, _category, _user, _targetHost, _message;
        private readonly TimestampParser _times;

        public AlertMapper(ApiProfile profile)
        {
            var aliases = profile.Fields.Alert;
            var builtIn = BuiltInAliases.Alert;
            _id = FieldCandidates.For(nameof(Alert.Id), aliases, builtIn);
            _timestamp = FieldCandidates.For(nameof(Alert.Timestamp), aliases, builtIn);
            _severity = FieldCandidates.For(nameof(Alert.Severity), aliases, builtIn);
            _category = FieldCandidates.For(nameof(Alert.Category), aliases, builtIn);
            _user = FieldCandidates.For(nameof(Alert.UserName), aliases, builtIn);
            _targetHost = FieldCandidates.For(nameof(Alert.TargetHost), aliases, builtIn);
            _message = FieldCandidates.For(nameof(Alert.Message), aliases, builtIn);
            _times = TimestampParser.ForProfile(profile);
        }

        public Alert Map(JsonElement item, string instance, bool includeRaw)
        {
            var id = _id.RequireId(item);
            if (!_timestamp.TryFind(item, out var timeValue) || !_times.TryParse(timeValue, out var timestamp))
            {
                throw new RecordFormatException("it has no recognisable timestamp");
            }
            return new Alert
            {
                Id = id,
                Timestamp = timestamp,
                Severity = _severity.GetText(item),
                Category = _category.GetText(item),
                UserName = _user.GetText(item),
                TargetHost = _targetHost.GetText(item),
                Message = _message.GetText(item),
                Instance = instance,
                Raw = includeRaw ? item.GetRawText() : null,
            };
        }

        public string? TryGetId(JsonElement item) => HostMapper.SafeId(_id, item);

        public string IdOf(Alert record) => record.Id;
    }
}
