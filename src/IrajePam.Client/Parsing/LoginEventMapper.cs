using System.Text.Json;

namespace IrajePam.Client.Parsing
{
    internal sealed class LoginEventMapper : IRecordMapper<LoginEvent>
    {
        private readonly FieldCandidates _id, _timestamp, _user, _sourceIp, _targetHost, _targetAddress, _session, _action, _eventType, _status, _protocol;
        private readonly TimestampParser _times;
        private readonly ActionClassifier _actions;

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
        }

        public LoginEvent Map(JsonElement item, string instance, bool includeRaw)
        {
            var id = _id.RequireId(item);
            if (!_timestamp.TryFind(item, out var timeValue))
            {
                throw new RecordFormatException("it has no timestamp");
            }
            if (!_times.TryParse(timeValue, out var timestamp))
            {
                throw new RecordFormatException($"its timestamp is not a recognised time ({FieldCandidates.Describe(timeValue)})");
            }
            var action = _action.GetText(item);
            var type = _actions.ClassifyType(action, _eventType.GetText(item));
            return new LoginEvent
            {
                Id = id,
                Timestamp = timestamp,
                UserName = _user.GetText(item),
                SourceIp = _sourceIp.GetText(item),
                TargetHost = _targetHost.GetText(item),
                TargetAddress = _targetAddress.GetText(item),
                SessionId = _session.GetText(item),
                Action = action,
                EventType = type,
                Status = ActionClassifier.ClassifyStatus(_status.GetText(item), type, action),
                Protocol = _protocol.GetText(item),
                Instance = instance,
                Raw = includeRaw ? item.GetRawText() : null,
            };
        }

        public string? TryGetId(JsonElement item) => HostMapper.SafeId(_id, item);

        public string IdOf(LoginEvent record) => record.Id;
    }
}
