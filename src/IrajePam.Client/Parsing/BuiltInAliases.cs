using System;
using System.Collections.Generic;

namespace IrajePam.Client.Parsing
{
    /// <summary>Field names tried when a profile says nothing about a property: the guide's names first, then common variants.</summary>
    internal static class BuiltInAliases
    {
        public static readonly IReadOnlyDictionary<string, string[]> Host = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["Id"] = new[] { "hostId", "id", "deviceId", "assetId", "guid" },
            ["Name"] = new[] { "hostName", "name", "deviceName", "host", "displayName" },
            ["Address"] = new[] { "ipAddress", "ip", "address", "dnsName", "fqdn" },
            ["DeviceType"] = new[] { "deviceType", "type", "category", "platform" },
            ["Domain"] = new[] { "domain", "group", "domainName", "groupName" },
            ["Protocol"] = new[] { "protocol", "connectionProtocol" },
            ["Port"] = new[] { "port", "connectionPort" },
            ["Tags"] = new[] { "tags", "labels" },
        };

        public static readonly IReadOnlyDictionary<string, string[]> LoginEvent = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["Id"] = new[] { "logId", "id", "eventId", "auditId" },
            ["Timestamp"] = new[] { "eventTime", "timestamp", "time", "loginTime", "dateTime", "date" },
            ["UserName"] = new[] { "userName", "username", "user", "loginName" },
            ["SourceIp"] = new[] { "clientIp", "sourceIp", "srcIp", "ipAddress" },
            ["TargetHost"] = new[] { "targetHost", "target", "hostName", "deviceName" },
            ["TargetAddress"] = new[] { "targetIp", "targetAddress", "hostIp" },
            ["SessionId"] = new[] { "sessionId", "session" },
            ["Action"] = new[] { "action", "event", "eventName", "activity", "message" },
            ["EventType"] = new[] { "eventType" },
            ["Status"] = new[] { "status", "result", "outcome" },
            ["Protocol"] = new[] { "protocol" },
        };

        public static readonly IReadOnlyDictionary<string, string[]> Alert = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["Id"] = new[] { "alertId", "id", "eventId" },
            ["Timestamp"] = new[] { "alertTime", "eventTime", "timestamp", "time", "raisedOn" },
            ["Severity"] = new[] { "severity", "level", "priority" },
            ["Category"] = new[] { "category", "alertType", "type" },
            ["UserName"] = new[] { "userName", "username", "user" },
            ["TargetHost"] = new[] { "targetHost", "hostName", "target" },
            ["Message"] = new[] { "message", "description", "details" },
        };
    }
}
