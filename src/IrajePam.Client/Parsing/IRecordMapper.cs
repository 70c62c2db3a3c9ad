using System.Text.Json;

namespace IrajePam.Client.Parsing
{
    /// <summary>Maps one JSON item to an output record. Built once per profile; no reflection per record.</summary>
    internal interface IRecordMapper<T>
    {
        /// <summary>Maps the item or throws <see cref="RecordFormatException"/> saying what is wrong with it.</summary>
        T Map(JsonElement item, string instance, bool includeRaw);

        /// <summary>The native id, if the item has a readable one (for error reports).</summary>
        string? TryGetId(JsonElement item);

        string IdOf(T record);
    }
}
