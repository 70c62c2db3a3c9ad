using System.Text.Json;

namespace IrajePam.Client.Parsing
{
    internal sealed class AlertMapper : IRecordMapper<Alert>
    {
        // Positions in the resolver, in the order its fields are given in the constructor.
        private const int IdField = 0;
        private const int TimeField = 1;
        private const int SeverityField = 2;
        private const int CategoryField = 3;
        private const int UserField = 4;
        private const int TargetHostField = 5;
        private const int MessageField = 6;

        private readonly FieldCandidates _id, _timestamp, _severity, _category, _user, _targetHost, _message;
        private readonly TimestampParser _times;
        private readonly RecordFieldResolver _fields;

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
            _fields = new RecordFieldResolver(_id, _timestamp, _severity, _category, _user, _targetHost, _message);
        }

        public Alert Map(JsonElement item, string instance, bool includeRaw)
        {
            var v = _fields.Resolve(item);
            var id = _id.RequireIdValue(v[IdField]);
            var timestamp = _times.Require(v[TimeField]);
            return new Alert
            {
                Id = id,
                Timestamp = timestamp,
                Severity = FieldCandidates.TextOf(v[SeverityField]),
                Category = FieldCandidates.TextOf(v[CategoryField]),
                UserName = FieldCandidates.TextOf(v[UserField]),
                TargetHost = FieldCandidates.TextOf(v[TargetHostField]),
                Message = FieldCandidates.TextOf(v[MessageField]),
                Instance = instance,
                Raw = includeRaw ? item.GetRawText() : null,
            };
        }

        public string? TryGetId(JsonElement item) => HostMapper.SafeId(_id, item);

        public string IdOf(Alert record) => record.Id;
    }
}
