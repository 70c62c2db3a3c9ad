using System.Text.Json;

namespace IrajePam.Client.Parsing
{
    internal sealed class LoginEventMapper : IRecordMapper<LoginEvent>
    {
        // Positions in the resolver, in the order its fields are given in the constructor.
        private const int IdField = 0;
        private const int TimeField = 1;
        private const int UserField = 2;
        private const int SourceIpField = 3;
        private const int TargetHostField = 4;
        private const int TargetAddressField = 5;
        private const int SessionField = 6;
        private const int ActionField = 7;
        private const int EventTypeField = 8;
        private const int StatusField = 9;
        private const int ProtocolField = 10;

        private readonly FieldCandidates _id, _timestamp, _user, _sourceIp, _targetHost, _targetAddress, _session, _action, _eventType, _status, _protocol;
        private readonly TimestampParser _times;
        private readonly ActionClassifier _actions;
        private readonly RecordFieldResolver _fields;

        public LoginEventMapper(ApiProfile profile)
        {
            var aliases = profile.Fields.LoginEvent;
            var builtIn = BuiltInAliases.LoginEvent;
            _id = FieldCandidates.For(nameof(LoginEvent.Id), aliases, builtIn);
            _timestamp = FieldCandidates.For(nameof(LoginEvent.Timestamp), aliases, builtIn);
            _user = FieldCandidates.For(nameof(LoginEvent.UserName), aliases, builtIn);
            _sourceIp = FieldCandidates.For(nameof(LoginEvent.SourceIp), aliases, builtIn);
            _targetHost = FieldCandidates.For(nameof(LoginEvent.TargetHost), aliases, builtIn);
            _targetAddress = FieldCandidates.For(nameof(LoginEvent.TargetAddress), aliases, builtIn);
            _session = FieldCandidates.For(nameof(LoginEvent.SessionId), aliases, builtIn);
            _action = FieldCandidates.For(nameof(LoginEvent.Action), aliases, builtIn);
            _eventType = FieldCandidates.For(nameof(LoginEvent.EventType), aliases, builtIn);
            _status = FieldCandidates.For(nameof(LoginEvent.Status), aliases, builtIn);
            _protocol = FieldCandidates.For(nameof(LoginEvent.Protocol), aliases, builtIn);
            _times = TimestampParser.ForProfile(profile);
            _actions = new ActionClassifier(profile.Actions);
            _fields = new RecordFieldResolver(_id, _timestamp, _user, _sourceIp, _targetHost, _targetAddress, _session, _action, _eventType, _status, _protocol);
        }

        public LoginEvent Map(JsonElement item, string instance, bool includeRaw)
        {
            var v = _fields.Resolve(item);
            var id = _id.RequireIdValue(v[IdField]);
            var timestamp = _times.Require(v[TimeField]);
            var action = FieldCandidates.TextOf(v[ActionField]);
            var type = _actions.ClassifyType(action, FieldCandidates.TextOf(v[EventTypeField]));
            return new LoginEvent
            {
                Id = id,
                Timestamp = timestamp,
                UserName = FieldCandidates.TextOf(v[UserField]),
                SourceIp = FieldCandidates.TextOf(v[SourceIpField]),
                TargetHost = FieldCandidates.TextOf(v[TargetHostField]),
                TargetAddress = FieldCandidates.TextOf(v[TargetAddressField]),
                SessionId = FieldCandidates.TextOf(v[SessionField]),
                Action = action,
                EventType = type,
                Status = ActionClassifier.ClassifyStatus(FieldCandidates.TextOf(v[StatusField]), type, action),
                Protocol = FieldCandidates.TextOf(v[ProtocolField]),
                Instance = instance,
                Raw = includeRaw ? item.GetRawText() : null,
            };
        }

        public string? TryGetId(JsonElement item) => HostMapper.SafeId(_id, item);

        public string IdOf(LoginEvent record) => record.Id;
    }
}
