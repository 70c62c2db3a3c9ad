using System.Collections.Generic;
using System;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace IrajePam.Simulator.Http
{
    /// <summary>Writes JSON straight into the response pipe with <see cref="Utf8JsonWriter"/>: no object graphs, no reflection.</summary>
    internal static class JsonOutput
    {
        /// <summary>Writes <c>"name": ["a", "b"]</c>.</summary>
        public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
        {
            w.WriteStartArray(name);
            foreach (string value in values)
            {
                w.WriteStringValue(value);
            }
            w.WriteEndArray();
        }

        public static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            // Keep "CORP\\rkumar" and "+05:30" readable; the output is never embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        };

        public const string JsonContentType = "application/json; charset=utf-8";

        public static Utf8JsonWriter Begin(HttpContext context, int status, string contentType = JsonContentType)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            return new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
        }

        /// <summary>Hands what the writer holds to the pipe and lets Kestrel send it (call every few hundred items).</summary>
        public static async Task FlushAsync(HttpContext context, Utf8JsonWriter writer)
        {
            writer.Flush();
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }

        public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> body)
        {
            using (var writer = Begin(context, status))
            {
                body(writer);
                await FlushAsync(context, writer).ConfigureAwait(false);
            }
        }

        public static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
            WriteAsync(context, status, w =>
            {
                w.WriteStartObject();
                w.WriteString("error", code);
                w.WriteString("message", message);
                w.WriteEndObject();
            });
    }
}
