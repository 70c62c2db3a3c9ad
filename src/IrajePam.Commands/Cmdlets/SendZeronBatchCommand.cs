using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Text;
using System.Threading.Tasks;
using IrajePam.Client;
using IrajePam.Client.Delivery;
using IrajePam.Client.Http;

namespace IrajePam.Commands
{
    /// <summary>
    /// Send-ZeronBatch: delivers pipeline records (hosts, login events, alerts or any object) to a Zeron ingestion
    /// endpoint in gzip NDJSON batches, one result per batch; or writes the batches to a folder with -Path.
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "ZeronBatch", SupportsShouldProcess = true, DefaultParameterSetName = EndpointSet)]
    [OutputType(typeof(BatchResult))]
    public sealed class SendZeronBatchCommand : IrajePamCmdlet
    {
        private const string EndpointSet = "Endpoint";
        private const string PathSet = "Path";

        private BatchBuilder? _builder;
        private ZeronSender? _sender;
        private Task<BatchResult>? _inFlight;
        private string? _folder;
        private long _records;
        private long _recordsDone;
        private int _batchesDone;
        private readonly ProgressRecord _progress = new ProgressRecord(2, "Sending to Zeron", "Starting");

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        /// <summary>The Zeron ingestion base URL; batches go to {Endpoint}ingest/{dataset}.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = EndpointSet)]
        [ValidateNotNull]
        public Uri? Endpoint { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = EndpointSet)]
        [ValidateNotNull]
        public SecureString? ApiKey { get; set; }

        [Parameter(ParameterSetName = EndpointSet)]
        [ValidateNotNullOrEmpty]
        public string ApiKeyHeader { get; set; } = "X-Api-Key";

        /// <summary>Write each batch as an NDJSON file into this folder instead of sending (offline handoff).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Send everything to this dataset instead of the one each record type maps to.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DatasetCompleter))]
        public string? Dataset { get; set; }

        [Parameter]
        [ValidateRange(1, 1000)]
        public int BatchSize { get; set; } = 1000;

        [Parameter(ParameterSetName = EndpointSet)]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter(ParameterSetName = EndpointSet)]
        [ValidateNotNullOrEmpty]
        public string? CertificateThumbprint { get; set; }

        [Parameter(ParameterSetName = EndpointSet)]
        [ValidateNotNullOrEmpty]
        public string? CaCertificatePath { get; set; }

        [Parameter(ParameterSetName = EndpointSet)]
        public Uri? Proxy { get; set; }

        [Parameter(ParameterSetName = EndpointSet)]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        [Parameter(ParameterSetName = EndpointSet)]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>Allow the API key over plain http:// (refused otherwise).</summary>
        [Parameter(ParameterSetName = EndpointSet)]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        protected override void BeginProcessing()
        {
            if (SkipCertificateCheck.IsPresent)
            {
                WriteWarning("Certificate checks are off for this command's connections to Zeron.");
            }
            Run(() =>
            {
                var options = new ZeronOptions
                {
                    Endpoint = Endpoint ?? new Uri("https://localhost/"),
                    ApiKey = ApiKey == null ? null : new NetworkCredential("", ApiKey),
                    ApiKeyHeader = ApiKeyHeader,
                    MaxEventsPerBatch = BatchSize,
                    Tls = new TlsOptions
                    {
                        SkipCertificateCheck = SkipCertificateCheck.IsPresent,
                        CertificateThumbprint = CertificateThumbprint,
                        CaCertificatePath = CaCertificatePath == null ? null : GetUnresolvedProviderPathFromPSPath(CaCertificatePath),
                    },
                    Proxy = Proxy,
                    ProxyCredential = ProxyCredential?.GetNetworkCredential(),
                    Timeout = TimeSpan.FromSeconds(TimeoutSec),
                    AllowUnencryptedAuthentication = AllowUnencryptedAuthentication.IsPresent,
                    Log = LogSink,
                };
                _builder = new BatchBuilder(options);
                if (ParameterSetName == PathSet)
                {
                    // The folder is created with the first batch that is really written, so -WhatIf changes nothing.
                    _folder = GetUnresolvedProviderPathFromPSPath(Path);
                    if (File.Exists(_folder))
                    {
                        throw new IrajePamException("SendZeronBatchPathIsFile", PamErrorKind.Configuration,
                            $"-Path must be a folder, but '{_folder}' is a file.") { Target = _folder };
                    }
                }
                else
                {
                    _sender = new ZeronSender(options);
                }
            }, Endpoint);
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                return;
            }
            object? record = RecordFrom(InputObject);
            if (record == null)
            {
                WriteError(new ErrorRecord(
                    new ArgumentException($"A '{InputObject.BaseObject.GetType().Name}' value has no properties to send. Pipe objects (hosts, login events, alerts, or objects with properties such as [pscustomobject] or hashtables)."),
                    "SendZeronBatchInputNotARecord", ErrorCategory.InvalidType, InputObject));
                return;
            }
            _records++;
            ZeronBatch? batch;
            try
            {
                batch = _builder!.Add(record, Dataset);
            }
            catch (IrajePamException ex)
            {
                // One record that cannot be serialised is reported; the rest of the stream goes on.
                WriteError(ClientErrors.ToErrorRecord(ex, InputObject));
                return;
            }
            for (; batch != null; batch = _builder.TakeReady())
            {
                Dispatch(batch);
            }
        }

        protected override void EndProcessing()
        {
            for (ZeronBatch? batch = _builder!.Flush(); batch != null; batch = _builder.Flush())
            {
                Dispatch(batch);
            }
            Complete();
            if (_batchesDone > 0)
            {
                _progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(_progress);
            }
        }

        /// <summary>Sends (or writes) one batch. The send runs while the next batch fills; at most one is in flight.</summary>
        private void Dispatch(ZeronBatch batch)
        {
            string target = $"{batch.Count} record(s) to dataset '{batch.Dataset}'" + (_folder != null ? $" in {_folder}" : $" at {Endpoint}");
            if (!ShouldProcess(target, _folder != null ? "Write batch" : "Send batch"))
            {
                return;
            }
            if (_folder != null)
            {
                Run(() => WriteObject(WriteBatchFile(batch)), _folder);
                return;
            }
            Complete();
            _inFlight = Task.Run(() => _sender!.SendAsync(batch, StopToken));
        }

        private void Complete()
        {
            if (_inFlight == null)
            {
                FlushLog();
                return;
            }
            Task<BatchResult> task = _inFlight;
            _inFlight = null;
            Run(() =>
            {
                BatchResult result = Await(task);
                _batchesDone++;
                _recordsDone += result.Events;
                _progress.StatusDescription = string.Format(CultureInfo.CurrentCulture,
                    "{0:N0} batch(es), {1:N0} record(s) delivered of {2:N0} read", _batchesDone, _recordsDone, _records);
                WriteProgress(_progress);
                if (result.Status != BatchResult.StatusAccepted)
                {
                    WriteError(new ErrorRecord(
                        new IrajePamException("ZeronBatchNotAccepted", PamErrorKind.Delivery,
                            $"Batch {result.BatchId} ({result.Events} record(s), dataset '{result.Dataset}') was not fully accepted: {result.Status}. {result.Error}"),
                        "ZeronBatchNotAccepted", ErrorCategory.WriteError, result));
                }
                WriteObject(result);
            });
        }

        private BatchResult WriteBatchFile(ZeronBatch batch)
        {
            string file = System.IO.Path.Combine(_folder!, $"{batch.Dataset}-{batch.BatchId}.ndjson");
            try
            {
                Directory.CreateDirectory(_folder!);
                File.WriteAllText(file, batch.ToNdjson(), new UTF8Encoding(false));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IrajePamException("SendZeronBatchWriteFailed", PamErrorKind.State,
                    $"Could not write batch {batch.BatchId} to '{file}': {ex.Message}", ex) { Target = file };
            }
            return new BatchResult
            {
                BatchId = batch.BatchId,
                Dataset = batch.Dataset,
                Events = batch.Count,
                Status = "Written",
                RawBytes = batch.RawBytes,
                CompressedBytes = batch.CompressedBytes,
                Path = file,
            };
        }

        /// <summary>
        /// Our own record types go as they are; a hashtable as its keys; any other object as its flat property bag.
        /// A bare value (string, number) has no fields to send: null.
        /// </summary>
        private static object? RecordFrom(PSObject input)
        {
            object baseObject = input.BaseObject;
            if (baseObject is Host || baseObject is LoginEvent || baseObject is Alert)
            {
                return baseObject;
            }
            var bag = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            if (baseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    bag[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = Flat(entry.Value);
                }
                return bag;
            }
            if (IsScalar(baseObject))
            {
                return null;
            }
            foreach (PSPropertyInfo p in input.Properties)
            {
                object? value;
                try
                {
                    value = p.Value;
                }
                catch (GetValueException)
                {
                    continue;
                }
                bag[p.Name] = Flat(value);
            }
            return bag;
        }

        private static object? Flat(object? value)
        {
            value = value is PSObject pso ? pso.BaseObject : value;
            return value == null || IsScalar(value) ? value : value.ToString();
        }

        private static bool IsScalar(object value) =>
            value is string || value.GetType().IsPrimitive || value is decimal || value is DateTime || value is DateTimeOffset
            || value is Guid || value is Enum || value is TimeSpan;

        protected override void DisposeResources()
        {
            _sender?.Dispose();
            _builder?.Dispose();
        }
    }
}
